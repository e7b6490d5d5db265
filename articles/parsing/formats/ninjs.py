"""IPTC ninjs 1.x and 2.0 (JSON): one object, one article.

Both generations are read: 1.x's ``headline``, ``byline``, ``subject``, ``place``,
``body_html``/``body_text``, ``description_text`` and associations as an object; 2.0's
``headlines``, ``by``, ``subjects``, ``places``, ``bodies``, ``descriptions``, ``infosources`` and
associations as a list. The identity is ``uri``, ``version`` decides which copy is newer,
``firstcreated`` (else ``versioncreated``) is the date; associated photos give captions;
``copyrightnotice``, ``copyrightholder``, ``usageterms`` and ``rightsinfo`` the rights line.
"""

from __future__ import annotations

from articles.parsing.gazetteer import country_of_city
from articles.parsing.model import Caption, CopyError
from articles.parsing.outlets import normalise_outlet

from .common import (
    WireArticle,
    caption_of,
    clean,
    finish,
    html_blocks,
    moment,
    parse_datetime,
    plain_byline,
    set_published,
    split_trailer,
    to_version,
)

FORMAT = "ninjs"
# Keys only ninjs has (a Django fixture is a list of {"model", "pk", "fields"}).
MARKS = frozenset({"uri", "versioncreated", "firstcreated", "body_html", "body_text", "bodies", "headlines"})
_PICTURES = ("picture", "graphic", "image")


def is_ninjs(value) -> bool:
    """Whether decoded JSON is a ninjs object: an object with ``uri`` or another ninjs key."""
    return isinstance(value, dict) and "model" not in value and bool(MARKS & value.keys())


def read_ninjs(value: dict) -> list[WireArticle]:
    """The article of a ninjs object (one :func:`is_ninjs` took)."""
    kind = _text(value.get("type")) or "text"
    if kind not in ("text", "composite"):
        raise CopyError(f"a ninjs item of type {kind!r}: only text items are articles")
    language = (_text(value.get("language")) or "en").split("-")[0].lower()
    paragraphs, captions = _body(value)
    paragraphs, trailer = split_trailer(paragraphs)
    article = WireArticle(
        headline=_headline(value, "main"),
        format=FORMAT,
        identity=_text(value.get("uri")),
        version=to_version(value.get("version")),
        status=(_text(value.get("pubstatus")) or "usable").lower(),
        language=language,
        dek=_text(value.get("subheadline")) or _headline(value, "subheadline"),
        slugline=_text(value.get("slugline")),
        byline=plain_byline(_text(value.get("byline")) or _text(value.get("by"))) or None,
        outlet=_outlet(value),
        topics=_topics(value),
        summary=_text(value.get("description_text")) or _role_value(value.get("descriptions"), "summary"),
        body="\n\n".join(paragraphs),
        captions=captions + _associated(value.get("associations")),
        trailer=trailer,
        rights=_rights(value),
    )
    for key in ("firstcreated", "versioncreated"):
        if article.published is None:
            set_published(article, parse_datetime(_text(value.get(key))))
    article.released_at = moment(parse_datetime(_text(value.get("embargoed"))))
    _located(article, value)
    return [finish(article)]


def _text(value) -> str:
    return clean(value) if isinstance(value, str) else ""


def _objects(value) -> list[dict]:
    """A list of objects (a single object is a list of one); anything else is none."""
    values = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    return [item for item in values if isinstance(item, dict)]


def _role_value(values, role: str) -> str:
    """The ``value`` of the 2.0 list entry with ``role``; for "main" and "summary", else of one
    without a role."""
    entries = _objects(values)
    chosen = [e for e in entries if _text(e.get("role")) == role] or (
        [e for e in entries if not e.get("role")] if role in ("main", "summary") else []
    )
    return _text(chosen[0].get("value")) if chosen else ""


def _headline(value: dict, role: str) -> str:
    if role == "main" and (headline := _text(value.get("headline"))):
        return headline
    return _role_value(value.get("headlines"), role)


def _body(value: dict) -> tuple[list[str], list[Caption]]:
    """``body_html``, else ``body_text``, else the main entry of ``bodies`` (HTML or text)."""
    html = _text_raw(value.get("body_html"))
    plain = _text_raw(value.get("body_text"))
    for body in _objects(value.get("bodies")):
        if html or plain:
            break
        if _text(body.get("role")) in ("", "main"):
            if "html" in _text(body.get("contenttype")) or "html" in _text(body.get("content_type")):
                html = _text_raw(body.get("value"))
            else:
                plain = _text_raw(body.get("value"))
    if html:
        return html_blocks(html)
    return [clean(p) for p in plain.split("\n\n") if clean(p)], []


def _text_raw(value) -> str:
    """Text as given (its line breaks kept), "" for anything else."""
    return value if isinstance(value, str) else ""


def _associated(associations) -> list[Caption]:
    """Associated photos and graphics, as captions (1.x: an object by name; 2.0: a list)."""
    items = (
        list(associations.values()) if isinstance(associations, dict) else associations
        if isinstance(associations, list) else []
    )  # fmt: skip
    captions = []
    for item in _objects(items):
        if _text(item.get("type")) not in _PICTURES:
            continue
        caption = (
            _text(item.get("description_text"))
            or _role_value(item.get("descriptions"), "caption")
            or _role_value(item.get("descriptions"), "summary")
            or _text(item.get("body_text"))
            or _text(item.get("headline"))
        )
        credit = _text(item.get("byline")) or _text(item.get("by")) or _text(item.get("copyrightholder"))
        if caption:
            captions.append(caption_of(caption, credit))
    return captions


def _names(values) -> list[str]:
    """The names of a list of entities (objects with ``name``, or plain names)."""
    values = values if isinstance(values, list) else [values]
    names = [_text(v.get("name")) if isinstance(v, dict) else _text(v) for v in values]
    return [name for name in names if name]


def _topics(value: dict) -> list[str]:
    names = _names(value.get("subjects") or value.get("subject")) + _names(value.get("keywords"))
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _outlet(value: dict) -> str | None:
    """The first info source (2.0), else the copyright holder."""
    found = next(iter(_names(value.get("infosources"))), "") or _text(value.get("copyrightholder"))
    return normalise_outlet(found) if found else None


def _rights(value: dict) -> str:
    """The copyright notice (else "© holder"), the usage terms and 2.0's ``rightsinfo``."""
    notice = _text(value.get("copyrightnotice"))
    if not notice and (holder := _text(value.get("copyrightholder"))):
        notice = f"© {holder}"
    rights = _objects(value.get("rightsinfo"))
    linked = [_text(r.get("linkedrights")) or _text(r.get("encodedrights")) for r in rights]
    return "; ".join(filter(None, [notice, _text(value.get("usageterms")), *linked]))


def _located(article: WireArticle, value: dict) -> None:
    """``located`` (else the first place) as the city; a place typed as a country as the country."""
    places = _objects(value.get("places") or value.get("place"))
    countries = [_text(p.get("name")) for p in places if "country" in _place_kind(p)]
    cities = [_text(p.get("name")) for p in places if _text(p.get("name")) not in countries]
    city, _, country = (_text(value.get("located")) or next(iter(cities), "")).partition(",")
    if city.strip():
        article.place = city.strip()
        article.country = country.strip() or next(iter(countries), "") or country_of_city(article.place)


def _place_kind(place: dict) -> str:
    """What a place is, as far as it says (2.0 ``locationtype``, 1.x ``scheme`` or ``rel``)."""
    return (str(place.get("locationtype", "")) + _text(place.get("scheme")) + _text(place.get("rel"))).lower()
