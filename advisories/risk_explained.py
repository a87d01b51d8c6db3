"""The risk index of a place told in words, and its history drawn as a small chart.

The numbers come from a RiskAssessment's `breakdown` (its schema is in models/risk.py): every
sentence here is written from them, so the page says nothing the computation did not count. The
chart is plain SVG drawn on the server, with the same history as a table beside it for readers
without images or scripts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AdvisoryLevel, RiskAssessment
from .models.risk import RISK_LEVEL_BOUNDS

# The chart's drawing area, in SVG units (the page scales it to the screen).
CHART_WIDTH = 600
CHART_HEIGHT = 150
CHART_LEFT = 34  # room for the 0..100 scale
CHART_BOTTOM = 24  # room for the dates
CHART_TOP = 6
# The index's band of each level: a suggested level is the band its index falls in.
BANDS = tuple(zip((1, 2, 3, 4), (0, *RISK_LEVEL_BOUNDS), (*RISK_LEVEL_BOUNDS, 100), strict=True))


@dataclass(frozen=True)
class RiskExplanation:
    """What the page says about one assessment."""

    assessment: RiskAssessment
    sentences: list[str]
    window_days: int
    incidents: int

    @property
    def index(self) -> int:
        return self.assessment.index

    @property
    def suggested_level(self) -> int:
        return self.assessment.suggested_level

    @property
    def suggested_label(self) -> str:
        return str(AdvisoryLevel(self.assessment.suggested_level).label)

    @property
    def window_start(self) -> dt.date:
        """The first day of the window the sentences count (the incident list's `occurred_after`)."""
        computed_on = self.assessment.computed_at.astimezone(dt.UTC).date()
        return computed_on - dt.timedelta(days=self.window_days - 1)

    @property
    def differs_from_published(self) -> bool:
        published = self.assessment.published_level
        return published is not None and published != self.assessment.suggested_level


def explain(assessment: RiskAssessment, category_names: Mapping[str, str]) -> RiskExplanation:
    """The breakdown of `assessment` in sentences, in the active language."""
    breakdown: dict[str, Any] = assessment.breakdown or {}
    days = int(breakdown.get("window_days") or 90)
    incidents = int(breakdown.get("incidents") or 0)
    sentences: list[str] = []
    if incidents:
        sentences.append(
            ngettext(
                "%(count)s published incident in the last %(days)s days.",
                "%(count)s published incidents in the last %(days)s days.",
                incidents,
            )
            % {"count": incidents, "days": days}
        )
    else:
        sentences.append(_("No published incident in the last %(days)s days.") % {"days": days})
    categories = _categories(breakdown.get("by_category") or {}, category_names)
    if categories:
        sentences.append(_("By kind of threat: %(list)s.") % {"list": categories})
    casualties = _casualties(breakdown) if incidents else ""
    if casualties:
        sentences.append(_("People harmed: %(list)s.") % {"list": casualties})
    sentences.extend(_targeted(breakdown.get("targeted") or {}))
    change = _change(breakdown, days)
    if change:
        sentences.append(change)
    places = breakdown.get("top_places") or []
    if places:
        listed = ", ".join(f"{name} ({count})" for name, count in places)
        sentences.append(_("Where most happened: %(places)s.") % {"places": listed})
    return RiskExplanation(assessment=assessment, sentences=sentences, window_days=days, incidents=incidents)


def _categories(by_category: Mapping[str, int], names: Mapping[str, str]) -> str:
    ordered = sorted(by_category.items(), key=lambda item: (-int(item[1]), names.get(item[0], item[0])))
    return ", ".join(f"{names.get(slug, slug)} {count}" for slug, count in ordered if count)


def _casualties(breakdown: Mapping[str, Any]) -> str:
    """ "41 killed (not known for 2 incidents), 12 injured, ..." in the active language."""
    parts = []
    wordings = {
        "killed": lambda n: ngettext("%(count)s killed", "%(count)s killed", n),
        "injured": lambda n: ngettext("%(count)s injured", "%(count)s injured", n),
        "abducted": lambda n: ngettext("%(count)s abducted", "%(count)s abducted", n),
    }
    for name, wording in wordings.items():
        count = int(breakdown.get(name) or 0)
        unknown = int(breakdown.get(f"{name}_unknown") or 0)
        part = wording(count) % {"count": count}
        if unknown:
            # An unknown count is not a zero: say how many incidents did not give it.
            part += " " + (
                ngettext("(not known for %(count)s incident)", "(not known for %(count)s incidents)", unknown)
                % {"count": unknown}
            )
        parts.append(part)
    return ", ".join(parts)


def _targeted(targeted: Mapping[str, int]) -> list[str]:
    sentences = []
    aid = int(targeted.get("aid_workers") or 0)
    if aid:
        sentences.append(
            ngettext(
                "Aid workers were targeted in %(count)s of them.",
                "Aid workers were targeted in %(count)s of them.",
                aid,
            )
            % {"count": aid}
        )
    foreigners = int(targeted.get("foreigners") or 0)
    if foreigners:
        sentences.append(
            ngettext(
                "Foreigners were targeted in %(count)s of them.",
                "Foreigners were targeted in %(count)s of them.",
                foreigners,
            )
            % {"count": foreigners}
        )
    members = int(targeted.get("members_kind") or 0)
    if members:
        sentences.append(
            ngettext(
                "Staff of organisations like those using Vigil were targeted in %(count)s of them.",
                "Staff of organisations like those using Vigil were targeted in %(count)s of them.",
                members,
            )
            % {"count": members}
        )
    return sentences


def _change(breakdown: Mapping[str, Any], days: int) -> str:
    change, previous = breakdown.get("change"), breakdown.get("previous_index")
    if change is None or previous is None:
        return ""
    if change > 0:
        return ngettext(
            "Up %(count)s point from %(days)s days earlier, when it was %(previous)s.",
            "Up %(count)s points from %(days)s days earlier, when it was %(previous)s.",
            change,
        ) % {"count": change, "days": days, "previous": previous}
    if change < 0:
        return ngettext(
            "Down %(count)s point from %(days)s days earlier, when it was %(previous)s.",
            "Down %(count)s points from %(days)s days earlier, when it was %(previous)s.",
            -change,
        ) % {"count": -change, "days": days, "previous": previous}
    return _("Unchanged from %(days)s days earlier.") % {"days": days}


# The chart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartBand:
    level: int
    y: float
    height: float


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: str


@dataclass(frozen=True)
class RiskChart:
    """An SVG step chart of the index (solid) and the published level (dashed) over time."""

    width: int
    height: int
    left: int
    plot_width: int
    plot_bottom: float
    bands: list[ChartBand]
    scale: list[tuple[float, int]]  # (y, value) of the 0/25/50/75/100 marks
    index_points: str
    level_points: str
    ticks: list[ChartTick]
    last: tuple[float, float]  # where the current index is drawn as a dot


def chart(history: Sequence[RiskAssessment], *, now: dt.datetime, date_format: str = "DATE_FORMAT") -> RiskChart | None:
    """The chart of `history` (oldest first) up to `now`; None without any assessment."""
    from django.utils.formats import date_format as format_date

    if not history:
        return None
    plot_width = CHART_WIDTH - CHART_LEFT - 4
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    start, end = history[0].computed_at, max(now, history[-1].computed_at)
    span = max((end - start).total_seconds(), 1.0)

    def x(moment: dt.datetime) -> float:
        return round(CHART_LEFT + plot_width * (moment - start).total_seconds() / span, 1)

    def y(value: float) -> float:
        return round(CHART_TOP + plot_height * (1 - value / 100), 1)

    index_points: list[tuple[float, float]] = []
    level_points: list[tuple[float, float]] = []
    for row, following in zip(history, [*history[1:], None], strict=True):
        until = following.computed_at if following else end
        index_points += [(x(row.computed_at), y(row.index)), (x(until), y(row.index))]
        if row.published_level:
            # A published level is drawn in the middle of its band, where an index agreeing with it lies.
            low, high = BANDS[row.published_level - 1][1:]
            middle = y((low + high) / 2)
            level_points += [(x(row.computed_at), middle), (x(until), middle)]
    ticks = [ChartTick(x=x(start), label=format_date(start.date(), date_format))]
    if end.date() != start.date():
        ticks.append(ChartTick(x=x(end), label=format_date(end.date(), date_format)))
    return RiskChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=CHART_LEFT,
        plot_width=plot_width,
        plot_bottom=y(0),
        bands=[ChartBand(level=level, y=y(high), height=round(y(low) - y(high), 1)) for level, low, high in BANDS],
        scale=[(y(value), value) for value in (0, 25, 50, 75, 100)],
        index_points=" ".join(f"{px},{py}" for px, py in index_points),
        level_points=" ".join(f"{px},{py}" for px, py in level_points),
        ticks=ticks,
        last=index_points[-1],
    )
