"""Saved web pages of news sites: the article extracted with trafilatura, its facts from the page's
metadata.

trafilatura keeps the article's text and drops what surrounds it (menus, cookie banners, ads,
related links, comments, footers). The facts come from schema.org ``NewsArticle`` JSON-LD, else
Open Graph, else ``<meta>`` tags: headline, author, ``datePublished`` with its offset kept,
publisher (the outlet), ``articleSection`` and keywords (topics), the canonical URL, the
description (the summary), ``copyrightHolder`` and ``license`` (the rights line). A page without
them gives its byline ("By …") and date line ("Published: 9 October 2026") from its text, read by
the raw copy parser's own functions. Photos in the article keep their ``<figcaption>``.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import trafilatura

from articles.parsing.boilerplate import Kind, classify
from articles.parsing.dates import header_date
from articles.parsing.language import detect_language
from articles.parsing.model import Caption, CopyError
from articles.parsing.outlets import normalise_outlet, outlet_table
from articles.sanitize import without_controls

from .common import (
    WireArticle,
    caption_of,
    clean,
    finish,
    html_blocks,
    parse_datetime,
    plain_byline,
    set_published,
)

FORMAT = "html"
HTML_SUFFIXES = (".html", ".htm")
# Declarations and comments (a browser's "saved from url" line), then a doctype or <html>.
_HTML_START = re.compile(
    rb"^(?:\s*(?:<\?xml[^>]*>|<!--.*?-->))*\s*<(?:!doctype\s+html|html[\s>])", re.S | re.I
)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
    }
)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "article.published",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
)
_TITLE_PARTS = re.compile(r"\s+(?:[|–—:·•]|-|::)\s+")
_PROSE_WORDS = 8  # an article has at least one paragraph this long
_HEAD_LINES = 8  # the lines after the headline where a page prints its byline and date


@dataclass
class _Page:
    """What a page says about itself: meta tags, canonical link, JSON-LD, title, language, figures."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    canonical: str = ""
    json_ld: list[str] = field(default_factory=list)
    title: str = ""
    language: str = ""
    figures: dict[str, str] = field(default_factory=dict)  # an image's address -> its figcaption

    def first(self, *names: str) -> str:
        return next((value for name in names for value in self.meta.get(name, []) if value), "")


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._capture: list[str] | None = None  # the text of a <title>, JSON-LD script or figcaption
        self._into = ""
        self._figure: list[str] | None = None  # the images of the <figure> being read

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "html":
            self.page.language = self.page.language or attributes.get("lang", "")
        elif tag == "meta":
            name = (
                attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or ""
            ).lower()
            if name and "content" in attributes:
                self.page.meta.setdefault(name, []).append(clean(attributes["content"]))
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.page.canonical = self.page.canonical or clean(attributes.get("href"))
        elif (tag == "title" and not self.page.title) or (
            tag == "script" and attributes.get("type", "").lower() == "application/ld+json"
        ):
            self._capture, self._into = [], tag
        elif tag == "figure":
            self._figure = []
        elif tag == "img" and self._figure is not None:
            self._figure.append(attributes.get("src", ""))
        elif tag == "figcaption" and self._figure is not None:
            self._capture, self._into = [], tag

    def handle_endtag(self, tag):
        if self._capture is None or tag != self._into:
            if tag == "figure":
                self._figure = None
            return
        captured, self._capture = "".join(self._capture), None
        if tag == "title":
            self.page.title = clean(captured)
        elif tag == "script":
            self.page.json_ld.append(captured)
        elif captured.strip():
            for source in self._figure or []:
                self.page.figures.setdefault(source, clean(captured))

    def handle_data(self, data):
        if self._capture is not None:
            self._capture.append(data)


def is_html(head: bytes) -> bool:
    """Whether a file's first bytes open an HTML page (a doctype or an ``<html>`` element)."""
    return _HTML_START.match(head) is not None


def read_html(data: bytes) -> tuple[str, list[WireArticle]]:
    """A saved page's text and its article; :class:`CopyError` for a page without article text."""
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CopyError("binary data, not an HTML page")
    text = decode_html(data)
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    page = reader.page
    extracted = trafilatura.extract(
        text, output_format="html", include_comments=False, include_images=True, include_tables=True
    )
    paragraphs, _ = html_blocks(extracted or "")
    if not any(len(p.split()) >= _PROSE_WORDS for p in paragraphs):  # menus, link lists, a form
        raise CopyError("an HTML page without article text (no paragraph of prose found)")
    ld = _news_article(page.json_ld)
    headline = _headline(ld, page, text)
    lines, _ = html_blocks(text)
    byline, date, rights_line = _from_text(lines, headline)
    paragraphs = _without_head(paragraphs, headline)
    body = "\n\n".join(paragraphs)
    article = WireArticle(
        headline=headline,
        format=FORMAT,
        language=_language(ld, page) or detect_language(body),
        byline=_byline(ld, page) or byline or None,
        outlet=_outlet(ld, page, headline),
        topics=_topics(ld, page),
        summary=_text(ld.get("description"))
        or page.first("og:description", "description", "twitter:description"),
        body=body,
        captions=_captions(extracted, page),
        rights=_rights(ld, page) or rights_line,
        source_url=page.canonical or _url(ld) or page.first("og:url"),
    )
    published = parse_datetime(_text(ld.get("datePublished")) or page.first(*_DATE_META))
    set_published(article, published or date)
    return text, [finish(article, _text(ld.get("dateline")))]


def decode_html(data: bytes) -> str:
    """A page's text: by its byte-order mark, its declared charset, else UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return without_controls(data.decode("utf-16", errors="replace"))
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared[1].decode("ascii")] if declared else []) + ["utf-8-sig"]:
        try:
            return without_controls(data.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    return without_controls(data.decode("cp1252", errors="replace"))


def _text(value) -> str:
    """JSON-LD text ("" for anything else); HTML in it (a headline with <em>) as its text."""
    return " ".join(html_blocks(value)[0]) if isinstance(value, str) else ""


def _objects(value) -> list[dict]:
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, dict)]


def _names(value) -> list[str]:
    """The names of JSON-LD things (objects with ``name``, or plain names)."""
    values = value if isinstance(value, list) else [value]
    names = [_text(v.get("name")) if isinstance(v, dict) else _text(v) for v in values]
    return [name for name in names if name]


def _news_article(scripts: list[str]) -> dict:
    """The page's schema.org article (a NewsArticle or kin, also inside ``@graph``), else {}."""
    for script in scripts:
        try:
            value = json.loads(script)
        except (ValueError, RecursionError):
            continue
        for thing in _objects(value) + [g for v in _objects(value) for g in _objects(v.get("@graph"))]:
            kinds = thing.get("@type")
            if _ARTICLE_TYPES & set(kinds if isinstance(kinds, list) else [kinds]):
                return thing
    return {}


def _headline(ld: dict, page: _Page, text: str) -> str:
    """JSON-LD's headline, Open Graph's title, the page's heading, else its ``<title>`` without the
    site's name."""
    found = _text(ld.get("headline")) or page.first("og:title", "twitter:title")
    if found:
        return found
    metadata = trafilatura.extract_metadata(text)
    return clean(metadata.title if metadata else "") or max(_TITLE_PARTS.split(page.title), key=len)


def _title_site(page: _Page, headline: str) -> str:
    """The site's name in a ``<title>`` that is the headline and the site's name
    ("Valley Echo - Village school saved")."""
    parts = _TITLE_PARTS.split(page.title)
    if len(parts) == 2 and headline.casefold() in (parts[0].casefold(), parts[1].casefold()):
        return parts[1] if parts[0].casefold() == headline.casefold() else parts[0]
    return ""


def _byline(ld: dict, page: _Page) -> str:
    names = _names(ld.get("author")) or [
        name
        for name in page.meta.get("author", []) + page.meta.get("article:author", [])
        if "://" not in name
    ]
    return ", ".join(plain_byline(name) for name in names[:10])


def _outlet(ld: dict, page: _Page, headline: str) -> str | None:
    found = next(iter(_names(ld.get("publisher"))), "") or page.first("og:site_name", "application-name")
    found = found or _title_site(page, headline)
    return normalise_outlet(found) if found else None


def _topics(ld: dict, page: _Page) -> list[str]:
    """JSON-LD's sections and keywords, else Open Graph's section and tags, else the keywords."""
    names = _names(ld.get("articleSection")) + _keywords(ld.get("keywords"))
    if not names:
        names = page.meta.get("article:section", []) + page.meta.get("article:tag", [])
        names = [n for value in names for n in _keywords(value)]
    if not names:
        names = _keywords(page.first("news_keywords", "keywords"))
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _keywords(value) -> list[str]:
    """Keywords given as a list or as one comma-separated text."""
    values = value if isinstance(value, list) else [value]
    return [clean(part) for v in values if isinstance(v, str) for part in v.split(",") if clean(part)]


def _rights(ld: dict, page: _Page) -> str:
    """JSON-LD's copyright notice (else "© year holder") and licence, else the page's copyright meta."""
    notice = _text(ld.get("copyrightNotice"))
    holder = next(iter(_names(ld.get("copyrightHolder"))), "")
    if not notice and holder:
        year = ld.get("copyrightYear")
        notice = f"© {year} {holder}" if isinstance(year, int | str) and str(year).strip() else f"© {holder}"
    licence = next(iter(_names(ld.get("license"))), "")  # a URL, or a CreativeWork's name
    found = "; ".join(filter(None, [notice, licence]))
    if not found and (meta := page.first("copyright", "dc.rights", "dcterms.rights")):
        found = meta if meta.startswith("©") or meta.lower().startswith("copyright") else f"© {meta}"
    return found


def _url(ld: dict) -> str:
    """JSON-LD's address of the article (``mainEntityOfPage``, else ``url``)."""
    main = ld.get("mainEntityOfPage")
    found = main.get("@id") or main.get("url") if isinstance(main, dict) else main
    if not (isinstance(found, str) and found.startswith("http")):
        found = ld.get("url")
    return clean(found) if isinstance(found, str) and found.startswith("http") else ""


def _language(ld: dict, page: _Page) -> str:
    found = _text(ld.get("inLanguage")) or page.language or page.first("og:locale").replace("_", "-")
    return found.split("-")[0].lower()


def _from_text(lines: list[str], headline: str) -> tuple[str, datetime.date | None, str]:
    """The byline and date a page prints under its headline ("By Gareth Lloyd", "Published: 9
    October 2026"), read as raw copy's are; and a copyright line anywhere on it."""
    outlets = outlet_table()
    start = next((i + 1 for i, line in enumerate(lines) if line.casefold() == headline.casefold()), 0)
    byline, date = "", None
    for line in lines[start : start + _HEAD_LINES]:
        found = classify(line, outlets)
        if found.kind is Kind.BYLINE and found.value and not byline:
            byline = found.value
        elif date is None and (dated := header_date(line)):
            date = dated[0].as_date()
    rights = next((line for line in lines if classify(line, outlets).kind is Kind.COPYRIGHT), "")
    return byline, date, rights


def _without_head(paragraphs: list[str], headline: str) -> list[str]:
    """The article's paragraphs without the headline, byline and date lines it may open with."""
    outlets = outlet_table()
    while paragraphs and (
        paragraphs[0].casefold() == headline.casefold()
        or classify(paragraphs[0], outlets).kind is Kind.BYLINE
        or header_date(paragraphs[0])
    ):
        paragraphs = paragraphs[1:]
    return paragraphs


def _captions(extracted: str | None, page: _Page) -> list[Caption]:
    """The article's photos: their ``<figcaption>`` on the page, else their alt text."""
    found = []
    for image in re.finditer(r"<img\b[^>]*>", extracted or ""):
        source = re.search(r"\bsrc=\"([^\"]*)\"", image[0])
        caption = page.figures.get(unescape(source[1]) if source else "")
        if caption:
            found.append(caption_of(caption))
        elif alt := re.search(r"\balt=\"([^\"]*)\"", image[0]):
            found += [caption_of(" ".join(html_blocks(alt[1])[0]))] if clean(alt[1]) else []
    return found
