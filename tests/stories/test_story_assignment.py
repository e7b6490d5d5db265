"""Stories assigned on ingest, kept when editors decide, rebuilt from scratch; duplicates flagged."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleChange, Story
from articles.stories import editing
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)

LEAD = (
    "Kenya's central bank held its benchmark lending rate at 9 percent on Tuesday, Governor Patrick "
    "Njoroge said in Nairobi, citing easing inflation and a stable shilling. The Monetary Policy "
    "Committee said fuel prices and the drought in northern Kenya were the main risks, and that "
    "lenders in Mombasa and Kisumu had cut their own rates after the Treasury in Nairobi sold bonds. "
    "Njoroge told reporters the committee would meet again in May to review credit growth, and that "
    "the shilling had gained against the dollar since January on strong tea and coffee export earnings."
)
UPDATE = LEAD + " Analysts at Standard Chartered in Nairobi had expected the hold, Njoroge added."
OTHER = (
    "Ghana's parliament approved a budget that raises fuel taxes, Finance Minister Ken Ofori-Atta "
    "said in Accra on Wednesday, as the government seeks an International Monetary Fund programme. "
    "Opposition lawmakers walked out of the chamber in protest, and traders in Kumasi and Tamale "
    "said transport fares would rise as soon as the levy takes effect next month. Ofori-Atta told "
    "the house that cocoa revenue and gold royalties would fund new roads in the Ashanti region."
)


def records(tmp_path, name: str, *rows: dict):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def row(number: int, title: str, body: str, outlet: str = "Reuters", day: str = "2024-03-05") -> dict:
    return {"id": f"r{number}", "title": title, "body": body, "published": day, "outlet": outlet}


def ingest(path: str) -> None:
    call_command("ingest", path, stdout=StringIO(), stderr=StringIO())


def test_versions_join_a_story_on_ingest_and_a_copy_is_flagged(search_backend, tmp_path):
    ingest(records(tmp_path, "one", row(1, "KENYA HOLDS RATE", LEAD), row(2, "GHANA BUDGET", OTHER)))
    ingest(
        records(
            tmp_path,
            "two",
            row(3, "KENYA KEEPS RATE AT 9 PCT", UPDATE, day="2024-03-06"),
            row(4, "KENYA HOLDS RATE", LEAD, outlet="Wire copy desk"),
            row(5, "KENYA RATE", "Kenya held its rate.", day="2024-03-05"),
            row(6, "REPEAT - KENYA HOLDS RATE", LEAD),
        )
    )
    first, ghana = (Article.objects.get(source_file=f"one.jsonl#r{n}") for n in (1, 2))
    update, other_outlet, brief, repeat = (
        Article.objects.get(source_file=f"two.jsonl#r{n}") for n in (3, 4, 5, 6)
    )
    assert first.story_id is not None
    assert update.story_id == first.story_id == other_outlet.story_id == repeat.story_id
    assert ghana.story_id is None and brief.story_id is None, "unrelated and too short stay alone"
    assert repeat.duplicate_of_id == first.pk, "same outlet, same text: for the review queue"
    assert update.duplicate_of_id is None, "an update with more in it is a version"
    assert other_outlet.duplicate_of_id is None, "another outlet's copy is a version, not a duplicate"
    assert Story.objects.get().title == "KENYA HOLDS RATE"


def test_editors_decisions_stick_through_reingest_and_rebuild(search_backend, tmp_path):
    path = records(tmp_path, "kenya", row(1, "KENYA HOLDS RATE", LEAD), row(2, "KENYA KEEPS RATE", UPDATE))
    ingest(path)
    first, second = Article.objects.order_by("pk")
    story = first.story
    assert second.story_id == story.pk
    editing.take_out(Article.objects.filter(pk=second.pk), user=None)
    second.refresh_from_db()
    assert second.story_id is None and second.story_locked

    corrected = records(
        tmp_path,
        "kenya",
        row(1, "KENYA HOLDS RATE", LEAD),
        row(2, "KENYA KEEPS RATE", UPDATE + " Corrected."),
    )
    ingest(corrected)
    call_command("assign_stories", stdout=StringIO())
    second.refresh_from_db()
    assert second.story_id is None and second.story_locked, "re-ingest and rebuild keep the editor's call"
    assert not Story.objects.filter(articles__isnull=True).exists()


def test_rebuild_from_scratch_keeps_story_ids(search_backend, tmp_path):
    ingest(records(tmp_path, "kenya", row(1, "KENYA HOLDS RATE", LEAD), row(2, "KENYA KEEPS RATE", UPDATE)))
    first, second = Article.objects.order_by("pk")
    assert first.story_id is not None and second.story_id == first.story_id
    Article.objects.filter(pk=second.pk).update(story=None)
    out = StringIO()
    call_command("assign_stories", stdout=out)
    assert "1 article(s) changed" in out.getvalue()
    assert set(Article.objects.values_list("story_id", flat=True)) == {first.story_id}
    assert Story.objects.count() == 1


def test_admin_actions_move_split_and_merge(admin_client, seeded):
    unami = Article.objects.filter(pk__in=[1, 3, 4, 5, 6])
    story = unami.first().story
    response = action(admin_client, "split_into_new_story", [5, 6])
    assert response.status_code == 302
    split = Article.objects.get(pk=5).story
    assert split != story and Article.objects.get(pk=6).story == split
    results = admin_client.get("/api/search", {"q": "UNAMI"}).json()["results"]
    assert {r["id"]: r["story"] for r in results if r["id"] in (5, 6)} == {5: split.pk, 6: split.pk}, (
        "search groups by the story the editor chose, at once"
    )
    assert set(Article.objects.filter(story=story).values_list("pk", flat=True)) == {1, 3, 4}
    assert action(admin_client, "merge", [story.pk, split.pk], model="story").status_code == 302
    assert set(Article.objects.filter(story=story).values_list("pk", flat=True)) == {1, 3, 4, 5, 6}
    assert not Story.objects.filter(pk=split.pk).exists()
    assert action(admin_client, "move_into_one_story", [2, 1]).status_code == 302
    assert Article.objects.get(pk=2).story == story and Article.objects.get(pk=2).story_locked
    assert admin_client.get(f"/admin/articles/story/{story.pk}/change/").status_code == 200
    assert admin_client.get("/admin/articles/story/").status_code == 200


def test_deleting_a_story_says_what_it_does_and_search_follows(admin_client, seeded):
    story = Article.objects.get(pk=1).story
    members = set(story.articles.values_list("pk", flat=True))
    said = f"{len(members)} articles lose their story"
    assert said in admin_client.get(f"/admin/articles/story/{story.pk}/delete/").content.decode()
    assert said in action(admin_client, "delete_selected", [story.pk], model="story").content.decode()

    response = admin_client.post(f"/admin/articles/story/{story.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()
    assert set(Article.objects.filter(pk__in=members).values_list("story", flat=True)) == {None}
    results = admin_client.get("/api/search", {"q": "Guterres", "group": "story"}).json()["results"]
    assert {r["id"] for r in results} & members
    assert all(r["story"] is None for r in results if r["id"] in members), "no longer grouped under it"
    deleted = ArticleChange.objects.filter(action="story deleted")
    assert {c.article_id for c in deleted} == members and all(c.changes["story"][1] == "" for c in deleted)
