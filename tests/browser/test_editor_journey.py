"""An editor's journey in a real browser: log in, retract an article with a note, see the note on the
public page (accessible, valid HTML), upload a raw copy file and read its job's report (accessible,
valid HTML), decide that a possible version is the same story and see it on the story page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from articles.models import Article
from tests.conftest import run_jobs
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.browser

NOTE = "The quotes attributed to the minister were wrong."


def log_in(page, base: str) -> None:
    page.goto(base + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_editor_retracts_an_article_and_readers_see_the_note(
    seeded, live_server, page, new_page, axe_check, served_html, html_errors
):
    make_editor()
    article = Article.objects.get(place__city="Vilnius")
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("row", name=re.compile("Bialiatski")).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("retract")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Retraction note").fill(NOTE)
    page.get_by_role("button", name="Retract articles").click()
    expect(page.locator(".messagelist")).to_contain_text("Retracted 1 article.")

    public = new_page()
    public.goto(live_server.url + article.get_absolute_url())
    notice = public.get_by_role("note")
    expect(notice).to_contain_text("This article has been retracted.")
    expect(notice).to_contain_text(NOTE)
    axe_check(public, "retracted article page")
    errors = html_errors([("retracted article", served_html(live_server.url + article.get_absolute_url()))])
    assert not errors, errors

    page.goto(live_server.url + "/?q=Bialiatski")
    expect(page.locator("ol.result-list li.result")).to_have_count(0)


def test_editor_uploads_a_raw_copy_file_and_reads_the_report(
    seeded, live_server, page, tmp_path, axe_check, html_errors
):
    editor = make_editor()
    copy = tmp_path / "lisbon.txt"
    copy.write_text(
        "Portugal opens new tram line\n\n"
        "LISBON, March 3 (Reuters) - Portugal opened a new tram line in Lisbon on Tuesday, "
        "the transport minister said, the first extension of the network in thirty years.\n\n"
        "The line links the airport with the eastern districts.\n"
    )
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="Upload raw copy").click()
    page.get_by_label("Files:", exact=True).set_input_files(str(copy))
    page.get_by_role("button", name="Upload and ingest").click()
    message = page.locator(".messagelist")
    expect(message).to_contain_text("Upload of 1 file queued: follow it on the Jobs page.")
    expect(page).to_have_url(re.compile(r"/admin/articles/article/$"))  # back where the editor was
    assert not Article.objects.filter(source_file="lisbon.txt").exists()
    axe_check(page, "article list with the upload's message")

    run_jobs()  # as the worker beside the server would

    message.get_by_role("link", name="Jobs page").click()
    report = page.locator(".upload-report")
    expect(report).to_contain_text("lisbon.txt")
    expect(report).to_contain_text("1 created, 0 updated, 0 unchanged")
    created = Article.objects.get(source_file="lisbon.txt")
    assert (created.outlet.name, created.place.city) == ("Reuters", "Lisbon")
    axe_check(page, "upload job")
    signed_in = Client()
    signed_in.force_login(editor)
    served = signed_in.get(urlsplit(page.url).path).content.decode()
    errors = html_errors([("upload job", served)])
    assert not errors, errors

    report.get_by_role("link", name=created.headline).click()
    expect(page.get_by_label("Headline:", exact=True)).to_have_value(created.headline)


def test_editor_decides_a_possible_version_and_the_story_page_lists_it(
    seeded, deal, live_server, page, axe_check, html_errors
):
    editor = make_editor()
    seller, _, approval = deal
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/articles/article/review/")
    page.get_by_role("link", name="Decide: the same story or not").click()
    pair = page.locator("section.possible-version").filter(has_text=approval.headline)
    expect(pair).to_contain_text("The Interstate Commerce Commission approved")
    axe_check(page, "possible versions")
    signed_in = Client()
    signed_in.force_login(editor)
    served = signed_in.get("/admin/articles/article/review/versions/").content.decode()
    errors = html_errors([("possible versions", served)])
    assert not errors, errors

    pair.get_by_role("button", name="The same story", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Both articles are now in the story")
    seller.refresh_from_db()
    page.goto(live_server.url + seller.story.get_absolute_url())
    expect(page.get_by_role("link", name=approval.headline).first).to_be_visible()


def test_the_admins_scripts_work_under_its_content_security_policy(seeded, live_server, page):
    """The article form's autocomplete (a request back to the admin) and the add-outlet popup (its
    response page closes the window through a script with data-popup-response) run under the admin's
    policy; the page fixture fails the test on any violation."""
    make_editor()
    article = Article.objects.get(place__city="Vilnius")
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.get_by_label("Headline:", exact=True)).to_have_value(article.headline)

    page.locator(".field-topics .select2-selection").click()
    page.locator(".select2-search__field").fill("Sanc")
    expect(page.locator(".select2-results__option", has_text="Sanctions")).to_be_visible()
    page.keyboard.press("Escape")

    with page.expect_popup() as opened:
        page.locator("#add_id_outlet").click()
    popup = opened.value
    popup.locator("#id_name").fill("Harbour Wire")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator("#id_outlet option:checked")).to_have_text("Harbour Wire")
    assert page.js_errors == []
