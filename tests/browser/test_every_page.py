"""Every page type as a reader sees it, on a phone and a desktop: no sideways scrolling (WCAG 1.4.10
reflow, down to 320 px), the key content visible (not merely present), axe-core and the Nu checker
clean, the keyboard path to the query, the filters and the first result short, the focus visible.

Full-page screenshots of every page at every width are saved under ``test-artifacts/screenshots/``
(git-ignored; README, Tests) for a person to look at.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (320, 390, 1280)
# Above this, a phone reader scrolls through a story page letter by letter (it was 50,720 px tall at
# 390 px, 52,589 px at 320).
STORY_MAX_HEIGHT = 16_000


def _pages() -> dict[str, tuple[str, list[str]]]:
    """name -> (path, selectors of the content a reader must see there)."""
    longest_url = max(Article.objects.exclude(source_url=""), key=lambda a: len(a.source_url))
    story = Article.objects.get(pk=1).story
    return {
        "search": (
            "/?q=Guterres",
            ["#id_q", "#results-heading", "li.result h3 a", "li.result .snippet", ".facet li a", ".timeline"],
        ),
        "browse": ("/", ["#id_q", "li.result h3 a", ".pagination", ".facet li a"]),
        "months": (
            "/?from=2019-01-01&to=2020-12-31&page=2",
            [".timeline-bars a .bar", ".timeline-axis .tick", ".timeline-table summary", ".pagination a"],
        ),
        "article": (longest_url.get_absolute_url(), ["h1", ".article .body p", ".source a"]),
        "article-seed": (
            Article.objects.get(pk=2).get_absolute_url(),
            ["h1", ".article .body p", ".captions li"],
        ),
        "story": (
            story.get_absolute_url(),
            ["h1", ".version-list li", ".difference table", ".difference tbody td", ".agreement"],
        ),
        "not-found": ("/articles/999999/nothing/", ["h1", "main a"]),
        "admin-login": ("/admin/login/", ["#id_username", "#id_password", "input[type=submit]"]),
    }


def _served(url: str) -> str:
    """The HTML as served, whatever the status (the 404 page too)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own live server
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def test_every_page_type_reflows_and_shows_its_content(demo, live_server, new_page, axe_check, html_errors):
    """At 320, 390 and 1280 px: no horizontal overflow, key content visible, 0 axe violations; a
    screenshot of each; then the Nu checker on every page as served. Failures are gathered, so one
    run names every page that fails."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = _pages()
    failures: list[str] = []
    for width in WIDTHS:
        page = new_page(viewport={"width": width, "height": 900})
        for name, (path, selectors) in pages.items():
            page.goto(live_server.url + path)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if scroll_width > inner:
                failures.append(f"{name} at {width} px scrolls sideways: {scroll_width} px wide")
            for selector in selectors:
                element = page.locator(selector).first
                if not element.is_visible():
                    failures.append(f"{name} at {width} px: {selector} is not visible")
            if name == "story":
                failures += _story_layout(page, width)
            try:
                axe_check(page, f"{name} at {width} px")
            except AssertionError as error:
                failures.append(str(error))
    errors = html_errors([(name, _served(live_server.url + path)) for name, (path, _) in pages.items()])
    failures += [f"Nu: {e['document']}: {e.get('message')} {e.get('extract', '')!r}" for e in errors]
    assert not failures, "\n".join(failures)


def _story_layout(page, width: int) -> list[str]:
    """The differences tables read as sentences: no cell squeezed to a few letters a line."""
    failures = []
    height = page.evaluate("document.documentElement.scrollHeight")
    if height > STORY_MAX_HEIGHT:
        failures.append(f"story at {width} px is {height} px tall")
    narrowest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.difference tbody td, .difference tbody th')]"
        ".map(cell => cell.getBoundingClientRect().width))"
    )
    if narrowest < (width - 100 if width < 768 else 150):
        failures.append(f"story at {width} px: a differences cell is {narrowest:.0f} px wide")
    return failures


def test_every_article_page_reflows_at_320_px(demo, live_server, new_page):
    """The articles likeliest to overflow a phone: the longest source addresses, headlines and words."""
    articles = list(Article.objects.exclude(status=Article.Status.DRAFT))
    longest_word = lambda a: max((len(w) for w in (a.headline + " " + a.body).split()), default=0)  # noqa: E731
    chosen = {
        a.pk: a
        for key in (lambda a: len(a.source_url), lambda a: len(a.headline), longest_word)
        for a in sorted(articles, key=key)[-8:]
    }
    page = new_page(viewport={"width": 320, "height": 700})
    wide = []
    for article in chosen.values():
        page.goto(live_server.url + article.get_absolute_url())
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 320:
            wide.append(f"{article.get_absolute_url()}: {scroll_width} px")
    assert not wide, "article pages wider than 320 px:\n" + "\n".join(wide)


def _contrast(rgb: tuple[int, ...], other: tuple[int, ...] = (255, 255, 255)) -> float:
    def luminance(color):
        channels = [c / 255 for c in color[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(rgb), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {id: el.id, text: (el.innerText || '').trim(), href: el.getAttribute('href') || '',
          inResults: !!el.closest('.result-list'), inFilters: !!el.closest('#refine'),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
}"""


def _tab(page) -> dict:
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["outline"] != "none" and focused["width"] >= 2, f"focus not visible on {focused}"
    rgb = tuple(int(n) for n in re.findall(r"\d+", focused["color"])[:3])
    assert _contrast(rgb) >= 3, f"focus ring {focused['color']} is under 3:1 against white"
    return focused


@pytest.mark.parametrize("width", [390, 1280])
def test_keyboard_reaches_query_filters_and_first_result(demo, live_server, new_page, width):
    """From the top of a search page: the query within 5 Tabs (three skip links and the site's name
    first), the filters through their skip link, the first result through its own; every focus ring
    visible at 3:1 or more against the page."""
    page = new_page(viewport={"width": width, "height": 900})
    url = live_server.url + "/?q=said"
    page.goto(url)
    stops = [_tab(page) for _ in range(5)]
    assert "id_q" in [s["id"] for s in stops], stops

    page.goto(url)
    stops = [_tab(page) for _ in range(3)]
    skip = next(s for s in stops if s["text"] == "Skip to filters")
    page.keyboard.press("Enter")
    assert skip["href"] == "#refine"
    assert _tab(page)["inFilters"], "the Tab after the skip link should be a filter"
    expect(page.locator("#refine")).to_be_in_viewport()

    page.goto(url)
    stops = [_tab(page) for _ in range(3)]
    assert any(s["text"] == "Skip to results" for s in stops), stops
    page.goto(url)
    for _ in range(next(i for i, s in enumerate(stops) if s["text"] == "Skip to results") + 1):
        _tab(page)
    page.keyboard.press("Enter")
    first = _tab(page)
    assert first["inResults"], f"the Tab after 'Skip to results' should be the first result, got {first}"


ADMIN_WIDTHS = (390, 1280)


def _admin_pages(article: Article) -> dict[str, tuple[str, list[str]]]:
    """name -> (path, selectors of the content an editor must see there)."""
    base = f"/admin/articles/article/{article.pk}"
    return {
        "admin-change-form": (
            f"{base}/change/",
            [
                "#id_headline",
                ".field-topics .select2",
                ".field-outlet .select2",
                "#captions-group td.field-text",
                ".earlier-version .word-diff del",
                ".earlier-version .word-diff ins",
            ],
        ),
        "admin-history": (
            f"{base}/history/",
            ["#change-history", ".word-diff del", ".word-diff ins", "#change-history a.button"],
        ),
        "admin-upload": (
            "/admin/articles/article/upload/",
            ["#id_files", "#id_dry_run", "input[type=submit]"],
        ),
        "admin-review": (
            "/admin/articles/article/review/",
            ["#review-versions-heading", "#review-missing-heading", "#review-scan button"],
        ),
        "admin-review-rule": (
            "/admin/articles/article/review/missing/",
            ["h1", "#content-main"],
        ),
    }


MERGED = (4, 5)  # UN News and Gaya One: the merge page warns of mixed outlets


def _open_merge_page(page, base: str) -> None:
    page.goto(base + "/admin/articles/article/")
    for pk in MERGED:
        page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.get_by_label("Action:").select_option("merge_articles")
    page.get_by_role("button", name="Go").click()
    expect(
        page.get_by_role("heading", name="Warning: these may not be copies of one article")
    ).to_be_visible()


def _check_admin_page(page, name: str, width: int, selectors: list[str], axe_check) -> list[str]:
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    failures = []
    scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if scroll_width > inner:
        failures.append(f"{name} at {width} px scrolls sideways: {scroll_width} px wide")
    for selector in selectors:
        if not page.locator(selector).first.is_visible():
            failures.append(f"{name} at {width} px: {selector} is not visible")
    try:
        axe_check(page, f"{name} at {width} px")
    except AssertionError as error:
        failures.append(str(error))
    return failures


def test_the_editors_pages_reflow_and_pass_axe_and_the_nu_checker(
    seeded, live_server, new_page, axe_check, html_errors
):
    """The article form (topic and outlet pickers, captions, earlier versions compared word by word),
    its history, the upload form and the merge page, at 390 and 1280 px: no horizontal overflow, key
    content visible, 0 axe violations, then the Nu checker on each page as served."""
    from django.test import Client

    from articles import editorial
    from tests.editors import PASSWORD, make_editor

    user = make_editor()
    article = Article.objects.get(pk=2)  # captions and an earlier version
    with editorial.tracked([article.pk], user, "edit"):
        Article.objects.filter(pk=article.pk).update(
            headline="Belarus frees Bialiatski and Kolesnikova",
            body=article.body.replace("confirmed to the AP.", "confirmed to the AP on Saturday.", 1),
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = _admin_pages(article)
    merge_selectors = [
        ".merge-warnings li",
        ".merge-kept",
        ".merge-facts td",
        ".word-diff",
        "#id_merge_anyway",
    ]
    failures: list[str] = []
    for width in ADMIN_WIDTHS:
        page = new_page(viewport={"width": width, "height": 900})
        page.goto(live_server.url + "/admin/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        for name, (path, selectors) in pages.items():
            page.goto(live_server.url + path)
            failures += _check_admin_page(page, name, width, selectors, axe_check)
        _open_merge_page(page, live_server.url)
        failures += _check_admin_page(page, "admin-merge", width, merge_selectors, axe_check)

    client = Client()
    client.force_login(user)
    documents = [(name, client.get(path).content.decode()) for name, (path, _) in pages.items()]
    merge = {"action": "merge_articles", "_selected_action": list(MERGED), "index": 0}
    documents.append(("admin-merge", client.post("/admin/articles/article/", merge).content.decode()))
    errors = html_errors(documents)
    failures += [f"Nu: {e['document']}: {e.get('message')} {e.get('extract', '')!r}" for e in errors]
    assert not failures, "\n".join(failures)
