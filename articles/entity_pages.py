"""A person's, an organisation's or a place's page: the articles mentioning it, newest first, the
stories they belong to and the articles per year. Thin: the search form runs the search, filtered
by the entity's facet value."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from haystack.query import SearchQuerySet

from articles.forms import ArchiveSearchForm, _ran
from articles.models import Story
from articles.search.facets import ENTITY_KINDS, FACETS

STORIES = 20  # stories listed, those with the most articles mentioning the entity first


def entity(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    facet = next((f for f in FACETS if ENTITY_KINDS.get(f.field) == kind), None)
    if facet is None:
        raise Http404("No such kind of name.")
    params = QueryDict(mutable=True)
    params.update({facet.param: name, "sort": "newest", "page": request.GET.get("page", "1")})
    form = ArchiveSearchForm(params)
    outcome = form.execute()
    if not outcome.total or outcome.page > outcome.pages:
        raise Http404("No article mentions this name." if not outcome.total else "No such page.")
    search = QueryDict(mutable=True)
    search[facet.param] = name
    per_story = SearchQuerySet().filter(**{f"{facet.field}_exact__in": [name]}).facet("story", limit=STORIES)
    story_counts = dict(_ran(per_story).facet_counts()["fields"].get("story", []))
    stories = sorted(
        Story.objects.filter(pk__in=[int(pk) for pk in story_counts if str(pk).isdigit()]),
        key=lambda story: (-story_counts.get(str(story.pk), 0), story.title),
    )
    context = {
        "kind_label": facet.label,
        "name": name,
        "outcome": outcome,
        "results": outcome.results,
        "years": [
            (year, count, _search_url(search, year=year))
            for year, count in sorted(outcome.facet_counts.get("year", []), reverse=True)
        ],
        "stories": [(story, story_counts.get(str(story.pk), 0)) for story in stories],
        "search_url": _search_url(search),
        "previous_url": f"?page={outcome.page - 1}" if outcome.page > 1 else None,
        "next_url": f"?page={outcome.page + 1}" if outcome.page < outcome.pages else None,
    }
    return render(request, "articles/entity_detail.html", context)


def _search_url(search: QueryDict, **more: str) -> str:
    params = search.copy()
    params.update(more)
    return reverse("articles:search") + "?" + params.urlencode()
