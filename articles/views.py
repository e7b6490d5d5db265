"""Reader-facing pages: the search page and the article page. Thin: logic is in forms and models."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from articles.forms import ArchiveSearchForm
from articles.models import Article
from articles.search.facets import active_filters, facet_groups


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    form = ArchiveSearchForm(request.GET)
    sqs = form.search()
    page_size = settings.NEWSARCHIVE_PAGE_SIZE
    page = _page_number(request.GET.get("page"))
    start = (page - 1) * page_size
    results = list(sqs[start : start + page_size])
    total = sqs.count()
    pages = max(math.ceil(total / page_size), 1)
    params = form.filter_params()
    base = request.GET.copy()
    base.pop("page", None)
    context = {
        "form": form,
        "results": results,
        "total": total,
        "page": page,
        "pages": pages,
        "first_index": start + 1,
        "previous_url": _page_url(base, page - 1) if page > 1 else None,
        "next_url": _page_url(base, page + 1) if page < pages else None,
        "facet_groups": facet_groups(form.facets, form.facet_counts(sqs), _with_query(base, params)),
        "active_filters": active_filters(form.facets, _with_query(base, params)),
        "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
    }
    return render(request, "articles/search.html", context)


def _with_query(base, params):
    """Facet filters plus the query and sort, so facet links keep what the reader typed."""
    merged = params.copy()
    for key in ("q", "sort"):
        if base.get(key):
            merged[key] = base[key]
    return merged


def _page_url(base, page: int) -> str:
    params = base.copy()
    params["page"] = page
    return "?" + params.urlencode()


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
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article})
