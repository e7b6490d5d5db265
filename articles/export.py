"""``/export/search.csv`` and ``/export/search.jsonl``: every article a search finds, streamed.

The search page's parameters (``q``, filters, dates, ``sort``), checked as the API checks them
(a 400 names the bad ones); ``page``, ``page_size`` and ``group`` do not apply: every matching
article comes, in the search's order, each row made from the index's stored fields (one database
query in all) as it is sent, so memory stays flat whatever the number. The snippet (plain text) comes
when there is a query.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse

from articles.api import plain_snippet
from articles.cataloguing import catalogued_title
from articles.forms import ArchiveSearchForm, snippet
from articles.models import Article

# Results read from the index at a time, with an engine that cannot give them one by one.
CHUNK = 500
COLUMNS = ("id", "headline", "outlet", "place", "country", "published", "language", "topics", "story", "url")
# A spreadsheet runs a cell starting so as a formula (OWASP, CSV injection): such a cell gets a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, _csv_lines, "text/csv; charset=utf-8", "search.csv")


def export_jsonl(request: HttpRequest) -> HttpResponse:
    return _export(request, _jsonl_lines, "application/x-ndjson; charset=utf-8", "search.jsonl")


def _export(request: HttpRequest, lines, content_type: str, filename: str) -> HttpResponse:
    form = ArchiveSearchForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(
            f"Bad search parameters. {problems}\n", content_type="text/plain; charset=utf-8"
        )
    parsed, matches = form.every_match()
    with_snippet = parsed.node is not None
    rows = rows_of(request, matches, with_snippet) if matches is not None else iter(())
    response = StreamingHttpResponse(lines(rows, with_snippet), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def rows_of(request: HttpRequest, matches, with_snippet: bool) -> Iterator[dict]:
    """Each match of ``matches`` (a search query set) as a row, in order. Whether the archive
    supplied a headline (bracketed, as on every page) is stored in the index; for documents of an
    index written before it was, the articles with one are read from the database, once."""
    supplied: set[int] | None = None
    for result in results_of(matches):
        flag = getattr(result, "headline_supplied", None)
        if flag is None:
            if supplied is None:
                supplied = set(Article.objects.filter(headline_supplied=True).values_list("pk", flat=True))
            flag = int(result.pk) in supplied
        yield row(request, result, with_snippet, flag)


def results_of(matches) -> Iterator:
    """Every result of ``matches`` in order, without keeping them: from our Whoosh backend's
    ``iter_results`` (the order worked out once, on one searcher), else (another engine) read
    ``CHUNK`` at a time."""
    iterate = getattr(matches.query, "iter_results", None)
    if iterate is not None:
        yield from iterate()
        return
    start = 0
    while True:
        chunk = matches.all()[start : start + CHUNK]  # a fresh query set: nothing kept from the last
        yield from chunk
        if len(chunk) < CHUNK:
            return
        start += CHUNK


def row(request: HttpRequest, result, with_snippet: bool, supplied: bool = False) -> dict:
    """A result as the export gives it; its snippet as plain text (the page's, without marks)."""
    published = getattr(result, "published", None)  # the index keeps dates as datetimes
    story = getattr(result, "story", None)
    data = {
        "id": int(result.pk),
        "headline": catalogued_title(result.headline, supplied),
        "outlet": getattr(result, "outlet", None),
        "place": getattr(result, "place", None),
        "country": getattr(result, "country", None),
        "published": published.date().isoformat() if published else None,
        "language": getattr(result, "language", None),
        "topics": list(getattr(result, "topics", None) or ()),
        "story": int(story) if story else None,
        "url": request.build_absolute_uri(result.url),
    }
    if with_snippet:
        data["snippet"] = " ".join(plain_snippet(snippet(result))[0].split())
    return data


def _csv_lines(rows: Iterator[dict], with_snippet: bool) -> Iterator[str]:
    columns = (*COLUMNS, "snippet") if with_snippet else COLUMNS
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for data in rows:
        data["topics"] = "; ".join(data["topics"])
        yield writer.writerow([_cell(data[name]) for name in columns])


def _jsonl_lines(rows: Iterator[dict], with_snippet: bool) -> Iterator[str]:
    for data in rows:
        yield json.dumps(data, ensure_ascii=False) + "\n"


def _cell(value) -> str | int:
    """A CSV cell: a number as it is, text that a spreadsheet would take for a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Line:
    """A file whose ``write`` hands back the line: ``csv.writer`` writes each row into it."""

    def write(self, line: str) -> str:
        return line
