"""Logging, editing and reading one incident.

Plain HTML forms that work without JavaScript. The views only translate between HTTP and the
services: `incident_submit` and `incident_update` check the rights and every rule, and their
ValidationError messages come back next to the fields they are about, with everything the officer
typed still in the form. Reading goes through `incident_for_viewer`, so an incident a user may not
see is a 404 whether it exists or not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from config.forms import initial_from_submitted

from ..access import PUBLIC, can_edit_incident, is_analyst, may_see_reporter, officer_organisations, viewer_for
from ..forms import IncidentForm, initial_from_incident
from ..models import (
    DESCRIPTION_MAX_LENGTH,
    SHARING_LEVEL_EXPLANATIONS,
    Incident,
    IncidentActor,
    Organisation,
    ReviewStatus,
    SharingLevel,
)
from ..selectors import incident_for_viewer
from ..services import SubmissionKeyReused, incident_submit_once, incident_update

View = Callable[..., HttpResponse]

# The submit button that re-shows the form with the regions of the country just chosen,
# which is how the region list follows the country without JavaScript.
SHOW_REGIONS = "show_regions"
BOUNDARIES_ATTRIBUTION = "advisories/_boundaries_attribution.html"

# What happens next to a newly logged incident, by sharing level. Analysts review only what the
# sharing rules let them see (incidents/access.py): TLP:CLEAR and TLP:GREEN. The review queue
# never holds the other levels, so nobody verifies or publishes those.
LOGGED_MESSAGES = {
    SharingLevel.CLEAR: gettext_lazy(
        "Incident logged. An analyst will review it; once it is published, anyone can read it."
    ),
    SharingLevel.GREEN: gettext_lazy(
        "Incident logged. Members of every registered organisation can read it now, and an analyst will review it."
    ),
    SharingLevel.AMBER: gettext_lazy(
        "Incident logged. Your organisation and its partner organisations can read it. "
        "Analysts do not see TLP:AMBER reports, so it will not be reviewed or published."
    ),
    SharingLevel.AMBER_STRICT: gettext_lazy(
        "Incident logged. Only your organisation can read it. "
        "Analysts do not see TLP:AMBER+STRICT reports, so it will not be reviewed or published."
    ),
    SharingLevel.RED: gettext_lazy(
        "Incident logged. Only you and your organisation's officers, security managers and administrators can read it. "
        "Analysts do not see TLP:RED reports, so it will not be reviewed or published."
    ),
}


def problem_page(request: HttpRequest, *, title: str, message: str, status: int, advice: str = "") -> HttpResponse:
    """A page that says what went wrong and what to do about it (403, 413...)."""
    context = {"title": title, "message": message, "advice": advice}
    return render(request, "incidents/problem.html", context, status=status)


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return problem_page(request, title=_("You may not do this"), message=message, status=403)


def refuse_oversized_posts(view: View) -> View:
    """Answer a form too large to read with a page that says so, instead of a bare "Bad Request".

    A POST body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) makes Django raise RequestDataTooBig
    as soon as anything reads request.POST, and the CSRF middleware reads it before any view runs.
    So this view is exempt from the middleware, tries the body first, and then applies the very
    same CSRF check through `csrf_protect`. Nothing is written on the oversized path.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - reading it is the test
            except RequestDataTooBig:
                return problem_page(
                    request,
                    title=_("The form was too large to read"),
                    message=_(
                        "What you sent is larger than Vigil accepts, so nothing was saved. A description holds "
                        "at most %(max)s characters, about ten pages."
                    )
                    % {"max": f"{DESCRIPTION_MAX_LENGTH:,}"},
                    advice=_(
                        "Go back with your browser's Back button: it keeps what you typed. Shorten the "
                        "description (keep the essentials and put a link to the full report under Sources), "
                        "then submit again."
                    ),
                    status=413,
                )
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


# Logging and editing ---------------------------------------------------------------------------


@login_required
@refuse_oversized_posts
def incident_create(request: HttpRequest) -> HttpResponse:
    organisations = list(officer_organisations(request.user).order_by("name"))
    if not organisations:
        return forbidden(
            request,
            _(
                "Only an organisation's security officers, security managers and administrators may log "
                "incidents. Ask your organisation's administrator for one of these roles."
            ),
        )
    if request.method != "POST":
        initial = {
            "organisation": organisations[0].pk,
            "country": _usual_country_id(request.user, organisations[0]),
            "submission_key": uuid.uuid4().hex,
        }
        form = IncidentForm(initial=initial, organisations=organisations)
        return _form_page(request, form)
    form = IncidentForm(request.POST, organisations=organisations)
    if SHOW_REGIONS in request.POST:
        return _form_page(request, _unjudged(form, request, organisations=organisations))
    if form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            submission = incident_submit_once(
                reporter=user,
                organisation=form.chosen_organisation(),
                data=form.incident_fields(),
                key=form.cleaned_data.get("submission_key") or "",
            )
        except SubmissionKeyReused as reused:
            messages.warning(
                request,
                _(
                    "This form was already saved as this incident, and the changes you made before sending it "
                    "again were not: edit the incident to make them."
                ),
            )
            return redirect(reused.incident)
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            return forbidden(request, str(error))
        else:
            if submission.replayed:
                messages.info(
                    request, _("This incident was already logged (the form was sent twice); it is saved once.")
                )
            else:
                messages.success(request, LOGGED_MESSAGES[SharingLevel(submission.incident.sharing_level)])
            return redirect(submission.incident)
    return _form_page(request, form)


@login_required
@refuse_oversized_posts
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = incident_for_viewer(request.user, pk)
    if incident.organisation is None:
        return forbidden(
            request,
            _("This incident was imported; it is corrected at its source and imported again, not here."),
        )
    if not can_edit_incident(request.user, incident):
        if not may_see_reporter(viewer_for(request.user), incident):
            return forbidden(request, _("Only the security officers of the reporting organisation may edit it."))
        return forbidden(
            request,
            _("Only the security officers of %(organisation)s may edit its incidents.")
            % {"organisation": incident.organisation.name},
        )
    if request.method != "POST":
        form = IncidentForm(initial=initial_from_incident(incident))
        return _form_page(request, form, incident=incident)
    form = IncidentForm(request.POST)
    if SHOW_REGIONS in request.POST:
        return _form_page(request, _unjudged(form, request), incident=incident)
    if form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            incident_update(incident=incident, editor=user, data=form.incident_fields())
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            return forbidden(request, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(incident)
    return _form_page(request, form, incident=incident)


def _form_page(request: HttpRequest, form: IncidentForm, *, incident: Incident | None = None) -> HttpResponse:
    context = {
        "form": form,
        "incident": incident,
        "show_regions": SHOW_REGIONS,
        "description_max_length": DESCRIPTION_MAX_LENGTH,
    }
    return render(request, "incidents/incident_form.html", context, status=400 if form.errors else 200)


def _unjudged(form: IncidentForm, request: HttpRequest, **kwargs: Any) -> IncidentForm:
    """The submitted values in a fresh, unbound form: no errors yet, regions of the new country."""
    return IncidentForm(initial=initial_from_submitted(form, request.POST), **kwargs)


def _usual_country_id(user: Any, organisation: Organisation) -> int | None:
    """Where the officer last logged an incident; else where their organisation logs most; else
    where the latest public incident happened (Mali, in the demonstration data)."""
    last = (
        Incident.objects.filter(reporter_id=user.pk)
        .order_by("-created_at")
        .values_list("country_id", flat=True)
        .first()
    )
    if last is not None:
        return last
    usual = (
        Incident.objects.filter(organisation=organisation)
        .values("country_id")
        .annotate(count=Count("id"))
        .order_by("-count", "country_id")
        .values_list("country_id", flat=True)
        .first()
    )
    if usual is not None:
        return usual
    return Incident.objects.filter(PUBLIC).order_by("-occurred_on").values_list("country_id", flat=True).first()


# Reading ---------------------------------------------------------------------------------------


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    incident = incident_for_viewer(viewer, pk)
    links = IncidentActor.objects.select_related("actor").order_by("role", "actor__name")
    prefetch_related_objects([incident], Prefetch("actor_links", queryset=links))
    signed_in = request.user.is_authenticated
    context = {
        "incident": incident,
        "sharing_explanation": SHARING_LEVEL_EXPLANATIONS[incident.sharing_level],  # type: ignore[index]
        # Who reported an incident is for those who may learn it (incidents.access); who reviewed
        # it, for signed-in users only.
        "show_reporter": may_see_reporter(viewer, incident),
        "corrections": list(incident.corrections.order_by("corrected_at", "id")),
        "reviewers": _reviewers(incident) if signed_in else {},
        "can_edit": signed_in and incident.organisation_id is not None and can_edit_incident(request.user, incident),
        "is_analyst": is_analyst(request.user),
        "can_verify": incident.status == ReviewStatus.SUBMITTED,
        "can_publish": incident.status in (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED),
        "can_retract": incident.status != ReviewStatus.RETRACTED,
        "attribution_template": _template_or_none(BOUNDARIES_ATTRIBUTION),
    }
    return render(request, "incidents/incident_detail.html", context)


def _reviewers(incident: Incident) -> dict[str, Any]:
    """The analysts who verified, published and retracted the incident, in one query."""
    ids = {
        "verified_by": incident.verified_by_id,
        "published_by": incident.published_by_id,
        "retracted_by": incident.retracted_by_id,
    }
    users = get_user_model().objects.in_bulk({pk for pk in ids.values() if pk is not None})
    return {role: users.get(pk) for role, pk in ids.items() if pk is not None}


def _template_or_none(name: str) -> str | None:
    # The boundaries' attribution partial comes with the boundaries; say it ourselves until then.
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name
