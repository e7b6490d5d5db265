"""Dates in news copy: finding them, giving a year to those without one, and the publication date.

Which dates say when a story was published, strongest first:

1. the dateline's date ("GENEVA, March 3 (Reuters) -", "PARIS, Oct 13, 2026 (AFP) -");
2. a date header line ("December 12, 2025 Peace and security", "14/10/2026 · 21:40",
   "For immediate release: 15 October 2026");
3. the date of the photo captions, or a weekday-dated lead ("On Saturday, December 13, 2025,
   ..."), moved to the day a weekday in the text names ("said Saturday") when that day is
   within three days of it.

Other dates in the body (anniversaries, deadlines) are never taken for the publication date.
A date without a year gets the year of the copy's other dates, else the most recent such date
not after ``today``; with neither it stays unknown.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MONTH_PATTERN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_PATTERN = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_DATE = re.compile(
    rf"\b(?:(?P<weekday>{_WEEKDAY_PATTERN})\s*,?\s+)?"
    rf"(?:(?P<month>{MONTH_PATTERN})\b\.?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{MONTH_PATTERN})\b\.?)"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.I,
)
# Dates are looked for only around a capitalised month name: much faster than trying the
# full pattern at every position of a long text.
_MONTH_HIT = re.compile(
    r"(?=[JFMASOND])\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
)
_BEFORE_MONTH = 16  # "Wednesday, 31st " fits
_AFTER_MONTH = 40
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
# "14/10/2026", "14.10.2026", "10-14-2026": numbers, then a four-digit year.
_NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")
_WEEKDAY_REF = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# Captions of archive photos date the photo, not the story.
_FILE_PHOTO = re.compile(r"^\s*FILE\b")


@dataclass(frozen=True)
class FoundDate:
    """A date printed in the text; ``year``/``weekday`` are None when not printed."""

    month: int
    day: int
    year: int | None
    weekday: int | None
    start: int
    end: int

    def as_date(self) -> datetime.date | None:
        return safe_date(self.year, self.month, self.day) if self.year else None


def month_number(name: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept", "March", "dec."), else None."""
    prefix = name.strip(". ").lower()[:3]
    return _MONTHS.index(prefix) + 1 if prefix in _MONTHS else None


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def numeric_date(text: str, start: int = 0) -> FoundDate | None:
    """The date written "14/10/2026" (or with dots or hyphens) at ``start`` of ``text``. Day
    first, as most of the world writes it, unless only month first makes a date ("10/14/2026")."""
    m = _NUMERIC_DATE.match(text, start)
    if m is None:
        return None
    first, second, year = int(m[1]), int(m[3]), int(m[4])
    found = safe_date(year, second, first) or safe_date(year, first, second)
    return FoundDate(found.month, found.day, year, None, m.start(), m.end()) if found else None


def find_dates(text: str) -> list[FoundDate]:
    """Dates printed in running text: "Dec. 13, 2025", "31 December", "Saturday, December 13"."""
    found: list[FoundDate] = []
    consumed = 0
    for hit in _MONTH_HIT.finditer(text):
        if hit.start() < consumed:
            continue
        start = max(consumed, hit.start() - _BEFORE_MONTH)
        while start < hit.start() and start > 0 and not text[start - 1].isspace():
            start += 1  # begin the window at a word
        m = _DATE.search(text, start, hit.end() + _AFTER_MONTH)
        if m is None or m.start() > hit.start():
            continue
        consumed = m.end()
        month_name = m["month"] or m["month2"]
        if not month_name[0].isupper():  # "may 3", "march 5 miles" are not dates
            continue
        month = month_number(month_name)
        day = int(m["day"] or m["day2"])
        year = int(m["year"]) if m["year"] else None
        if month is None or not 1 <= day <= 31 or safe_date(year or 2000, month, day) is None:
            continue
        weekday = _WEEKDAYS.index(m["weekday"].lower()) if m["weekday"] else None
        found.append(FoundDate(month, day, year, weekday, m.start(), m.end()))
    for m in _ISO_DATE.finditer(text):
        if (d := safe_date(int(m[1]), int(m[2]), int(m[3]))) is not None:
            found.append(FoundDate(d.month, d.day, d.year, None, m.start(), m.end()))
    return found


def resolve_year(
    month: int,
    day: int,
    *,
    refs: Sequence[datetime.date] = (),
    today: datetime.date | None = None,
    year_hint: int | None = None,
    weekday: int | None = None,
) -> datetime.date | None:
    """The full date of a month/day: the year given, else nearest the copy's latest date
    (``refs``), else the most recent such date not after ``today``; else None.
    A printed weekday picks, among the candidate years, one it fits."""
    if year_hint is not None:
        return safe_date(year_hint, month, day)
    if refs:
        anchor = max(refs)
        years = (anchor.year - 1, anchor.year, anchor.year + 1)
        candidates = [d for y in years if (d := safe_date(y, month, day)) is not None]
        fitting = [d for d in candidates if weekday is None or d.weekday() == weekday]
        return min(fitting or candidates, key=lambda d: abs(d - anchor), default=None)
    if today is not None:
        candidates = [
            d
            for y in range(today.year, today.year - 7, -1)
            if (d := safe_date(y, month, day)) is not None and d <= today
        ]
        fitting = [d for d in candidates if weekday is None or d.weekday() == weekday]
        return (fitting or candidates or [None])[0]
    return None


def _full(
    found: FoundDate, refs: Sequence[datetime.date], today: datetime.date | None
) -> datetime.date | None:
    if found.year:
        return found.as_date()
    return resolve_year(found.month, found.day, refs=refs, today=today, weekday=found.weekday)


def nearest_weekday(anchor: datetime.date, weekday: int) -> datetime.date:
    """The day named ``weekday`` (0 = Monday) within three days of ``anchor``."""
    delta = (weekday - anchor.weekday()) % 7
    if delta > 3:
        delta -= 7
    return anchor + datetime.timedelta(days=delta)


def first_weekday_reference(text: str, dates: Iterable[FoundDate]) -> int | None:
    """The first weekday named on its own ("said Saturday"), not as part of one of the
    full ``dates`` found in ``text``."""
    dated = {d.start for d in dates if d.weekday is not None}  # a date starts at its weekday
    for m in _WEEKDAY_REF.finditer(text):
        if m.start() not in dated:
            return _WEEKDAYS.index(m[1].lower())
    return None


def publication_date(
    *,
    dateline: tuple[int, int, int | None] | None,
    header: FoundDate | None,
    lead: str,
    captions: Iterable[str],
    text: str,
    today: datetime.date | None,
) -> datetime.date | None:
    """When the story was published, from the evidence listed in the module docstring.

    ``text`` is the whole story (where weekdays are read), starting with ``lead``, its first
    body paragraph."""
    caption_dates = [d for c in captions if not _FILE_PHOTO.match(c) for d in find_dates(c)]
    text_dates = find_dates(text)
    lead_dates = [d for d in text_dates if d.end <= len(lead) and d.weekday is not None]
    refs = [d for f in (*caption_dates, *lead_dates, *text_dates) if (d := f.as_date())]
    if header is not None and (d := header.as_date()):
        refs.append(d)
    if dateline is not None:
        month, day, year = dateline
        resolved = resolve_year(month, day, refs=refs, today=today, year_hint=year)
        if resolved is not None:
            return resolved
    if header is not None:
        return _full(header, refs, today)
    anchors = [d for f in (*caption_dates, *lead_dates) if (d := _full(f, refs, today))]
    if not anchors:
        return None
    anchor = max(anchors)
    weekday = first_weekday_reference(text, text_dates)
    if weekday is None:
        return anchor
    return max(anchor, nearest_weekday(anchor, weekday))


_HEADER_PREFIX = re.compile(
    r"(?:(?:(?:Last\s+)?(?:Published|Posted|Updated|Modified|Date|Dated|Released|Issued)(?:\s+on)?"
    r"|For\s+(?:immediate\s+)?release|(?:Press|News|Media)\s+release)\b\s*[:|–—·-]?\s*)?",
    re.I,
)
_HEADER_LABEL = re.compile(r"[A-Z][\w ,&'’\-]{1,60}")
_HEADER_TIME = re.compile(
    r"(?:at\s+)?\d{1,2}[:.h]\d\d\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"\s*(?:[A-Z]{2,5}(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?|(?:[A-Z][a-z]+\s+){1,3}Time)?"
)
_HEADER_PUNCTUATION = " ,|–—-·•"
_HEADER_PARTS = re.compile(r"\s*[|·•]\s*")


def header_date(line: str) -> tuple[FoundDate, str | None] | None:
    """A date header line: "December 12, 2025 Peace and security" -> (the date, the topic
    label); "Published: 13 December 2025 10:30 GMT", "14/10/2026 · 21:40", "For immediate
    release: 15 October 2026", "Posted 14/10/2026 21:40 | Updated 15/10/2026 08:10" -> (the
    (first) date, None); else None."""
    if len(line) > 100:
        return None
    start = _HEADER_PREFIX.match(line).end()
    found = numeric_date(line, start)
    if found is not None:
        end = found.end
    else:
        dates = find_dates(line[start:])
        if not dates or dates[0].start != 0:
            return None
        found, end = dates[0], start + dates[0].end
    rest = line[end:].strip(_HEADER_PUNCTUATION)
    if not rest or all(_HEADER_TIME.fullmatch(p) or _is_date_line(p) for p in _HEADER_PARTS.split(rest)):
        return found, None
    if _HEADER_LABEL.fullmatch(rest) and len(rest.split()) <= 6:
        return found, rest
    return None


def _is_date_line(text: str) -> bool:
    """A date line without a topic label: "Updated 15/10/2026"."""
    found = header_date(text)
    return found is not None and found[1] is None
