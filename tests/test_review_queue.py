"""The review queue: each rule, on the admin page and as a changelist filter."""

import datetime

import pytest
from django.utils import timezone

from articles import review
from articles.models import Article, Outlet, Place
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "The central bank raised its main interest rate by half a point on Tuesday, citing inflation."


@pytest.fixture
def complete(db):
    """What a complete article needs: an outlet and a dateline place."""
    return {
        "outlet": Outlet.objects.create(name="Daily Wire"),
        "place": Place.objects.create(city="Lisbon", country="Portugal"),
        "published": datetime.date(2024, 3, 5),
    }


def make(headline="Rates rise", body=BODY, **fields) -> Article:
    return Article.objects.create(headline=headline, body=body, **fields)


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_complete_articles_need_no_review(complete):
    make(**complete)
    make(headline="Other news", body="Something else entirely happened.", **complete)
    assert all(not ids(rule()) for _, rule in review.RULES.values())


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
    near = make(body=BODY.replace("Tuesday", "Tuesday morning"), **complete)
    other_outlet = make(body=BODY, **{**complete, "outlet": Outlet.objects.create(name="Other Wire")})
    rewritten = make(
        body="Rates went up. The bank blamed prices and wages, and expects more rises.", **complete
    )
    flagged = make(headline="Different words", body="Unrelated.", duplicate_of=original, **complete)
    assert ids(review.suspected_duplicates()) == {original.pk, near.pk, flagged.pk}
    assert not ids(review.suspected_duplicates()) & {other_outlet.pk, rewritten.pk}


def test_merged_duplicates_are_not_queued(complete):
    canonical = make(**complete)
    make(body="", status=Article.Status.MERGED, merged_into=canonical, **{**complete, "outlet": None})
    assert all(not ids(rule()) for _, rule in review.RULES.values())


def test_the_review_page_and_the_changelist_filter(client, complete):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    no_date = make(headline="Undated bulletin", **{**complete, "published": None})
    empty = make(headline="Blank copy", body="", **complete)
    page = client.get("/admin/articles/article/review/")
    assert page.status_code == 200
    rules = {rule["slug"]: rule for rule in page.context["rules"]}
    assert rules["missing"]["count"] == 1 and rules["empty"]["count"] == 1
    html = page.content.decode()
    assert "Undated bulletin" in html and "Blank copy" in html
    assert f"/admin/articles/article/{no_date.pk}/change/" in html
    changelist = client.get("/admin/articles/article/", {"review": "empty"})
    assert [a.pk for a in changelist.context["cl"].result_list] == [empty.pk]


def test_near_identical_copies_are_found_in_a_few_queries_whatever_the_groups(
    complete, django_assert_max_num_queries
):
    pairs = []
    for n in range(30):  # thirty outlet-and-headline groups of two
        first = make(headline=f"Rates rise {n}", body=f"{BODY} Figure {n}.", **complete)
        second = make(headline=f"RATES RISE {n}", body=f"{BODY} Figure {n}!", **complete)
        pairs += [first.pk, second.pk]
    make(headline="Rates rise 0", body="A different story under the same headline.", **complete)

    with django_assert_max_num_queries(3):  # a query a group before: 31
        found = review._near_identical_ids()
    assert found == set(pairs)
