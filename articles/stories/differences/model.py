"""The versions compared, their differences, and the comparison (what the story page shows)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SENTENCE = re.compile(r"(?<=[.!?”\"])(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)\s+(?=[“\"A-Z0-9])|\n+")


@dataclass(frozen=True)
class Version:
    """One article of the story: its id, a label (outlet), and its plain text."""

    key: int
    label: str
    text: str


@dataclass(frozen=True)
class Cell:
    """What one version says about a difference: the wording and its sentence (None: nothing)."""

    version: Version
    wording: str | None = None
    sentence: str | None = None


@dataclass
class Difference:
    """One thing the versions say differently: a summary, and a cell for every version."""

    kind: str  # "name", "figure", "date", "quote"
    summary: str
    cells: list[Cell] = field(default_factory=list)  # one per version, in the versions' order

    @property
    def said(self) -> list[Cell]:
        """The cells of the versions that say something about it."""
        return [c for c in self.cells if c.sentence]

    @property
    def missing(self) -> list[Version]:
        """The versions that say nothing about it."""
        return [c.version for c in self.cells if not c.sentence]


@dataclass
class QuoteGroup:
    """Quotes carried by the same versions (and missing from the same others)."""

    carriers: list[Version]
    missing: list[Version]
    quotes: list[Difference] = field(default_factory=list)


@dataclass
class Comparison:
    differences: list[Difference]
    agreed_names: list[str]
    agreed_figures: list[str]

    def of_kind(self, kind: str) -> list[Difference]:
        return [d for d in self.differences if d.kind == kind]

    @property
    def names(self) -> list[Difference]:
        return self.of_kind("name")

    @property
    def figures(self) -> list[Difference]:
        return self.of_kind("figure")

    @property
    def dates(self) -> list[Difference]:
        return self.of_kind("date")

    @property
    def quotes(self) -> list[Difference]:
        return self.of_kind("quote")

    @property
    def quote_groups(self) -> list[QuoteGroup]:
        """The quotes grouped by the versions carrying them, in order of first appearance; of
        two quotes carried in the same sentences, the first."""
        groups: dict[tuple[int, ...], QuoteGroup] = {}
        for quote in self.quotes:
            carriers = [c.version for c in quote.said]
            group = groups.setdefault(tuple(v.key for v in carriers), QuoteGroup(carriers, quote.missing))
            if all(_sentences(q) != _sentences(quote) for q in group.quotes):
                group.quotes.append(quote)
        return list(groups.values())


def _sentences(difference: Difference) -> list[str | None]:
    """Each version's sentence about the difference (None: nothing)."""
    return [c.sentence for c in difference.cells]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
