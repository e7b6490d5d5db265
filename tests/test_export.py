"""``/export/search.csv`` and ``/export/search.jsonl``: every result of a search, streamed in order."""

import csv
import datetime
import io
import json

import pytest

from articles import export
from articles.models import Article, Outlet
from articles.search.whoosh.backend import NewsWhooshQuery

pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS = ["id", "headline", "outlet", "place", "country", "published", "language", "topics", "story", "url"]


def _csv(client, params) -> list[dict]:
    response = client.get("/export/search.csv", params)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="search.csv"'
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _jsonl(client, params) -> list[dict]:
    response = client.get("/export/search.jsonl", params)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def _api_ids(client, params) -> list[int]:
    """Every result of the search, page by page, through the JSON API."""
    ids, page = [], 1
    while True:
        data = client.get("/api/search", {**params, "page_size": 100, "page": page}).json()
        ids += [result["id"] for result in data["results"]]
        if page >= data["pages"]:
            return ids
        page += 1


@pytest.mark.parametrize(
    "params", [{}, {"q": "said"}, {"q": "said", "sort": "oldest"}, {"outlet": "Wikinews"}]
)
@pytest.mark.parametrize("one_by_one", [True, False], ids=["whoosh", "other-engine"])
def test_every_result_in_the_search_order(client, demo, monkeypatch, params, one_by_one):
    if not one_by_one:  # an engine without ``iter_results``: read in chunks, many and a last one cut short
        monkeypatch.delattr(NewsWhooshQuery, "iter_results")
        monkeypatch.setattr(export, "CHUNK", 7)
    expected = _api_ids(client, params)
    assert len(expected) > 100  # more than the API's largest page: no cap
    assert [int(row["id"]) for row in _csv(client, params)] == expected
    assert [row["id"] for row in _jsonl(client, params)] == expected


def test_an_index_commit_during_an_export_changes_nothing_it_gives(client, seeded):
    before = [row["id"] for row in _jsonl(client, {"q": "Iraq"})]
    lines = iter(client.get("/export/search.jsonl", {"q": "Iraq"}).streaming_content)
    first = json.loads(next(lines))
    Article.objects.create(headline="Iraq levy vote", body="Iraq voted on the levy.", language="en")
    rest = [json.loads(line) for line in lines]
    assert [first["id"]] + [row["id"] for row in rest] == before
    assert len(_jsonl(client, {"q": "Iraq"})) == len(before) + 1  # the next export has it


def test_columns_and_values_match_the_api(client, seeded):
    rows = _jsonl(client, {"q": "Guterres", "outlet": "AP"})
    api = client.get("/api/search", {"q": "Guterres", "outlet": "AP"}).json()["results"]
    assert [row["id"] for row in rows] == [result["id"] for result in api] and rows
    for row, result in zip(rows, api, strict=True):
        assert list(row) == [*COLUMNS, "snippet"]
        for name in ("headline", "outlet", "place", "country", "published", "story", "url"):
            assert row[name] == result[name]
        article = Article.objects.get(pk=row["id"])
        assert row["language"] == article.language
        assert row["topics"] == sorted(topic.name for topic in article.topics.all())
        assert row["url"].startswith("http://testserver/articles/")


def test_snippet_is_plain_text_and_only_with_a_query(client, seeded):
    rows = _csv(client, {"q": "Guterres"})
    assert list(rows[0]) == [*COLUMNS, "snippet"]
    assert all("Guterres" in row["snippet"] for row in rows)
    assert not any("<mark>" in row["snippet"] or "\n" in row["snippet"] for row in rows)
    assert any('"' in row["snippet"] for row in rows)  # quotes as text, not as HTML entities
    assert not any("&quot;" in row["snippet"] or "&#x27;" in row["snippet"] for row in rows)
    assert list(_csv(client, {"outlet": "UN News"})[0]) == COLUMNS
    assert all("snippet" not in row for row in _jsonl(client, {"outlet": "UN News"}))


def test_topics_are_one_cell(client, seeded):
    row = next(row for row in _csv(client, {"q": "Guterres"}) if row["topics"])
    article = Article.objects.get(pk=row["id"])
    assert row["topics"] == "; ".join(sorted(topic.name for topic in article.topics.all()))


def test_cells_a_spreadsheet_would_run_are_quoted(client, transactional_db, search_backend):
    outlet = Outlet.objects.create(name="@Harbour Wire", slug="harbour-wire")
    headlines = ['=HYPERLINK("http://x.example","levy")', "+5 pct levy vote", "-2 C in Port Alden", "@levy"]
    for n, headline in enumerate(headlines):
        Article.objects.create(
            headline=headline, outlet=outlet, body="The levy vote.", published=datetime.date(2024, 3, n + 1)
        )
    rows = _csv(client, {"sort": "oldest"})
    assert [row["headline"] for row in rows] == ["'" + headline for headline in headlines]
    assert {row["outlet"] for row in rows} == {"'@Harbour Wire"}
    # JSON Lines is data, not a spreadsheet: the values stay as they are.
    assert [row["headline"] for row in _jsonl(client, {"sort": "oldest"})] == headlines


def test_nothing_to_search_for_gives_the_header_only(client, seeded):
    response = client.get("/export/search.csv", {"q": "-"})
    assert b"".join(response.streaming_content).decode().splitlines() == [",".join(COLUMNS)]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-13-01"},
        {"to": "yesterday"},
        {"from": "2025-12-31", "to": "2025-01-01"},
        {"sort": "sideways"},
        {"page": "0"},
        {"from": "0001-01-01"},
    ],
)
@pytest.mark.parametrize("path", ["/export/search.csv", "/export/search.jsonl"])
def test_bad_parameters_get_a_clear_400(client, seeded, path, params):
    response = client.get(path, params)
    assert response.status_code == 400 and response["Content-Type"] == "text/plain; charset=utf-8"
    name = next(iter(params)) if len(params) == 1 else "to"
    assert response.content.decode().startswith(f"Bad search parameters. {name}: ")


def test_search_page_links_both_exports_with_its_parameters(client, seeded):
    html = client.get("/", {"q": "Guterres", "outlet": "AP", "page": "1"}).content.decode()
    assert 'href="/export/search.csv?outlet=AP&amp;q=Guterres"' in html
    assert 'href="/export/search.jsonl?outlet=AP&amp;q=Guterres"' in html


def test_a_headline_the_archive_supplied_is_bracketed(client, seeded):
    supplied = Article.objects.filter(headline_supplied=True).first()
    assert supplied is not None, "the seed archive has copy without a headline"
    rows = {row["id"]: row for row in _jsonl(client, {})}
    assert rows[supplied.pk]["headline"] == f"[{supplied.headline}]"
    other = Article.objects.filter(headline_supplied=False).exclude(status="draft").first()
    assert rows[other.pk]["headline"] == other.headline
