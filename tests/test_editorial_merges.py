"""Merges, each in one transaction: duplicate articles (permanent redirect), topics, outlets, places."""

import pytest
from django.contrib.messages import get_messages
from django.utils.html import escape
from haystack.query import SearchQuerySet

from articles import editorial, review
from articles.models import Article, ArticleChange, Caption, Outlet, Place, Topic
from articles.search.indexing import sync_articles
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)


def facet(name: str) -> dict[str, int]:
    return dict(SearchQuerySet().all().facet(name).facet_counts()["fields"][name])


def indexed_ids() -> set[int]:
    return {int(r.pk) for r in SearchQuerySet().all()}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_merge_duplicate_articles_into_the_canonical_one(editor, client):
    canonical = Article.objects.get(pk=4)  # UN News, UNAMI
    duplicate = Article.objects.get(pk=6)  # UN News, the same story
    Caption.objects.create(article=duplicate, text="Zeppelin over the Green Zone", position=0)
    duplicate.topics.add(Topic.objects.get(name="Sanctions"))
    old_url = duplicate.get_absolute_url()

    page = action(editor, "merge_articles", [canonical, duplicate])
    assert page.status_code == 200  # which to keep? Copies share headlines: each choice says more.
    facts = f"#{canonical.pk}, UN News, {canonical.published}, published, story “{canonical.story}”"
    assert escape(f"{canonical.headline} ({facts})") in page.content.decode()
    response = action(editor, "merge_articles", [canonical, duplicate], apply="1", target=canonical.pk)
    assert response.status_code == 302
    assert messages_of(response) == [f"Merged 1 article into “{canonical}”."]

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


def test_an_article_merged_away_cannot_be_kept(editor, client):
    kept, merged = Article.objects.get(pk=4), Article.objects.get(pk=6)
    action(editor, "merge_articles", [kept, merged], apply="1", target=kept.pk)
    page = action(editor, "merge_articles", [kept, merged])  # both selected again
    assert list(page.context["form"].fields["target"].queryset) == [kept]
    again = action(editor, "merge_articles", [kept, merged], apply="1", target=merged.pk)
    assert again.status_code == 200 and again.context["form"].errors["target"]
    with pytest.raises(editorial.MergeError, match="is itself merged into another article"):
        editorial.merge_articles(merged, [kept], user=None)
    with pytest.raises(editorial.MergeError, match="cannot be merged into itself"):
        editorial.merge_articles(kept, [kept, merged], user=None)

    merged.refresh_from_db()
    assert (merged.status, merged.merged_into_id) == (Article.Status.MERGED, kept.pk)
    assert Article.objects.get(pk=kept.pk).merged_into_id is None
    redirect = client.get(merged.get_absolute_url())
    assert redirect.status_code == 301 and redirect["Location"] == kept.get_absolute_url()
    assert client.get(kept.get_absolute_url()).status_code == 200
    assert kept.pk in indexed_ids()


def test_merging_a_flagged_copy_with_its_original_makes_it_a_version_again(editor, client):
    original, copy, other = (Article.objects.get(pk=pk) for pk in (4, 6, 5))
    story = original.story
    assert copy.story == story == other.story
    Article.objects.filter(pk__in=[copy.pk, other.pk]).update(duplicate_of=original)
    sync_articles([copy.pk, other.pk])  # flagged copies leave search
    assert not {copy.pk, other.pk} & indexed_ids()

    action(editor, "merge_articles", [original, copy], apply="1", target=copy.pk)
    copy.refresh_from_db()
    other.refresh_from_db()
    assert copy.duplicate_of_id is None, "no longer a suspected duplicate (of the article merged into it)"
    assert other.duplicate_of_id == copy.pk, "a copy of the merged article is a copy of the one kept"
    assert copy.pk not in set(review.suspected_duplicates().values_list("pk", flat=True))
    assert copy.pk in indexed_ids() and original.pk not in indexed_ids()
    page = client.get(story.get_absolute_url()).content.decode()
    assert copy.get_absolute_url() in page, "a version of its story again"


def test_deleting_a_kept_article_takes_its_merged_duplicates_to_the_trash_with_it(editor, client):
    kept, merged = Article.objects.get(pk=4), Article.objects.get(pk=6)
    editorial.merge_articles(kept, [merged], user=None)
    confirm = editor.get(f"/admin/articles/article/{kept.pk}/delete/").content.decode()
    assert f"/admin/articles/article/{merged.pk}/change/" in confirm, "the confirmation lists it"
    assert editor.post(f"/admin/articles/article/{kept.pk}/delete/", {"post": "yes"}).status_code == 302
    assert Article.objects.get(pk=kept.pk).status == Article.Status.TRASHED
    assert client.get(merged.get_absolute_url()).status_code == 410, "its old address is gone too"


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
