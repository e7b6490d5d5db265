"""Reader-facing pages: the search page and the article page. Thin: logic is in forms and models."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from haystack.query import SearchQuerySet

from articles.forms import ArchiveSearchForm
from articles.models import Article
from articles.search.facets import FACETS, active_filters, facet_groups, timeline, toggle_url

# Related articles shown on an article page.
RELATED = 5


def search(request: HttpRequest) -> HttpResponse:
    form = ArchiveSearchForm(request.GET)
    outcome = form.execute()
    links = form.link_params()
    page = outcome.page
    context = {
        "form": form,
        "outcome": outcome,
        "results": outcome.results,
        "total": outcome.total,
        "page": page,
        "pages": outcome.pages,
        "first_index": outcome.first_index,
        "previous_url": _page_url(links, min(page - 1, outcome.pages)) if page > 1 else None,
        "next_url": _page_url(links, page + 1) if page < outcome.pages else None,
        "last_url": _page_url(links, outcome.pages) if page > outcome.pages else None,
        "facet_groups": facet_groups(form.facets, outcome.facet_counts, links),
        "active_filters": active_filters(form.facets, links),
        "timeline": timeline(outcome.facet_counts, links),
        "query": form.value("q", ""),
        "grouped": form.value("group") == "story",
        "suggestion_url": _query_url(links, outcome.suggestion) if outcome.suggestion else None,
        "narrowest": _narrowest(outcome, links),
        "feed_url": reverse("articles:search_feed") + "?" + links.urlencode(),
        "api_url": reverse("articles:search_api") + "?" + links.urlencode(),
    }
    return render(request, "articles/search.html", context)


def _page_url(params: QueryDict, page: int) -> str:
    new = params.copy()
    new["page"] = page
    return "?" + new.urlencode()


def _query_url(params: QueryDict, query: str) -> str:
    new = params.copy()
    new["q"] = query
    return "?" + new.urlencode()


def _narrowest(outcome, links: QueryDict) -> dict | None:
    """On zero results: the most restrictive active filter and the link that drops it; else the
    dates, when some are set."""
    if outcome.narrowest_filter:
        param, value = outcome.narrowest_filter
        label = next(facet.label for facet in FACETS if facet.param == param)
        return {"label": label, "value": value, "url": toggle_url(links, param, value)}
    start, end = links.get("from"), links.get("to")
    if outcome.total or not (start or end):
        return None
    wider = links.copy()
    for name in ("from", "to"):
        wider.pop(name, None)
    value = f"{start} to {end}" if start and end else f"from {start}" if start else f"to {end}"
    return {"label": "Dates", "value": value, "url": "?" + wider.urlencode()}


def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description that lets a browser add the archive as a search engine."""
    return render(
        request,
        "articles/opensearch.xml",
        {"base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/opensearchdescription+xml",
    )


def article_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    visible = (
        Article.objects.all()
        if request.user.is_staff
        else Article.objects.exclude(status=Article.Status.DRAFT)
    )
    article = get_object_or_404(
        visible.select_related("outlet", "place").prefetch_related("topics", "captions", "versions"),
        pk=pk,
    )
    if article.merged_into_id:  # a merged duplicate: the canonical article is its permanent home
        return redirect(article.merged_into, permanent=True)
    if slug != article.slug:
        return redirect(article, permanent=True)
    similar = SearchQuerySet().more_like_this(article)
    if article.story_id:  # its other versions are listed apart
        similar = similar.exclude(story_exact=str(article.story_id))
    context = {"article": article, "related": list(similar[:RELATED])}
    return render(request, "articles/article_detail.html", context)
