"""IPTC NITF 3.x: one ``<nitf>`` document, one article.

``head/docdata`` gives the identity (``doc-id``), the version (``du-key``), the issue and release
dates, the rights (``doc.copyright``, ``doc.rights``), the status (``management-status``) and
keywords; ``head/tobject`` the subjects. ``body.head`` gives the headline (``hl1``), the dek
(``hl2``), byline, distributor and dateline; ``body.content`` the text block by block, its
``media`` the captions; the agency's "Reporting by …" trailer (a last paragraph or the
``body.end`` tagline) is kept apart from the body.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from articles.parsing.gazetteer import country_of_city, country_of_region, title_case
from articles.parsing.model import Caption
from articles.parsing.outlets import normalise_outlet

from .common import (
    WireArticle,
    attribute,
    caption_of,
    child,
    children,
    clean,
    descendants,
    finish,
    local,
    moment,
    parse_datetime,
    plain_byline,
    set_published,
    split_trailer,
    text,
    to_version,
)

FORMAT = "nitf"


def read_nitf(root: Element) -> list[WireArticle]:
    """The article of a NITF document (``root`` is its ``<nitf>`` element)."""
    head, body = child(root, "head"), child(root, "body")
    docdata = child(head, "docdata")
    body_head = child(body, "body.head")
    hedline = child(body_head, "hedline")
    paragraphs, captions = _content(child(body, "body.content"))
    paragraphs, trailer = split_trailer(paragraphs)
    tagline = text(child(child(body, "body.end"), "tagline"))
    article = WireArticle(
        headline=text(child(hedline, "hl1")) or text(child(head, "title")),
        format=FORMAT,
        dek=" ".join(text(hl2) for hl2 in children(hedline, "hl2")),
        byline=_byline(body_head),
        outlet=_outlet(body_head, docdata),
        topics=_topics(head, docdata),
        captions=captions,
        summary=" ".join(text(p) for p in children(child(body_head, "abstract"), "p"))
        or text(child(body_head, "abstract")),
        body="\n\n".join(paragraphs),
        trailer=" ".join(part for part in (trailer, tagline) if part),
        rights=_rights(docdata),
        status=_status(docdata),
    )
    if (doc_id := child(docdata, "doc-id")) is not None:
        article.identity = clean(doc_id.get("id-string"))
    if (du_key := child(docdata, "du-key")) is not None:
        article.version = to_version(du_key.get("version"))
        article.du_key = clean(du_key.get("key"))
    set_published(article, _date(docdata, "date.issue"))
    article.released_at = moment(_date(docdata, "date.release"))
    if article.published is None:
        set_published(article, _date(body_head, "story.date", deep=True))
    _located(article, body_head, docdata)
    return [finish(article)]


def _date(parent: Element | None, name: str, deep: bool = False):
    found = descendants(parent, name) if deep else children(parent, name)
    return parse_datetime(found[0].get("norm")) if found else None


def _byline(body_head: Element | None) -> str | None:
    """The byline's people ("By Jane Doe and Tom Lee"), without their titles (``byttl``)."""
    names = []
    for byline in children(body_head, "byline"):
        people = [text(person) for person in descendants(byline, "person")]
        if people:
            names.append(" and ".join(filter(None, people)))
            continue
        titles = {text(title) for title in descendants(byline, "byttl")}
        whole = "".join(byline.itertext())
        for title in titles:
            whole = whole.replace(title, "")
        names.append(plain_byline(whole).rstrip(", "))
    return ", ".join(filter(None, names)) or None


def _outlet(body_head: Element | None, docdata: Element | None) -> str | None:
    """The distributor, else the registered source of the doc-id, else the copyright holder."""
    candidates = [
        text(child(body_head, "distributor")),
        attribute(child(docdata, "doc-id"), "regsrc"),
        attribute(child(docdata, "doc.copyright"), "holder"),
    ]
    found = next((name for name in candidates if name), None)
    return normalise_outlet(found) if found else None


def _topics(head: Element | None, docdata: Element | None) -> list[str]:
    """Each subject's most specific name (detail, matter, type), then the keywords; each once."""
    names: list[str] = []
    for subject in descendants(head, "tobject.subject"):
        for level in ("tobject.subject.detail", "tobject.subject.matter", "tobject.subject.type"):
            if value := clean(subject.get(level)):
                names.append(value)
                break
    for keyword in descendants(child(docdata, "key-list"), "keyword"):
        names.append(clean(keyword.get("key")) or text(keyword))
    seen: dict[str, str] = {}
    for name in filter(None, names):
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _rights(docdata: Element | None) -> str:
    """``doc.copyright`` ("© 2026 Thomson Reuters") and ``doc.rights`` (owner, agent, terms)."""
    parts = []
    if (copyright_ := child(docdata, "doc.copyright")) is not None:
        holder, year = clean(copyright_.get("holder")), clean(copyright_.get("year"))
        if holder:
            parts.append(f"© {year} {holder}".replace("  ", " ") if year else f"© {holder}")
    for rights in children(docdata, "doc.rights"):
        owner, agent = clean(rights.get("owner")), clean(rights.get("agent"))
        terms = [clean(rights.get(name)) for name in ("type", "limitations", "geography")]
        said = ", ".join(filter(None, [owner and f"rights: {owner}", agent and f"agent: {agent}"]))
        parts.append("; ".join(filter(None, [said, *terms])))
    return "; ".join(filter(None, parts))


def _status(docdata: Element | None) -> str:
    """``management-status`` (an attribute of docdata, or an element): usable, canceled, withheld…"""
    value = clean(docdata.get("management-status")) if docdata is not None else ""
    value = value or text(child(docdata, "management-status"))
    return value.lower() or "usable"


def _located(article: WireArticle, body_head: Element | None, docdata: Element | None) -> None:
    """The dateline's location (city, and the country it names, else its state's), else the event
    location (``evloc``)."""
    location = next(iter(descendants(child(body_head, "dateline"), "location")), None)
    city = text(child(location, "city"))
    country = text(child(location, "country")) or attribute(child(location, "country"), "iso-cc")
    if not city and (evloc := child(docdata, "evloc")) is not None:
        city, country = clean(evloc.get("city")), country or clean(evloc.get("iso-cc"))
    state = text(child(location, "state")) or text(child(location, "region"))
    if city:
        article.place = title_case(city) if city.isupper() else city
        article.country = country or country_of_region(state) or country_of_city(article.place)


def _content(content: Element | None) -> tuple[list[str], list[Caption]]:
    """``body.content`` block by block: paragraphs and subheads as text, lists item by item, tables
    row by row, ``media`` as captions."""
    paragraphs: list[str] = []
    captions: list[Caption] = []
    for element in [] if content is None else list(content):
        name = local(element.tag)
        if name == "media":
            caption = text(child(element, "media-caption"))
            caption = caption or attribute(child(element, "media-reference"), "alternate-text")
            if caption:
                captions.append(caption_of(caption, text(child(element, "media-producer"))))
        elif name in ("block", "bq"):
            inner, inner_captions = _content(element)
            paragraphs += inner
            captions += inner_captions
        elif name in ("ol", "ul", "dl"):
            paragraphs += [text(item) for item in element if text(item)]
        elif name == "table":
            rows = (" ".join(filter(None, map(text, row))) for row in descendants(element, "tr"))
            paragraphs += [row for row in rows if row]
        elif value := text(element):
            paragraphs.append(value)
    return paragraphs, captions
