"""Facet counts and active filters turned into template-ready links (pure functions).

The facets themselves are data (``settings.NEWSARCHIVE_FACETS``): a URL parameter,
the index field it filters, a label and how many values to show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.http import QueryDict


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


def _toggle(params: QueryDict, param: str, value: str) -> str:
    """The query string with ``param=value`` added, or removed when present; back to page 1."""
    new = params.copy()
    values = new.getlist(param)
    new.setlist(param, [v for v in values if v != value] if value in values else [*values, value])
    new.pop("page", None)
    return "?" + new.urlencode()


def facet_groups(
    facets: Sequence[Mapping],
    counts: Mapping[str, Sequence[tuple[str, int]]],
    params: QueryDict,
) -> list[FacetGroup]:
    """One group per configured facet: the top values with counts, selected ones always shown."""
    groups = []
    for facet in facets:
        param = facet["param"]
        selected = params.getlist(param)
        value_counts = dict(counts.get(facet["field"], ()))
        shown = [value for value, _ in counts.get(facet["field"], ())][: facet["limit"]]
        shown += [value for value in selected if value not in shown]
        links = [
            FacetLink(value, value_counts.get(value, 0), value in selected, _toggle(params, param, value))
            for value in shown
        ]
        if links:
            groups.append(FacetGroup(param, facet["label"], links))
    return groups


def active_filters(facets: Sequence[Mapping], params: QueryDict) -> list[ActiveFilter]:
    """Every facet value the reader selected, with the link that removes it."""
    return [
        ActiveFilter(facet["param"], facet["label"], value, _toggle(params, facet["param"], value))
        for facet in facets
        for value in params.getlist(facet["param"])
    ]
