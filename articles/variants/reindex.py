"""The articles whose entity facets an accepted pair changes, found for the search index's queue.

The people, organisations and places facets are indexed under their alias groups' labels
(:mod:`articles.search.entity_names`), so a group that gains a name changes the facet value of
every article naming any of its names, not only the new one. Accepting a pair queues the articles
its evidence names and up to :data:`MAX_SEARCHED` more that the search index finds for any name of
the group (:func:`affected`), through :func:`articles.search.indexing.schedule_sync`: a web request
applies them itself when they are few, the ``apply_index`` job otherwise. Articles past that bound
keep their old facet value until ``manage.py rebuild_index``.
"""

from __future__ import annotations

from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from articles.search import aliases

from .models import VariantSuggestion

MAX_SEARCHED = 500  # articles found by search, the most relevant first: a web request's bound


def affected(suggestion: VariantSuggestion, names: list[str]) -> set[int]:
    """The ids of the articles the suggestion's evidence names, and of those (at most
    :data:`MAX_SEARCHED`) the search index finds for any of ``names`` (the group's, as accepted)."""
    evidence = {int(s["article"]) for side in suggestion.evidence.values() for s in side}
    return evidence | naming(names)


def naming(names: list[str]) -> set[int]:
    """The ids of at most :data:`MAX_SEARCHED` articles the search index finds for any of the
    names, as the search page looks a name up (a name of several words as a phrase); names that
    fold to an ordinary word (``WHO``) are left out: they would find every ``who``."""
    wanted = [n for n in names if aliases.normalize(n) and not aliases.ordinary(aliases.normalize(n))]
    if not wanted:
        return set()
    parts = [SQ(content=Exact(n)) if " " in n.strip() else SQ(content=Clean(n)) for n in wanted]
    query = parts[0]
    for part in parts[1:]:
        query |= part
    return {int(result.pk) for result in SearchQuerySet().filter(query)[:MAX_SEARCHED]}
