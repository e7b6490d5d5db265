"""What the parser returns, and the one error it raises."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class CopyError(ValueError):
    """The copy cannot be parsed: empty, not text, too large, or a line too long."""


@dataclass(frozen=True)
class Caption:
    """A photo caption: its text without the credit, and the credit (inside the parentheses)."""

    text: str
    credit: str = ""


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a story; ``end`` is where the story text after it begins;
    ``year`` is the year the dateline prints ("PARIS, Oct 13, 2026 (AFP) -"), else None."""

    place: str | None
    country: str | None
    outlet: str | None
    month: int | None
    day: int | None
    end: int
    year: int | None = None


@dataclass
class ParsedArticle:
    """One story found in the copy. Anything the copy does not say is ``None`` or empty.

    ``headline_supplied``: the copy has no headline, and ``headline`` is one the archive made from
    its first sentence (:func:`~articles.parsing.text.headline_from_text`). ``rights`` is the
    copyright line the copy or its format gives ("Copyright 2025 The Associated Press")."""

    headline: str
    headline_supplied: bool = False
    outlet: str | None = None
    place: str | None = None
    country: str | None = None
    published: datetime.date | None = None
    # The source's own date and time, with its offset when it gives one (never shifted to UTC);
    # ``published`` is its local date. None when the copy gives no time.
    published_at: datetime.datetime | None = None
    byline: str | None = None
    editor: str | None = None
    language: str = "en"
    translated: bool = False
    translated_from: str | None = None
    topics: list[str] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    summary: str = ""
    body: str = ""
    earlier_versions: list[str] = field(default_factory=list)
    rights: str = ""
