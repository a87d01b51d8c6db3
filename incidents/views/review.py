"""The analysts' review queue and the verify, publish and retract actions.

The queue lists the submitted and verified incidents an analyst may see (so never a TLP:AMBER
or TLP:RED report: the sharing rules keep analysts out of those), oldest first. Each action is a
POST form that calls its service; the service's conditional update decides races, so when two
analysts act on the same incident the second one reads a message, not an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..access import is_analyst
from ..models import Incident, ReviewStatus
from ..risk.models import RiskReview
from ..risk.reviews import risk_review_resolve, risk_reviews_open
from ..selectors import incident_for_viewer, incidents_visible_to
from .editing import forbidden

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
QUEUE_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED)
NOT_AN_ANALYST = gettext_lazy("Only Vigil's analysts review incidents.")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not is_analyst(request.user):
        return forbidden(request, str(NOT_AN_ANALYST))
    incidents = (
        incidents_visible_to(request.user)
        .filter(status__in=QUEUE_STATUSES)
        .select_related("reporter", "verified_by")
        .order_by("created_at", "pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/review_queue.html",
        {"page": page, "incidents": page.object_list, "risk_reviews": list(risk_reviews_open())},
    )


@require_POST
@login_required
def risk_review_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a risk level review done. Marking one already marked says so and changes nothing."""
    if not is_analyst(request.user):
        return forbidden(request, str(NOT_AN_ANALYST))
    review = get_object_or_404(RiskReview.objects.select_related("country", "region"), pk=pk)
    analyst: User = request.user  # type: ignore[assignment]
    if risk_review_resolve(review=review, analyst=analyst, note=request.POST.get("note", "")):
        messages.success(request, _("Reviewed: the risk level of %(place)s.") % {"place": review.place_name})
    else:
        messages.info(
            request, _("The risk level of %(place)s was already marked reviewed.") % {"place": review.place_name}
        )
    return redirect("incidents:review")


def _review_action(
    action: Callable[..., Incident], done: StrOrPromise, *, posted: tuple[str, ...] = (), back_to_queue: bool = False
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The view of one review service, called with the incident, the analyst and the `posted` fields."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        values = {name: request.POST.get(name, "") for name in posted}
        return _act(
            request,
            pk,
            lambda incident, analyst: action(incident=incident, analyst=analyst, **values),
            done=done,
            back_to_queue=back_to_queue,
        )

    return view


incident_verify = _review_action(services.incident_verify, gettext_lazy("Verified: %(title)s."))
incident_publish = _review_action(services.incident_publish, gettext_lazy("Published: %(title)s."))
# A retracted incident is hidden from analysts: its page would be a 404.
incident_retract = _review_action(
    services.incident_retract, gettext_lazy("Retracted: %(title)s."), posted=("reason",), back_to_queue=True
)


def _act(
    request: HttpRequest,
    pk: int,
    action: Callable[[Incident, User], Incident],
    *,
    done: StrOrPromise,
    back_to_queue: bool = False,
) -> HttpResponse:
    if not is_analyst(request.user):
        return forbidden(request, str(NOT_AN_ANALYST))
    incident = incident_for_viewer(request.user, pk)
    analyst: User = request.user  # type: ignore[assignment]
    try:
        action(incident, analyst)
    except ValidationError as error:
        incident.refresh_from_db(fields=["status"])
        refusal = " ".join(error.messages)
        messages.error(
            request,
            _("%(refusal)s “%(title)s” is now %(status)s; nothing was changed.")
            % {"refusal": refusal, "title": incident.title, "status": incident.get_status_display().lower()},
        )
    except PermissionDenied as error:
        return forbidden(request, str(error))
    else:
        messages.success(request, done % {"title": incident.title})
        if back_to_queue:
            return redirect("incidents:review")
    return redirect(_next_page(request))


def _next_page(request: HttpRequest) -> str:
    """Back where the analyst acted from (the queue or the incident), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "incidents:review"
