"""IPTC NewsML-G2: a ``newsItem``, or a ``newsMessage`` whose items each give an article.

``itemMeta`` gives the status (``pubStatus``), the dates (``firstCreated``, ``versionCreated``,
``embargoed``), the provider and links (``irel:translatedFrom``); ``contentMeta`` the headline
(and a sub-headline as the dek), slugline, creator and contributors, located, subjects and
keywords, language, dateline and ``infoSource``; ``contentSet`` the XHTML body (``inlineXML``),
whose photos give captions; ``rightsInfo`` the rights line. The identity is the item's ``guid``,
its ``version`` decides which copy is newer. Items that are not text (a picture, a video) give no
article. A message's text items of one story in other languages are linked as translations.
"""

from __future__ import annotations

from html import escape
from xml.etree.ElementTree import Element, tostring

from articles.parsing.gazetteer import country_of_city
from articles.parsing.model import CopyError
from articles.parsing.outlets import normalise_outlet

from .common import (
    WireArticle,
    attribute,
    child,
    children,
    clean,
    descendants,
    finish,
    html_blocks,
    local,
    moment,
    parse_datetime,
    plain_byline,
    set_published,
    split_trailer,
    text,
    to_version,
)

FORMAT = "newsml-g2"
_TEXT_CLASSES = ("", "ninat:text", "ninat:composite")
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_newsml(root: Element) -> list[WireArticle]:
    """The articles of a ``newsItem`` or a ``newsMessage`` (``root``)."""
    items = [root] if local(root.tag) == "newsItem" else descendants(child(root, "itemSet"), "newsItem")
    texts = [item for item in items if _item_class(item) in _TEXT_CLASSES]
    if not texts:
        raise CopyError("a NewsML-G2 document without a text item (only pictures, video or nothing)")
    articles = [_article(item, raw=len(items) > 1) for item in texts]
    _link_translations(articles)
    return articles


def _item_class(item: Element) -> str:
    return attribute(child(child(item, "itemMeta"), "itemClass"), "qcode")


def _article(item: Element, raw: bool) -> WireArticle:
    meta, content = child(item, "itemMeta"), child(item, "contentMeta")
    language = (attribute(child(content, "language"), "tag") or item.get(_LANG) or "en").split("-")[0].lower()
    headlines = children(content, "headline")
    main = [h for h in headlines if "sub" not in h.get("role", "").lower()] or headlines[:1]
    paragraphs, captions = html_blocks(_body_html(child(item, "contentSet")))
    paragraphs, trailer = split_trailer(paragraphs)
    article = WireArticle(
        headline=text(main[0]) if main else "",
        format=FORMAT,
        identity=clean(item.get("guid")),
        version=to_version(item.get("version")),
        status=_qcode_value(child(meta, "pubStatus")) or "usable",
        language=language,
        dek=" ".join(text(h) for h in headlines if "sub" in h.get("role", "").lower()),
        slugline=text(child(content, "slugline")),
        byline=plain_byline(text(child(content, "by"))) or _names(content, "creator") or None,
        editor=_names(content, "contributor", role="editor") or None,
        outlet=_outlet(item, meta, content),
        topics=_topics(content, language),
        summary=" ".join(text(d) for d in children(content, "description")),
        body="\n\n".join(paragraphs),
        captions=captions,
        trailer=trailer,
        rights=_rights(child(item, "rightsInfo")),
        raw=tostring(item, encoding="unicode") if raw else "",
    )
    for name in ("firstCreated", "contentCreated", "versionCreated"):
        if article.published is None:
            parent = content if name == "contentCreated" else meta
            set_published(article, parse_datetime(text(child(parent, name))))
    article.released_at = moment(parse_datetime(text(child(meta, "embargoed"))))
    for link in children(meta, "link"):
        if link.get("rel", "").endswith("translatedFrom"):
            article.translation_of = clean(link.get("residref"))
    _located(article, content)
    return finish(article, text(child(content, "dateline")))


def _qcode_value(element: Element | None) -> str:
    """The code of a ``qcode`` without its scheme ("stat:canceled" → "canceled")."""
    return attribute(element, "qcode").rpartition(":")[2].lower()


def _name(element: Element, language: str = "") -> str:
    """An entity's name (in ``language`` when it has several), else its ``literal``."""
    names = children(element, "name")
    preferred = [n for n in names if language and (n.get(_LANG) or "").startswith(language)]
    return text((preferred or names)[0]) if names else attribute(element, "literal")


def _names(content: Element | None, tag: str, role: str = "") -> str:
    people = [e for e in children(content, tag) if role in e.get("role", "").lower()]
    return " and ".join(filter(None, (_name(person) for person in people)))


def _outlet(item: Element, meta: Element | None, content: Element | None) -> str | None:
    """The ``infoSource``, else the provider, else the copyright holder."""
    candidates = [_name(source) for source in children(content, "infoSource")]
    if (provider := child(meta, "provider")) is not None:
        candidates.append(_name(provider) or _qcode_value(provider).upper())
    if (holder := child(child(item, "rightsInfo"), "copyrightHolder")) is not None:
        candidates.append(_name(holder))
    found = next((name for name in candidates if name), None)
    return normalise_outlet(found) if found else None


def _topics(content: Element | None, language: str) -> list[str]:
    """The subjects' names (in the item's language when given in several), then the keywords."""
    names = [_name(subject, language) for subject in children(content, "subject")]
    names += [text(keyword) for keyword in children(content, "keyword")]
    seen: dict[str, str] = {}
    for name in filter(None, names):
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _rights(rights: Element | None) -> str:
    """The copyright notice (else "© holder") and the usage terms."""
    notice = text(child(rights, "copyrightNotice"))
    if not notice and (holder := child(rights, "copyrightHolder")) is not None and _name(holder):
        notice = f"© {_name(holder)}"
    return "; ".join(filter(None, [notice, text(child(rights, "usageTerms"))]))


def _located(article: WireArticle, content: Element | None) -> None:
    """``located``: the city, and the country among its broader places."""
    located = child(content, "located")
    if located is None:
        return
    article.place = _name(located, article.language) or None
    for broader in descendants(located, "broader"):
        if "country" in broader.get("type", "") and "area" not in broader.get("type", ""):
            article.country = _name(broader, article.language) or None
    if article.place and not article.country:
        article.country = country_of_city(article.place)


def _body_html(content_set: Element | None) -> str:
    """The XHTML of the first ``inlineXML`` (as HTML without namespaces), else ``inlineData``
    text as paragraphs."""
    for inline in children(content_set, "inlineXML"):
        return "".join(_html(element) for element in inline)
    for inline in children(content_set, "inlineData"):
        return "".join(f"<p>{escape(p)}</p>" for p in (inline.text or "").split("\n\n"))
    return ""


def _html(element: Element) -> str:
    """An XHTML element as HTML, its namespace dropped (the reader knows the tags by name)."""
    attributes = "".join(f' {local(k)}="{escape(v)}"' for k, v in element.attrib.items())
    name = local(element.tag)
    inner = escape(element.text or "", quote=False) + "".join(_html(e) for e in element)
    return f"<{name}{attributes}>{inner}</{name}>" + escape(element.tail or "", quote=False)


def _link_translations(articles: list[WireArticle]) -> None:
    """Text items of one message in other languages than its first, with the same slugline (or
    none), are its translations, unless they name the item they translate."""
    if len(articles) < 2:
        return
    first = articles[0]
    by_identity = {article.identity: article for article in articles}
    for article in articles[1:]:
        same_story = article.slugline == first.slugline or not (article.slugline and first.slugline)
        if not article.translation_of and article.language != first.language and same_story:
            article.translation_of = first.identity
    for article in articles:
        original = by_identity.get(article.translation_of)
        if original is not None and original is not article:
            article.translated, article.translated_from = True, original.language
        elif article.translation_of:
            article.translated = True
