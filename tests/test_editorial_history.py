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


def test_restore_a_previous_version(editor):
    article = Article.objects.get(place__city="Vilnius")
    original = article.headline
    edit(editor, article, headline="First rewrite about Bialiatski")
    first = ArticleChange.objects.get(article=article)
    article.refresh_from_db()
    edit(editor, article, headline="Second rewrite", status="draft")
    assert SearchQuerySet().auto_query("Bialiatski rewrite").count() == 0  # a draft is not searchable

    assert editor.get(f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/").status_code == 405
    response = editor.post(f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status) == ("First rewrite about Bialiatski", "published")
    assert [r.headline for r in SearchQuerySet().auto_query("rewrite")] == ["First rewrite about Bialiatski"]
    restore = ArticleChange.objects.filter(article=article).first()
    assert restore.action == f"restore #{first.pk}"
    assert restore.changes["headline"] == ["Second rewrite", "First rewrite about Bialiatski"]
    assert original != article.headline


def test_story_moves_are_recorded_and_a_restore_puts_the_article_back_in_its_story(editor):
    article = Article.objects.get(place__city="Baghdad")
    story = article.story
    assert story is not None and story.articles.count() > 1
    edit(editor, article, byline="By A. Reporter")
    edited = ArticleChange.objects.get(article=article)
    assert edited.snapshot["story"] == story.pk
    action(editor, "take_out_of_story", [article])
    taken = ArticleChange.objects.filter(article=article).first()
    assert (taken.user.username, taken.action) == ("editor", "taken out of its story")
    assert taken.changes == {"story": [str(story), ""]}

    editor.post(f"/admin/articles/article/{article.pk}/history/{edited.pk}/restore/")
    article.refresh_from_db()
    assert article.story_id == story.pk and article.story_locked, "back in its story, as an editor put it"
    assert ArticleChange.objects.filter(article=article).first().changes["story"] == ["", str(story)]


def test_restore_needs_change_permission(client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    change = ArticleChange.objects.create(article=article, action="edit", snapshot={"headline": "Hijacked"})
    reader = make_editor("viewer")
    reader.groups.clear()
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.login(username="viewer", password=PASSWORD)
    response = client.post(f"/admin/articles/article/{article.pk}/history/{change.pk}/restore/")
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline != "Hijacked"


def test_earlier_versions_are_shown_with_a_diff_against_the_current_text(editor):
    article = Article.objects.get(place__city="Vilnius")
    ArticleVersion.objects.create(
        article=article, body="Bialiatski was <em>still</em> held.\n\nNo comment.", note="Wire update"
    )
    html = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Wire update" in html
    assert "-Bialiatski was still held." in html  # the earlier line, removed
    current = to_plain_text(article.body).splitlines()
    assert escape(f"+{current[0]}") in html  # the current text, added
