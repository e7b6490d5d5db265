"""Reader-facing pages: the search page and the article page. Thin: logic is in forms and models."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.text import Truncator
from haystack.query import SearchQuerySet

from articles.citations.views import page_citations, visible_articles
from articles.forms import PAGE_SIZES, ArchiveSearchForm, SearchPageForm, attach_supplied
from articles.models import Article, ArticleVersion, Caption
from articles.sanitize import to_plain_text
from articles.search.facets import FACETS, active_filters, facet_groups, timeline, toggle_url, value_text
from articles.search.links import query_string

# Related articles shown on an article page.
RELATED = 5
# Numbered page links on either side of the current page (the first and last are always shown).
PAGE_WINDOW = 2
# An article page's description (its meta and Open Graph description): its opening words.
DESCRIPTION_WORDS = 40
# The parameters of a search an article link's ``from`` may carry back, and its longest value.
SEARCH_PARAMS = frozenset(
    {"q", "sort", "page", "page_size", "from", "to", "group", "undated", *(facet.param for facet in FACETS)}
)
MAX_FROM = 4000


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
        # Other names of a name searched for (aliases), and the search for the name only (+ISIL).
        "also_searched": [
            {"name": name, "others": others, "url": _query_url(links, outcome.parsed.exact(name))}
            for name, others in outcome.variants.items()
        ],
        "narrowest": _narrowest(outcome, links),
        "feed_url": reverse("articles:search_feed") + "?" + links.urlencode(),
        "api_url": reverse("articles:search_api") + "?" + links.urlencode(),
        "export_csv_url": reverse("articles:export_csv") + "?" + links.urlencode(),
        "export_jsonl_url": reverse("articles:export_jsonl") + "?" + links.urlencode(),
        "canonical_path": _search_path(links, page),
        # Each result's link carries this search (``?from=``): its page links back to it.
        "result_from": urlencode({"from": _with_page(links, page)}),
    }
    return render(request, "articles/search.html", context)


def _with_page(params: QueryDict, page: int) -> str:
    """The query string of this search's page ``page`` (page 1 unnamed)."""
    return query_string(params, {"page": [page]} if page > 1 else None)


def _search_path(params: QueryDict, page: int) -> str:
    """The search page's address for these parameters and page (page 1 unnamed)."""
    query = _with_page(params, page)
    return reverse("articles:search") + (f"?{query}" if query else "")


def back_to_results(value: str) -> str | None:
    """The search page a reader came from, from an article link's ``from`` parameter (that
    search's query string): its query, filters, sort and page, re-read through the search form's
    whitelist and re-encoded; None when it holds no search parameter. Only ever the search
    page's own path: the value never becomes an address (no open redirect)."""
    if not value or len(value) > MAX_FROM:
        return None
    params = QueryDict(value)
    form = SearchPageForm(params)
    if not SEARCH_PARAMS.intersection(params):
        return None
    return _search_path(form.link_params(), form.value("page", 1))


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
    return "?" + query_string(params, {"page": [page]})


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
    return "?" + query_string(params, drop={name, "page"})


def _query_url(params: QueryDict, query: str) -> str:
    return "?" + query_string(params, {"q": [query]})


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
    value = f"{start} to {end}" if start and end else f"from {start}" if start else f"to {end}"
    return {"label": "Dates", "value": value, "url": "?" + query_string(links, drop={"from", "to"})}


def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description that lets a browser add the archive as a search engine."""
    return render(
        request,
        "articles/opensearch.xml",
        {"base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/opensearchdescription+xml",
    )


def article_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    # Building a query costs Django more than SQLite takes to answer it: the article's duplicate-of
    # is read only for a merged one, and its topics by a plain query, not ``prefetch_related``'s.
    article = get_object_or_404(
        visible_articles(request)
        .select_related("outlet", "place")
        .annotate(
            # Most articles have neither: asked in the article's own query, not a query each.
            has_captions=Exists(Caption.objects.filter(article=OuterRef("pk"))),
            has_versions=Exists(ArticleVersion.objects.filter(article=OuterRef("pk"))),
        ),
        pk=pk,
    )
    if Article.Status.TRASHED in (article.status, article.merged_into and article.merged_into.status):
        gone = render(request, "410.html", status=410)  # in the trash: gone, not unknown
        add_never_cache_headers(gone)  # a browser must ask again: it may come back from the trash
        return gone
    if article.merged_into_id:  # a merged duplicate: the canonical article is its permanent home
        return redirect(article.merged_into, permanent=True)
    if slug != article.slug:
        return redirect(article, permanent=True)
    similar = SearchQuerySet().more_like_this(article)
    if article.story_id:  # its other versions are listed apart
        similar = similar.exclude(story_exact=str(article.story_id))
    context = {
        "article": article,
        "topics": list(article.topics.all()),
        "captions": list(article.captions.all()) if article.has_captions else [],
        "versions": list(article.versions.all()) if article.has_versions else [],
        "back_url": back_to_results(request.GET.get("from", "")),
        "description": Truncator(article.summary or to_plain_text(article.body)).words(DESCRIPTION_WORDS),
        "related": attach_supplied(list(similar[:RELATED])),
        "citations": page_citations(request, article),
    }
    return render(request, "articles/article_detail.html", context)
