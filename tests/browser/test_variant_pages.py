"""The learned name variants in a real browser: the review overview's section and the list of pairs
waiting for an editor (each with its evidence sentences, its checkbox, its Accept and Reject) reflow
at 390 and 1280 px, show their key content, pass axe-core and the Nu checker; an editor ticks a pair
and accepts it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from articles.jobs.models import Job
from articles.models import AliasGroup, Article
from articles.variants.models import VariantSuggestion
from tests.browser.test_editor_journey import log_in
from tests.browser.test_every_page import ADMIN_WIDTHS, ARTIFACTS, _check_admin_page
from tests.editors import make_editor

pytestmark = pytest.mark.browser

REVIEW = "/admin/articles/article/review/"
VARIANTS = f"{REVIEW}variants/"
MISSION = "United Nations Assistance Mission for Iraq"
PAGES = {
    "admin-review-variants": (
        REVIEW,
        ["#review-variants-heading", f'#review-variants a[href="{VARIANTS}"]', "#review-variants button"],
    ),
    "admin-variants": (
        VARIANTS,
        [
            ".kinds a",
            "#decide-variants button[value=accept]",
            ".variant-suggestion h2 input[type=checkbox]",
            ".variant-suggestion .version li mark",
            ".variant-suggestion .version li a",
            ".variant-suggestion .meta a",
            ".variant-suggestion form.decide button[name=accept]",
            ".variant-suggestion form.decide button[name=reject]",
        ],
    ),
}


def _suggestions() -> tuple[VariantSuggestion, VariantSuggestion]:
    """Two pending pairs with invented evidence sentences in seed articles; the acronym's long form
    already in a group, so its page says which group accepting joins; and the learning run that
    found them, which both pages tell of."""
    one, two = Article.objects.order_by("pk")[:2]
    Job.objects.create(
        kind="learn_variants",
        label="Learn name variants from the archive",
        state=Job.State.SUCCEEDED,
        finished=timezone.now(),
        outcome="Found 2 pairs of name variants: 2 new, 2 waiting for an editor.",
    )
    AliasGroup.objects.create(names="UNAMI\nUN mission in Iraq", note="An editor's")
    acronym = VariantSuggestion.objects.create(
        first=MISSION,
        second="UNAMI",
        kind=VariantSuggestion.Kind.ACRONYM,
        articles=2,
        evidence={
            "first": [
                {
                    "article": one.pk,
                    "sentence": f"The {MISSION} (UNAMI) said on Sunday that its staff in Baghdad and Erbil "
                    "would hand their files on displaced families to the provincial councils by March.",
                }
            ],
            "second": [
                {"article": two.pk, "sentence": "UNAMI officials declined to say how many posts would go."}
            ],
        },
    )
    person = VariantSuggestion.objects.create(
        first="Ales Bialiatski",
        second="Ales Byalyatski",
        kind=VariantSuggestion.Kind.TRANSLITERATION,
        articles=2,
        evidence={
            "first": [
                {"article": one.pk, "sentence": "Ales Bialiatski said the Viasna centre would keep working."}
            ],
            "second": [
                {"article": two.pk, "sentence": "Supporters of Ales Byalyatski gathered outside the court."}
            ],
        },
    )
    return acronym, person


def test_the_learned_variants_pages_reflow_and_pass_axe_and_the_nu_checker(
    seeded, live_server, new_page, axe_check, html_errors
):
    """At 390 and 1280 px: no horizontal overflow, key content visible, 0 axe violations, a
    screenshot of each; then the Nu checker on each page as served."""
    user = make_editor()
    _suggestions()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for width in ADMIN_WIDTHS:
        page = new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url)
        for name, (path, selectors) in PAGES.items():
            page.goto(live_server.url + path)
            failures += _check_admin_page(page, name, width, selectors, axe_check)
    client = Client()
    client.force_login(user)
    errors = html_errors([(name, client.get(path).content.decode()) for name, (path, _) in PAGES.items()])
    failures += [f"Nu: {e['document']}: {e.get('message')} {e.get('extract', '')!r}" for e in errors]
    assert not failures, "\n".join(failures)


def test_editor_ticks_a_pair_and_accepts_it(seeded, live_server, page, axe_check):
    make_editor()
    acronym, person = _suggestions()
    log_in(page, live_server.url)
    page.goto(live_server.url + REVIEW)
    page.locator("#review-variants").get_by_role("link", name="Accept or reject them").click()
    page.get_by_role("checkbox", name="Select Ales Bialiatski = Ales Byalyatski").check()
    page.locator("#decide-variants").get_by_role("button", name="Accept").click()
    expect(page.locator(".messagelist")).to_contain_text("Accepted into Name variants: 1 pair.")
    expect(page.get_by_role("heading", name="Ales Bialiatski = Ales Byalyatski")).to_have_count(0)
    axe_check(page, "the list after a decision")
    person.refresh_from_db()
    acronym.refresh_from_db()
    assert (person.status, acronym.status) == ("accepted", "pending")
    assert AliasGroup.objects.get(names__contains="Byalyatski").name_list() == [
        "Ales Bialiatski",
        "Ales Byalyatski",
    ]
