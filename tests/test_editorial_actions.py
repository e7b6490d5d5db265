"""Bulk actions in the admin: publish, unpublish, retract (with a public note), add and remove a topic.

Each goes through the changelist as an editor would, and search shows the result at once.
"""

import re

import pytest
from django.contrib.messages import get_messages
from haystack.query import SearchQuerySet

from articles import editorial
from articles.editorial import merge_articles
from articles.models import Article, Outlet, Topic
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)


def indexed_ids(sqs=None) -> set[int]:
    return {int(r.pk) for r in (sqs if sqs is not None else SearchQuerySet().all())}


def submit(client, url: str, page, **fields):
    """Send a second step's form as a browser does: its hidden fields and ``fields``, to ``url``."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.content.decode()
    ):
        data.setdefault(name, []).append(value)
    return client.post(url, {**data, **fields})


def test_unpublish_then_publish(editor):
    baghdad = Article.objects.get(place__city="Baghdad")
    response = action(editor, "unpublish", [baghdad])
    assert response.status_code == 302
    assert Article.objects.get(pk=baghdad.pk).status == Article.Status.DRAFT
    assert baghdad.pk not in indexed_ids()
    action(editor, "publish", [baghdad])
    assert Article.objects.get(pk=baghdad.pk).status == Article.Status.PUBLISHED
    assert baghdad.pk in indexed_ids()


def test_retract_asks_for_a_note_then_shows_it_on_the_public_page(editor, client):
    vilnius = Article.objects.get(place__city="Vilnius")
    form_page = action(editor, "retract", [vilnius])
    assert form_page.status_code == 200
    assert "retraction_note" in form_page.context["form"].fields
    assert Article.objects.get(pk=vilnius.pk).status == Article.Status.PUBLISHED  # nothing yet

    note = "The release date was misreported <b>by us</b>."
    done = action(editor, "retract", [vilnius], apply="1", retraction_note=note)
    assert done.status_code == 302
    vilnius.refresh_from_db()
    assert (vilnius.status, vilnius.retraction_note) == (Article.Status.RETRACTED, note)
    assert SearchQuerySet().auto_query("Lukashenko").count() == 0

    editor.logout()  # a reader
    page = client.get(vilnius.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "This article has been retracted." in html
    assert "The release date was misreported &lt;b&gt;by us&lt;/b&gt;." in html


def test_retract_without_a_note_changes_nothing(editor):
    vilnius = Article.objects.get(place__city="Vilnius")
    response = action(editor, "retract", [vilnius], apply="1", retraction_note="  ")
    assert response.status_code == 200 and response.context["form"].errors["retraction_note"]
    assert Article.objects.get(pk=vilnius.pk).status == Article.Status.PUBLISHED
    assert vilnius.pk in indexed_ids()


def test_add_and_remove_a_topic(editor):
    sanctions = Topic.objects.get(name="Sanctions")
    iraq = list(Article.objects.filter(headline__icontains="Iraq"))
    assert len(iraq) >= 2
    before = indexed_ids(SearchQuerySet().filter(topics_exact="Sanctions"))

    assert action(editor, "add_topic", iraq).status_code == 200  # asks which topic
    assert action(editor, "add_topic", iraq, apply="1", topic=sanctions.pk).status_code == 302
    expected = before | {a.pk for a in iraq}
    assert indexed_ids(SearchQuerySet().filter(topics_exact="Sanctions")) == expected
    assert all(sanctions in a.topics.all() for a in iraq)

    action(editor, "remove_topic", iraq, apply="1", topic=sanctions.pk)
    assert indexed_ids(SearchQuerySet().filter(topics_exact="Sanctions")) == before - {a.pk for a in iraq}
    assert not any(sanctions in a.topics.all() for a in iraq)


def test_status_actions_leave_merged_duplicates_alone(editor):
    first, second = Article.objects.filter(outlet__name="UN News")[:2]
    merge_articles(first, [second], user=None)
    action(editor, "publish", [first, second])
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == (Article.Status.MERGED, first.pk)
    assert second.pk not in indexed_ids()


def test_bulk_delete_leaves_search(editor):
    un_news = list(Article.objects.filter(outlet__name="UN News"))
    response = action(editor, "delete_selected", un_news, apply="1")
    assert response.status_code == 302
    assert set(Article.objects.filter(outlet__name="UN News").values_list("status", flat=True)) == {"trashed"}
    assert indexed_ids() == set(Article.objects.published().values_list("pk", flat=True))


def test_all_that_match_a_filter_go_through_a_second_step_whatever_their_number(editor, settings):
    wire = Outlet.objects.create(name="Wire Co")
    Article.objects.bulk_create(
        Article(headline=f"Brief {n}", slug=f"brief-{n}", body="Markets.", outlet=wire) for n in range(30)
    )
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20  # 1,000 in production: fewer than a big selection
    url = f"/admin/articles/article/?outlet__id__exact={wire.pk}"
    ticked = list(Article.objects.filter(outlet=wire).values_list("pk", flat=True)[:10])  # one page
    select_all = {"select_across": "1", "index": "0", "_selected_action": ticked}
    sanctions = Topic.objects.get(name="Sanctions")
    tagged = set(sanctions.articles.values_list("pk", flat=True))

    step = editor.post(url, {"action": "add_topic", **select_all})
    assert step.status_code == 200 and "30 selected articles" in step.content.decode()
    done = submit(editor, url, step, topic=sanctions.pk, apply="Add topic")
    assert done.status_code == 302
    wire_ids = set(Article.objects.filter(outlet=wire).values_list("pk", flat=True))
    assert set(sanctions.articles.values_list("pk", flat=True)) == tagged | wire_ids, "those and only those"

    step = editor.post(url, {"action": "retract", **select_all})
    done = submit(editor, url, step, retraction_note="Syndication error.", apply="Retract articles")
    assert done.status_code == 302
    assert set(Article.objects.filter(status="retracted").values_list("outlet", flat=True)) == {wire.pk}


def test_status_actions_change_and_reindex_only_what_changes(editor, monkeypatch):
    un_news = list(Article.objects.filter(outlet__name="UN News"))
    draft = un_news[0]
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    queued = []
    monkeypatch.setattr(editorial, "schedule_sync", queued.extend)
    response = action(editor, "publish", un_news)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED
    assert queued == [draft.pk], "the articles already published are not re-indexed"
    unchanged = len(un_news) - 1
    expected = f"Published 1 article. {unchanged} article{'s' if unchanged > 1 else ''} unchanged."
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
