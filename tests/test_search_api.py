"""``GET /api/search``: the page's parameters, JSON out, 400 with a JSON error for bad parameters."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_json_keys_results_and_facets(client, seeded):
    response = client.get("/api/search", {"q": "Guterres", "outlet": "UN News"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert {"results", "total", "page", "pages", "facets", "query", "suggestion"} <= data.keys()
    assert data["total"] == 2 and data["page"] == 1 and data["pages"] == 1 and data["query"] == "Guterres"
    result = data["results"][0]
    assert set(result) >= {"id", "headline", "outlet", "place", "country", "published", "url", "snippet"}
    assert {"story", "story_url"} <= result.keys()
    article = Article.objects.get(pk=result["id"])
    assert result["url"].endswith(article.get_absolute_url()) and result["outlet"] == "UN News"
    assert "<mark>" not in result["snippet"] and result["highlights"]
    for start, end in result["highlights"]:
        assert result["snippet"][start:end].lower() == "guterres"
    assert set(data["facets"]) == {
        *("outlet", "place", "country", "topic", "lang", "year", "month"),
        *("person", "organisation", "mentioned"),
    }
    # Disjunctive: the outlet facet still offers AP, which the outlet filter does not narrow away.
    assert {"value": "AP", "count": 1} in data["facets"]["outlet"]


def test_query_as_read_and_null_suggestion(client, seeded):
    data = client.get("/api/search", {"q": "“Assistance Mission”   -Belarus"}).json()
    assert data["query"] == '"Assistance Mission" -Belarus' and data["suggestion"] is None


def test_paging_walks_each_result_once(client, demo):
    first = client.get("/api/search", {"q": "said", "page_size": 30}).json()
    seen = []
    for page in range(1, first["pages"] + 1):
        seen += [
            r["id"]
            for r in client.get("/api/search", {"q": "said", "page_size": 30, "page": page}).json()["results"]
        ]
    assert len(seen) == len(set(seen)) == first["total"] > 60


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"from": "2025-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2025-12-31", "to": "2025-01-01"}, "to"),
        ({"sort": "sideways"}, "sort"),
        ({"from": "0001-01-01"}, "from"),
        ({"to": "0999-12-31"}, "to"),
    ],
)
def test_bad_parameters_get_a_json_400(client, seeded, params, field):
    response = client.get("/api/search", params)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert field in response.json()["fields"]


def test_broken_queries_and_unknown_parameters_are_not_errors(client, seeded):
    data = client.get("/api/search", {"q": "(Guterres", "bogus": "1", "selected_facets": "x"}).json()
    assert data["total"] == client.get("/api/search", {"q": "Guterres"}).json()["total"]
    assert data["notes"] and data["query"] == "Guterres"


def test_a_query_too_long_is_searched_from_its_beginning_with_a_note(client, seeded):
    data = client.get("/api/search", {"q": "Guterres " + "x" * 600}).json()
    assert data["query"] == "Guterres" and data["total"] > 0
    assert any("longer than 500 characters" in note for note in data["notes"])


def test_snippets_fall_back_to_the_opening_words_escaped(client, search_backend):
    body = "Profits & losses: the opening words. " + "More words. " * 40
    Article.objects.create(headline="Zurich talks", body=body)
    (result,) = client.get("/api/search", {"q": "Zurich"}).json()["results"]
    assert result["snippet"].startswith("Profits & losses: the opening words.")  # plain text
    assert result["snippet"].endswith("…") and result["highlights"] == []


def test_highlight_offsets_point_into_the_plain_snippet(client, search_backend):
    Article.objects.create(
        headline="Port", body="Dock <workers> & “crane” drivers in Zürich: Zurich dockers struck."
    )
    (result,) = client.get("/api/search", {"q": "zurich"}).json()["results"]
    assert result["snippet"].startswith("Dock <workers> & “crane” drivers")
    assert [result["snippet"][a:b] for a, b in result["highlights"]] == ["Zürich", "Zurich"]


def test_pages_link_the_next_and_previous_as_absolute_addresses(client, demo):
    first = client.get("/api/search", {"q": "said", "outlet": "Wikinews", "page_size": 30}).json()
    assert first["previous"] is None and first["pages"] > 2
    assert first["next"].startswith("http://testserver/api/search?")
    second = client.get(first["next"]).json()
    assert second["page"] == 2 and second["total"] == first["total"]
    assert client.get(second["previous"]).json()["results"] == first["results"]
    last = client.get(
        "/api/search", {"q": "said", "outlet": "Wikinews", "page_size": 30, "page": first["pages"]}
    )
    assert last.json()["next"] is None and last.json()["previous"].endswith(f"page={first['pages'] - 1}")


def test_a_page_past_the_last_is_a_json_404(client, seeded):
    response = client.get("/api/search", {"q": "Guterres", "page": 9})
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"error": "There is no page 9: the results end on page 1.", "pages": 1}
    assert client.get("/api/search", {"q": "nothingmatchesthis"}).status_code == 200  # page 1 of none


def test_the_api_is_open_to_other_origins_read_only(client, seeded):
    for response in (
        client.get("/api/search", {"q": "Iraq"}),
        client.get("/api/search", {"page": "0"}),
        client.get("/api/search", {"page": "99"}),
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/search", {"q": "Iraq"}).status_code in (403, 405)
    assert client.head("/api/search", {"q": "Iraq"}).status_code == 200


def test_supplied_headlines_are_bracketed_and_flagged(client, seeded):
    results = client.get("/api/search", {"q": "Guterres", "page_size": 100}).json()["results"]
    supplied = {r["id"]: r for r in results if r["headline_supplied"]}
    assert supplied and all(
        r["headline"].startswith("[") and r["headline"].endswith("]") for r in supplied.values()
    )
    for article in Article.objects.filter(pk__in=supplied):
        assert supplied[article.pk]["headline"] == f"[{article.headline}]" and article.headline_supplied
    assert any(not r["headline_supplied"] and not r["headline"].startswith("[") for r in results)
