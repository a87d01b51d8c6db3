"""What the apps' page forms share.

A form only turns what was typed into Python values; the rules live in the services, whose
ValidationError messages come back next to the fields they are about (`ServiceForm`). A form
that shows the user's organisations offers a choice only when there are several
(`OrganisationChoiceMixin`). A form sent to show more choices (the regions of the countries
just picked) is shown again as typed, not judged (`initial_from_submitted`). A filter's start
and end must come in order (`DateRangeForm`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PageForm(forms.Form):
    """A form of the pages: its labels end without a colon (the templates lay them out)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ServiceForm(PageForm):
    """A form whose rules are a service's: its messages are put back on the form's fields."""

    def field_for_error(self, name: str) -> str | None:
        """The field that shows a service's message about `name`; None: the whole form."""
        return name if name in self.fields else None

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the messages of a service's ValidationError next to the fields they are about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(self.field_for_error(name), errors)


class OrganisationChoiceMixin(forms.Form):
    """An `organisation` choice among the user's own, shown only when there are several."""

    organisations: list[Any]

    def offer_organisations(self, organisations: Iterable[Model]) -> None:
        self.organisations = list(organisations)
        if len(self.organisations) > 1:
            field = self.fields["organisation"]
            model = field.queryset.model  # type: ignore[attr-defined]
            field.queryset = model._default_manager.filter(  # type: ignore[attr-defined]
                pk__in=[organisation.pk for organisation in self.organisations]
            )
        else:
            # One organisation, or an edit (where it is fixed): nothing to choose.
            del self.fields["organisation"]

    def chosen_organisation(self) -> Any:
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.organisations[0]


class DateRangeForm(forms.Form):
    """A filter form with a start and an end (dates or moments) that must come in that order.

    `range_fields` names them; `range_message` (with %(start)s and %(end)s, or the fields' own
    names) is put on the field `range_error_field`, or on the whole form if None."""

    range_fields: tuple[str, str]
    range_error_field: str | None = None
    range_message: Any

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start_name, end_name = self.range_fields
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and start > end:
            params = {"start": start.isoformat(), "end": end.isoformat()}
            params |= {start_name: params["start"], end_name: params["end"]}
            error = ValidationError(self.range_message, params=params, code="date_range")
            self.add_error(self.range_error_field, error)
        return cleaned


def several(
    label: StrOrPromise, queryset: QuerySet[Any], *, rows: int | None = None, help_text: StrOrPromise = ""
) -> forms.ModelMultipleChoiceField:
    """A choice of any number, none included: a list `rows` high, or, without `rows`, tick boxes."""
    widget = forms.SelectMultiple(attrs={"size": rows}) if rows else forms.CheckboxSelectMultiple
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=False, widget=widget, help_text=help_text
    )


def initial_from_submitted(form: forms.Form, data: Mapping[str, Any]) -> dict[str, Any]:
    """What was submitted, as the initial values of a fresh form: to show it again without
    judging it yet. Each widget reads its own value, so multiple choices stay lists."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name)) for name, field in form.fields.items()
    }
