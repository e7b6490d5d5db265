from datetime import date

import pytest
from django.core.management import call_command

from articles.models import Article, Outlet, Place, Topic, content_hash

pytestmark = pytest.mark.django_db


def test_article_slug_hash_and_url_are_derived():
    article = Article.objects.create(
        headline="Guterres closes UN mission in Iraq", body="Text.", raw_text="RAW"
    )
    assert article.slug == "guterres-closes-un-mission-in-iraq"
    assert article.content_hash == content_hash("RAW")
    assert article.get_absolute_url() == f"/articles/{article.pk}/guterres-closes-un-mission-in-iraq/"


def test_unknown_facts_stay_unknown():
    article = Article.objects.create(headline="No outlet named", body="Text.")
    assert article.outlet is None and article.place is None and article.published is None
    assert article.translated is False


def test_for_index_holds_only_published_articles():
    outlet = Outlet.objects.create(name="The Associated Press", kind=Outlet.Kind.WIRE)
    assert outlet.slug == "the-associated-press"
    published = Article.objects.create(headline="Live", body="x", outlet=outlet, published=date(2025, 12, 13))
    Article.objects.create(headline="Draft", body="x", status=Article.Status.DRAFT)
    Article.objects.create(headline="Gone", body="x", status=Article.Status.RETRACTED)
    assert list(Article.objects.for_index()) == [published]


def test_place_and_topic_labels():
    assert str(Place(city="Baghdad", country="Iraq")) == "Baghdad, Iraq"
    assert str(Place(city="Geneva")) == "Geneva"
    topic = Topic.objects.create(name="Human rights")
    assert topic.slug == "human-rights"


def test_the_migrations_hold_every_model_change():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 when one is missing
