"""Country and topics derived from the text, at ingest and for articles ingested before.

Records without categories or datelines (the Wikinews demo's) get the country their text is
about and the vocabulary's topics their text mentions; the Country facet shows the dateline's
country first, and editors' decisions stay.
"""

import io
import json

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles import editorial
from articles.models import Article, Topic

pytestmark = pytest.mark.django_db(transaction=True)

WILDFIRES = "bushfire\nbushfires\nwildfire"
RECORD = {
    "id": "w-1",
    "title": "Bushfire smoke closes schools in Canberra",
    "body": (
        "Smoke from bushfires burning south of Canberra closed forty schools on Thursday.\n\n"
        "Firefighters in New South Wales said the bushfires had burnt 2,000 hectares; "
        "Australia's weather bureau forecast no rain before Sunday."
    ),
    "published": "2020-01-09",
    "url": "https://example.org/bushfire-smoke",
}


def facet(name: str) -> dict[str, int]:
    return dict(SearchQuerySet().all().facet(name).facet_counts()["fields"][name])


def ingest(tmp_path, *records: dict) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    call_command("ingest", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_record_without_dateline_or_categories_gets_its_country_and_topics(search_backend, tmp_path):
    Topic.objects.create(name="Wildfires", keywords=WILDFIRES)
    ingest(tmp_path, RECORD)
    article = Article.objects.get()
    assert (article.place, article.country) == (None, "Australia")
    assert [topic.name for topic in article.topics.all()] == ["Wildfires"]
    assert facet("country") == {"Australia": 1}
    assert facet("topics") == {"Wildfires": 1}
    assert facet("place") == {}  # the Dateline facet keeps to real datelines


def test_a_records_own_categories_are_its_topics(search_backend, tmp_path):
    Topic.objects.create(name="Wildfires", keywords=WILDFIRES)
    ingest(tmp_path, {**RECORD, "categories": ["Air quality"]})
    assert [topic.name for topic in Article.objects.get().topics.all()] == ["Air quality"]


def test_the_datelines_country_wins(search_backend, tmp_path):
    # Filed from Wellington about Australia: the facet gives the dateline's country.
    ingest(tmp_path, {**RECORD, "dateline": "WELLINGTON, Jan 9 -"})
    article = Article.objects.get()
    assert (article.place.city, article.place.country, article.country) == ("Wellington", "New Zealand", "")
    assert facet("country") == {"New Zealand": 1}


def test_a_record_whose_text_names_no_clear_country_gets_none(search_backend, tmp_path):
    body = "Ministers from France and Germany met. France and Germany agreed on a text."
    ingest(tmp_path, {**RECORD, "title": "Ministers agree on a text", "body": body})
    assert Article.objects.get().country == ""
    assert facet("country") == {}


def test_articles_ingested_before_get_their_country_and_topics(search_backend):
    Topic.objects.create(name="Wildfires", keywords=WILDFIRES)
    article = Article.objects.create(headline=RECORD["title"], body=RECORD["body"], slug="smoke")
    decided = Article.objects.create(headline=RECORD["title"], body=RECORD["body"], slug="decided")
    for country in ("Fiji", ""):  # an editor set a country, then cleared it: it stays clear
        with editorial.tracked([decided.pk], None, "edit"):
            decided.country = country
            decided.save()
    out = io.StringIO()
    call_command("derive_from_text", stdout=out)
    assert "2 article(s): 1 given a country, 2 given topics" in out.getvalue()
    article.refresh_from_db()
    decided.refresh_from_db()
    assert (article.country, decided.country) == ("Australia", "")
    assert facet("country") == {"Australia": 1}
    assert facet("topics") == {"Wildfires": 2}
    call_command("derive_from_text", stdout=out)  # again: nothing more to do
    assert "0 given a country, 0 given topics" in out.getvalue()


def test_the_demo_has_a_country_and_topics_for_most_articles(search_backend):
    call_command("load_demo", stdout=io.StringIO())
    total = SearchQuerySet().all().count()
    assert total == Article.objects.count() == 297
    for name in ("country", "outlet", "year", "language"):  # one value an article at most
        assert sum(facet(name).values()) > total * 3 // 4, name
    assert Article.objects.filter(topics__isnull=False).distinct().count() > total * 3 // 4
    assert sum(facet("place").values()) == 2  # the seeds' two real datelines
