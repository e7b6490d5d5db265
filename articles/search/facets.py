"""The facets (a whitelist: URL parameter -> index field), and their counts turned into links.

Pure functions: counts in, template-ready links and a timeline out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import QueryDict


@dataclass(frozen=True)
class Facet:
    param: str  # the URL parameter (repeatable)
    field: str  # the index field; filtered through its whole-value ``<field>_exact`` twin
    label: str
    limit: int  # values shown, most frequent first (selected ones always)


# The facets themselves are data: settings.NEWSARCHIVE_FACETS.
FACETS: tuple[Facet, ...] = tuple(Facet(**facet) for facet in settings.NEWSARCHIVE_FACETS)
# Above this many months between the first and last result, the timeline counts years.
TIMELINE_MAX_MONTHS = 36
# Above this many years, only the years with results get a bar (one stray date a millennium off
# would draw a thousand empty ones).
TIMELINE_MAX_YEARS = 100
SMALLEST_BAR = 4  # percent of the tallest: a period with one result stays visible beside one of 500
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class FacetLink:
    value: str
    count: int
    selected: bool
    url: str  # the query string that toggles this value


@dataclass(frozen=True)
class FacetGroup:
    param: str
    label: str
    links: list[FacetLink]


@dataclass(frozen=True)
class ActiveFilter:
    param: str
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class Bar:
    label: str  # "Mar 1987" or "1987"
    count: int
    percent: int  # height relative to the tallest bar
    selected: bool
    url: str | None  # narrows to this period; None for an empty period


@dataclass(frozen=True)
class Timeline:
    unit: str  # "month" or "year"
    bars: list[Bar]


def toggle_url(params: QueryDict, param: str, value: str) -> str:
    """The query string with ``param=value`` added, or removed when present; back to page 1."""
    new = params.copy()
    values = new.getlist(param)
    new.setlist(param, [v for v in values if v != value] if value in values else [*values, value])
    new.pop("page", None)
    return "?" + new.urlencode()


def facet_groups(
    facets: Sequence[Facet],
    counts: Mapping[str, Sequence[tuple[str, int]]],
    params: QueryDict,
) -> list[FacetGroup]:
    """One group per facet: the top values with counts, selected ones always shown."""
    groups = []
    for facet in facets:
        selected = params.getlist(facet.param)
        value_counts = dict(counts.get(facet.param, ()))
        shown = [value for value, _ in counts.get(facet.param, ())][: facet.limit]
        shown += [value for value in selected if value not in shown]
        links = [
            FacetLink(
                value, value_counts.get(value, 0), value in selected, toggle_url(params, facet.param, value)
            )
            for value in shown
        ]
        if links:
            groups.append(FacetGroup(facet.param, facet.label, links))
    return groups


def active_filters(facets: Sequence[Facet], params: QueryDict) -> list[ActiveFilter]:
    """Every facet value the reader selected, with the link that removes it."""
    return [
        ActiveFilter(facet.param, facet.label, value, toggle_url(params, facet.param, value))
        for facet in facets
        for value in params.getlist(facet.param)
    ]


def timeline(counts: Mapping[str, Sequence[tuple[str, int]]], params: QueryDict) -> Timeline | None:
    """Results per month (per year over long spans), every period in the span, each a link.

    ``counts`` are the ``month`` and ``year`` facet counts; None when no result has a date.
    """
    months = {_month(value): n for value, n in counts.get("month", ()) if _month(value)}
    if not months:
        return None
    first, last = min(months), max(months)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    if span > TIMELINE_MAX_MONTHS:
        # The span of the years counted: with a month selected, the month counts (a facet's
        # own selection does not narrow them) reach far beyond the results the years count.
        years = {int(value): n for value, n in counts.get("year", ()) if value.isdigit() and n}
        if not years:
            return None
        span_years = range(min(years), max(years) + 1)
        shown = span_years if len(span_years) <= TIMELINE_MAX_YEARS else sorted(years)
        periods = [(str(y), str(y), years.get(y, 0)) for y in shown]
        unit = "year"
    else:
        periods = []
        for i in range(span):
            year, month = divmod(first.month - 1 + i, 12)
            day = date(first.year + year, month + 1, 1)
            label = f"{MONTH_NAMES[day.month - 1]} {day.year}"
            periods.append((f"{day:%Y-%m}", label, months.get(day, 0)))
        unit = "month"
    tallest = max(n for _, _, n in periods)
    selected = params.getlist(unit)
    bars = [
        Bar(
            label,
            n,
            max(round(100 * n / tallest), SMALLEST_BAR) if n else 0,
            value in selected,
            toggle_url(params, unit, value) if n and value not in selected else None,
        )
        for value, label, n in periods
    ]
    return Timeline(unit, bars)


def _month(value: str) -> date | None:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None
