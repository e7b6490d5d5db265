"""``GET /api/search``: the search page's parameters in, JSON out; bad parameters get a 400."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from articles.forms import ArchiveSearchForm


def search(request: HttpRequest) -> JsonResponse:
    form = ArchiveSearchForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        return JsonResponse({"error": "Bad parameters.", "fields": errors}, status=400)
    outcome = form.execute()
    return JsonResponse(
        {
            "results": [_result(request, r) for r in outcome.results],
            "total": outcome.total,
            "articles": outcome.articles,
            "page": outcome.page,
            "pages": outcome.pages,
            "page_size": outcome.page_size,
            "facets": {
                param: [{"value": value, "count": count} for value, count in counts]
                for param, counts in outcome.facet_counts.items()
            },
            "query": outcome.parsed.read_as,
            "notes": outcome.parsed.notes,
            "variants": outcome.variants,
            "suggestion": outcome.suggestion,
        }
    )


def _result(request: HttpRequest, result) -> dict:
    story = getattr(result, "story", None)
    published = getattr(result, "published", None)  # the index keeps dates as datetimes
    data = {
        "id": int(result.pk),
        "headline": result.headline,
        "outlet": getattr(result, "outlet", None),
        "place": getattr(result, "place", None),
        "country": getattr(result, "country", None),
        "published": published.date().isoformat() if published else None,
        "url": request.build_absolute_uri(result.url),
        "snippet": result.snippet,  # HTML, as the page's
        "story": int(story) if story else None,
        "story_url": request.build_absolute_uri(result.story_url) if result.story_url else None,
    }
    if hasattr(result, "more_versions"):
        data["more_versions"] = result.more_versions
    return data
