"""Deleting an article moves it to the trash: off the site (410 Gone) and out of search, its history
kept; restored from the trash it is back as it was; only archive managers purge it for good."""

import pytest
from django.contrib.auth.models import Group
from haystack.query import SearchQuerySet

from articles import editorial
from articles.models import Article, ArticleChange
from articles.roles import ARCHIVE_MANAGERS, EDITORS
from tests.editors import PASSWORD, action, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

TRASH = "/admin/articles/article/?status=trashed"


def found(query: str) -> set[int]:
    return {int(r.pk) for r in SearchQuerySet().auto_query(query)}


def trash_action(client, name: str, articles, **data):
    """A bulk action from the trash's list (its form posts to the list's own address)."""
    pks = [a.pk for a in articles]
    return client.post(TRASH, {"action": name, "_selected_action": pks, "index": 0, **data})


def listed(client, url: str = "/admin/articles/article/") -> set[int]:
    return {a.pk for a in client.get(url).context["cl"].result_list}


def test_delete_trash_gone_then_restore_searchable_again(editor, client):
    article = Article.objects.get(place__city="Vilnius")
    editorial.set_status(
        Article.objects.filter(pk=article.pk), Article.Status.RETRACTED, None, "Wrong quote."
    )
    editorial.set_status(Article.objects.filter(pk=article.pk), Article.Status.PUBLISHED, None)
    assert article.pk in found("Bialiatski")
    history = ArticleChange.objects.filter(article=article).count()

    confirm = editor.get(f"/admin/articles/article/{article.pk}/delete/").content.decode()
    assert "to the trash" in confirm and "its history is kept" in confirm
    assert editor.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}).status_code == 302

    article.refresh_from_db()
    assert article.status == Article.Status.TRASHED and article.trashed is not None
    assert article.pk not in found("Bialiatski"), "out of search"
    assert ArticleChange.objects.filter(article=article).count() == history + 1, "history kept"
    for address in (
        article.get_absolute_url(),
        f"/articles/{article.pk}/",
        f"/articles/{article.pk}/old-slug/",
    ):
        gone = client.get(address)
        assert gone.status_code == 410 and "removed from the archive" in gone.content.decode()
        assert "no-cache" in gone["Cache-Control"], "asked again: it may come back from the trash"
    assert article.pk not in {
        r["id"] for r in client.get("/api/search", {"q": "Bialiatski"}).json()["results"]
    }
    feed = client.get("/search/feed/", {"q": "Bialiatski"}).content.decode()
    assert "<entry>" not in feed and article.get_absolute_url() not in feed
    assert article.pk not in listed(editor), "the list leaves the trash out"
    assert listed(editor, TRASH) == {article.pk}

    response = trash_action(editor, "restore_from_trash", [article])
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.trashed) == (Article.Status.PUBLISHED, None)
    assert article.pk in found("Bialiatski"), "searchable again"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_restore_from_the_trash_puts_back_the_status_it_had(editor):
    article = Article.objects.get(place__city="Vilnius")
    editorial.set_status(Article.objects.filter(pk=article.pk), Article.Status.DRAFT, None)
    action(editor, "delete_selected", [article], apply="1")
    assert Article.objects.get(pk=article.pk).status == Article.Status.TRASHED
    trash_action(editor, "restore_from_trash", [article])
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert article.pk not in found("Bialiatski"), "a draft stays out of search"


def test_bulk_delete_asks_first_then_moves_to_the_trash(editor):
    un_news = list(Article.objects.filter(outlet__name="UN News"))
    page = action(editor, "delete_selected", un_news)
    assert page.status_code == 200 and "Move to the trash" in page.content.decode()
    assert not Article.objects.filter(status=Article.Status.TRASHED).exists()
    action(editor, "delete_selected", un_news, apply="1")
    assert set(Article.objects.filter(status=Article.Status.TRASHED)) == set(un_news)


def test_purge_needs_the_permission_editors_lack(editor, client):
    article = Article.objects.get(place__city="Vilnius")
    editorial.trash(Article.objects.filter(pk=article.pk), None)
    assert not Group.objects.get(name=EDITORS).permissions.filter(codename="purge_article").exists()

    page = editor.get(TRASH).content.decode()
    assert 'value="purge"' not in page, "not offered"
    trash_action(editor, "purge", [article], apply="1")
    assert Article.objects.filter(pk=article.pk).exists(), "an editor cannot purge"

    make_editor("archivist")
    from django.core.management import call_command

    call_command("make_editor", "archivist", "--archive-manager", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Group.objects.get(name=ARCHIVE_MANAGERS).user_set.filter(username="archivist").exists()
    client.login(username="archivist", password=PASSWORD)
    page = client.get(TRASH).content.decode()
    assert 'value="purge"' in page
    confirm = trash_action(client, "purge", [article])
    assert confirm.status_code == 200 and Article.objects.filter(pk=article.pk).exists(), "asks first"
    trash_action(client, "purge", [article], apply="1")
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleChange.objects.filter(article_id=article.pk).exists(), "gone for good, history too"


def test_purge_leaves_articles_not_in_the_trash(seeded):
    assert editorial.purge(Article.objects.all()) == 0
    assert Article.objects.count() == 6


def test_a_trashed_article_is_left_out_of_bulk_status_actions_and_merges(editor):
    article = Article.objects.get(pk=6)
    editorial.trash(Article.objects.filter(pk=article.pk), None)
    action(editor, "publish", [article])
    assert Article.objects.get(pk=article.pk).status == Article.Status.TRASHED
    with pytest.raises(editorial.MergeError):
        editorial.merge_articles(article, [Article.objects.get(pk=4)], None)
