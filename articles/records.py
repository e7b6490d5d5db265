"""JSONL records (the corpus format), read and checked: one line, one article's values.

Plain functions over a file: no database. A record whose value cannot be taken as it is (a
wrong type, too long for its column, not text, an implausible date) fails with its line's number,
and :mod:`articles.ingest` fails its file; control characters are dropped here, so every
database stores (and every page shows) the same text.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.sanitize import without_controls
from articles.search.query import FIRST_DATE

MAX_RECORDS_BYTES = 1024 * 1024 * 1024  # one JSONL bulk file (streamed)
# A record's date may be at most this far ahead (embargoed copy); more is a mistake in the data.
MAX_DAYS_AHEAD = 366
# Each category becomes a topic, and every topic is looked for in all raw copy ingested after:
# a record of thousands of "categories" is a mistake in the data, not an article's topics.
MAX_CATEGORIES = 50
MAX_CATEGORY_CHARS = 100
_SURROGATE = re.compile(
    r"[\ud800-\udfff]"
)  # half of a UTF-16 pair alone: JSON allows it, text cannot hold it


class RecordError(ValueError):
    """A records file that cannot be ingested; for a bad record, the message starts with its line."""


@dataclass(frozen=True)
class Limits:
    """The longest value each column holds, in characters."""

    title: int
    outlet: int
    topic: int
    url: int
    licence: int


@dataclass
class Record:
    """One record's values, checked: text without control characters, stripped; "" when absent.
    A record with neither title nor body is empty (its other values are not read)."""

    number: int  # the line's number in its file
    line: str  # the line as it was read, without its line break
    title: str = ""
    body: str = ""
    identifier: str = ""
    published: datetime.date | None = None
    published_at: datetime.datetime | None = None  # when ``published`` has an ISO time too
    dateline: str = ""
    outlet: str = ""
    categories: list[str] = field(default_factory=list)
    url: str = ""
    licence: str = ""

    @property
    def empty(self) -> bool:
        return not self.title and not self.body


def read_records(path: Path, limits: Limits, today: datetime.date, after: int = 0) -> Iterator[Record]:
    """The records of a JSONL file (gzipped when its name ends in ``.gz``), one for each line that is
    not blank, streamed; the first ``after`` lines are passed over unread (a resumed load). The
    first bad record raises :class:`RecordError` with its line's number."""
    try:
        if path.stat().st_size > MAX_RECORDS_BYTES:
            raise RecordError(f"file too large: {path.stat().st_size:,} bytes")
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8-sig") as lines:
            for number, line in enumerate(lines, start=1):
                if number > after and line.strip():
                    yield read_record(line, number, limits, today)
    except FileNotFoundError as error:
        raise RecordError("no such file") from error
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise RecordError(f"unreadable: {error}") from error


def read_record(line: str, number: int, limits: Limits, today: datetime.date) -> Record:
    """One JSONL line's record; a value of the wrong type or size fails with the line's number."""
    try:
        value = json.loads(line)
    except RecursionError:
        raise RecordError(
            f"line {number}: not JSON that can be read: lists or objects nested too deeply"
        ) from None
    except ValueError as error:
        raise RecordError(f"line {number}: not JSON ({error})") from error
    if not isinstance(value, dict):
        raise RecordError(f"line {number}: not a JSON object but {_json_type(value)}")
    fields = _Fields(value, number)
    record = Record(number, line.rstrip("\n"), fields.text("title", limits.title), fields.text("body"))
    if record.empty:
        return record
    record.identifier = fields.identifier()
    published = fields.text("published")
    record.published = _date(published, number, today)
    record.published_at = _moment(published) if record.published else None
    record.dateline = fields.text("dateline")
    record.outlet = fields.text("outlet", limits.outlet)
    record.categories = fields.names("categories", min(limits.topic, MAX_CATEGORY_CHARS), MAX_CATEGORIES)
    record.url = fields.web_address("url", limits.url)
    record.licence = fields.text("licence", limits.licence)
    return record


class _Fields:
    """A record's values, checked: text where text is expected, within the column's size."""

    def __init__(self, record: dict, number: int) -> None:
        self.record, self.number = record, number

    def _refuse(self, key: str, problem: str) -> RecordError:
        return RecordError(f'line {self.number}: "{key}" {problem}')

    def _clean(self, key: str, value: str) -> str:
        """The text without control characters (tab and line breaks stay), stripped."""
        if surrogate := _SURROGATE.search(value):
            raise self._refuse(key, f"is not valid text: a lone surrogate (U+{ord(surrogate[0]):04X})")
        return without_controls(value).strip()

    def text(self, key: str, limit: int | None = None) -> str:
        """The text at ``key`` ("" when absent or null)."""
        value = self.record.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._refuse(key, f"should be text, not {_json_type(value)}")
        value = self._clean(key, value)
        if limit is not None and len(value) > limit:
            raise self._refuse(key, f"is {len(value):,} characters long (at most {limit:,})")
        return value

    def web_address(self, key: str, limit: int) -> str:
        """An http(s) address (the article page links to it), or ""."""
        value = self.text(key, limit)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError as error:
                raise self._refuse(key, "should be an http:// or https:// address") from error
        return value

    def names(self, key: str, limit: int, most: int) -> list[str]:
        """A list of at most ``most`` names (one name alone is a list of one), each within ``limit``
        characters."""
        value = self.record.get(key)
        values = [value] if isinstance(value, str) else value or []
        if not isinstance(values, list) or not all(isinstance(name, str) for name in values):
            raise self._refuse(key, f"should be a list of names, not {_json_type(value)}")
        names = [cleaned for name in values if (cleaned := self._clean(key, name))]
        if len(names) > most:
            raise self._refuse(key, f"has {len(names):,} names (at most {most:,})")
        if too_long := next((name for name in names if len(name) > limit), None):
            raise self._refuse(key, f"has a name of {len(too_long):,} characters (at most {limit:,})")
        return names

    def identifier(self) -> str:
        value = self.record.get("id")
        if value is None or value == "":
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self._refuse("id", f"should be text or a whole number, not {_json_type(value)}")
        return self._clean("id", str(value))


def _json_type(value) -> str:
    """How JSON names the type of a decoded value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return {str: "text", list: "a list", dict: "an object"}[type(value)]


def _moment(value: str) -> datetime.datetime | None:
    """The date and time of an ISO date with a time (``1987-02-26T15:01:01``, an offset kept when
    it has one); None for a date alone, or a time that is no ISO time (the date stands)."""
    if len(value) <= len("YYYY-MM-DD"):
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def _date(value: str, number: int, today: datetime.date) -> datetime.date | None:
    """An ISO date (what follows it is read by :func:`_moment`), between ``FIRST_DATE`` and a year
    from ``today``."""
    if not value:
        return None
    try:
        date = datetime.date.fromisoformat(value[:10])
    except ValueError as error:
        raise RecordError(f"line {number}: published {value!r} is not an ISO date") from error
    if not FIRST_DATE <= date <= today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise RecordError(
            f"line {number}: published {value!r} is not a plausible date "
            f"(from {FIRST_DATE.year} to a year from today)"
        )
    return date
