"""What the wire formats share: the article they give, safe XML, dates, HTML bodies, trailers.

Plain Python (no Django). XML is parsed with defusedxml: a document that declares entities or
reaches for external ones is refused, never expanded.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from articles.parsing.datelines import parse_dateline
from articles.parsing.model import Caption, CopyError, ParsedArticle
from articles.sanitize import without_controls

# The publication statuses of the formats (NITF management-status, G2 pubStatus, ninjs pubstatus)
# that keep an item from the public: it is never published, and withdraws earlier versions.
WITHDRAWN = frozenset({"canceled", "withheld"})
# An agency's credit trailer closing a story: "(Reporting by Jane Doe; Editing by Tom Lee)".
_TRAILER = re.compile(
    r"^\(?\s*(?:(?:(?:additional\s+)?reporting|writing|editing|compiled|translated|story)\b[^()]*\bby\b"
    r"|(?:r[ée]daction|redaktion|edici[óo]n)\s*:).*\)?$",  # "(Rédaction: …)", "(Redaktion: …)"
    re.IGNORECASE | re.DOTALL,
)
_BY = re.compile(r"^\s*(?:by|von|par|por)\s+", re.IGNORECASE)  # "By", German "Von", French "Par"
_SPACE = re.compile(r"\s+")


@dataclass
class WireArticle(ParsedArticle):
    """One article of a wire format: what raw copy gives, and the format's own facts.

    ``identity`` is the format's (NITF doc-id, G2 guid, ninjs
    uri); ``version`` decides which copy is newer. ``trailer`` is the agency's credit line, kept
    out of ``body``. ``translation_of`` is the identity of the item this one translates.
    """

    format: str = ""
    identity: str = ""
    version: int | None = None
    status: str = "usable"
    released_at: datetime.datetime | None = None
    dek: str = ""
    trailer: str = ""
    slugline: str = ""
    du_key: str = ""
    translation_of: str = ""
    source_url: str = ""  # the item's own address (a feed item's link, a web page's canonical URL)
    raw: str = ""  # the item's own source text (one item of a G2 message), "" for the whole file

    @property
    def withdrawn(self) -> bool:
        return self.status in WITHDRAWN


def parse_xml(data: bytes) -> Element:
    """The root element of an XML document, read in its declared encoding; :class:`CopyError`
    for XML that is not well-formed or declares entities (never expanded)."""
    try:
        return fromstring(data)
    except DefusedXmlException as error:
        raise CopyError(f"refused XML: {error} (entities and external references are not read)") from error
    except ParseError as error:
        raise CopyError(f"not well-formed XML: {error}") from error
    except (LookupError, ValueError) as error:  # an encoding Python does not know
        raise CopyError(f"unreadable XML: {error}") from error


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def children(element: Element | None, name: str) -> list[Element]:
    """The child elements called ``name`` (any namespace)."""
    return [] if element is None else [child for child in element if local(child.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def descendants(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [e for e in element.iter() if local(e.tag) == name]


def attribute(element: Element | None, name: str) -> str:
    """An attribute's value, whitespace collapsed ("" when the element or the attribute is absent)."""
    return clean(element.get(name)) if element is not None else ""


def text(element: Element | None) -> str:
    """All the text inside an element, its whitespace collapsed ("" for none)."""
    return clean("".join(element.itertext())) if element is not None else ""


def clean(value: str | None) -> str:
    return _SPACE.sub(" ", without_controls(value or "")).strip()


def plain_byline(value: str) -> str:
    """A byline without its leading "By"."""
    return _BY.sub("", clean(value))


def parse_datetime(value: str | None) -> datetime.datetime | datetime.date | None:
    """An ISO 8601 date and time, basic (``20261014T214000+0200``) or extended, with its own offset
    kept; a date alone gives a date; None for anything else."""
    value = clean(value)
    if not value:
        return None
    if "T" not in value.upper() and " " not in value:  # a date alone, not midnight
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def moment(value: datetime.datetime | datetime.date | None) -> datetime.datetime | None:
    """A date and time (a date alone is no moment)."""
    return value if isinstance(value, datetime.datetime) else None


def to_version(value) -> int | None:
    """A format's version number (an int, or text holding one)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    digits = re.search(r"\d+", str(value or ""))
    return int(digits[0]) if digits else None


def split_trailer(paragraphs: list[str]) -> tuple[list[str], str]:
    """The body's paragraphs without the agency's credit trailer at the end, and the trailer."""
    trailer: list[str] = []
    while paragraphs and _TRAILER.match(paragraphs[-1]):
        trailer.insert(0, paragraphs.pop())
    return paragraphs, " ".join(trailer)


def set_published(article: WireArticle, value: datetime.datetime | datetime.date | None) -> None:
    """Set the publication date (local) and, for a date with a time, the datetime as given."""
    if isinstance(value, datetime.datetime):
        article.published_at = value
        article.published = value.date()
    elif isinstance(value, datetime.date):
        article.published = value


def finish(article: WireArticle, dateline: str = "") -> WireArticle:
    """The dateline opening the body ("ZURICH, Oct 14 (Reuters) - ") taken out of it, as raw copy's
    is; it, or the format's own ``dateline``, gives the place and outlet the format did not."""
    first, _, rest = article.body.partition("\n\n")
    found = parse_dateline(first, strict=True)
    if found and found.end < len(first):
        dateline = dateline or first[: found.end]
        article.body = "\n\n".join(filter(None, [first[found.end :].lstrip(" -–—"), rest]))
    found = parse_dateline(dateline) if dateline else None
    if found:
        article.place = article.place or found.place
        article.country = article.country or (found.country if article.place == found.place else None)
        article.outlet = article.outlet or found.outlet
    return article


_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "dt"})
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _Blocks(HTMLParser):
    """Paragraphs of an HTML or XHTML body; figures and images give captions, not text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.captions: list[Caption] = []
        self._text: list[str] = []
        self._figure: list[str] | None = None  # the caption being read inside a <figure>
        self._figure_alt = ""
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "figure":
            self._flush()
            self._figure, self._figure_alt = [], ""
        elif tag == "img":
            alt = clean(attributes.get("alt") or attributes.get("title"))
            if self._figure is not None:
                self._figure_alt = self._figure_alt or alt
            elif alt:
                self.captions.append(caption_of(alt))
        elif tag in _BLOCKS or tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "figure" and self._figure is not None:
            found = clean(" ".join(self._figure)) or self._figure_alt
            if found:
                self.captions.append(caption_of(found))
            self._figure = None
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        (self._figure if self._figure is not None else self._text).append(data)

    def _flush(self) -> None:
        if self._figure is None and (paragraph := clean("".join(self._text))):
            self.paragraphs.append(paragraph)
        if self._figure is None:
            self._text = []

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(html: str) -> tuple[list[str], list[Caption]]:
    """An HTML body's paragraphs (text, block by block) and the captions of its photos."""
    reader = _Blocks()
    reader.feed(html)
    reader.close()
    return reader.paragraphs, reader.captions


_CREDIT = re.compile(r"\s*\((?:photo|foto|picture|image|bild)?\s*:?\s*([^()]{2,80})\)\s*$", re.IGNORECASE)


def caption_of(value: str, credit: str = "") -> Caption:
    """A caption; a credit in parentheses at its end ("(Photo: Reuters/Jane Doe)") is split off
    when no ``credit`` is given."""
    value = clean(value)
    if not credit and (found := _CREDIT.search(value)):
        return Caption(value[: found.start()].strip(), clean(found[1]))
    return Caption(value, clean(credit))
