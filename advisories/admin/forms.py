"""The admin's forms: each checks what the database would refuse, with a message an analyst
can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Advisory, ContactPoint, RiskIndicator, SecurityReportRevision, ThreatRating
from ..services import justification_missing, normalize_indicators

# Form fields -------------------------------------------------------------------------------


class IndicatorsField(forms.MultipleChoiceField):
    """The advisory's indicator letters as checkboxes, stored as one ordered string such as "CTK"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "choices", [(value, format_lazy("{} ({})", label, value)) for value, label in RiskIndicator.choices]
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        # The model stores "CTK"; the checkboxes want ["C", "T", "K"].
        return list(value) if isinstance(value, str) else value

    def clean(self, value: Any) -> str:
        return normalize_indicators("".join(super().clean(value)))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return super().has_changed(self.prepare_value(initial or ""), data)


class LinesField(forms.CharField):
    """A list of short strings (phone numbers), one per line in a text area."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or []) != self.to_python(data)


# Forms -------------------------------------------------------------------------------------


class PlaceForm(forms.ModelForm):
    """A form for something placed in a country, optionally in one of its regions or cities."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        country = cleaned.get("country")
        region = cleaned.get("region")
        city = cleaned.get("city")
        if country is not None and region is not None and region.country_id != country.pk:
            self.add_error(
                "region",
                gettext("%(region)s is not a region of %(country)s.") % {"region": region, "country": country},
            )
        if country is not None and city is not None and city.country_id != country.pk:
            self.add_error("city", gettext("%(city)s is not in %(country)s.") % {"city": city, "country": country})
        elif region is not None and city is not None and city.region_id not in (None, region.pk):
            self.add_error("city", gettext("%(city)s is not in %(region)s.") % {"city": city, "region": region})
        return cleaned


# What advisory_publish publishes: the place and what is said about it.
PUBLISHED_FIELDS = (
    "country",
    "region",
    "level",
    "indicators",
    "summary",
    "summary_fr",
    "justification",
    "source",
    "issued_on",
)


class AdvisoryForm(PlaceForm):
    indicators = IndicatorsField(
        label=capfirst(Advisory._meta.get_field("indicators").verbose_name),
        help_text=_("Why the place has this level: tick every risk that applies."),
    )

    class Meta:
        model = Advisory
        fields = [*PUBLISHED_FIELDS, "is_current"]
        help_texts = {
            "is_current": _(
                "Adding a current advisory for a place that has one replaces it; the old one is kept as "
                "history. Untick to record a past advisory."
            ),
        }

    # Set by clean() when the save must publish through advisory_publish.
    publish = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        country = cleaned.get("country")
        if country is None or "region" in self.errors or not cleaned.get("is_current"):
            return cleaned
        region = cleaned.get("region")
        current = Advisory.objects.current().of_place(country, region).exclude(pk=self.instance.pk).first()
        place = region.name if region else country.name
        if not self.instance._state.adding:
            # Editing corrects an advisory in place; only adding publishes a new one.
            if current is not None:
                self.add_error(
                    "is_current",
                    gettext(
                        "%(place)s already has a current advisory (level %(level)s, issued on %(date)s). "
                        "To publish a new level, add a new advisory: the current one is then kept as history."
                    )
                    % {"place": place, "level": current.level, "date": current.issued_on},
                )
            return cleaned
        # advisory_publish retires the current advisory and writes this one in one transaction. Until
        # then the unsaved instance must not claim to be current, or the form's own constraint
        # check would refuse what the save is about to do.
        self.publish = True
        cleaned["is_current"] = False
        level = cleaned.get("level")
        if level is not None:
            refusal = justification_missing(
                country=country, region=region, level=level, justification=cleaned.get("justification") or ""
            )
            if refusal is not None:
                self.add_error("justification", refusal)
        if current is not None:
            self._check_replaces(current, cleaned, place)
        return cleaned

    def _check_replaces(self, current: Advisory, cleaned: dict[str, Any], place: str) -> None:
        issued_on = cleaned.get("issued_on")
        if issued_on is not None and current.issued_on > issued_on:
            self.add_error(
                "issued_on",
                gettext(
                    "%(place)s already has a current advisory issued on %(date)s, later than this one. "
                    "Untick “current” to record this one as history."
                )
                % {"place": place, "date": current.issued_on},
            )
            return
        said = PUBLISHED_FIELDS[2:]
        if tuple(getattr(current, name) for name in said) == tuple(cleaned.get(name) for name in said):
            self.add_error(
                None,
                gettext("This is the same as the current advisory of %(place)s; there is nothing to add.")
                % {"place": place},
            )


class ThreatRatingForm(PlaceForm):
    class Meta:
        model = ThreatRating
        fields = ["country", "region", "city", "category", "level", "assessed_on", "source", "note", "note_fr"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        country, category = cleaned.get("country"), cleaned.get("category")
        if self.errors or country is None or category is None:
            return cleaned
        region, city = cleaned.get("region"), cleaned.get("city")
        # The same three cases as the model's conditional unique constraints.
        ratings = ThreatRating.objects.filter(category=category).exclude(pk=self.instance.pk)
        if city is not None:
            ratings, place = ratings.filter(city=city), city.name
        elif region is not None:
            ratings, place = ratings.filter(region=region, city__isnull=True), region.name
        else:
            ratings, place = ratings.filter(country=country, region__isnull=True, city__isnull=True), country.name
        existing = ratings.first()
        if existing is not None:
            self.add_error(
                "category",
                gettext(
                    "%(place)s already has a %(category)s rating (%(level)s, assessed on %(date)s). "
                    "Change that rating instead of adding a second one."
                )
                % {
                    "place": place,
                    "category": category,
                    "level": existing.get_level_display(),
                    "date": existing.assessed_on,
                },
            )
        return cleaned


class RevisionForm(forms.ModelForm):
    class Meta:
        model = SecurityReportRevision
        fields = ["report", "number", "published_at", "what_changed", "source"]

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if number < 1:
            raise ValidationError(gettext("Revisions are numbered from 1."))
        return number


class ContactPointForm(PlaceForm):
    """The admin builds it from every editable field of ContactPoint, as it does PlaceForm for cities."""

    phones = LinesField(
        label=capfirst(ContactPoint._meta.get_field("phones").verbose_name),
        required=False,
        help_text=_("One number per line, as a caller dials it, e.g. 8000-1115."),
    )
