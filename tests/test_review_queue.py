"""The review queue: each rule, its stored near-identical copies, its lists (paginated, filtered),
marks of reviewed articles, and the scan job."""

import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import review
from articles.jobs import runner
from articles.jobs.models import Job
from articles.models import Article, Outlet, Place, ReviewMark
from tests.conftest import run_jobs
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "The central bank raised its main interest rate by half a point on Tuesday, citing inflation."
REVIEW = "/admin/articles/article/review/"


@pytest.fixture
def complete(db):
    """What a complete article needs: an outlet and a dateline place."""
    return {
        "outlet": Outlet.objects.create(name="Daily Wire"),
        "place": Place.objects.create(city="Lisbon", country="Portugal"),
        "published": datetime.date(2024, 3, 5),
    }


@pytest.fixture
def desk(client):
    """A client logged in as an editor."""
    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


def make(headline="Rates rise", body=BODY, **fields) -> Article:
    return Article.objects.create(headline=headline, body=body, **fields)


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def listed(client, rule: str, **query) -> list[int]:
    """The article ids on a rule's list page (as the page shows them)."""
    page = client.get(f"{REVIEW}{rule}/", query)
    assert page.status_code == 200
    return [article.pk for article in page.context["page"]]


# -- the rules -------------------------------------------------------------------------------


def test_complete_articles_need_no_review(complete):
    make(**complete)
    make(headline="Other news", body="Something else entirely happened.", **complete)
    assert all(not ids(rule.listed()) for rule in review.RULES.values())


def test_missing_outlet_dateline_or_date(complete):
    fine = make(**complete)
    no_outlet = make(**{**complete, "outlet": None})
    no_place = make(**{**complete, "place": None})
    no_date = make(**{**complete, "published": None})
    assert ids(review.missing_facts()) == {no_outlet.pk, no_place.pk, no_date.pk}
    assert fine.pk not in ids(review.missing_facts())


def test_dates_in_the_future_or_on_the_ingest_day(complete):
    today = timezone.now().date()
    future = make(**{**complete, "published": today + datetime.timedelta(days=3)})
    ingest_day = make(**{**complete, "published": today})
    yesterday = make(**{**complete, "published": today - datetime.timedelta(days=1)})
    assert ids(review.suspicious_dates()) == {future.pk, ingest_day.pk}
    assert yesterday.pk not in ids(review.suspicious_dates())


@pytest.mark.parametrize("body", ["", "   \n\n ", "<p></p>", "<p> &nbsp; </p>"])
def test_empty_bodies(complete, body):
    empty = make(body=body, **complete)
    make(**complete)
    assert ids(review.empty_bodies()) == {empty.pk}


def test_suspected_duplicates_same_outlet_and_near_identical_text(complete):
    original = make(**complete)
    near = make(headline="RATES RISE", body=BODY.replace("Tuesday", "Tuesday morning"), **complete)
    other_outlet = make(body=BODY, **{**complete, "outlet": Outlet.objects.create(name="Other Wire")})
    rewritten = make(
        body="Rates went up. The bank blamed prices and wages, and expects more rises.", **complete
    )
    flagged = make(headline="Different words", body="Unrelated.", duplicate_of=original, **complete)
    assert review.scan_near_identical() == (1, 1)
    near.refresh_from_db()
    assert near.near_identical_to_id == original.pk
    assert ids(review.suspected_duplicates()) == {original.pk, near.pk, flagged.pk}
    assert not ids(review.suspected_duplicates()) & {other_outlet.pk, rewritten.pk}
    assert review.scan_near_identical() == (1, 0), "a second scan changes nothing"


def test_merged_duplicates_are_not_queued(complete):
    canonical = make(**complete)
    make(body="", status=Article.Status.MERGED, merged_into=canonical, **{**complete, "outlet": None})
    assert all(not ids(rule.listed()) for rule in review.RULES.values())


# -- near-identical copies found at ingest ---------------------------------------------------


def _records(path, rows) -> str:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    return path.name


def test_a_records_file_stores_its_near_identical_copies(transactional_db, tmp_path):
    grain = "The port authority said grain exports rose 12 percent in May as new berths opened at the quay."
    rows = [
        {"id": "a", "title": "PORT GRAIN EXPORTS RISE", "body": grain, "outlet": "Harbour Wire"},
        {
            "id": "b",
            "title": "Port grain exports rise",
            "body": grain + " Officials",
            "outlet": "Harbour Wire",
        },
        {
            "id": "c",
            "title": "PORT GRAIN EXPORTS RISE",
            "body": "Another story entirely.",
            "outlet": "Harbour Wire",
        },
        {"id": "d", "title": "PORT GRAIN EXPORTS RISE", "body": grain, "outlet": "Quayside Times"},
    ]
    name = _records(tmp_path / "grain.jsonl", rows)
    a, b, c, d = (Article.objects.get(source_file=f"{name}#{key}") for key in "abcd")
    assert b.near_identical_to_id == a.pk
    assert (
        a.near_identical_to_id is None and c.near_identical_to_id is None and d.near_identical_to_id is None
    )
    assert ids(review.suspected_duplicates()) == {a.pk, b.pk}

    # A second file, a later batch: its copy of the first article is found too.
    _records(tmp_path / "grain-late.jsonl", [{**rows[0], "id": "e", "body": grain + " More."}])
    late = Article.objects.get(source_file="grain-late.jsonl#e")
    assert late.near_identical_to_id == a.pk

    # The copy corrected into another story: no longer near-identical.
    _records(
        tmp_path / "grain.jsonl", [*rows[:1], {**rows[1], "body": "The berths were delayed by strikes."}]
    )
    b.refresh_from_db()
    assert b.near_identical_to_id is None


def test_raw_copy_stores_its_near_identical_copies(transactional_db, tmp_path):
    copy = (
        "NAIROBI, March 3 (Reuters) - Kenya's central bank held its benchmark rate at 9 percent "
        "on Tuesday, citing easing inflation.\n\nThe bank said it would watch fuel prices closely.\n"
    )
    first, second = tmp_path / "kenya.txt", tmp_path / "kenya-again.txt"
    first.write_text(copy)
    # Sent again the next day (not a correction of the same day's copy, which updates it).
    second.write_text(copy.replace("March 3", "March 4").replace("closely", "very closely"))
    call_command("ingest", str(first), stdout=StringIO(), stderr=StringIO())
    call_command("ingest", str(second), stdout=StringIO(), stderr=StringIO())
    earlier, later = Article.objects.order_by("pk")
    assert later.outlet_id and earlier.outlet_id == later.outlet_id
    assert later.near_identical_to_id == earlier.pk


# -- the scan job ----------------------------------------------------------------------------


def test_the_scan_job_recomputes_the_whole_archive(desk, complete):
    original = make(**complete)
    copy = make(headline="rates rise", body=BODY + " Analysts", **complete)  # loaded before the scan
    stale = make(headline="Other news", body="Different.", near_identical_to=original, **complete)
    page = desk.get(REVIEW).content.decode()
    assert "No scan has run yet." in page and "Find near-identical copies again" in page

    response = desk.post(f"{REVIEW}scan/", follow=True)
    assert "Near-identical scan queued" in response.content.decode()
    assert desk.post(f"{REVIEW}scan/").status_code == 302
    [job] = Job.objects.filter(kind="review_scan")
    assert job.created_by.username == "editor" and runner.KINDS[job.kind].queue == "merges"
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.done == job.total == 2
    assert job.outcome == "Found 1 near-identical copies (2 changed)."
    copy.refresh_from_db()
    stale.refresh_from_db()
    assert copy.near_identical_to_id == original.pk and stale.near_identical_to_id is None
    assert "Found 1 near-identical copies" in desk.get(REVIEW).content.decode(), "when it last ran"
    assert desk.get(f"{REVIEW}scan/").status_code == 405


# -- the pages -------------------------------------------------------------------------------


def test_the_review_page_and_the_changelist_filter(desk, complete):
    no_date = make(headline="Undated bulletin", **{**complete, "published": None})
    empty = make(headline="Blank copy", body="", **complete)
    page = desk.get(REVIEW)
    assert page.status_code == 200
    rules = {rule["slug"]: rule for rule in page.context["rules"]}
    assert rules["missing"]["count"] == 1 and rules["empty"]["count"] == 1
    html = page.content.decode()
    assert "Undated bulletin" in html and "Blank copy" in html
    assert f"/admin/articles/article/{no_date.pk}/change/" in html
    changelist = desk.get("/admin/articles/article/", {"review": "empty"})
    assert [a.pk for a in changelist.context["cl"].result_list] == [empty.pk]
    review.mark_reviewed("empty", [empty.pk], None)
    changelist = desk.get("/admin/articles/article/", {"review": "empty"})
    assert list(changelist.context["cl"].result_list) == [], "reviewed articles leave the filter too"


def test_a_rule_list_is_paginated_newest_first(desk, complete):
    undated = [make(headline=f"Bulletin {n}", **{**complete, "published": None}) for n in range(55)]
    newest_first = [a.pk for a in reversed(undated)]
    assert listed(desk, "missing") == newest_first[:50]
    assert listed(desk, "missing", page=2) == newest_first[50:]
    html = desk.get(f"{REVIEW}missing/").content.decode()
    assert "To review: 55" in html and "Page 1 of 2" in html and "page=2" in html
    assert "no date" in html, "each article's reason"
    assert desk.get(f"{REVIEW}nonsense/").status_code == 404


def test_a_rule_list_is_filtered_by_outlet_date_recency_and_reason(desk, complete):
    wikinews = Outlet.objects.create(name="Wikinews")
    no_place = make(headline="Wiki one", **{**complete, "outlet": wikinews, "place": None})
    no_date = make(headline="Wiki two", **{**complete, "outlet": wikinews, "published": None})
    no_outlet = make(
        headline="Orphan", **{**complete, "outlet": None, "published": datetime.date(2023, 1, 9)}
    )
    old = make(headline="Old import", **{**complete, "place": None})
    Article.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=90))

    assert set(listed(desk, "missing")) == {no_place.pk, no_date.pk, no_outlet.pk, old.pk}
    assert set(listed(desk, "missing", outlet=wikinews.pk)) == {no_place.pk, no_date.pk}
    assert listed(desk, "missing", reason="date") == [no_date.pk]
    assert listed(desk, "missing", reason="outlet") == [no_outlet.pk]
    assert set(listed(desk, "missing", reason="dateline")) == {no_place.pk, old.pk}
    assert listed(desk, "missing", published_from="2023-01-01", published_to="2023-12-31") == [no_outlet.pk]
    assert set(listed(desk, "missing", published_from="2024-01-01")) == {no_place.pk, old.pk}
    assert old.pk not in listed(desk, "missing", added="30")
    assert old.pk in listed(desk, "missing")

    bad = desk.get(f"{REVIEW}missing/", {"published_from": "not a date", "reason": "bogus"})
    assert bad.status_code == 200 and "Enter a valid date." in bad.content.decode()


def test_the_dates_and_duplicates_lists_by_reason(desk, complete):
    today = timezone.now().date()
    future = make(headline="Next week", **{**complete, "published": today + datetime.timedelta(days=7)})
    ingest_day = make(headline="Today", **{**complete, "published": today})
    assert set(listed(desk, "dates")) == {future.pk, ingest_day.pk}
    assert listed(desk, "dates", reason="future") == [future.pk]
    assert listed(desk, "dates", reason="ingest-day") == [ingest_day.pk]
    html = desk.get(f"{REVIEW}dates/").content.decode()
    assert "dated in the future" in html and "dated on the ingest day" in html

    original = make(**complete)
    copy = make(body=BODY + " Indeed.", near_identical_to=original, **complete)
    flagged = make(headline="Flagged", body="Other.", duplicate_of=original, **complete)
    assert set(listed(desk, "duplicates")) == {original.pk, copy.pk, flagged.pk}
    assert listed(desk, "duplicates", reason="copy") == [copy.pk]
    assert listed(desk, "duplicates", reason="copied") == [original.pk]
    assert listed(desk, "duplicates", reason="flagged") == [flagged.pk]
    html = desk.get(f"{REVIEW}duplicates/").content.decode()
    assert f'<a href="/admin/articles/article/{original.pk}/change/">#{original.pk}</a>' in html


def test_marks_singly_and_in_bulk_and_undone(desk, complete):
    wikinews = Outlet.objects.create(name="Wikinews")
    wiki = [make(headline=f"Wiki {n}", **{**complete, "outlet": wikinews, "place": None}) for n in range(60)]
    other = make(headline="Undated bulletin", **{**complete, "published": None})
    one = wiki[0]

    response = desk.post(f"{REVIEW}missing/mark/", {"ids": [one.pk], "mark": "selected"}, follow=True)
    assert "Marked 1 article reviewed" in response.content.decode()
    mark = ReviewMark.objects.get(article=one)
    assert (mark.rule, mark.reviewed_by.username) == ("missing", "editor")
    assert one.pk not in listed(desk, "missing")
    assert listed(desk, "missing", reviewed="on") == [one.pk]
    rules = {rule["slug"]: rule for rule in desk.get(REVIEW).context["rules"]}
    assert rules["missing"]["count"] == 60

    # Every Wikinews article dismissed at once: all that match the filter, not only this page.
    response = desk.post(f"{REVIEW}missing/mark/", {"outlet": wikinews.pk, "mark": "all"})
    assert response.status_code == 302 and response["Location"] == f"{REVIEW}missing/?outlet={wikinews.pk}"
    assert listed(desk, "missing") == [other.pk]
    assert ReviewMark.objects.filter(rule="missing").count() == 60

    desk.post(f"{REVIEW}missing/mark/", {"ids": [wiki[1].pk, wiki[2].pk], "undo": "selected"})
    assert set(listed(desk, "missing")) == {other.pk, wiki[1].pk, wiki[2].pk}
    desk.post(f"{REVIEW}missing/mark/", {"undo": "all"})
    assert (
        len(listed(desk, "missing")) == 50
        and desk.get(f"{REVIEW}missing/").context["page"].paginator.count == 61
    )

    response = desk.post(f"{REVIEW}missing/mark/", {"mark": "selected"}, follow=True)
    assert "No article selected" in response.content.decode()


def test_a_mark_is_for_one_rule(desk, complete):
    article = make(body="", **{**complete, "published": None})  # empty and undated
    desk.post(f"{REVIEW}missing/mark/", {"ids": [article.pk], "mark": "selected"})
    assert article.pk not in ids(review.RULES["missing"].listed())
    assert article.pk in ids(review.RULES["empty"].listed())


def test_only_editors_mark(client, complete, django_user_model):
    article = make(**{**complete, "published": None})
    assert client.post(f"{REVIEW}missing/mark/", {"ids": [article.pk], "mark": "selected"}).status_code == 302
    assert client.get(f"{REVIEW}missing/").status_code == 302, "anonymous: to the login page"
    django_user_model.objects.create_user("viewer", password="pw-viewer-1", is_staff=True)
    viewer = Client()
    viewer.login(username="viewer", password="pw-viewer-1")
    assert viewer.get(f"{REVIEW}missing/").status_code == 403
    assert viewer.post(f"{REVIEW}missing/mark/", {"ids": [article.pk], "mark": "selected"}).status_code == 403
    assert viewer.post(f"{REVIEW}scan/").status_code == 403
    assert not ReviewMark.objects.exists() and not Job.objects.filter(kind="review_scan").exists()

    # Allowed to read the articles, not to change them: the lists, without the marks.
    viewer_user = django_user_model.objects.get(username="viewer")
    viewer_user.user_permissions.add(Permission.objects.get(codename="view_article"))
    page = viewer.get(f"{REVIEW}missing/")
    assert page.status_code == 200 and [a.pk for a in page.context["page"]] == [article.pk]
    assert 'name="ids"' not in page.content.decode() and "Mark all" not in page.content.decode()
    assert viewer.post(f"{REVIEW}missing/mark/", {"ids": [article.pk], "mark": "selected"}).status_code == 403
    assert not ReviewMark.objects.exists()


# -- CORRECTED- and RPT- items ---------------------------------------------------------------


@pytest.mark.parametrize(
    "headline, expected",
    [
        ("CORRECTED - HARBOUR BOARD RAISES DUES", ("corrected", "HARBOUR BOARD RAISES DUES")),
        ("CORRECTED-HARBOUR BOARD RAISES DUES", ("corrected", "HARBOUR BOARD RAISES DUES")),
        ("RPT-HARBOUR BOARD RAISES DUES", ("repeat", "HARBOUR BOARD RAISES DUES")),
        ("Corrected figures due", (None, "Corrected figures due")),
        ("RPTS SHOW GAINS", (None, "RPTS SHOW GAINS")),
    ],
)
def test_corrected_and_repeat_items_are_recognised(headline, expected):
    assert review.wire_prefix(headline) == expected


def test_the_wire_relation_of_two_headlines():
    assert review.wire_relation("CORRECTED - HARBOUR DUES RISE", "Harbour dues rise") == (
        "CORRECTED- item: corrects the second article's headline word for word"
    )
    assert review.wire_relation("HARBOUR DUES RISE", "RPT-HARBOUR DUES RISE").startswith(
        "RPT- item: repeats the first"
    )
    assert review.wire_relation("RPT-HARBOUR DUES RISE", "QUAY WORKERS STRIKE") == "RPT- item"
    assert review.wire_relation("HARBOUR DUES RISE", "QUAY WORKERS STRIKE") == ""


def test_a_corrected_item_is_badged_in_a_list(desk, complete):
    make(headline="CORRECTED - HARBOUR DUES RISE", **{**complete, "published": None})
    html = desk.get(f"{REVIEW}missing/").content.decode()
    assert '<span class="badge">correction</span>' in html
