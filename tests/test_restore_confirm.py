"""Restoring asks first, showing what will change (field: now → restored); restoring a merge undoes
it whole: the topics that moved go back, the duplicate flags and the story are as they were."""

import pytest
from django.utils.html import escape

from articles.models import Article, ArticleChange, Topic
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)


def restore_url(change: ArticleChange) -> str:
    return f"/admin/articles/article/{change.article_id}/history/{change.pk}/restore/"


def test_the_history_links_to_a_confirmation_that_lists_each_field_now_and_restored(editor):
    article = Article.objects.get(place__city="Vilnius")
    old = article.headline
    action(editor, "retract", [article], apply="1", retraction_note="The quote was wrong.")
    change = article.changes.get()

    history = editor.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert f'href="{restore_url(change)}"' in history, "a link to confirm on, not a one-click form"
    page = editor.get(restore_url(change))
    assert page.status_code == 200
    [restoring] = page.context["preview"]
    assert ("status", "retracted", "published") in restoring.fields
    assert ("retraction_note", "The quote was wrong.", "") in restoring.fields
    assert "Yes, restore" in page.content.decode() and escape(old) in page.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.RETRACTED, "nothing restored yet"

    assert editor.post(restore_url(change)).status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_restoring_a_merge_puts_topics_duplicate_flags_and_story_back(editor):
    kept, duplicate, copy = (Article.objects.get(pk=pk) for pk in (4, 6, 5))
    sanctions = Topic.objects.get(name="Sanctions")
    duplicate.topics.add(sanctions)
    Article.objects.filter(pk=copy.pk).update(duplicate_of=duplicate)  # flagged as its copy
    Article.objects.filter(pk=duplicate.pk).update(duplicate_of=Article.objects.get(pk=1))
    before = {
        a.pk: (a.status, a.merged_into_id, a.duplicate_of_id, a.story_id) for a in Article.objects.all()
    }
    kept_topics = set(kept.topics.values_list("pk", flat=True))

    action(editor, "merge_articles", [kept, duplicate], apply="1", target=kept.pk)
    assert sanctions in kept.topics.all() and Article.objects.get(pk=copy.pk).duplicate_of_id == kept.pk
    merge = duplicate.changes.get(action=f"merged into #{kept.pk}")

    page = editor.get(restore_url(merge))
    shown = {r.article.pk: r.fields for r in page.context["preview"]}
    assert set(shown) == {kept.pk, duplicate.pk, copy.pk}, "the whole merge, article by article"
    assert ("status", "merged", "published") in shown[duplicate.pk]
    assert any(name == "topics" and "Sanctions" not in restored for name, _, restored in shown[kept.pk])

    assert editor.post(restore_url(merge)).status_code == 302
    after = {a.pk: (a.status, a.merged_into_id, a.duplicate_of_id, a.story_id) for a in Article.objects.all()}
    assert after == before
    assert set(kept.topics.values_list("pk", flat=True)) == kept_topics, "the topic that moved went back"
    assert sanctions in Article.objects.get(pk=duplicate.pk).topics.all()
    assert editor.get(duplicate.get_absolute_url()).status_code == 200, "its own page again, no redirect"


def test_restoring_the_restore_of_a_merge_merges_whole_again_after_confirmation(editor):
    kept, duplicate = Article.objects.get(pk=4), Article.objects.get(pk=6)
    duplicate.topics.add(Topic.objects.get(name="Sanctions"))
    action(editor, "merge_articles", [kept, duplicate], apply="1", target=kept.pk)
    editor.post(restore_url(duplicate.changes.get(action__startswith="merged into")))
    undo = duplicate.changes.filter(action__startswith="restore").get()

    page = editor.get(restore_url(undo))
    assert {r.article.pk for r in page.context["preview"]} == {kept.pk, duplicate.pk}
    editor.post(restore_url(undo))
    assert Article.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
    assert "Sanctions" in kept.topics.values_list("name", flat=True)
