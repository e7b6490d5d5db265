"""Possible versions in the review queue: pairs the story rule nearly joined, stored on ingest,
listed for editors, and decided by them (the same story, or not), decisions that stick."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article, ArticleChange, PossibleVersion
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

VERSIONS = "/admin/articles/article/review/versions/"


def the_pair(deal) -> PossibleVersion:
    _, buyer, approval = deal
    return PossibleVersion.objects.get(first=min(buyer.pk, approval.pk), second=max(buyer.pk, approval.pk))


def test_a_near_miss_is_stored_on_ingest_and_listed_for_editors(editor, deal):
    seller, buyer, approval = deal
    assert seller.story_id and seller.story_id == buyer.story_id and approval.story_id is None
    pair = the_pair(deal)
    assert pair.decision == "" and 0.5 <= pair.evidence < 0.76

    review = editor.get("/admin/articles/article/review/").content.decode()
    assert "Possible versions of one story: " in review and VERSIONS in review
    page = editor.get(VERSIONS).content.decode()
    assert "ICC APPROVES MERIDIAN PURCHASE OF THORNBURY" in page
    assert "MERIDIAN TO BUY THORNBURY FOR 84.5 MLN DLRS" in page
    assert "The Interstate Commerce Commission approved" in page, "each article's lead is shown"
    assert f'action="/admin/articles/article/review/versions/{pair.pk}/"' in page


def test_the_same_story_puts_them_together_for_search_at_once(editor, client, deal):
    seller, _, approval = deal
    pair = the_pair(deal)
    response = editor.post(f"{VERSIONS}{pair.pk}/", {"decision": "same", "order": "newest", "page": "1"})
    assert response.status_code == 302 and response["Location"] == VERSIONS + "?order=newest&page=1"

    pair.refresh_from_db()
    assert pair.decision == "same" and pair.decided_by.username == "editor" and pair.decided
    approval.refresh_from_db()
    assert approval.story_id == seller.story_id and approval.story_locked
    moved = ArticleChange.objects.get(article=approval)
    assert moved.user.username == "editor" and moved.changes == {"story": ["", str(approval.story)]}
    assert pair not in PossibleVersion.objects.undecided()
    assert f"{VERSIONS}{pair.pk}/" not in editor.get(VERSIONS).content.decode()
    results = client.get("/api/search", {"q": "Thornbury"}).json()["results"]
    assert {r["story"] for r in results} == {seller.story_id}, "search groups the three at once"


def test_not_the_same_is_remembered_through_a_rebuild(editor, deal):
    approval = deal[2]
    pair = the_pair(deal)
    undecided_before = PossibleVersion.objects.undecided().count()
    assert editor.post(f"{VERSIONS}{pair.pk}/", {"decision": "different"}).status_code == 302
    approval.refresh_from_db()
    assert approval.story_id is None and not approval.story_locked, "nothing moved"

    call_command("assign_stories", stdout=StringIO())
    pair.refresh_from_db()
    assert pair.decision == "different", "the verdict outlives the rebuild"
    assert PossibleVersion.objects.filter(first=pair.first_id, second=pair.second_id).count() == 1
    assert PossibleVersion.objects.undecided().count() == undecided_before - 1, "the others come back"


def test_a_missing_verdict_changes_nothing(editor, deal):
    pair = the_pair(deal)
    response = editor.post(f"{VERSIONS}{pair.pk}/", {"decision": "maybe"}, follow=True)
    assert "Choose “The same story” or “Not the same story”." in response.content.decode()
    pair.refresh_from_db()
    assert pair.decision == ""
    assert editor.get(f"{VERSIONS}{pair.pk}/").status_code == 405
    assert editor.post(f"{VERSIONS}999999/", {"decision": "same"}).status_code == 404


def test_a_pair_decided_meanwhile_is_reported_not_decided_again(editor, deal):
    approval = deal[2]
    pair = the_pair(deal)
    make_editor("second")
    second = Client()
    second.login(username="second", password=PASSWORD)
    assert second.post(f"{VERSIONS}{pair.pk}/", {"decision": "different"}).status_code == 302

    response = editor.post(f"{VERSIONS}{pair.pk}/", {"decision": "same", "order": "newest"}, follow=True)
    assert response.redirect_chain == [(VERSIONS + "?order=newest", 302)] and response.status_code == 200
    pair.refresh_from_db()
    assert "Already decided by second on " in response.content.decode()
    assert f"{pair.decided:%Y-%m-%d %H:%M}: not the same story." in response.content.decode()
    assert (pair.decision, pair.decided_by.username) == ("different", "second")
    approval.refresh_from_db()
    assert approval.story_id is None, "nothing moved"


def test_a_pair_one_story_holds_by_now_needs_no_decision(editor, deal):
    _, buyer, approval = deal
    Article.objects.filter(pk=approval.pk).update(story=buyer.story)
    pair = the_pair(deal)
    response = editor.post(f"{VERSIONS}{pair.pk}/", {"decision": "different"}, follow=True)
    assert "This pair needs no decision any more" in response.content.decode()
    pair.refresh_from_db()
    assert pair.decision == ""


def test_only_editors_see_and_decide(client, deal, django_user_model):
    pair = the_pair(deal)
    assert client.get(VERSIONS).status_code == 302, "anonymous: to the login page"
    assert client.post(f"{VERSIONS}{pair.pk}/", {"decision": "same"}).status_code == 302
    django_user_model.objects.create_user("viewer", password="pw-viewer-1", is_staff=True)
    client.login(username="viewer", password="pw-viewer-1")
    assert client.get(VERSIONS).status_code == 403
    assert client.post(f"{VERSIONS}{pair.pk}/", {"decision": "same"}).status_code == 403
    pair.refresh_from_db()
    assert pair.decision == ""


def test_the_list_is_most_likely_first_or_newest_first(editor, deal):
    pair = the_pair(deal)
    day = datetime.date(2020, 1, 1)
    old, other = (Article.objects.create(headline=f"Old {n}", body="Brief.", published=day) for n in (1, 2))
    older = PossibleVersion.objects.create(first=old, second=other, evidence=0.74)  # older, more likely

    def order(query: str) -> list[int]:
        page = editor.get(VERSIONS + query).content.decode()
        return [int(pk) for pk in re.findall(r'action="/admin/[\w/]+/versions/(\d+)/"', page)]

    assert {pair.pk, older.pk} <= set(order(""))
    assert order("").index(older.pk) < order("").index(pair.pk), "higher evidence first"
    assert order("?order=newest").index(pair.pk) < order("?order=newest").index(older.pk)
    assert order("?order=bogus") == order(""), "an unknown order is the default"


def _pairs(editor, query: dict | None = None) -> list[int]:
    page = editor.get(VERSIONS, query or {})
    assert page.status_code == 200
    return [pair.pk for pair in page.context["page"]]


@pytest.fixture
def more_pairs(deal):
    """Two more pairs beside the deal's: one of a CORRECTED- item and its original, of another
    outlet and day, and a weak one."""
    from articles.models import Outlet

    quay = Outlet.objects.create(name="Quayside Times")
    day = datetime.date(2021, 6, 2)
    original = Article.objects.create(
        headline="PORT DUES RISE", body="Dues rose.", outlet=quay, published=day
    )
    corrected = Article.objects.create(
        headline="CORRECTED - PORT DUES RISE", body="Dues rose again.", outlet=quay, published=day
    )
    weak_a, weak_b = (
        Article.objects.create(headline=f"Weak {n}", body="Brief.", published=day) for n in (1, 2)
    )
    return (
        PossibleVersion.objects.create(first=original, second=corrected, evidence=0.72),
        PossibleVersion.objects.create(first=weak_a, second=weak_b, evidence=0.52),
        quay,
    )


def test_the_list_is_filtered_by_day_outlet_evidence_and_items(editor, deal, more_pairs):
    corrected, weak, quay = more_pairs
    pair = the_pair(deal)
    assert set(_pairs(editor)) == {pair.pk, corrected.pk, weak.pk}
    assert set(_pairs(editor, {"day": "2021-06-02"})) == {corrected.pk, weak.pk}
    assert _pairs(editor, {"day": "2024-03-06"}) == [pair.pk]
    assert _pairs(editor, {"outlet": quay.pk}) == [corrected.pk]
    strong = _pairs(editor, {"evidence": "0.7"})
    assert corrected.pk in strong and weak.pk not in strong
    assert (pair.pk in strong) == (pair.evidence >= 0.7)
    assert weak.pk not in _pairs(editor, {"evidence": "0.6"})
    assert _pairs(editor, {"kind": "corrected"}) == [corrected.pk]
    assert _pairs(editor, {"kind": "repeat"}) == []
    bad = editor.get(VERSIONS, {"day": "yesterday", "evidence": "2"})
    assert bad.status_code == 200 and "Enter a valid date." in bad.content.decode()


def test_a_corrected_item_says_so_in_the_pair_evidence(editor, more_pairs):
    page = editor.get(VERSIONS, {"kind": "corrected"}).content.decode()
    assert "CORRECTED- item: corrects the first article&#x27;s headline word for word" in page
    assert '<span class="badge">correction</span>' in page


def test_pairs_are_decided_in_bulk(editor, deal, more_pairs):
    corrected, weak, _ = more_pairs
    pair = the_pair(deal)
    response = editor.post(
        f"{VERSIONS}decide/", {"ids": [corrected.pk, weak.pk], "decision": "different", "order": "newest"}
    )
    assert response.status_code == 302 and response["Location"] == VERSIONS + "?order=newest"
    for decided in (corrected, weak):
        decided.refresh_from_db()
        assert decided.decision == "different" and decided.decided_by.username == "editor"
    pair.refresh_from_db()
    assert pair.decision == "", "only the ticked pairs"
    assert _pairs(editor) == [pair.pk]

    # Ticked again (another editor's tab): counted as needing no decision, not decided again.
    response = editor.post(f"{VERSIONS}decide/", {"ids": [weak.pk, pair.pk], "decision": "same"}, follow=True)
    html = response.content.decode()
    assert "Decided 1 pair: the same story." in html and "1 needed no decision any more" in html
    weak.refresh_from_db()
    assert weak.decision == "different"
    seller, _, approval = deal
    approval.refresh_from_db()
    assert approval.story_id == seller.story_id


def test_a_bulk_verdict_needs_a_verdict_pairs_and_an_editor(editor, client, deal, django_user_model):
    pair = the_pair(deal)
    response = editor.post(f"{VERSIONS}decide/", {"ids": [pair.pk], "decision": "maybe"}, follow=True)
    assert "Choose “The same story” or “Not the same story”." in response.content.decode()
    response = editor.post(f"{VERSIONS}decide/", {"decision": "same"}, follow=True)
    assert "No pair selected" in response.content.decode()
    assert editor.get(f"{VERSIONS}decide/").status_code == 405
    django_user_model.objects.create_user("viewer", password="pw-viewer-1", is_staff=True)
    viewer = Client()
    viewer.login(username="viewer", password="pw-viewer-1")
    assert viewer.post(f"{VERSIONS}decide/", {"ids": [pair.pk], "decision": "same"}).status_code == 403
    pair.refresh_from_db()
    assert pair.decision == ""
