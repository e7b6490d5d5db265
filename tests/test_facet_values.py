"""Facet values are stored and matched whole, whatever characters they hold.

A topic "Peace, security" was indexed as two values, and filtering on it raised a Whoosh
``QueryError`` (a 500 for anyone): the comma made the quoted value a phrase.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Outlet, Place, Topic
from articles.search.query import QUOTES

pytestmark = pytest.mark.django_db(transaction=True)

# Commas, quotes, a colon, slashes, parentheses, a backslash, query words and operators.
NASTY = [
    "Peace, security",
    'The "Daily" Star',
    "Topic: with colon",
    "Left/Right \\ back",
    "Aid (humanitarian)",
    "OR AND NOT * ?",
    "Ünïcödé, ‘curly’ “quotes”",
]

# The reader-facing facets whose values are names (year and month come from dates).
FREE_TEXT_FACETS = ["outlet", "place", "country", "topic"]


def _article(value: str, facet: str) -> Article:
    article = Article.objects.create(
        headline=f"Copy filed under {facet}", body="A plain body about harbours."
    )
    if facet == "outlet":
        article.outlet = Outlet.objects.create(name=value)
    elif facet == "place":
        article.place = Place.objects.create(city=value, country="Testland")
    elif facet == "country":
        article.place = Place.objects.create(city="Testville", country=value)
    elif facet == "lang":
        article.language = value
    else:
        article.save()
        article.topics.add(Topic.objects.create(name=value))
        return article
    article.save()
    return article


# Language codes are short (12 characters): an editor's typo may still hold punctuation.
NASTY_CODES = ["a,b", 'x"y', "x:(y)", "a/b", "OR *"]


@pytest.mark.parametrize(
    ("facet", "value"),
    [(facet, value) for facet in FREE_TEXT_FACETS for value in NASTY]
    + [("lang", value) for value in NASTY_CODES],
)
def test_every_facet_matches_a_value_whole(client, search_backend, facet, value):
    article = _article(value, facet)
    Article.objects.create(headline="Another article", body="A plain body about harbours.")

    page = client.get("/", {facet: value})
    assert page.status_code == 200
    assert [int(r.pk) for r in page.context["results"]] == [article.pk]
    group = next(g for g in page.context["facet_groups"] if g.param == facet)
    assert value in {link.value for link in group.links}

    api = client.get("/api/search", {facet: value})
    assert api.status_code == 200 and [r["id"] for r in api.json()["results"]] == [article.pk]

    feed = client.get("/search/feed/", {facet: value})
    assert feed.status_code == 200 and article.get_absolute_url().encode() in feed.content

    typed = client.get("/", {"q": f'{facet}:"{value}"'.replace('"', "")})
    assert typed.status_code == 200


@pytest.mark.parametrize("value", NASTY)
def test_a_typed_field_filter_matches_the_whole_value(client, search_backend, value):
    article = _article(value, "topic")
    Article.objects.create(headline="Another article", body="A plain body about harbours.")
    if '"' in value.translate(QUOTES):  # a double quote, straight or curly, ends a quoted value
        value = value.translate(QUOTES).replace('"', "")
        Topic.objects.filter(pk=article.topics.get().pk).update(name=value)
        article.save()
    response = client.get("/", {"q": f'harbours topic:"{value}"'})
    assert response.status_code == 200
    assert [int(r.pk) for r in response.context["results"]] == [article.pk]


def test_a_topic_with_a_comma_stays_one_value_through_ingest(client, search_backend, tmp_path):
    record = {
        "id": "1",
        "title": "Council meets",
        "body": "The council met.",
        "categories": ["Peace, security"],
    }
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    article = Article.objects.get()
    assert [t.name for t in article.topics.all()] == ["Peace, security"]

    page = client.get(article.get_absolute_url())
    link = '/?topic=Peace%2C%20security"'
    assert link in page.content.decode()
    search = client.get("/", {"topic": "Peace, security"})
    assert search.status_code == 200 and search.context["total"] == 1
    [topics] = [g for g in search.context["facet_groups"] if g.param == "topic"]
    assert [(link.value, link.count) for link in topics.links] == [("Peace, security", 1)]
    assert [r.topics for r in search.context["results"]] == [["Peace, security"]]


@pytest.mark.parametrize("param", ["year", "month"])
def test_date_facets_answer_punctuation_without_error(client, search_backend, param):
    Article.objects.create(headline="An article", body="A body.")
    for value in ["a,b", '"', "x:(y)", "2019-09,2019-10"]:
        for url in ("/", "/api/search", "/search/feed/"):
            assert client.get(url, {param: value}).status_code in (200, 400)
