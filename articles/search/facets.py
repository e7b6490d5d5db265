"""The facets (a whitelist: URL parameter -> index field), and their counts turned into links.

Pure functions: counts in, template-ready links and a timeline out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import QueryDict
from django.urls import reverse

from articles.search.links import query_string


@dataclass(frozen=True)
class Facet:
    param: str  # the URL parameter (repeatable)
    field: str  # the index field; filtered through its whole-value ``<field>_exact`` twin
    label: str
    limit: int  # values shown, most frequent first (selected ones always)
    # Values counted at most, most frequent first (None: all): what "Show all" and the API list
    # for a facet with thousands of values (the entity facets). A facet with a selection counts all.
    most: int | None = None


# The facets themselves are data: settings.NEWSARCHIVE_FACETS.
FACETS: tuple[Facet, ...] = tuple(Facet(**facet) for facet in settings.NEWSARCHIVE_FACETS)
# Above this many months between the first and last result, the timeline counts years.
TIMELINE_MAX_MONTHS = 36
# Above this many years, only the years with results get a bar (one stray date a millennium off
# would draw a thousand empty ones).
TIMELINE_MAX_YEARS = 100
SMALLEST_BAR = 4  # percent of the tallest: a period with one result stays visible beside one of 500
AXIS_TICKS = 8  # about this many periods labelled on the timeline's axis, whatever the number of bars
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Facets (by index field) whose values are periods: listed in date order, not by count.
DATE_ORDERED = frozenset({"year", "month"})
# Facets (by index field) whose values have a page of their own (articles/entity_pages.py): the
# kind the page's address names.
ENTITY_KINDS = {"people": "people", "organisations": "organisations", "places": "places"}


@dataclass(frozen=True)
class FacetLink:
    value: str
    count: int
    selected: bool
    url: str  # the query string that toggles this value
    text: str  # the value as a reader reads it: "English" for "en", "September 2019" for "2019-09"
    page_url: str | None = None  # the value's own page (a person's, an organisation's, a place's)


@dataclass(frozen=True)
class FacetGroup:
    param: str
    label: str
    links: list[FacetLink]
    total: int  # values with results, shown or not
    more_url: str | None = None  # shows every value (a plain link: no JavaScript needed)
    less_url: str | None = None  # back to the first ``limit``


@dataclass(frozen=True)
class ActiveFilter:
    param: str
    label: str
    value: str
    remove_url: str
    text: str  # the value as a reader reads it


@dataclass(frozen=True)
class Bar:
    label: str  # "Mar 1987" or "1987"
    count: int
    percent: int  # height relative to the tallest bar
    selected: bool
    url: str | None  # narrows to this period; None for an empty period
    tick: str = ""  # its label on the chart's axis; "" between labelled periods


@dataclass(frozen=True)
class Timeline:
    unit: str  # "month" or "year"
    bars: list[Bar]
    undated: int = 0  # results without a date (no bar can hold them)
    undated_url: str | None = None  # narrows to them

    @property
    def tallest(self) -> int:
        return max((bar.count for bar in self.bars), default=0)


def toggle_url(params: QueryDict, param: str, value: str) -> str:
    """The query string with ``param=value`` added, or removed when present; back to page 1."""
    values = params.getlist(param)
    toggled = [v for v in values if v != value] if value in values else [*values, value]
    return "?" + query_string(params, {param: toggled}, drop={"page"})


def facet_groups(
    facets: Sequence[Facet],
    counts: Mapping[str, Sequence[tuple[str, int]]],
    params: QueryDict,
    expanded: Sequence[str] = (),
) -> list[FacetGroup]:
    """One group per facet: the ``limit`` most frequent values with counts (every value when the
    facet's ``param`` is in ``expanded``), selected ones always shown; periods in date order."""
    groups = []
    for facet in facets:
        selected = params.getlist(facet.param)
        found = [(value, n) for value, n in counts.get(facet.param, ()) if n]
        value_counts = dict(found)
        everything = facet.param in expanded
        shown = [value for value, _ in found][: None if everything else facet.limit]
        shown += [value for value in selected if value not in shown]
        if facet.field in DATE_ORDERED:
            shown.sort()
        links = [
            FacetLink(
                value,
                value_counts.get(value, 0),
                value in selected,
                toggle_url(params, facet.param, value),
                value_text(facet.field, value),
                entity_url(facet.field, value),
            )
            for value in shown
        ]
        if not links:
            continue
        anchor = f"#facet-{facet.param}"
        more = less = None
        others = [param for param in expanded if param != facet.param]
        if everything and len(found) > facet.limit:
            less = _with_more(params, others) + anchor
        elif not everything and len(found) > len(shown):
            more = _with_more(params, [*others, facet.param]) + anchor
        groups.append(FacetGroup(facet.param, facet.label, links, len(found), more, less))
    return groups


def entity_url(field: str, value: str) -> str | None:
    """The page of an entity facet's value; None for the other facets."""
    kind = ENTITY_KINDS.get(field)
    return reverse("articles:entity", args=[kind, value]) if kind else None


def _with_more(params: QueryDict, expanded: list[str]) -> str:
    return "?" + query_string(params, {"more": expanded})


def value_text(field: str, value: str) -> str:
    """A facet value as a reader reads it: a language's name, a month's, else the value itself."""
    if field == "language":
        return language_name(value)
    if field == "month" and (day := _month(value)):
        return f"{FULL_MONTH_NAMES[day.month - 1]} {day.year}"
    return value


def language_name(code: str) -> str:
    """``ru`` -> "Russian" (Django's table of languages); an unknown code as it is."""
    info = LANG_INFO.get((code or "").lower())
    return info.get("name", code) if info else code


def active_filters(facets: Sequence[Facet], params: QueryDict) -> list[ActiveFilter]:
    """Every facet value the reader selected, with the link that removes it."""
    return [
        ActiveFilter(
            facet.param,
            facet.label,
            value,
            toggle_url(params, facet.param, value),
            value_text(facet.field, value),
        )
        for facet in facets
        for value in params.getlist(facet.param)
    ]


def timeline(
    counts: Mapping[str, Sequence[tuple[str, int]]], params: QueryDict, undated: int = 0
) -> Timeline | None:
    """Results per month (per year over long spans), every period in the span, each a link; every
    ``step``-th period labelled on the axis; ``undated`` results said apart, with their link.

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
    step = -(-len(periods) // AXIS_TICKS)
    bars = [
        Bar(
            label,
            n,
            max(round(100 * n / tallest), SMALLEST_BAR) if n else 0,
            value in selected,
            toggle_url(params, unit, value) if n and value not in selected else None,
            label if i % step == 0 else "",
        )
        for i, (value, label, n) in enumerate(periods)
    ]
    return Timeline(unit, bars, undated, _undated_url(params) if undated else None)


def _undated_url(params: QueryDict) -> str:
    return "?" + query_string(params, {"undated": ["1"]}, drop={"page"})


def _month(value: str) -> date | None:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None
