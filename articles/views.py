"""Reader-facing pages: the search page and the article page. Thin: logic is in forms and models."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from haystack.query import SearchQuerySet

from articles.forms import PAGE_SIZES, ArchiveSearchForm, SearchPageForm
from articles.models import Article
from articles.search.facets import FACETS, active_filters, facet_groups, timeline, toggle_url, value_text

# Related articles shown on an article page.
RELATED = 5
# Numbered page links on either side of the current page (the first and last are always shown).
PAGE_WINDOW = 2


def search(request: HttpRequest) -> HttpResponse:
    form = SearchPageForm(request.GET)
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
        "page_links": _page_links(links, page, outcome.pages),
        "page_size": outcome.page_size,
        "page_sizes": PAGE_SIZES,
        "facet_groups": facet_groups(form.facets, outcome.facet_counts, links, _expanded(request, form)),
        "active_filters": active_filters(form.facets, links),
        "undated_remove_url": _without(links, "undated") if form.value("undated") else None,
        "timeline": timeline(outcome.facet_counts, links, _undated(form, outcome)),
        "query": form.value("q", ""),
        "applied_sort": form.sort_key(),  # what the sort box shows: newest first without a query
        "grouped": form.value("group") == "story",
        "suggestion_url": _query_url(links, outcome.suggestion) if outcome.suggestion else None,
        "narrowest": _narrowest(outcome, links),
        "feed_url": reverse("articles:search_feed") + "?" + links.urlencode(),
        "api_url": reverse("articles:search_api") + "?" + links.urlencode(),
    }
    return render(request, "articles/search.html", context)


def _undated(form: ArchiveSearchForm, outcome) -> int:
    """The results without a date: those the year counts leave out (none once dates narrow them)."""
    if any(form.value(name) for name in ("from", "to", "undated")) or any(
        form.filter_params().getlist(unit) for unit in ("year", "month")
    ):
        return 0
    return max(outcome.articles - sum(n for _, n in outcome.facet_counts.get("year", ())), 0)


def _expanded(request: HttpRequest, form: ArchiveSearchForm) -> list[str]:
    """The facets the reader asked to see whole (``more=month``: its "Show all" link), whitelisted."""
    known = {facet.param for facet in form.facets}
    return [param for param in dict.fromkeys(request.GET.getlist("more")) if param in known]


def _page_url(params: QueryDict, page: int) -> str:
    new = params.copy()
    new["page"] = page
    return "?" + new.urlencode()


def _page_links(params: QueryDict, page: int, pages: int) -> list[dict]:
    """The numbered page links: the first, the last and ``PAGE_WINDOW`` on either side of ``page``,
    a gap (``None`` number) where pages are left out; none for a single page."""
    if pages < 2:
        return []
    numbers = sorted({1, pages, *range(max(page - PAGE_WINDOW, 1), min(page + PAGE_WINDOW, pages) + 1)})
    links, previous = [], 0
    for number in numbers:
        if number > previous + 1:
            links.append({"number": None})
        links.append({"number": number, "url": _page_url(params, number), "current": number == page})
        previous = number
    return links


def _without(params: QueryDict, name: str) -> str:
    new = params.copy()
    new.pop(name, None)
    new.pop("page", None)
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
        facet = next(facet for facet in FACETS if facet.param == param)
        return {
            "label": facet.label,
            "value": value_text(facet.field, value),
            "url": toggle_url(links, param, value),
        }
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
