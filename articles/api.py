"""``GET /api/search``: the search page's parameters in, JSON out.

Bad parameters get a 400, a page past the last a 404, both with a JSON error. Read-only and open
to any origin (``Access-Control-Allow-Origin: *``): a page elsewhere may search the archive.
"""

from __future__ import annotations

import html
import re

from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.cataloguing import catalogued_title
from articles.forms import ArchiveSearchForm
from articles.search.links import query_string

_MARKS = re.compile(r"(</?mark>)")


@require_safe
def search(request: HttpRequest) -> JsonResponse:
    form = ArchiveSearchForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        return _response({"error": "Bad parameters.", "fields": errors}, status=400)
    outcome = form.execute()
    if outcome.page > outcome.pages:
        error = f"There is no page {outcome.page}: the results end on page {outcome.pages}."
        return _response({"error": error, "pages": outcome.pages}, status=404)
    links = form.link_params()
    return _response(
        {
            "results": [_result(request, r) for r in outcome.results],
            "total": outcome.total,
            "articles": outcome.articles,
            "page": outcome.page,
            "pages": outcome.pages,
            "page_size": outcome.page_size,
            "next": _page_url(request, links, outcome.page + 1) if outcome.page < outcome.pages else None,
            "previous": _page_url(request, links, outcome.page - 1) if outcome.page > 1 else None,
            "facets": {
                param: [{"value": value, "count": count} for value, count in counts]
                for param, counts in outcome.facet_counts.items()
            },
            "query": outcome.parsed.read_as,
            "notes": outcome.parsed.notes,
            "variants": outcome.variants,
            "also_searched": [
                {
                    "name": name,
                    "variants": others,
                    "exact_query": outcome.parsed.exact(name),
                    "exact_url": _query_url(request, links, outcome.parsed.exact(name)),
                }
                for name, others in outcome.variants.items()
            ],
            "suggestion": outcome.suggestion,
        }
    )


def _response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request: HttpRequest, links: QueryDict, page: int) -> str:
    """The absolute address of another page of this search (its parameters as the request gave
    them, whitelisted)."""
    query = query_string(links, {"page": [page]})
    return request.build_absolute_uri(reverse("articles:search_api") + "?" + query)


def _query_url(request: HttpRequest, links: QueryDict, query: str) -> str:
    """The absolute address of this search with another query, from its first page."""
    encoded = query_string(links, {"q": [query]})
    return request.build_absolute_uri(reverse("articles:search_api") + "?" + encoded)


def _result(request: HttpRequest, result) -> dict:
    story = getattr(result, "story", None)
    published = getattr(result, "published", None)  # the index keeps dates as datetimes
    snippet, highlights = plain_snippet(result.snippet)
    data = {
        "id": int(result.pk),
        "headline": catalogued_title(result.headline, result.headline_supplied),
        "headline_supplied": result.headline_supplied,
        "outlet": getattr(result, "outlet", None),
        "place": getattr(result, "place", None),
        "country": getattr(result, "country", None),
        "published": published.date().isoformat() if published else None,
        "url": request.build_absolute_uri(result.url),
        "snippet": snippet,
        "highlights": highlights,
        "story": int(story) if story else None,
        "story_url": request.build_absolute_uri(result.story_url) if result.story_url else None,
        # Who and what it mentions, as the entity facets name them.
        "people": getattr(result, "people", None) or [],
        "organisations": getattr(result, "organisations", None) or [],
        "places": getattr(result, "places", None) or [],
    }
    if hasattr(result, "more_versions"):
        data["more_versions"] = result.more_versions
    return data


def plain_snippet(marked: str) -> tuple[str, list[list[int]]]:
    """A snippet as the page shows it (escaped HTML, the matches in ``<mark>``) as plain text and
    the ``[start, end)`` character offsets of its matches in that text."""
    text, highlights, start = "", [], 0
    for piece in _MARKS.split(str(marked)):
        if piece == "<mark>":
            start = len(text)
        elif piece == "</mark>":
            highlights.append([start, len(text)])
        else:
            text += html.unescape(piece)
    return text, highlights
