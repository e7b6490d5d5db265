"""The archive in a real browser: search, facets, article pages; accessibility and HTML validity.

Runs Debian's headless chromium through Playwright against pytest-django's live server,
with the seed archive committed and indexed in Whoosh.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from articles.models import Article
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.browser

SCREENSHOT = Path(tempfile.gettempdir()) / "newsarchive-search.png"  # /tmp on Linux
LOCKOUT_SCREENSHOT = str(Path(tempfile.gettempdir()) / "newsarchive-lockout-{width}.png")
COUNT_HEADING = re.compile(r"^(\d+) results? for “Guterres”$")


def _count(heading_text: str) -> int:
    match = COUNT_HEADING.match(heading_text.strip())
    assert match, f"unexpected result heading: {heading_text!r}"
    return int(match.group(1))


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_search_facet_article(seeded, live_server, page, axe_check):
    """Type a query, narrow by outlet, open a result: each step visible as a reader sees it."""
    page.goto(live_server.url + "/")
    main = page.get_by_role("main")
    box = main.get_by_role("searchbox", name="Search the archive")
    box.fill("Guterres")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=Guterres(&|$)"))

    heading = page.locator("#results-heading")
    results = page.locator("ol.result-list li.result")
    before = _count(heading.inner_text())
    assert before >= 3, f"seed archive has several Guterres stories, heading says {before}"
    expect(results).to_have_count(min(before, 20))
    expect(main.get_by_role("searchbox", name="Search the archive")).to_have_value("Guterres")

    facets = page.get_by_role("complementary", name="Refine results")
    outlet_facet = facets.locator("section.facet", has=page.get_by_role("heading", name="Outlet"))
    un_news = outlet_facet.get_by_role("link", name=re.compile(r"^UN News \(\d+\)$"))
    expect(un_news).to_have_count(1)
    facet_count = int(re.search(r"\((\d+)\)", un_news.inner_text()).group(1))
    assert 0 < facet_count < before, "the facet should narrow the results"
    page.screenshot(path=SCREENSHOT, full_page=True)
    axe_check(page, "search page with results")

    un_news.click()
    expect(heading).not_to_have_text(f"{before} results for “Guterres”")
    after = _count(heading.inner_text())
    assert after == facet_count, f"heading says {after}, the facet link promised {facet_count}"
    assert _query(page.url).get("outlet") == ["UN News"]
    assert _query(page.url).get("q") == ["Guterres"], "the facet link must keep the query"
    expect(results).to_have_count(after)
    outlets = results.locator(".meta .outlet").all_inner_texts()
    assert outlets == ["UN News"] * after, outlets

    chips = page.locator(".active-filters")
    expect(chips.get_by_role("link", name="Remove filter Outlet: UN News")).to_be_visible()
    expect(chips).to_contain_text("Outlet: UN News")
    expect(outlet_facet.locator("a[aria-current=true]")).to_have_text(re.compile(r"^UN News \("))
    axe_check(page, "search page filtered by outlet")

    first = page.locator("ol.result-list li.result h3 a").first
    headline = first.inner_text().strip()
    assert headline
    first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/[-\w]+/(\?from=[^#]*)?$"))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(headline)
    meta = page.locator("dl.article-meta")
    expect(meta.locator("dt", has_text="Outlet")).to_be_visible()
    expect(meta.locator("dt:has-text('Outlet') + dd")).to_have_text("UN News")
    # The title: the headline without the note read out for a supplied one ("title supplied by …").
    expect(page).to_have_title(re.compile(re.escape(headline.splitlines()[0])))
    axe_check(page, "article page")
    assert page.js_errors == []


def test_search_and_filter_without_javascript(seeded, live_server, page_no_js):
    """Everything is links and GET forms: a reader without JavaScript can search, sort and filter."""
    page = page_no_js
    page.goto(live_server.url + "/")
    header_search = page.get_by_role("search")
    header_search.get_by_role("searchbox").fill("Iraq")
    header_search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Iraq(&|$)"))
    heading = page.locator("#results-heading")
    expect(heading).to_have_text(re.compile(r"^\s*\d+ results? for “Iraq”\s*$"))
    total = int(heading.inner_text().split()[0])
    assert total >= 3

    facets = page.get_by_role("complementary", name="Refine results")
    un_news = facets.get_by_role("link", name=re.compile(r"^UN News \(\d+\)$"))
    expected = int(re.search(r"\((\d+)\)", un_news.inner_text()).group(1))
    un_news.click()
    expect(heading).to_have_text(re.compile(rf"^\s*{expected} results? for “Iraq”\s*$"))
    assert expected < total
    outlets = page.locator("ol.result-list li.result .outlet").all_inner_texts()
    assert outlets == ["UN News"] * expected

    # Re-sorting with the form keeps the filter (hidden inputs) and the query.
    page.get_by_role("main").get_by_label("Sort").select_option("oldest")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    params = _query(page.url)
    assert params.get("sort") == ["oldest"] and params.get("outlet") == ["UN News"], page.url
    assert params.get("q") == ["Iraq"], page.url
    expect(heading).to_have_text(re.compile(rf"^\s*{expected} results? for “Iraq”\s*$"))
    expect(page.get_by_role("main").get_by_label("Sort")).to_have_value("oldest")

    # The chip removes the filter again.
    page.get_by_role("link", name="Remove filter Outlet: UN News").click()
    expect(heading).to_have_text(re.compile(rf"^\s*{total} results? for “Iraq”\s*$"))
    assert "outlet" not in _query(page.url)
    expect(page.locator(".active-filters")).to_have_count(0)

    # Result links are plain links too.
    page.locator("ol.result-list li.result h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/[-\w]+/(\?from=[^#]*)?$"))
    expect(page.locator("h1")).not_to_be_empty()


def test_html_is_valid(seeded, live_server, served_html, html_errors):
    """The main pages, exactly as served, pass the Nu HTML Checker (one JVM run for all of them)."""
    belarus = Article.objects.get(pk=2)
    assert belarus.captions.exists() and belarus.topics.exists() and belarus.versions.exists()
    no_outlet = Article.objects.get(pk=3)
    pages = {
        "home": "/",
        "search with query and filter": "/?q=Guterres&outlet=UN+News&sort=newest",
        "search with two filters": "/?topic=Iraq&outlet=AP&outlet=UN+News",
        "zero results": "/?q=zzyzxquux",
        "article with captions, topics, versions": belarus.get_absolute_url(),
        "article without outlet or date": no_outlet.get_absolute_url(),
    }
    documents = [(name, served_html(live_server.url + path)) for name, path in pages.items()]
    documents.append(("login lockout page", _locked_out_html()))
    served = dict(documents)
    assert 'ol class="result-list"' in served["search with query and filter"]
    assert "No results" in served["zero results"]
    for section in ("captions-heading", "topics-heading", "versions-heading"):
        assert section in served["article with captions, topics, versions"]
    errors = html_errors(documents)
    assert not errors, "Nu HTML Checker errors:\n" + "\n".join(
        f"[{e['document']}] line {e.get('lastLine')}: {e.get('message')}\n    {e.get('extract', '')!r}"
        for e in errors
    )


def test_zero_results_page_is_accessible(seeded, live_server, page, axe_check):
    page.goto(live_server.url + "/?q=zzyzxquux")
    expect(page.locator("#results-heading")).to_have_text("No results for “zzyzxquux”")
    expect(page.locator("ol.result-list li")).to_have_count(0)
    axe_check(page, "zero-results page")


def test_article_page_is_accessible(seeded, live_server, page, axe_check):
    """The richest article page: captions, topic links, earlier versions in <details>."""
    page.goto(live_server.url + Article.objects.get(pk=2).get_absolute_url())
    expect(page.get_by_role("heading", name="Photo captions")).to_be_visible()
    expect(page.get_by_role("heading", name="Earlier versions")).to_be_visible()
    page.locator("details summary").first.click()  # open it, so axe checks its content too
    expect(page.locator("details").first).to_have_attribute("open", "")
    axe_check(page, "article page with captions, topics and versions")
    page.get_by_role("region", name="Topics").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/\?topic="))
    expect(page.locator(".active-filters")).to_contain_text("Topic: ")


def test_paging_through_the_demo_archive(demo, live_server, page):
    """Next/Previous walk the whole archive without repeating or skipping a story."""
    page.goto(live_server.url + "/")
    heading = page.locator("#results-heading")
    total = int(heading.inner_text().split()[0])
    assert total > 40, heading.inner_text()
    links = page.locator("ol.result-list li.result h3 a")
    seen = []
    for number in (1, 2, 3):
        expect(page.locator(".pagination")).to_contain_text(f"Page {number} of ")
        expect(page.locator("ol.result-list")).to_have_attribute("start", str((number - 1) * 20 + 1))
        expect(links).to_have_count(20)
        seen += [a.get_attribute("href") for a in links.all()]
        page.get_by_role("link", name="Next").click()
    assert len(set(seen)) == len(seen) == 60, "a page repeated a story"
    page.get_by_role("link", name="Previous").click()
    expect(page.locator(".pagination")).to_contain_text("Page 3 of ")
    assert [a.get_attribute("href") for a in links.all()] == seen[40:]


def _locked_out_html() -> str:
    """The login throttle's page as served (a POST answered 429, so not through served_html)."""
    make_editor()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 429, response.status_code
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def test_the_login_lockout_page_is_clear_and_accessible(seeded, live_server, page, axe_check):
    """Wrong passwords in the real login form until the throttle answers: its page reads well at a
    phone's and a desktop's width, passes axe and refuses the right password too."""
    make_editor()
    page.goto(live_server.url + "/admin/")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill(f"wrong password {attempt}")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Log in").click()
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert navigation.value.status == 200
            expect(page.locator(".errornote")).to_contain_text(
                "Please enter the correct username and password"
            )
    assert navigation.value.status == 429
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Too many failed logins")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    expect(page.locator(".errornote")).to_contain_text(f"locked out for {minutes} minutes")
    expect(page.get_by_role("main")).to_contain_text("manage.py axes_reset_username")
    axe_check(page, "login lockout page")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=LOCKOUT_SCREENSHOT.format(width=width), full_page=True)
        document_width = page.evaluate("document.documentElement.scrollWidth")
        assert document_width <= width, f"the page scrolls sideways at {width} px ({document_width} px wide)"
    axe_check(page, "login lockout page at 1280 px")

    page.get_by_role("link", name="Back to the login page").click()
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log in").click()
    assert navigation.value.status == 429, "the right password is refused while locked out"
    assert page.js_errors == []
