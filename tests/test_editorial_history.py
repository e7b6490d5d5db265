"""History: who changed which fields when (old → new), per article; restoring a previous version;
earlier versions shown with a diff against the current text."""

import pytest
from django.contrib.auth.models import Permission
from django.utils.html import escape
from haystack.query import SearchQuerySet

from articles.models import Article, ArticleChange, ArticleVersion, Topic
from articles.sanitize import to_plain_text
from tests.editors import PASSWORD, action, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def edit(client, article: Article, **changes):
    """POST the admin change form with the article's current values, changed as given."""
    form = client.get(f"/admin/articles/article/{article.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "topics"}
    data.update(
        topics=[t.pk for t in article.topics.all()],
        outlet=article.outlet_id or "",
        place=article.place_id or "",
        published=article.published.isoformat() if article.published else "",
        **{"captions-TOTAL_FORMS": "0", "captions-INITIAL_FORMS": "0"},
    )
    data.update(changes)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_an_edit_records_who_when_and_which_fields_changed(editor):
    article = Article.objects.get(place__city="Baghdad")
    old = article.headline
    edit(editor, article, headline="Guterres closes UNAMI", byline="By A. Reporter")
    change = ArticleChange.objects.get(article=article)
    assert change.user.username == "editor" and change.action == "edit"
    assert change.changes == {
        "headline": [old, "Guterres closes UNAMI"],
        "byline": [article.byline, "By A. Reporter"],
    }
    page = editor.get(f"/admin/articles/article/{article.pk}/history/")
    html = page.content.decode()
    assert page.status_code == 200 and "Guterres closes UNAMI" in html and "editor" in html


def test_an_edit_that_changes_nothing_records_nothing(editor):
    article = Article.objects.get(place__city="Baghdad")
    edit(editor, article)
    assert not ArticleChange.objects.exists()


def test_bulk_actions_record_history_per_article(editor):
    articles = list(Article.objects.filter(outlet__name="UN News"))
    sanctions = Topic.objects.get(name="Sanctions")
    action(editor, "add_topic", articles, apply="1", topic=sanctions.pk)
    changes = ArticleChange.objects.filter(action="added topic Sanctions")
    assert sorted(c.article_id for c in changes) == sorted(a.pk for a in articles)
    assert all(c.user.username == "editor" and "Sanctions" in c.changes["topics"][1] for c in changes)


def restore(client, change: ArticleChange):
    return client.post(f"/admin/articles/article/{change.article_id}/history/{change.pk}/restore/")


def test_restore_puts_the_article_back_as_it_was_before_a_change(editor):
    article = Article.objects.get(place__city="Vilnius")
    edit(editor, article, headline="First rewrite about Bialiatski")
    article.refresh_from_db()
    edit(editor, article, headline="Second rewrite", status="draft")
    second = ArticleChange.objects.filter(article=article).first()
    assert SearchQuerySet().auto_query("Bialiatski rewrite").count() == 0  # a draft is not searchable

    confirm = editor.get(f"/admin/articles/article/{article.pk}/history/{second.pk}/restore/")
    assert confirm.status_code == 200  # a page to confirm on, nothing restored yet
    assert not ArticleChange.objects.filter(action__startswith="restore").exists()
    assert restore(editor, second).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status) == ("First rewrite about Bialiatski", "published")
    assert [r.headline for r in SearchQuerySet().auto_query("rewrite")] == ["First rewrite about Bialiatski"]
    restored = ArticleChange.objects.filter(article=article).first()
    assert restored.action == f"restore #{second.pk}"
    assert restored.changes["headline"] == ["Second rewrite", "First rewrite about Bialiatski"]


def test_the_state_before_the_first_edit_can_be_restored(editor):
    article = Article.objects.get(place__city="Vilnius")
    original = article.headline
    edit(editor, article, headline="A bad rewrite")
    change = ArticleChange.objects.get(article=article)
    history = editor.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert f"/history/{change.pk}/restore/" in history, "the only change can be undone"
    restore(editor, change)
    assert Article.objects.get(pk=article.pk).headline == original
    assert [r.headline for r in SearchQuerySet().auto_query("Bialiatski")] == [original]


def test_a_restore_that_leaves_the_story_as_it_is_does_not_lock_it(editor):
    article = Article.objects.get(place__city="Baghdad")
    assert article.story_id and not article.story_locked
    edit(editor, article, headline="A headline to undo")
    restore(editor, ArticleChange.objects.get(article=article))
    article.refresh_from_db()
    assert article.story_id and not article.story_locked, "assignment may still move it"


def test_story_moves_are_recorded_and_a_restore_puts_the_article_back_in_its_story(editor):
    article = Article.objects.get(place__city="Baghdad")
    story = article.story
    assert story is not None and story.articles.count() > 1
    action(editor, "take_out_of_story", [article])
    taken = ArticleChange.objects.get(article=article)
    assert (taken.user.username, taken.action) == ("editor", "taken out of its story")
    assert taken.changes == {"story": [str(story), ""]} and taken.before["story"] == story.pk

    restore(editor, taken)
    article.refresh_from_db()
    assert article.story_id == story.pk and article.story_locked, "back in its story, as an editor put it"
    assert ArticleChange.objects.filter(article=article).first().changes["story"] == ["", str(story)]


def test_restore_needs_change_permission(client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    change = ArticleChange.objects.create(article=article, action="edit", before={"headline": "Hijacked"})
    reader = make_editor("viewer")
    reader.groups.clear()
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.login(username="viewer", password=PASSWORD)
    response = client.post(f"/admin/articles/article/{article.pk}/history/{change.pk}/restore/")
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline != "Hijacked"


def test_a_save_from_a_browser_keeps_the_line_breaks_as_they_are(editor):
    article = Article.objects.get(place__city="Vilnius")
    assert "\n" in article.body and "\r" not in article.body
    edit(editor, article, body=article.body.replace("\n", "\r\n"))  # as browsers send a textarea
    assert Article.objects.get(pk=article.pk).body == article.body
    assert not ArticleChange.objects.exists(), "nothing changed"
    edit(editor, article, body=f"{article.body}\n\nA new paragraph.".replace("\n", "\r\n"))
    change = ArticleChange.objects.get(article=article)
    assert change.changes["body"] == [article.body, f"{article.body}\n\nA new paragraph."]


def test_deleting_a_topic_is_recorded_on_its_articles_and_leaves_search(editor):
    diplomacy = Topic.objects.get(name="Diplomacy")
    tagged = set(diplomacy.articles.values_list("pk", flat=True))
    assert len(tagged) > 1
    response = editor.post(f"/admin/articles/topic/{diplomacy.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    changes = ArticleChange.objects.filter(action="topic deleted")
    assert {c.article_id for c in changes} == tagged
    assert all("Diplomacy" in c.changes["topics"][0] and c.user.username == "editor" for c in changes)
    assert SearchQuerySet().filter(topics_exact="Diplomacy").count() == 0


def test_earlier_versions_are_shown_with_a_diff_against_the_current_text(editor):
    article = Article.objects.get(place__city="Vilnius")
    ArticleVersion.objects.create(
        article=article, body="Bialiatski was <em>still</em> held.\n\nNo comment.", note="Wire update"
    )
    html = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Wire update" in html
    # Word by word, side by side (tests/test_diffs.py): the earlier words struck out, the current added.
    assert '<del><span class="visually-hidden">[removed: </span>was still held.\n\nNo comment.' in html
    current = to_plain_text(article.body)
    assert escape(current.split(".")[0]) in html
