"""The review queue in a real browser: an editor opens a rule's list, filters it, marks an article
reviewed; the overview, the list and the possible versions are accessible, valid HTML."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from articles.models import Article, ReviewMark
from tests.browser.test_editor_journey import log_in
from tests.editors import make_editor

pytestmark = pytest.mark.browser


def test_editor_marks_an_article_reviewed(seeded, deal, live_server, page, axe_check, html_errors):
    editor = make_editor()
    undated = Article.objects.create(headline="Harbour board bulletin", body="Dues rise.", published=None)
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/articles/article/review/")
    axe_check(page, "review queue")
    page.locator("#review-missing").get_by_role("link", name="Review").click()
    page.get_by_label("Reason:").select_option("date")
    page.get_by_role("button", name="Filter").click()
    axe_check(page, "a rule's list")
    row = page.get_by_role("row").filter(has_text=undated.headline)
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Mark the selected reviewed").click()
    expect(page.locator(".messagelist")).to_contain_text("Marked 1 article reviewed")
    assert ReviewMark.objects.filter(article=undated, rule="missing").exists()
    expect(page.get_by_role("row").filter(has_text=undated.headline)).to_have_count(0)

    signed_in = Client()
    signed_in.force_login(editor)
    served = [
        (name, signed_in.get(url).content.decode())
        for name, url in [
            ("review queue", "/admin/articles/article/review/"),
            ("a rule's list", "/admin/articles/article/review/missing/?reviewed=on"),
            ("possible versions", "/admin/articles/article/review/versions/?evidence=0.6"),
        ]
    ]
    errors = html_errors(served)
    assert not errors, errors
