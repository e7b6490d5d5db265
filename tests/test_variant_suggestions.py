"""Learned name variants in the review queue: the scan stores them, editors accept or reject them
one at a time or together, a rejected pair is never offered again, an accepted one joins the name
variants table and search finds either spelling by the other."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.jobs.models import Job
from articles.models import AliasGroup, Article, IndexTask, Outlet, Story
from articles.search import aliases, entity_names, indexing
from articles.variants import scan
from articles.variants.models import VariantSuggestion
from tests.conftest import run_jobs
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

REVIEW = "/admin/articles/article/review/"
VARIANTS = f"{REVIEW}variants/"
MINSK = "Ales {} said on Monday that the Viasna centre in Minsk would keep working despite raids in Belarus."


@pytest.fixture
def archive(search_backend):
    """Invented articles: an acronym defined, a person's name spelled two ways, and a story whose
    two versions spell its main name differently."""
    Article.objects.create(
        headline="Mission closes",
        body="<p>The United Nations Assistance Mission for Iraq (UNAMI) closed in Baghdad on Sunday.</p>",
    )
    Article.objects.create(headline="Rights centre raided", body=f"<p>{MINSK.format('Bialiatski')}</p>")
    Article.objects.create(headline="Campaigner defiant", body=f"<p>{MINSK.format('Byalyatski')}</p>")
    story = Story.objects.create(title="Mission head speaks")
    for outlet, name in (("UN News", "Al-Hassan"), ("Gulf Wire", "Al-Hussein")):
        Article.objects.create(
            headline="Mission head speaks",
            body=f"<p>Mission head Mohamed {name} spoke to reporters in Baghdad about the handover.</p>",
            outlet=Outlet.objects.create(name=outlet),
            story=story,
        )


@pytest.fixture
def desk(client):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


def offered() -> dict[tuple[str, str], VariantSuggestion]:
    return {(s.first, s.second): s for s in VariantSuggestion.objects.pending()}


def found(client, q) -> set[str]:
    return {r["headline"] for r in client.get("/api/search", {"q": q}).json()["results"]}


def test_the_scan_offers_each_kind_with_its_evidence(archive):
    learned = scan.learn()
    assert set(offered()) == {
        ("United Nations Assistance Mission for Iraq", "UNAMI"),
        ("Ales Bialiatski", "Ales Byalyatski"),
        ("Mohamed Al-Hassan", "Mohamed Al-Hussein"),
    }
    assert (learned.found, learned.new, learned.pending) == (3, 3, 3)
    person = offered()["Ales Bialiatski", "Ales Byalyatski"]
    assert person.kind == "transliteration" and person.articles == 2
    rights, defiant = Article.objects.filter(
        headline__in=["Rights centre raided", "Campaigner defiant"]
    ).order_by("pk")
    assert person.evidence == {
        "first": [{"article": rights.pk, "sentence": MINSK.format("Bialiatski")}],
        "second": [{"article": defiant.pk, "sentence": MINSK.format("Byalyatski")}],
    }
    assert offered()["Mohamed Al-Hassan", "Mohamed Al-Hussein"].kind == "spelling"
    assert scan.learn().new == 0, "a second scan adds nothing"


def test_a_rejected_pair_is_not_offered_again_and_a_grouped_one_not_at_all(archive, desk):
    AliasGroup.objects.create(names="UNAMI\nUnited Nations Assistance Mission for Iraq")
    scan.learn()
    assert ("United Nations Assistance Mission for Iraq", "UNAMI") not in offered()
    person = offered()["Ales Bialiatski", "Ales Byalyatski"]
    response = desk.post(f"{VARIANTS}decide/", {"reject": person.pk}, follow=True)
    assert "Rejected (never offered again): 1 pair." in response.content.decode()
    person.refresh_from_db()
    assert person.status == "rejected" and person.decided_by.username == "editor" and person.decided
    assert scan.learn().new == 0
    assert set(offered()) == {("Mohamed Al-Hassan", "Mohamed Al-Hussein")}
    assert not AliasGroup.objects.filter(names__contains="Byalyatski").exists()


def test_accepting_adds_the_pair_and_search_finds_both_spellings(archive, desk, client):
    scan.learn()
    assert found(client, "Byalyatski") == {"Campaigner defiant"}
    person = offered()["Ales Bialiatski", "Ales Byalyatski"]
    page = desk.get(VARIANTS).content.decode()
    assert "Ales <mark>Bialiatski</mark>" not in page  # the whole name is marked
    assert "<mark>Ales Bialiatski</mark> said on Monday" in page
    assert f'href="/admin/articles/article/{person.evidence["first"][0]["article"]}/change/"' in page
    desk.post(f"{VARIANTS}decide/", {"accept": person.pk})
    group = AliasGroup.objects.get(names__contains="Byalyatski")
    assert group.name_list() == ["Ales Bialiatski", "Ales Byalyatski"]
    assert group.note.startswith("Learned from the archive (one person spelled two ways): articles #")
    assert found(client, '"Ales Byalyatski"') == {"Campaigner defiant", "Rights centre raided"}
    person.refresh_from_db()
    assert person.status == "accepted"
    response = desk.post(f"{VARIANTS}decide/", {"reject": person.pk}, follow=True)
    assert "was accepted by editor already" in response.content.decode()


def test_accepting_joins_the_group_holding_either_name(archive, desk):
    existing = AliasGroup.objects.create(names="UN\nUnited Nations", note="Starter list")
    mission = AliasGroup.objects.create(names="UNAMI\nUN mission in Iraq", note="An editor's")
    scan.learn()
    acronym = offered()["United Nations Assistance Mission for Iraq", "UNAMI"]
    page = desk.get(VARIANTS, {"kind": "acronym"}).content.decode()
    link = f'<a href="/admin/articles/aliasgroup/{mission.pk}/change/">UNAMI = UN mission in Iraq</a>'
    assert f"Accepting adds it to the group “{link}”." in page
    desk.post(f"{VARIANTS}decide/", {"accept": acronym.pk})
    mission.refresh_from_db()
    assert mission.name_list() == [
        "UNAMI",
        "UN mission in Iraq",
        "United Nations Assistance Mission for Iraq",
    ]
    assert mission.note == "An editor's"
    existing.refresh_from_db()
    assert existing.name_list() == ["UN", "United Nations"]


def test_an_acronym_standing_for_another_body_is_not_accepted(archive, desk):
    environment = AliasGroup.objects.create(names="EPA\nEnvironmental Protection Agency")
    Article.objects.create(
        headline="Planners cut forecast",
        body="<p>The Economic Planning Agency (EPA) cut its growth forecast for next year on Friday.</p>",
    )
    scan.learn()
    pairs = offered()
    planning = pairs["Economic Planning Agency", "EPA"]
    person = pairs["Ales Bialiatski", "Ales Byalyatski"]
    response = desk.post(f"{VARIANTS}decide/", {"accept": planning.pk}, follow=True)
    refused = (
        "“EPA” already stands for “Environmental Protection Agency” in the group "
        "“EPA = Environmental Protection Agency”, not for “Economic Planning Agency”: two bodies, "
        "it seems. If they really are one, add the name to that group in Name variants by hand."
    )
    assert refused in response.content.decode()
    response = desk.post(
        f"{VARIANTS}decide/", {"decision": "accept", "ids": [planning.pk, person.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Accepted into Name variants: 1 pair." in page and refused in page
    environment.refresh_from_db()
    assert environment.name_list() == ["EPA", "Environmental Protection Agency"]
    assert aliases.group_of("Economic Planning Agency") is None
    assert VariantSuggestion.objects.get(pk=planning.pk).status == "pending"
    assert VariantSuggestion.objects.get(pk=person.pk).status == "accepted"
    desk.post(f"{VARIANTS}decide/", {"reject": planning.pk})
    assert VariantSuggestion.objects.get(pk=planning.pk).status == "rejected"


def people(client) -> dict[str, int]:
    return {f["value"]: f["count"] for f in client.get("/api/search").json()["facets"]["person"]}


BOTH = "Ales Bialiatski (Ales Byalyatski)"  # the group's label: its first name, and the other


def test_accepting_relabels_the_people_facet_without_a_rebuild(archive, desk, client):
    scan.learn()
    # Not in the pair's evidence: found by search.
    Article.objects.create(headline="Appeal heard", body=f"<p>{MINSK.format('Byalyatski')}</p>")
    assert {"Ales Bialiatski": 1, "Ales Byalyatski": 2}.items() <= people(client).items()
    desk.post(f"{VARIANTS}decide/", {"accept": offered()["Ales Bialiatski", "Ales Byalyatski"].pk})
    assert not IndexTask.objects.exists(), "the request applied its few articles itself"
    found = people(client)
    assert found[BOTH] == 3 and "Ales Bialiatski" not in found and "Ales Byalyatski" not in found


def test_many_articles_to_relabel_are_left_to_the_index_job(archive, desk, client, monkeypatch):
    scan.learn()
    person = offered()["Ales Bialiatski", "Ales Byalyatski"]
    labels = entity_names._labels()
    monkeypatch.setattr(indexing, "REQUEST_BATCH", 1)
    desk.post(f"{VARIANTS}decide/", {"accept": person.pk})
    ids = {int(s["article"]) for side in person.evidence.values() for s in side}
    assert set(IndexTask.objects.values_list("article_id", flat=True)) == ids
    assert BOTH not in people(client)
    entity_names._cache.update(labels=labels)  # as a worker that read the table before the accept
    run_jobs()
    assert not IndexTask.objects.exists()
    assert people(client)[BOTH] == 2


def test_bulk_accept_and_reject(archive, desk):
    scan.learn()
    pairs = offered()
    acronym = pairs["United Nations Assistance Mission for Iraq", "UNAMI"]
    person = pairs["Ales Bialiatski", "Ales Byalyatski"]
    spelling = pairs["Mohamed Al-Hassan", "Mohamed Al-Hussein"]
    response = desk.post(
        f"{VARIANTS}decide/", {"decision": "accept", "ids": [acronym.pk, person.pk]}, follow=True
    )
    assert "Accepted into Name variants: 2 pairs." in response.content.decode()
    assert aliases.group_of("UNAMI") == aliases.group_of("United Nations Assistance Mission for Iraq")
    assert aliases.group_of("Ales Byalyatski") == aliases.group_of("Ales Bialiatski") is not None
    desk.post(f"{VARIANTS}decide/", {"decision": "reject", "ids": [spelling.pk, "x"], "kind": "spelling"})
    assert dict(VariantSuggestion.objects.values_list("pk", "status")) == {
        acronym.pk: "accepted",
        person.pk: "accepted",
        spelling.pk: "rejected",
    }
    response = desk.post(f"{VARIANTS}decide/", {"decision": "accept"}, follow=True)
    assert "No pair selected" in response.content.decode()


def test_the_review_page_counts_them_and_queues_the_learning_job(archive, desk):
    page = desk.get(REVIEW).content.decode()
    assert "Name variants learned from the archive: 0" in page
    response = desk.post(f"{VARIANTS}learn/", follow=True)
    assert "Learning name variants queued" in response.content.decode()
    [job] = Job.objects.filter(kind="learn_variants")
    run_jobs()  # with the search index's own
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.done == job.total == Article.objects.count()
    assert job.outcome == "Found 3 pairs of name variants: 3 new, 3 waiting for an editor."
    page = desk.get(REVIEW).content.decode()
    assert "Name variants learned from the archive: 3" in page
    assert f'href="{VARIANTS}"' in page
    assert ": Found 3 pairs of name variants: 3 new, 3 waiting for an editor.</p>" in page
    by_kind = desk.get(VARIANTS, {"kind": "acronym"})
    assert "3 waiting for an editor.</p>" in by_kind.content.decode()
    assert [s.first for s in by_kind.context["page"]] == ["United Nations Assistance Mission for Iraq"]


def test_only_editors_who_may_change_name_variants_decide(archive, client):
    scan.learn()
    pk = VariantSuggestion.objects.first().pk
    get_user_model().objects.create_user("reader", password=PASSWORD, is_staff=True)
    client.login(username="reader", password=PASSWORD)
    assert client.get(VARIANTS).status_code == 403
    assert client.post(f"{VARIANTS}decide/", {"accept": pk}).status_code == 403
    assert client.post(f"{VARIANTS}learn/").status_code == 403
    assert "Learn name variants" not in client.get(REVIEW).content.decode()
    assert client.get(f"{VARIANTS}decide/").status_code == 405
    assert VariantSuggestion.objects.get(pk=pk).status == "pending"
    assert not AliasGroup.objects.exists()


def test_the_command_learns_too(archive):
    out = io.StringIO()
    call_command("learn_variants", stdout=out)
    assert out.getvalue().strip() == "Found 3 pairs of name variants: 3 new, 3 waiting for an editor."
