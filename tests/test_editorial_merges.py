"""Merges, each in one transaction: duplicate articles (permanent redirect), topics, outlets, places."""

import pytest
from haystack.query import SearchQuerySet

from articles import editorial
from articles.models import Article, ArticleChange, Caption, Outlet, Place, Topic
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)


def facet(name: str) -> dict[str, int]:
    return dict(SearchQuerySet().all().facet(name).facet_counts()["fields"][name])


def test_merge_duplicate_articles_into_the_canonical_one(editor, client):
    canonical = Article.objects.get(pk=4)  # UN News, UNAMI
    duplicate = Article.objects.get(pk=6)  # UN News, the same story
    Caption.objects.create(article=duplicate, text="Zeppelin over the Green Zone", position=0)
    duplicate.topics.add(Topic.objects.get(name="Sanctions"))
    old_url = duplicate.get_absolute_url()

    assert action(editor, "merge_articles", [canonical, duplicate]).status_code == 200  # which to keep?
    response = action(editor, "merge_articles", [canonical, duplicate], apply="1", target=canonical.pk)
    assert response.status_code == 302

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (Article.Status.MERGED, canonical.pk)
    assert "Zeppelin over the Green Zone" in canonical.captions.values_list("text", flat=True)
    assert "Sanctions" in canonical.topics.values_list("name", flat=True)
    # Search: the duplicate is gone, the canonical article carries its caption and topic.
    assert [int(r.pk) for r in SearchQuerySet().auto_query("Zeppelin")] == [canonical.pk]
    assert duplicate.pk not in {int(r.pk) for r in SearchQuerySet().all()}
    # Readers following the old link land on the canonical article, permanently.
    editor.logout()
    redirect = client.get(old_url)
    assert redirect.status_code == 301 and redirect["Location"] == canonical.get_absolute_url()
    assert ArticleChange.objects.filter(article=duplicate, action__startswith="merged into").exists()


def test_merge_articles_needs_two(editor):
    response = action(editor, "merge_articles", [4], apply="1", target=4)
    assert response.status_code == 302
    assert Article.objects.get(pk=4).status == Article.Status.PUBLISHED


def test_merge_topics(editor):
    target, other = Topic.objects.get(name="Diplomacy"), Topic.objects.get(name="Peace and security")
    other.keywords = "ceasefire"
    other.save()
    tagged = set(Article.objects.filter(topics__in=[target, other]).values_list("pk", flat=True))
    response = action(editor, "merge_topics", [target, other], model="topic", apply="1", target=target.pk)
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=other.pk).exists()
    assert "ceasefire" in Topic.objects.get(pk=target.pk).keywords
    assert set(target.articles.values_list("pk", flat=True)) == tagged
    counts = facet("topics")
    assert "Peace and security" not in counts and counts["Diplomacy"] == len(tagged)


def test_merge_outlets(editor):
    target, other = Outlet.objects.get(name="UN News"), Outlet.objects.get(name="Gaya One")
    moved = set(Article.objects.filter(outlet__in=[target, other]).values_list("pk", flat=True))
    action(editor, "merge_outlets", [target, other], model="outlet", apply="1", target=target.pk)
    assert not Outlet.objects.filter(pk=other.pk).exists()
    assert "Gaya One" in Outlet.objects.get(pk=target.pk).aliases.splitlines()
    assert set(target.articles.values_list("pk", flat=True)) == moved
    counts = facet("outlet")
    assert "Gaya One" not in counts and counts["UN News"] == len(moved)


def test_merge_places(editor):
    baghdad = Place.objects.get(city="Baghdad")
    misspelt = Place.objects.create(city="Bagdad", country="Iraq")
    article = Article.objects.create(headline="Market reopens", body="Stalls again.", place=misspelt)
    assert facet("place")["Bagdad"] == 1
    action(editor, "merge_places", [baghdad, misspelt], model="place", apply="1", target=baghdad.pk)
    assert Article.objects.get(pk=article.pk).place == baghdad
    assert not Place.objects.filter(pk=misspelt.pk).exists()
    assert "Bagdad" not in facet("place") and facet("place")["Baghdad"] == 2


def test_a_failed_merge_leaves_nothing_behind(seeded, monkeypatch):
    target, other = Topic.objects.get(name="Diplomacy"), Topic.objects.get(name="Sanctions")
    before = {a.pk: set(a.topics.values_list("pk", flat=True)) for a in Article.objects.all()}
    facets_before = facet("topics")

    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Topic, "delete", fail)
    with pytest.raises(RuntimeError):
        editorial.merge_topics(target, [other], user=None)
    assert {a.pk: set(a.topics.values_list("pk", flat=True)) for a in Article.objects.all()} == before
    assert not ArticleChange.objects.exists()
    assert facet("topics") == facets_before
