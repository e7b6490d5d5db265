"""Names spelled differently across the versions of one story, as the story page's differences
panel finds them (``Mohamed Al-Hassan`` / ``Mohamed Al-Hussein``). Plain Python.

Each name difference of :func:`articles.stories.differences.names.name_differences` gives a
pair for each two of its spellings (names that fold alike, ``Al-Hassan`` / ``Al Hassan``, are
one spelling: search finds both already; so are those an editor confirmed as one). The word is
offered with the name around it when both versions write the same other words beside it
(``Mohamed Al-Hassan``), else alone. A name that only adds an ending to the other (``South
Africa`` / ``South African``) is another word, not a spelling.
"""

from __future__ import annotations

import itertools

from articles.parsing.entities import name_runs
from articles.search.name_forms import normalize
from articles.stories.differences.model import Cell, Version, sentences
from articles.stories.differences.names import name_differences
from articles.stories.spellings import Confirmed, same_spelling, title_word

from .candidates import Candidate, Pairs, Sighting, extended

KIND = "spelling"


def story_spellings(versions: list[Version], confirmed: Confirmed | None = None) -> list[Candidate]:
    """The pairs of spellings of one story's versions (``confirmed``: names already one group)."""
    if len(versions) < 2:
        return []
    split = {v.key: sentences(v.text) for v in versions}
    pairs = Pairs(KIND)
    for difference in name_differences(versions, split, confirmed):
        forms = difference.summary.split(" / ")  # the spellings that differ, one each
        spelled = {}
        for cell in difference.said:
            if cell.wording in forms:
                spelled.setdefault(same_spelling(cell.wording, confirmed), cell)
        for a, b in itertools.combinations(spelled.values(), 2):
            first, second = _whole_names(a, b)
            if not extended(first, second):
                pairs.add(
                    first, second, Sighting(a.version.key, a.sentence), Sighting(b.version.key, b.sentence)
                )
    return pairs.candidates()


def _whole_names(a: Cell, b: Cell) -> tuple[str, str]:
    """The spellings with the words beside them that both versions write alike (``Mohamed``)."""
    run_a, run_b = _run_of(a), _run_of(b)
    if not (run_a and run_b):
        return a.wording, b.wording
    i, j = run_a.index(a.wording), run_b.index(b.wording)
    before = 0
    while before < min(i, j) and _alike(run_a[i - before - 1], run_b[j - before - 1]):
        before += 1
    after = 0
    while (
        i + after + 1 < len(run_a)
        and j + after + 1 < len(run_b)
        and _alike(run_a[i + after + 1], run_b[j + after + 1])
    ):
        after += 1
    return " ".join(run_a[i - before : i + after + 1]), " ".join(run_b[j - before : j + after + 1])


def _alike(x: str, y: str) -> bool:
    return x != "of" and not title_word(x) and normalize(x) == normalize(y)


def _run_of(cell: Cell) -> list[str] | None:
    return next((run.words for run in name_runs(cell.sentence) if cell.wording in run.words), None)
