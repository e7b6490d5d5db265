"""A story in a real browser: from a search result to the story page and its differences panel;
accessibility (axe) and HTML validity (Nu checker) of the story page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article

pytestmark = pytest.mark.browser


def test_open_a_story_from_a_search_result(seeded, live_server, page, axe_check):
    page.goto(live_server.url + "/?q=Yazidis")
    result = page.locator("ol.result-list li.result h3 a", has_text="United Nations Assistance Mission")
    expect(result).to_have_count(1)
    result.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/[-\w]+/(\?from=[^#]*)?$"))
    story_section = page.get_by_role("region", name=re.compile(r"^4 other versions of this story$"))
    expect(story_section.get_by_role("link")).to_have_count(5)  # the story page and four versions
    story_section.get_by_role("link", name=re.compile(r"^Compare all versions")).click()
    expect(page).to_have_url(re.compile(r"/stories/\d+/[-\w]+/$"))

    panel = page.get_by_role("region", name="Where the versions differ")
    expect(panel).to_be_visible()
    names = panel.get_by_role("region", name="Names spelled differently")
    table = names.get_by_role("table", name="Al-Hassan / Al-Hussein")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"Al-Hussein"))).to_contain_text("Gaya One")
    figures = panel.get_by_role("region", name="Figures that differ")
    expect(figures).to_contain_text("nearly 100,000 Yazidis")
    expect(figures).to_contain_text("more than 100,000 Yazidis")
    quotes = panel.get_by_role("region", name="Quotes only some versions carry")
    expect(quotes.get_by_role("table").first).to_be_visible()
    expect(quotes).to_contain_text("Not in: ")
    expect(page.locator("ol.version-list li.version")).to_have_count(5)
    axe_check(page, "story page")
    assert not page.js_errors


def test_story_page_is_valid_html(seeded, live_server, served_html, html_errors):
    story = Article.objects.get(pk=1).story
    documents = [
        ("story page", served_html(live_server.url + story.get_absolute_url())),
        (
            "article page with versions",
            served_html(live_server.url + Article.objects.get(pk=4).get_absolute_url()),
        ),
    ]
    errors = html_errors(documents)
    assert not errors, "\n".join(
        f"{e['document']}: {e.get('message')} {e.get('extract', '')!r}" for e in errors
    )
