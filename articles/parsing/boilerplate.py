"""What each paragraph of copy is, when it is not story text.

``classify`` sorts a paragraph into a :class:`Kind`: a photo caption, a byline or editing
credit, a translation or provenance header, a copyright line or site footer (both name the
outlet), a lone photo credit, an update marker, or boilerplate to drop (view counters, error
report footers, disclaimers, an agency's "(Adds ...; corrects ...)" note, a press release's
labels and end mark). Everything else is text; short subheads stay text.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Caption
from .outlets import OutletTable


class Kind(enum.Enum):
    TEXT = "text"
    CAPTION = "caption"  # value: caption text, extra: credit
    BYLINE = "byline"  # value: byline, extra: editor, outlet: "By X, Associated Press"
    TRANSLATION = "translation"  # value: region or language named, if any
    SOURCE = "source"  # value: the source named ("Source: United Nations")
    COPYRIGHT = "copyright"  # value: the outlet named
    FOOTER = "footer"  # value: the site named
    CREDIT = "credit"  # a lone photo credit line; value: the outlet when it is one
    SOURCES_LIST = "sources"  # a "Sources" heading: the list under it goes too
    UPDATE = "update"  # "THIS IS A BREAKING NEWS UPDATE. ... earlier story follows below."
    DROP = "drop"


@dataclass(frozen=True)
class Classified:
    kind: Kind
    value: str | None = None
    extra: str | None = None
    outlet: str | None = None  # an outlet the line names as the copy's own


_TEXT = Classified(Kind.TEXT)
_DROPPED = Classified(Kind.DROP)

_SHORT = 200  # most boilerplate is a short line

_CAPTION_CREDIT = re.compile(
    r"\bPhoto\b|\bPHOTO\b|\bvia\s+(?:AP|AFP|Reuters|Getty|Xinhua|EPA)\b"
    r"|/\s*(?:AP|AFP|Reuters|REUTERS|EPA|Getty Images|Pool|Xinhua|Shutterstock|Sipa)\b"
    r"|^(?:REUTERS|AFP|EPA|AP|Getty Images|Xinhua)\s*/"
)
_BY_LINE = re.compile(
    r"^By:?\s+(?P<names>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){1,4}"
    r"(?:(?:,\s*|\s+)(?:and|&)\s+[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){1,4})*)"
    r"(?:\s*[,|–—-]\s*(?P<org>[A-Z][^,.]{1,60}))?$"
)
_EDITED_BY = re.compile(r"^(?:Edited|Editing) by:?\s*(?P<name>[^\s].{1,80}?)\.?$", re.I)
_TRAILER = re.compile(
    r"^\(?\s*(?:Additional\s+)?(?:Reporting|Writing|Editing|Compiled|Edited)\b"
    r"[^()]{0,300}\bby\s+(?-i:[A-Z])[^()]{0,300}\)?\.?$",  # names after "by" are capitalised
    re.I,
)
_TRAILER_PART = re.compile(r"^\s*(?P<role>[\w ]+?)\s+by\s+(?P<names>.+?)\s*$", re.I)
# An agency's note on what a new version of a story changed, between headline and byline:
# "(Adds analyst comment; corrects spelling of CEO's name in paragraph 3)".
_VERSION_NOTE = re.compile(
    r"^\(\s*(?:(?:This|The)\s+(?:[\w.,]+\s+){0,4}story\s+(?:(?:has\s+been|was|is)\s+)?)?"
    r"(?:Adds|Updates|Updated|Corrects|Corrected|Recasts|Rewrites|Writes\s+through|Refiles|Repeats|"
    r"Changes|Fixes|Removes|Inserts|Deletes|Clarifies|Amends|Replaces|Moves|Restores|Tops|"
    r"Retransmits|Withdraws|Kills)\b(?:[^()]|\([^()]*\))*\)\.?$",
    re.I,
)
_UPDATE = re.compile(r"^THIS IS A BREAKING NEWS UPDATE\b|\bearlier story follows(?: below)?\b", re.I)
_TRANSLATION = re.compile(
    r"^Translation\b\.?\s*(?:Region:\s*(?P<region>[^–—|]+?))?\s*[–—-]*\s*$"
    r"|^(?:This (?:article|text) (?:was|has been) )?(?:machine[- ])?translated from "
    r"(?P<language>[A-Z][a-z]+)\b",
    re.I,
)
_SOURCE = re.compile(r"^Source:\s*(?P<source>[^–—|]{2,100}?)\s*(?:\s[–—|-](?:\s.*)?)?$")
_MIL_OSI = re.compile(r"^(?:Please note:\s*This information is raw content|MIL-OSI\b)", re.I)
_DROP_LINE = re.compile(
    r"^\d[\d,.]*\s*[kKmM]?\s+(?:views?|reads?|shares?|comments?)$"
    r"|^An important disclaimer is at the bottom of this article\.?$"
    r"|^Did you find an error or inaccuracy\??"
    r"|^We will consider your comments\b"
    r"|^(?:Report an error|Share this article|Share on \w+|Follow us on|Subscribe to|"
    r"Sign up for|Click here to)\b"
    r"|^All rights reserved\.?$|^Advertisement$"
    r"|^(?:(?:Press|News|Media)\s+release|For\s+immediate\s+release)[.:]?$"  # a press release's labels
    r"|^#{3,}$|^-+\s*ends\s*-+$|^ENDS\.?$"  # and end marks
    r"|^(?-i:[a-z]{2,5}(?:[-/][a-z]{2,5}){1,6})$",  # an agency's staff initials: "dth/jm/ach"
    re.I,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s|Copyright\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<name>[^.|\n]{2,80}?)\s*(?:\.|,?\s*All rights reserved|$)",
    re.I,
)
_FOOTER = re.compile(r"^(?P<title>.{3,160}?)\s+\|\s+(?P<site>[^|]{2,60}?)$")
_SOURCES_HEADING = re.compile(
    r"^(?:Sources?|References|Related(?: articles| stories| news)?|Read more|More on this|"
    r"See also|Tags)\s*:?$",
    re.I,
)
# A newspaper's name: a few capitalised words ending in a word papers are named with, and
# perhaps a tagline after a bar or dash.
_PAPER_WORDS = (
    "Gazette|Herald|Times|Post|Courier|Chronicle|Tribune|Journal|Observer|Echo|Mail|Express|Star|News|"
    "Record|Advertiser|Examiner|Bulletin|Sentinel|Standard|Argus|Telegraph|Dispatch|Mercury|Press|"
    "Register|Leader|Globe|Enquirer|Inquirer|Citizen|Mirror|Messenger|Recorder|Gleaner|Clarion|"
    "Pioneer|Beacon|Banner|Ledger|Monitor|Courant|Intelligencer|Packet|Spectator|Statesman|Tidings|"
    "Zeitung|Nieuws|Gazet|Kurier|Anzeiger"
)
_MASTHEAD = re.compile(
    rf"^(?P<name>(?i:the\s+)?(?:[A-Z][\w'’.&-]*\s+){{0,3}}(?i:{_PAPER_WORDS})"
    rf"(?:\s+(?:and|&)\s+(?i:{_PAPER_WORDS}))?)(?:\s+[|–—·]\s+[^|–—·]{{1,80}})?$"
)
_BULLET = re.compile(r"^[•·‣▪◦*–-]\s*\S")
_PHOTO_CREDIT_LINE = re.compile(
    r"^(?:UN|U\.N\.|AP|AFP|Reuters|EPA|UNICEF|WHO|UNHCR|WFP|UNDP)\s*Photos?\b"
    r"|^(?:Photo|Photograph|Image|Picture|Credit)s?(?:\s+by)?\s*:"
    r"|^[^\s/]{1,40}(?:\s[^\s/]{1,40}){0,4}\s*/\s*(?:AP|AFP|Reuters|Getty Images|EPA|Shutterstock)$"
    r"|^[A-Z][A-Z0-9]{1,5}$"  # an acronym alone ("UNAMI") credits the photo it sat under
)


def classify(paragraph: str, outlets: OutletTable, *, last: bool = False) -> Classified:
    """What ``paragraph`` is; ``last`` says it ends the copy (where a site footer sits)."""
    if len(paragraph) > _SHORT:
        return _caption(paragraph) or _long_boilerplate(paragraph)
    if caption := _caption(paragraph):
        return caption
    if m := _BY_LINE.match(paragraph):
        outlet = outlets.canonical(m["org"]) if m["org"] else None
        return Classified(Kind.BYLINE, _name_case(m["names"]), outlet=outlet)
    if m := _EDITED_BY.match(paragraph):
        return Classified(Kind.BYLINE, None, _name_case(m["name"]))
    if _TRAILER.match(paragraph):
        return _trailer(paragraph)
    if _UPDATE.search(paragraph):
        return Classified(Kind.UPDATE)
    if paragraph[0] == "(" and _VERSION_NOTE.match(paragraph):
        return _DROPPED
    if m := _TRANSLATION.match(paragraph):
        return Classified(Kind.TRANSLATION, m["region"] or m["language"])
    if m := _SOURCE.match(paragraph):
        return Classified(Kind.SOURCE, m["source"])
    if _MIL_OSI.match(paragraph):
        return Classified(Kind.TRANSLATION)
    if _DROP_LINE.match(paragraph):
        return _DROPPED
    if m := _COPYRIGHT.match(paragraph):
        return Classified(Kind.COPYRIGHT, outlets.normalise(m["name"]))
    if "|" in paragraph and (m := _FOOTER.match(paragraph)) and _is_footer(m["title"], m["site"], last):
        return Classified(Kind.FOOTER, outlets.normalise(m["site"]))
    if _SOURCES_HEADING.match(paragraph):
        return Classified(Kind.SOURCES_LIST)
    if len(paragraph) <= 60 and paragraph[-1] not in ".!?:":
        if outlet := outlets.canonical(paragraph):
            return Classified(Kind.CREDIT, outlet)
        if _PHOTO_CREDIT_LINE.match(paragraph):
            return Classified(Kind.CREDIT)
    return _TEXT


def masthead_name(paragraph: str) -> str | None:
    """The paper a masthead line names ("The Riverton Gazette", "DAILY HAMPSHIRE GAZETTE |
    Since 1786"), else None. Whether the line is the copy's masthead, and not a headline
    ending in such a word, the caller decides from where it stands."""
    if len(paragraph) > 120 or (m := _MASTHEAD.match(paragraph)) is None or " " not in m["name"]:
        return None
    return m["name"]


def is_list_item(paragraph: str) -> bool:
    """An item of a list under a "Sources" heading: a bullet, or a short name-like line."""
    return bool(_BULLET.match(paragraph)) or (len(paragraph.split()) <= 5 and paragraph[-1] not in ".!?:")


def _long_boilerplate(paragraph: str) -> Classified:
    if _MIL_OSI.match(paragraph):
        return Classified(Kind.TRANSLATION)
    if _UPDATE.match(paragraph):
        return Classified(Kind.UPDATE)
    if paragraph[0] == "(" and _VERSION_NOTE.match(paragraph):
        return _DROPPED
    return _TEXT


def _caption(paragraph: str) -> Classified | None:
    """A caption, "<text> (AP Photo/Hadi Mizban)": the credit is what the parentheses hold."""
    if not paragraph.endswith(")"):
        return None
    start = paragraph.rfind("(")
    credit = paragraph[start + 1 : -1].strip()
    text = paragraph[:start].strip()
    if start < 20 or len(credit) > 120 or not _CAPTION_CREDIT.search(credit):
        return None
    return Classified(Kind.CAPTION, text, credit)


def _trailer(paragraph: str) -> Classified:
    """Byline A and editor C of "(Reporting by A; Additional reporting by B; Editing by C)"."""
    byline = editor = None
    for part in paragraph.strip("()[]. ").split(";"):
        m = _TRAILER_PART.match(part)
        if not m:
            continue
        role = m["role"].lower()
        if "edit" in role:
            editor = editor or m["names"]
        elif not role.startswith("additional"):
            byline = byline or m["names"]
    return Classified(Kind.BYLINE, byline, editor)


def _is_footer(title: str, site: str, last: bool) -> bool:
    """A site footer, "Headline of the page... | Site Name": at the end of the copy, or after
    a title the page cut short."""
    return len(site.split()) <= 6 and site[-1] not in ".!?" and (last or title.endswith(("...", "…")))


def _name_case(names: str) -> str:
    """Names in capitals made readable ("JIM HEINTZ and X" -> "Jim Heintz and X")."""
    words = names.strip(" ,;").split()
    if any(w.upper() != w for w in words if w not in ("and", "&")):
        return " ".join(words)
    return " ".join(w if w in ("and", "&") else w.capitalize() for w in words)


_CAPTION_WORD = re.compile(r"[^\W_]+")
_SMALL_WORD = 5  # letters


def unique_captions(captions: Iterable[Caption]) -> list[Caption]:
    """Each caption once: later ones that differ from a kept one only in spacing, punctuation
    or a few small words ("left, greets" / "left, greets ..., right,") are dropped."""
    kept: list[Caption] = []
    # Near-duplicates differ in small words only, so they share their long words: only
    # captions with the same long words are compared (no quadratic scan of all captions).
    buckets: dict[tuple[str, ...], list[Counter[str]]] = {}
    for caption in captions:
        words = Counter(_CAPTION_WORD.findall(caption.text.lower()))
        bucket = buckets.setdefault(tuple(sorted(w for w in words.elements() if len(w) > _SMALL_WORD)), [])
        if not any(_near_duplicate(words, other) for other in bucket):
            bucket.append(words)
            kept.append(caption)
    return kept


def _near_duplicate(a: Counter[str], b: Counter[str]) -> bool:
    differing = list(((a - b) + (b - a)).elements())
    allowed = max(2, min(a.total(), b.total()) // 10)
    return len(differing) <= allowed and all(len(w) <= _SMALL_WORD for w in differing)
