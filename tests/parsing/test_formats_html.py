"""Saved web pages of news sites read into articles: the article's text, its facts from the page."""

import datetime
from pathlib import Path

import pytest

from articles.parsing import CopyError
from articles.parsing.formats import read_wire
from articles.parsing.model import Caption

PAGES = Path(__file__).parent.parent / "fixtures" / "formats" / "html"
JSON_LD_PAGE = PAGES / "riverside-gazette-bridge.html"
OPEN_GRAPH_PAGE = PAGES / "coastal-radio-lifeboat.htm"
PLAIN_PAGE = PAGES / "valley-echo-school.html"


def read(path: Path, name: str = ""):
    document = read_wire(path.read_bytes(), name or path.name)
    assert document.format == "html"
    (article,) = document.articles
    return article


def test_a_news_page_gives_its_article_and_the_json_ld_facts():
    article = read(JSON_LD_PAGE)
    assert (article.format, article.identity, article.version) == ("html", "", None)
    assert article.headline == "Old swing bridge to close for two years of repairs"  # JSON-LD's, not og:title
    assert article.byline == "Helen Marsh, Idris Khan"
    assert article.outlet == "The Riverside Gazette"  # the publisher, not og:site_name
    assert article.published_at == datetime.datetime(
        2026, 10, 14, 23, 45, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )  # datePublished with its offset, not og's UTC time
    assert article.published == datetime.date(2026, 10, 14)
    assert article.topics == ["Local news", "Transport", "Bridges", "Wendmouth council"]
    assert (
        article.source_url
        == "https://www.riversidegazette.example/news/local/2026/10/14/swing-bridge-repairs"
    )
    assert article.summary == (
        "The 1894 swing bridge over the Wend will shut in January while engineers replace its turning gear."
    )
    assert article.rights == "© 2026 Riverside Media Group; https://creativecommons.org/licenses/by-nd/4.0/"
    assert (article.language, article.place) == ("en", "Wendmouth")  # the dateline, out of the body
    assert article.captions == [
        Caption("The swing bridge turns to let a yacht through on October 12, 2026.", "Sam Okoro")
    ]
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("The Victorian swing bridge over the River Wend will close")
    assert paragraphs[-1].startswith("Businesses on Quay Street said they feared losing trade")
    assert len(paragraphs) == 5
    for left_out in (
        "cookies",  # the cookie banner
        "Subscribe",  # the menu
        "Advertisement",
        "flu jab",  # the ad inside the article
        "Ring road roadworks",  # related stories
        "Share on",
        "Shame about the buses",  # the comments
        "Privacy policy",  # the footer
        "By Helen Marsh",  # the byline line
    ):
        assert left_out not in article.body


def test_a_page_with_only_open_graph_and_meta_tags():
    article = read(OPEN_GRAPH_PAGE)
    assert article.headline == "Lifeboat rescues three kayakers off Gull Point"
    assert (article.byline, article.outlet) == ("Bryony Tate", "Coastal Radio")
    assert article.published_at.isoformat() == "2026-10-11T00:20:00-03:00"
    assert article.published == datetime.date(2026, 10, 11)  # 03:20 UTC on the 11th, but never shifted
    assert article.topics == ["Coast", "Weather"]  # article:section and article:tag
    assert article.source_url == "https://coastalradio.example/news/2026/10/lifeboat-rescues-three-kayakers"
    assert (
        article.summary
        == "Three kayakers were pulled from the water off Gull Point after a sudden squall capsized them."
    )
    assert article.rights == "© Coastal Radio Ltd"
    assert article.captions == []
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[2].endswith(
        "“They did the right thing staying with the boat,” he said. “That is why we found them.”"
    )
    assert "Listen live" not in article.body and "ferry timetable" not in article.body  # menu, related links
    assert "Terms" not in article.body


def test_a_page_without_metadata_gives_its_byline_and_date_from_its_text():
    article = read(PLAIN_PAGE)
    assert article.headline == "Village school saved after parents' campaign"
    assert article.byline == "Gareth Lloyd"  # "By Gareth Lloyd"
    assert article.published == datetime.date(2026, 10, 9)  # "Published: 9 October 2026"
    assert article.published_at is None  # a date without a time
    assert article.outlet == "Valley Echo"  # the <title> "Valley Echo - <headline>"
    assert article.rights == "Copyright 2026 Valley Echo Newspapers."  # the copyright line
    assert (article.topics, article.source_url, article.summary) == ([], "", "")
    assert article.body.split("\n\n")[0].startswith("Ashdale primary school will stay open")
    assert (
        article.body.split("\n\n")[-1]
        == "The council said it would review the school's numbers again in three years."
    )
    assert "Popular this week" not in article.body and "Published" not in article.body


@pytest.mark.parametrize("name", ["page.html", "page.txt", "page.xml", "page"])
def test_a_page_is_told_by_its_content_whatever_its_name(name):
    assert read(PLAIN_PAGE, name).headline == "Village school saved after parents' campaign"


def test_a_page_in_windows_1252_is_read_in_its_declared_charset():
    page = JSON_LD_PAGE.read_text().replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = page.replace("The repairs are expected", "The repairs – at £14m – are expected")
    (article,) = read_wire(page.encode("cp1252"), "saved.html").articles
    assert "The repairs – at £14m – are expected" in article.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<!DOCTYPE html><html><head><title>Home</title></head><body><nav><a href='/'>News</a> "
            b"<a href='/sport'>Sport</a></nav><footer><a href='/contact'>Contact</a></footer></body></html>",
            "without article",
        ),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_a_page_without_an_article_is_a_copy_error(data, message):
    with pytest.raises(CopyError, match=message):
        read_wire(data, "page.html")
