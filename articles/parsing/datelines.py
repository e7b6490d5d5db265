"""Datelines: "KYIV, Ukraine (AP) —", "GENEVA, March 3 (Reuters) -", "NAIROBI (AFP) -", "SALVADOR,
Feb 26 -", "ST. LOUIS, Mo., March 3 -", "PARIS, Oct 13, 2026 (AFP) -", "Leeds, 15 October 2026 –",
"NEW YORK, Oct. 14, 2026 /PRNewswire/ --", "SAN FRANCISCO--(BUSINESS WIRE)--".

A dateline is read in three steps: find the dash that ends it (within the first characters),
take the credit "(AP)" or "/PRNewswire/" and the date (its year too, when printed) off the end
of what comes before, and split the rest at commas into the city and the regions after it
(state, province, country). It is accepted when
its shape says it is one: a date, a news agency's credit, or a city in capitals with a credit,
a place the gazetteer knows or a known region after it ("TOKYO -", "PRINCETON, N.J. -"). A
headline's attribution is no dateline: "PORT SUBSIDY TO END JULY 1 - MINISTER".
"""

from __future__ import annotations

import re

from .dates import month_number, numeric_date, safe_date
from .gazetteer import SMALL_WORDS, country_of_city, country_of_region, title_case
from .model import Dateline
from .outlets import normalise_outlet, outlet_table

_HEAD_LIMIT = 110  # a dateline ends within this many characters
# The dash ending a dateline: an em/en dash, hyphens after a space, digit, ")" or "," (or
# glued to a credit's closing parenthesis or slash: "--(BUSINESS WIRE)--Acme"). The lookahead
# first makes the search skip quickly over what is no dash.
_SEPARATOR = re.compile(r"(?=[-—–―])(?:[—–―]|(?<=[\s\d).,])-{1,3}(?=\s|$)|(?<=[)/])-{2,3})")
_SPACE_AFTER = re.compile(r"\s*")
_CAPITALS_START = re.compile(r"[\s*]*[^\W\d_a-z]{2}")
_JUNK_PREFIX = re.compile(r"^[\s*]*(?:RPT\s*-+\s*)?(?:[a-z0-9]\s+(?=[A-Z]{2}))?")
_CREDIT = re.compile(r"\s*(?:\(\s*([A-Za-z][\w .&'’\-]{0,40}?)\s*\)|/\s*([A-Za-z][\w .&'’\-]{0,40}?)\s*/)")
# Months are read by their first three letters: wire copy misspells them ("Marc 3", "Apri 13").
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_DATE_AT_END = re.compile(
    rf"(?:^|[\s,]+)(?:(?P<month>{_MONTH})\.?[ ,]*(?P<day>\d{{1,2}})(?:,?\s*(?P<year>(?:19|20)\d\d)\b)?"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})\.?(?:,?\s*(?P<year2>(?:19|20)\d\d)\b)?"
    r"|(?P<numeric>\d{1,2}(?P<sep>[./-])\d{1,2}(?P=sep)(?:19|20)\d\d))"
    r"(?:,?\s*(?P<reuter>Reuters?))?[\s,]*$",
    re.I,
)
# "Md., - March 4 -": a date after the first dash, with a dash of its own.
_DATE_AFTER_DASH = re.compile(
    rf"(?P<month>{_MONTH})\.?\s*(?P<day>\d{{1,2}})\s*(?:[—–]|-{{1,3}})(?=\s|$)\s*", re.I
)
# A month misspelt in the copy ("Narch 2", "Apri l7"): still the date slot, just unreadable.
_GARBLED_DATE = re.compile(r"^[A-Za-z]{2,9}\.?[ ,]*\w{1,3}$")
_WORD = re.compile(r"^[^\W\d_][\w'’.\-/]*$")
# What follows a headline's dash when it is an attribution ("- MINISTER", "- U.S."), not a story.
_ATTRIBUTION_WORDS = 3
_ATTRIBUTION_CHARS = 40


def parse_dateline(text: str, *, year_hint: int | None = None, strict: bool = False) -> Dateline | None:
    """The dateline at the start of ``text``, or None.

    ``year_hint`` (the year, when the caller knows it) only checks the day exists ("Feb 29");
    a date that cannot exist is dropped, the place kept. ``strict`` (for paragraphs inside a
    story, where a false dateline would split it) wants the city in capitals or a credit.
    """
    head_text = text[: _HEAD_LIMIT + 40]
    if strict and not (_CAPITALS_START.match(head_text) or "(" in head_text):
        return None
    sep = _SEPARATOR.search(head_text)
    if sep is None or sep.start() > _HEAD_LIMIT:
        return None
    end = _SPACE_AFTER.match(text, sep.end()).end()
    head = head_text[: sep.start()].rstrip()
    head = head[_JUNK_PREFIX.match(head).end() :]

    outlet = None
    credits = _CREDIT.findall(head)
    if credits:
        outlet = normalise_outlet("".join(credits[-1]))
        head = _CREDIT.sub("", head).rstrip(" -")

    month = day = year = None
    dated = _DATE_AT_END.search(head)
    if dated:
        month, day, year = _date_of(dated)
        if dated["reuter"] and outlet is None:
            outlet = normalise_outlet(dated["reuter"])
        head = head[: dated.start()]
    elif after := _DATE_AFTER_DASH.match(text, end):
        month, day = month_number(after["month"]), int(after["day"])
        end = after.end()
    if _is_attribution(text, end):
        return None
    if month is not None and day is not None and safe_date(year or year_hint or 2000, month, day) is None:
        month = day = year = None

    parts = [p.strip() for p in head.split(",")]
    parts = [p for p in parts if any(c.isalpha() for c in p)]  # "N.Y,. March 13" leaves "."
    if not parts:
        # A bare date ("APRIL 7 -") dates the story but names no place.
        if month is None or strict:
            return None
        return Dateline(None, None, outlet, month, day, end, year)
    city, regions = parts[0], parts[1:]
    garbled = bool(regions) and month is None and _is_garbled_date(regions[-1])
    if garbled:
        regions = regions[:-1]
    if not _is_place(city) or not all(_is_place(r, max_words=4) for r in regions):
        return None

    region_countries = [country_of_region(r) for r in regions]
    known_region = any(region_countries)
    capitals = city.upper() == city
    known_credit = outlet is not None and outlet_table().canonical(outlet) is not None
    if strict and not (capitals or known_credit):
        return None
    # Without a date it takes a news agency's credit, or a city in capitals with a credit or
    # a place the gazetteer knows: "Gould Inc (GLD) -" and "WHEAT -" are no datelines.
    if (
        month is None
        and not garbled
        and not known_credit
        and not (capitals and (outlet or known_region or country_of_city(city)))
    ):
        return None
    if not (capitals or _capitalised(city) or city.islower() or country_of_city(city)):
        return None  # "des moines, april 7 -" and "La paz" are datelines; "Shares rose, ..." not
    country = next((c for c in reversed(region_countries) if c), None) or country_of_city(city)
    return Dateline(title_case(city), country, outlet, month, day, end, year)


def _date_of(dated: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """(month, day, year) of a date at the end of a dateline; the year None when not printed."""
    if dated["numeric"]:
        found = numeric_date(dated["numeric"])
        return (found.month, found.day, found.year) if found else (None, None, None)
    year = dated["year"] or dated["year2"]
    return (
        month_number(dated["month"] or dated["month2"]),
        int(dated["day"] or dated["day2"]),
        int(year) if year else None,
    )


def _is_attribution(text: str, end: int) -> bool:
    """What follows the dash (from ``end``) is a headline's attribution ("MINISTER", "U.S."): a
    few words in capitals ending the paragraph, where a dateline has the story's first sentence."""
    if len(text) - end > _ATTRIBUTION_CHARS:
        return False
    rest = text[end:]
    return rest.upper() == rest != rest.lower() and len(rest.split()) <= _ATTRIBUTION_WORDS


def _is_place(name: str, max_words: int = 6) -> bool:
    words = name.split()
    return 0 < len(words) <= max_words and len(name) <= 40 and all(_WORD.match(w) for w in words)


def _capitalised(name: str) -> bool:
    """Every word starts with a capital, small linking words aside ("Rio de Janeiro")."""
    return all(w[0].isupper() or w in SMALL_WORDS for w in name.split())


def _is_garbled_date(part: str) -> bool:
    return any(c.isdigit() for c in part) and bool(_GARBLED_DATE.match(part))
