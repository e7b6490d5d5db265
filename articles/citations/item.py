"""One article as a CSL-JSON item: the one description every citation format is made from.

Plain functions, no Django: the caller gives the article's values, its permalink and the dates.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# What separates the people of a byline: "A and B", "A & B", "A, B", "A; B".
_BYLINE_SPLIT = re.compile(r"\s*(?:[,;&]|\band\b)\s*", re.IGNORECASE)
# A personal name: two to four words of letters (hyphens, apostrophes and dots inside), the first
# and the last capitalised ("Jane de la Cruz").
_PERSON = re.compile(r"[^\W\d_a-z][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,2}\s+[^\W\d_a-z][\w.'’-]*")
# Words that make a byline's part a desk or an organisation, not a person.
_NOT_PEOPLE = frozenset(
    {
        *("staff", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors"),
        *("writer", "writers", "desk", "news", "press", "agency", "wire", "service", "bureau"),
    }
)


@dataclass(frozen=True)
class Cited:
    """What a citation says of an article, as shown on its page."""

    pk: int
    headline: str
    url: str  # the permalink: absolute, ``/articles/<id>/``
    changed: datetime.datetime  # the version shown: when the article last changed (aware, UTC)
    accessed: datetime.date
    outlet: str = ""
    byline: str = ""
    published: datetime.date | None = None
    language: str = ""
    headline_supplied: bool = False  # the archive supplied the headline: bracketed, as catalogues do


def csl_item(cited: Cited) -> dict:
    """The CSL-JSON item (type ``article-newspaper``) of an article.

    The authors are the byline's people; without a byline, the outlet stands as the author (as
    the Chicago Manual has it for unsigned news). The version shown is pinned by the permalink
    and the ``note`` (``Version of 2026-12-03 14:12 UTC``); ``accessed`` is the day it was cited.
    """
    item: dict = {
        "id": f"newsarchive-{cited.pk}",
        "type": "article-newspaper",
        "title": f"[{cited.headline}]" if cited.headline_supplied else cited.headline,
        "URL": cited.url,
        "accessed": _date(cited.accessed),
        "note": f"Version of {version_stamp(cited.changed)}",
    }
    authors = byline_names(cited.byline, cited.outlet)
    if not authors and cited.outlet:
        authors = [{"literal": cited.outlet}]
    if authors:
        item["author"] = authors
    if cited.outlet:
        item["container-title"] = cited.outlet
    if cited.published:
        item["issued"] = _date(cited.published)
    if cited.language:
        item["language"] = cited.language
    return item


def version_stamp(changed: datetime.datetime) -> str:
    """The version's time in UTC, to the minute: ``2026-12-03 14:12 UTC``."""
    return changed.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def byline_names(byline: str, outlet: str = "") -> list[dict]:
    """The people a byline names, as CSL names (``family``, ``given``): "By Jane Okafor and Per
    Lind" gives two. Parts that are not a person's name (the outlet, "Staff", "in Geneva") are
    left out; a name in capitals is given in title case."""
    text = re.sub(r"^\s*by\s+", "", byline.strip(), flags=re.IGNORECASE)
    names = []
    for part in _BYLINE_SPLIT.split(text):
        part = " ".join(part.split())
        words = {word.casefold() for word in part.split()}
        if not _PERSON.fullmatch(part) or part.casefold() == outlet.casefold() or words & _NOT_PEOPLE:
            continue
        if part.isupper():
            part = part.title()
        *given, family = part.split()
        names.append({"family": family, "given": " ".join(given)})
    return names


def date_parts(value: dict) -> list[int]:
    """A CSL date's parts: ``[2024, 3, 5]``."""
    return value["date-parts"][0]


def _date(day: datetime.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}
