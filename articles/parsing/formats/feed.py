"""RSS 2.0 and Atom 1.0 feeds (read with feedparser): each item or entry is an article.

The body is the item's full content (``content:encoded``, Atom ``content``), else its description;
tracking pixels (1x1 images, known tracker hosts) and WordPress's "The post … appeared first on …"
lines are dropped. The identity is the item's ``guid`` (Atom ``id``; else its link), so a feed
fetched again updates its articles instead of duplicating them. The outlet is the feed's title,
the byline the item's author (``dc:creator``), the date its ``pubDate`` (Atom ``published``, else
``updated``) with the source's own offset kept; categories are topics, the link is the source
URL and the channel's copyright (Atom ``rights``) the rights line.

The document reaches here already parsed by defusedxml (so a feed declaring entities is refused
before feedparser sees it); each item's own XML is its article's source text, so an item that did
not change between two fetches is found unchanged.
"""

from __future__ import annotations

import datetime
import email.utils
import io
import re
from xml.etree.ElementTree import Element, tostring

import feedparser

from articles.parsing.language import detect_language
from articles.parsing.model import CopyError
from articles.parsing.outlets import normalise_outlet

from .common import (
    WireArticle,
    children,
    clean,
    finish,
    html_blocks,
    parse_datetime,
    plain_byline,
    set_published,
)

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
# Hosts that serve only tracking pixels and feed-statistics images.
TRACKER_HOSTS = (
    "pixel.wp.com",
    "stats.wp.com",
    "feeds.feedburner.com",
    "feedproxy.google.com",
    "www.google-analytics.com",
    "pixel.quantserve.com",
    "ad.doubleclick.net",
    "pubads.g.doubleclick.net",
    "feeds.feedblitz.com",
    "rss.feedsportal.com",
    "pi.feedsportal.com",
    "mf.feeds.reuters.com",
    "counter.theconversation.com",
)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\b(width|height|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TRACKER = re.compile(
    r"^(?:https?:)?//(?:[\w-]+\.)*(?:" + "|".join(map(re.escape, TRACKER_HOSTS)) + r")\b", re.I
)
# WordPress's feed footer, "The post <a>Title</a> appeared first on <a>Site</a>." (its links tell it
# from a sentence such as "The post office said the fire appeared first on the roof.")
_APPEARED_FIRST = re.compile(
    r"The post\s+<a\b[^>]*>.*?</a>\s+appeared first on\s+<a\b[^>]*>.*?</a>\.?", re.IGNORECASE | re.DOTALL
)
_PERSON_WITH_EMAIL = re.compile(r"^\S+@\S+\s*\((.+)\)$")  # RSS <author>: "desk@example.com (Jane Doe)"


def feed_format(root: Element) -> str | None:
    """The format of an RSS 2.0 document ("rss") or an Atom 1.0 feed ("atom"), else None."""
    if root.tag == "rss":
        return "rss"
    if root.tag == f"{{{ATOM_NAMESPACE}}}feed":
        return "atom"
    return None


def read_feed(data: bytes, root: Element) -> list[WireArticle]:
    """The articles of a feed's items (``root`` is its parsed document, one :func:`feed_format`
    named); :class:`CopyError` for a feed with no items."""
    kind = feed_format(root)
    items = list(root.iter("item")) if kind == "rss" else children(root, "entry")
    # A stream, never bytes alone: feedparser tries a text or bytes argument as a path or URL first.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        raise CopyError(f"an {kind.upper() if kind == 'rss' else 'Atom'} feed without items")
    channel = parsed.feed
    outlet = clean(channel.get("title"))
    language = clean(channel.get("language")).split("-")[0].lower()
    raws = [tostring(item, encoding="unicode") for item in items]
    if len(raws) != len(parsed.entries):  # never expected: then each item's source is the whole feed
        raws = [""] * len(parsed.entries)
    return [
        _article(entry, kind, raw, outlet, language, clean(channel.get("rights")))
        for entry, raw in zip(parsed.entries, raws, strict=True)
    ]


def _article(entry, kind: str, raw: str, outlet: str, language: str, rights: str) -> WireArticle:
    content = next((c.get("value", "") for c in entry.get("content") or [] if c.get("value")), "")
    description = entry.get("summary", "")
    paragraphs, captions = _blocks(content or description)
    summary = " ".join(_blocks(description)[0]) if content else ""
    body = "\n\n".join(paragraphs)
    article = WireArticle(
        headline=" ".join(html_blocks(entry.get("title", ""))[0]),
        format=kind,
        identity=clean(entry.get("id")) or clean(entry.get("link")),
        language=language or detect_language(body),
        byline=_byline(entry) or None,
        outlet=normalise_outlet(outlet) if outlet else None,
        topics=_topics(entry),
        summary=summary,
        body=body,
        captions=captions,
        rights=clean(entry.get("rights")) or rights,
        source_url=clean(entry.get("link")),
        raw=raw,
    )
    set_published(article, _date(entry.get("published")) or _date(entry.get("updated")))
    return finish(article)


def _blocks(html: str):
    """An item's HTML as paragraphs and captions, without tracking pixels and "appeared first on"."""
    return html_blocks(_APPEARED_FIRST.sub("", _IMG.sub(_without_tracker, html)))


def _without_tracker(img: re.Match[str]) -> str:
    """An ``<img>`` tag, or nothing for a tracking pixel."""
    found = {name.lower(): next(filter(None, values), "") for name, *values in _ATTRIBUTE.findall(img[0])}
    pixel = found.get("width", "").strip() in ("0", "1") and found.get("height", "").strip() in ("0", "1")
    return "" if pixel or _TRACKER.match(found.get("src", "").strip()) else img[0]


def _byline(entry) -> str:
    """The item's author(s): Atom's names, RSS's ``dc:creator``, or the name in ``<author>``."""
    names = [clean(a.get("name")) for a in entry.get("authors") or [] if "email" not in a]
    if len(names) > 1:
        return ", ".join(plain_byline(name) for name in names if name)
    author = clean(entry.get("author"))
    if found := _PERSON_WITH_EMAIL.match(author):
        return plain_byline(found[1])
    return "" if "@" in author and " " not in author else plain_byline(author)


def _topics(entry) -> list[str]:
    seen: dict[str, str] = {}
    for tag in entry.get("tags") or []:
        name = clean(tag.get("label") or tag.get("term"))
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _date(value: str | None) -> datetime.datetime | datetime.date | None:
    """An RSS (RFC 822) or Atom (ISO 8601) date with its own offset kept; None for anything else."""
    value = clean(value)
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return parse_datetime(value)
