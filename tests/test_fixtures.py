"""The shipped fixtures load, say what the seed copy says, and are searchable at once."""

import json
from collections import Counter
from datetime import date

import pytest
from haystack.query import SearchQuerySet

from articles.models import Article, Caption, content_hash
from tests.conftest import DEMO_FIXTURE, SEEDS

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_archive_splits_and_labels_the_five_documents(seeded):
    assert Article.objects.count() == 6
    iraq = Article.objects.get(place__city="Baghdad")
    assert (iraq.outlet.name, iraq.place.country, iraq.published) == ("AP", "Iraq", date(2025, 12, 13))
    belarus = Article.objects.get(place__city="Vilnius")
    assert belarus.outlet.name == "AP" and belarus.published == date(2025, 12, 13)
    assert belarus.body.startswith("Belarusian authorities have released")
    [earlier] = belarus.versions.all()
    assert "pardoned 123 prisoners in exchange" in earlier.body
    assert "BREAKING NEWS UPDATE" not in belarus.body + earlier.body
    translated = Article.objects.get(translated_from="ru")
    assert translated.outlet.name == "UN News" and translated.published == date(2025, 12, 12)
    assert "Please note" not in translated.body and "Peace and security" in translated.topics.values_list(
        "name", flat=True
    )
    aggregator = Article.objects.get(outlet__name="Gaya One")
    assert aggregator.editor == "Tatyana Hurynovich"
    assert not any(s in aggregator.body for s in ("Views", "Did you find an error", "| Gaya One", "Sources"))
    unnamed = Article.objects.get(outlet=None)
    assert unnamed.headline == "UN Closes 22-Year Political Mission in Iraq as Ties Shift to Normal Relations"
    assert unnamed.place is None and unnamed.published is None


def test_seed_captions_are_kept_once_and_out_of_the_body(seeded):
    assert Caption.objects.filter(text__contains="Fouad Hussein").count() == 1
    assert all("(AP Photo" not in a.body for a in Article.objects.all())


def test_seed_provenance_is_the_raw_copy(seeded):
    for article in Article.objects.all():
        assert article.content_hash == content_hash(article.raw_text)
        raw_file = SEEDS / article.source_file.removeprefix("seeds/")
        assert article.raw_text in raw_file.read_text(encoding="utf-8")


def test_loaddata_makes_articles_searchable_with_facets_matching_the_database(seeded):
    results = SearchQuerySet().auto_query("Guterres").facet("outlet")
    found = {int(r.pk) for r in results}
    expected = set(Article.objects.filter(body__contains="Guterres").values_list("pk", flat=True))
    assert found == expected and len(found) >= 5
    counts = dict(results.facet_counts()["fields"]["outlet"])
    in_db = Counter(
        Article.objects.filter(pk__in=found, outlet__isnull=False).values_list("outlet__name", flat=True)
    )
    assert counts == dict(in_db)


def test_demo_fixture_is_attributed_wikinews(demo):
    records = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    assert sum(r["model"] == "articles.article" for r in records) == 291
    wikinews = Article.objects.filter(outlet__name="Wikinews")
    assert wikinews.count() == 291
    assert not wikinews.filter(source_url="").exists()
    assert not wikinews.exclude(licence__contains="Wikinews contributors").exists()
    assert SearchQuerySet().filter(outlet_exact="Wikinews").count() == 291
