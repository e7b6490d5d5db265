"""Dates that differ in sentences saying the same thing (a dateline's date is no difference)."""

from __future__ import annotations

import re

from articles.parsing.dates import find_dates
from articles.stories.documents import terms

from .model import Cell, Difference, Version

_DATELINE = re.compile(r",?\s*(?:\([^)]{1,30}\)\s*)?[-–—]\s")  # after a dateline's date
DATELINE_CHARS = 40  # a dateline's date begins this near the start of the text's first sentence
DATE_CONTEXT = 0.25  # word overlap from which two dated sentences speak of the same thing


def date_differences(versions: list[Version], split) -> list[Difference]:
    """Dated sentences of different versions that say the same thing with different dates."""
    mentions = []  # (version, (month, day), wording, sentence, words)
    for version in versions:
        for sentence in split[version.key]:
            for found in find_dates(sentence):
                if found.start < DATELINE_CHARS and _DATELINE.match(sentence, found.end):
                    continue  # "MWANZA, Tanzania, May 4 (MNA) -": when it was filed, not what it says
                words = set(terms(sentence[: found.start] + " " + sentence[found.end :]))
                mentions.append(
                    (
                        version,
                        (found.month, found.day),
                        sentence[found.start : found.end].rstrip(" .,"),
                        sentence,
                        words,
                    )
                )
    differences, used = [], set()
    for i, (version, when, wording, sentence, words) in enumerate(mentions):
        if i in used:
            continue
        cells = {version.key: Cell(version, wording, sentence)}
        dates = {when}
        for j in range(i + 1, len(mentions)):
            other, other_when, other_wording, other_sentence, other_words = mentions[j]
            if j in used or other.key in cells or not words or not other_words:
                continue
            if len(words & other_words) / len(words | other_words) >= DATE_CONTEXT:
                cells[other.key] = Cell(other, other_wording, other_sentence)
                dates.add(other_when)
                used.add(j)
        if len(cells) > 1 and len(dates) > 1:
            summary = " / ".join(dict.fromkeys(c.wording for c in cells.values()))
            differences.append(Difference("date", summary, [cells.get(v.key, Cell(v)) for v in versions]))
    return differences
