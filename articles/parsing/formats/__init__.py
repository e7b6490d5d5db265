"""The wire formats, read into :class:`WireArticle` objects: NITF 3.x, NewsML-G2, ninjs, RSS 2.0 and
Atom 1.0 feeds, and saved web pages (HTML).

Plain Python (no Django). :func:`read_wire` tells the format by content (an XML document's root
element and namespace, a JSON object's keys, an HTML doctype or ``<html>``), whatever the file is
called: a ``.json`` Django fixture is not ninjs, a ``.txt`` file holding NITF is NITF, a ``.xml``
file holding RSS is RSS. Copy in none of these formats is
left to the raw copy parser (``read_wire`` gives None).
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

from articles.parsing.model import CopyError
from articles.sanitize import without_controls

from .common import WireArticle, local, namespace, parse_xml
from .feed import feed_format, read_feed
from .html import HTML_SUFFIXES, is_html, read_html
from .newsml import read_newsml
from .ninjs import is_ninjs, read_ninjs
from .nitf import read_nitf

__all__ = [
    "HTML_SUFFIXES",
    "XML_SUFFIXES",
    "WireArticle",
    "WireDocument",
    "is_ninjs_file",
    "read_wire",
]

# A folder gives these, whatever they hold.
XML_SUFFIXES = (".xml", ".nitf", ".newsml", ".nml", ".rss", ".atom")
_G2_NAMESPACE = "http://iptc.org/std/"
_WIRE_ROOT = re.compile(  # declarations, comments and a doctype, then a wire format's root element
    rb"^(?:\s*(?:<\?[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>))*\s*<(?:\w+:)?(?:nitf|newsItem|newsMessage|rss|feed)\b",
    re.S,
)
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class WireDocument:
    """A file read in one of the wire formats: its format, its text, its articles."""

    format: str
    text: str
    articles: list[WireArticle]


def read_wire(data: bytes, name: str) -> WireDocument | None:
    """The articles of a NITF, NewsML-G2, ninjs, RSS, Atom or HTML file, or None for copy in none of
    these formats (a feed watcher's fetched bytes come here too, named like "feed.xml").

    An XML document (its name ends in an XML suffix, or it starts like XML or with a wire format's
    root) that is not well-formed, declares entities or is of another kind raises
    :class:`CopyError`; so does a ``.json`` file that is not ninjs, and a page without article text.
    """
    head = data[:4096]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    lower = name.lower()
    if is_html(head) or (lower.endswith(HTML_SUFFIXES) and not _WIRE_ROOT.match(head)):
        return WireDocument("html", *read_html(data))
    if lower.endswith(XML_SUFFIXES) or head.lstrip().startswith(b"<?xml") or _WIRE_ROOT.match(head):
        return _read_xml(data)
    if lower.endswith(".json") or head.lstrip().startswith(b"{"):
        value = _json(data, lower.endswith(".json"))
        if is_ninjs(value):
            return WireDocument("ninjs", _decoded(data), read_ninjs(value))
        if lower.endswith(".json"):
            raise CopyError("JSON that is not ninjs (a Django fixture? load it with manage.py loaddata)")
    return None


def is_ninjs_file(data: bytes) -> bool:
    """Whether a file's bytes are a ninjs object (a folder's ``.json`` files are taken only then)."""
    try:
        return is_ninjs(json.loads(data.decode("utf-8-sig")))
    except (ValueError, RecursionError):
        return False


def _read_xml(data: bytes) -> WireDocument:
    root = parse_xml(data)
    name = local(root.tag)
    if name == "nitf":
        return WireDocument("nitf", _decoded(data), read_nitf(root))
    space = namespace(root.tag)
    if name in ("newsItem", "newsMessage") and (not space or space.startswith(_G2_NAMESPACE)):
        return WireDocument("newsml-g2", _decoded(data), read_newsml(root))
    if kind := feed_format(root):
        return WireDocument(kind, _decoded(data), read_feed(data, root))
    raise CopyError(
        f"XML of a kind not read here (its root element is <{name}>): NITF, NewsML-G2, RSS 2.0 and Atom are"
    )


def _json(data: bytes, required: bool):
    """Decoded JSON; None when it is not JSON and need not be (a ``.txt`` starting with "{")."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise CopyError("JSON nested too deeply to read") from None
    except ValueError as error:
        if required:
            raise CopyError(f"not JSON ({error})") from error
        return None


def _decoded(data: bytes) -> str:
    """The document's text in its declared encoding (UTF-8 when it declares none)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return without_controls(data.decode("utf-16", errors="replace"))
    declared = _ENCODING.match(data.removeprefix(codecs.BOM_UTF8))
    encoding = declared[1].decode("ascii") if declared else "utf-8-sig"
    try:
        return without_controls(data.decode(encoding, errors="replace"))
    except LookupError:
        return without_controls(data.decode("utf-8", errors="replace"))
