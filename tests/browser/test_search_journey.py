"""A reader's search journey in a real browser: search, two facet values, a timeline bar, the next
page, an article, a related article; axe on every page, and the Nu checker on the search pages.

Runs Debian's headless chromium through Playwright against pytest-django's live server, with the
seed and Wikinews demo archives committed and indexed in Whoosh.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HEADING = re.compile(r"^\s*(\d+) results? for “said”\s*$")


def _count(page) -> int:
    match = HEADING.match(page.locator("#results-heading").inner_text())
    assert match, page.locator("#results-heading").inner_text()
    return int(match.group(1))


def _facet_link(page, label: str, value: str):
    facet = page.get_by_role("complementary", name="Refine results").locator(
        "section.facet", has=page.get_by_role("heading", name=label, exact=True)
    )
    return facet.get_by_role("link", name=re.compile(rf"^{re.escape(value)} \(\d+\)$"))


def test_search_facets_timeline_paging_article_related(demo, live_server, page, axe_check):
    page.goto(live_server.url + "/")
    box = page.get_by_role("main").get_by_role("searchbox", name="Search the archive")
    box.fill("said")
    box.press("Enter")
    everything = _count(page)
    axe_check(page, "search results")

    # Two values of one facet: OR-ed, so the count is their sum.
    wikinews, ap = _facet_link(page, "Outlet", "Wikinews"), _facet_link(page, "Outlet", "AP")
    promised = sum(int(re.search(r"\((\d+)\)", link.inner_text()).group(1)) for link in (wikinews, ap))
    wikinews.click()
    expect(page.get_by_role("link", name="Remove filter Outlet: Wikinews")).to_be_visible()
    _facet_link(page, "Outlet", "AP").click()
    expect(page.get_by_role("link", name="Remove filter Outlet: AP")).to_be_visible()
    assert _count(page) == promised < everything
    assert parse_qs(urlsplit(page.url).query)["outlet"] == ["Wikinews", "AP"]
    axe_check(page, "search with two facet values")

    # The timeline: per year (2019 to 2025); the tallest bar narrows to its year.
    timeline = page.get_by_role("region", name=re.compile("^Results per year$"))
    bars = timeline.locator(".timeline-bars a")  # the region also links the undated and holds a table
    labels = [bars.nth(i).inner_text() for i in range(bars.count())]
    counts = [int(re.search(r": (\d+) result", label).group(1)) for label in labels]
    tallest = counts.index(max(counts))
    year = labels[tallest].split(":")[0].strip()
    # Each bar is drawn to scale (its height is a stylesheet class: the CSP refuses style="").
    heights = [bars.nth(i).locator(".bar").bounding_box()["height"] for i in range(bars.count())]
    assert max(heights) > 40, heights
    for count, height in zip(counts, heights, strict=True):
        assert abs(height / max(heights) - max(count / max(counts), 0.04)) < 0.03, (counts, heights)
    bars.nth(tallest).click()
    expect(page.get_by_role("link", name=f"Remove filter Year: {year}")).to_be_visible()
    total = _count(page)
    assert total == counts[tallest] > 20, "the busiest year should need a second page"
    expect(page.get_by_role("region", name="Results per month")).to_be_visible()
    axe_check(page, "search narrowed to a year")

    # Page forward: the next page shows the rest, numbered on.
    first_page = page.locator("ol.result-list li.result h3 a").all_inner_texts()
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text(re.compile(r"^Page 2 of \d+$"))).to_be_visible()
    second_page = page.locator("ol.result-list li.result h3 a").all_inner_texts()
    assert second_page and not set(first_page) & set(second_page)
    expect(page.locator("ol.result-list")).to_have_attribute("start", "21")
    axe_check(page, "second page")

    # Open an article, then one of its related articles.
    page.locator("ol.result-list li.result h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/[-\w]+/(\?from=[^#]*)?$"))
    article_url = page.url
    related = page.get_by_role("region", name="Related articles")
    expect(related.get_by_role("listitem").first).to_be_visible()
    axe_check(page, "article page with related articles")
    link = related.get_by_role("link").first
    headline = link.inner_text()
    link.click()
    expect(page).not_to_have_url(article_url)
    expect(page.locator("h1")).to_have_text(headline)
    axe_check(page, "related article")
    assert page.js_errors == []


def test_search_pages_are_valid_html(demo, live_server, served_html, html_errors):
    urls = {
        "results": "/?q=said&outlet=Wikinews&outlet=AP",
        "timeline year": "/?q=said&year=2020",
        "zero results": "/?q=Gutteres&outlet=AP",
        "broken query": '/?q="unclosed+(said',
        "grouped": "/?q=Iraq&group=story",
    }
    errors = html_errors([(name, served_html(live_server.url + url)) for name, url in urls.items()])
    assert not errors, "\n".join(f"{e['document']}: {e.get('message')}" for e in errors)
