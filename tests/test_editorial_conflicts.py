"""Two editors, one article: a save over a newer version is never a silent overwrite. The form
comes back merged (the other editor's fields, one's own kept, a field both changed flagged), and a
bulk action leaves alone the articles changed since the list was shown."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from articles import editorial
from articles.models import Article
from tests.editors import PASSWORD, action, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def anna(seeded) -> Client:
    make_editor("anna")
    client = Client()
    client.login(username="anna", password=PASSWORD)
    return client


@pytest.fixture
def ben(seeded) -> Client:
    make_editor("ben")
    client = Client()
    client.login(username="ben", password=PASSWORD)
    return client


def url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def form_data(form) -> dict:
    """What a browser posts for the admin's article form as it is shown."""
    data = {"captions-TOTAL_FORMS": "0", "captions-INITIAL_FORMS": "0"}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif isinstance(value, list | tuple):
            data[field.name] = [str(v) for v in value]
        elif value is not None:
            data[field.name] = str(value)
    return data


def open_form(client: Client, article: Article) -> dict:
    """A tab with the article's form open: the data it would post."""
    return form_data(client.get(url(article)).context["adminform"].form)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_second_of_two_tabs_gets_the_conflict_and_a_merged_form_not_a_silent_overwrite(anna, ben):
    article = Article.objects.get(place__city="Vilnius")
    tab_a, tab_b = open_form(anna, article), open_form(ben, article)

    assert anna.post(url(article), {**tab_a, "byline": "By Anna Field"}).status_code == 302
    response = ben.post(url(article), {**tab_b, "editor": "Ben Desk"})

    assert response.status_code == 200, "refused: shown again, not saved"
    article.refresh_from_db()
    assert (article.byline, article.editor) == ("By Anna Field", "")
    page = response.content.decode()
    assert "anna changed byline" in page and "check it and save again" in page
    form = response.context["adminform"].form
    assert form["byline"].value() == "By Anna Field", "the other editor's field, filled in"
    assert form["editor"].value() == "Ben Desk", "one's own change, kept"
    assert not form.errors.get("byline") and not form.errors.get("editor"), "nothing both changed"

    assert ben.post(url(article), form_data(form)).status_code == 302  # saving the merge
    article.refresh_from_db()
    assert (article.byline, article.editor) == ("By Anna Field", "Ben Desk")
    assert [c.user.username for c in article.changes.all()] == ["ben", "anna"]


def test_a_field_both_changed_is_flagged_with_the_other_value_and_saved_only_when_confirmed(anna, ben):
    article = Article.objects.get(place__city="Vilnius")
    tab_a, tab_b = open_form(anna, article), open_form(ben, article)
    anna.post(url(article), {**tab_a, "byline": "By Anna Field"})

    response = ben.post(url(article), {**tab_b, "byline": "By Ben Stringer", "editor": "Ben Desk"})

    form = response.context["adminform"].form
    [flag] = form.errors["byline"]
    assert "anna also changed this" in flag and "By Anna Field" in flag
    assert form["byline"].value() == "By Ben Stringer"
    assert Article.objects.get(pk=article.pk).byline == "By Anna Field"
    assert ben.post(url(article), form_data(form)).status_code == 302
    assert Article.objects.get(pk=article.pk).byline == "By Ben Stringer"


def test_a_save_on_the_current_version_goes_through_and_counts_a_revision(anna):
    article = Article.objects.get(place__city="Vilnius")
    revision = article.revision
    assert anna.post(url(article), {**open_form(anna, article), "byline": "By A"}).status_code == 302
    assert anna.post(url(article), {**open_form(anna, article), "byline": "By B"}).status_code == 302
    assert Article.objects.get(pk=article.pk).revision == revision + 2


def test_every_editorial_write_counts_a_revision(seeded):
    kept, duplicate = Article.objects.get(pk=4), Article.objects.get(pk=6)
    before = dict(Article.objects.values_list("pk", "revision"))
    editorial.set_status(Article.objects.filter(pk=1), Article.Status.DRAFT, None)
    editorial.merge_articles(kept, [duplicate], None)
    editorial.restore(duplicate.changes.first(), None)
    after = dict(Article.objects.values_list("pk", "revision"))
    assert after[1] == before[1] + 1
    assert after[6] == before[6] + 2, "the merge, then its undoing"
    assert after[4] == before[4] + 1, "the merge (its undoing leaves the kept one: it lost nothing)"


def shown_revisions(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(revision-\d+)" value="(\d+)"', html))


def test_a_bulk_action_leaves_alone_an_article_changed_since_the_list_was_shown(anna, ben):
    vilnius, baghdad = Article.objects.get(place__city="Vilnius"), Article.objects.get(place__city="Baghdad")
    shown = shown_revisions(ben.get("/admin/articles/article/").content.decode())
    assert f"revision-{vilnius.pk}" in shown

    anna.post(url(vilnius), {**open_form(anna, vilnius), "byline": "By Anna Field"})
    response = action(ben, "unpublish", [vilnius, baghdad], **shown)

    assert Article.objects.get(pk=vilnius.pk).status == Article.Status.PUBLISHED, "left alone"
    assert Article.objects.get(pk=baghdad.pk).status == Article.Status.DRAFT
    warning, done = messages_of(response)
    assert f"#{vilnius.pk}" in warning and "anna changed byline" in warning
    assert done == "Unpublished 1 article."


def test_a_bulk_action_over_more_than_twenty_articles_asks_first(ben):
    many = Article.objects.bulk_create(
        Article(headline=f"Harbour notice {n}", slug=f"harbour-{n}", body="Berths closed.") for n in range(21)
    )
    page = action(ben, "unpublish", many)
    assert page.status_code == 200 and "Unpublish 21 articles" in page.content.decode()
    assert not Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert action(ben, "unpublish", many, apply="1").status_code == 302
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 21
