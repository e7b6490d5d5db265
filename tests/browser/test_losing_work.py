"""Losing no work, in a real browser: two editors edit one article at once (the second save is
refused and comes back merged, saved on the second click), and an article deleted goes to the trash
(its page answers 410) and comes back from there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.browser


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_two_editors_edit_one_article_and_neither_loses_work(seeded, live_server, page, new_page):
    make_editor("anna")
    make_editor("ben")
    article = Article.objects.get(place__city="Vilnius")
    form = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    anna, ben = page, new_page(viewport={"width": 1280, "height": 900})
    log_in(anna, live_server.url, "anna")
    log_in(ben, live_server.url, "ben")
    anna.goto(form)
    ben.goto(form)

    anna.get_by_label("Byline:").fill("By Anna Field")
    anna.get_by_role("button", name="Save", exact=True).click()
    expect(anna.locator(".messagelist")).to_contain_text("was changed successfully")

    ben.get_by_label("Editor:", exact=True).fill("Ben Desk")
    ben.get_by_role("button", name="Save", exact=True).click()
    expect(ben.locator(".errornote, .errorlist").first).to_be_visible()
    expect(ben.locator("#content-main")).to_contain_text("anna changed byline")
    expect(ben.get_by_label("Byline:")).to_have_value("By Anna Field")
    expect(ben.get_by_label("Editor:", exact=True)).to_have_value("Ben Desk")
    article.refresh_from_db()
    assert article.editor == "", "nothing of ben's saved before he saw the merge"

    ben.get_by_role("button", name="Save", exact=True).click()
    expect(ben.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert (article.byline, article.editor) == ("By Anna Field", "Ben Desk")


def test_an_article_deleted_goes_to_the_trash_and_comes_back(seeded, live_server, page, new_page, axe_check):
    make_editor("anna")
    article = Article.objects.get(place__city="Vilnius")
    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Yes, move it to the trash").click()
    expect(page.locator(".messagelist")).to_contain_text("is in the trash")

    reader = new_page()
    gone = reader.goto(live_server.url + article.get_absolute_url())
    assert gone.status == 410
    expect(reader.get_by_role("heading", name="Gone")).to_be_visible()

    page.get_by_role("link", name="Restore it from the trash").click()
    axe_check(page, "the trash")
    page.get_by_role("row", name=re.compile("Bialiatski")).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("restore_from_trash")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored 1 article.")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    back = reader.goto(live_server.url + article.get_absolute_url())
    assert back.status == 200
    page.goto(live_server.url + "/?q=Bialiatski")
    expect(page.locator("ol.result-list li.result")).to_have_count(1)

    # Its history: the move to the trash and back, each restorable after a confirmation.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/history/")
    page.get_by_role("link", name="Restore as before this change…").first.click()
    expect(page.get_by_role("heading", name="Restore as before this change?")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("trashed")
    axe_check(page, "the restore confirmation")
    page.get_by_role("link", name="No, back to the history").click()
    expect(page.locator("#change-history")).to_contain_text("moved to the trash")


def test_a_merge_of_two_outlets_warns_and_goes_ahead_only_when_the_editor_says_so(seeded, live_server, page):
    make_editor("anna")
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=5)  # UN News and Gaya One
    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/admin/articles/article/")
    for article in (kept, other):
        page.locator(f'input[name="_selected_action"][value="{article.pk}"]').check()
    page.get_by_label("Action:").select_option("merge_articles")
    page.get_by_role("button", name="Go").click()
    warning = page.get_by_role("heading", name="Warning: these may not be copies of one article")
    expect(warning).to_be_visible()
    expect(page.locator(".merge-warnings")).to_contain_text("different outlets")

    page.get_by_role("button", name=re.compile("Merge", re.I)).last.click()  # without "merge anyway"
    expect(warning).to_be_visible()
    assert Article.objects.filter(status=Article.Status.MERGED).count() == 0, "nothing merged yet"

    page.get_by_label(re.compile("Merge anyway")).check()
    page.get_by_role("button", name=re.compile("Merge", re.I)).last.click()
    expect(page.locator(".messagelist")).to_be_visible()
    merged = [a for a in (kept, other) if Article.objects.get(pk=a.pk).status == Article.Status.MERGED]
    assert len(merged) == 1, "one of the two was merged into the other"
