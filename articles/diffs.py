"""Word-level differences between two texts, as segments a template shows side by side.

Plain Python (no Django): the texts are split into words and the whitespace between them (kept,
so that the segments joined give back each text exactly), compared with
:class:`difflib.SequenceMatcher`, and returned as segments: ``equal`` (in both), ``delete`` (only in
the old text), ``insert`` (only in the new one) and ``replace`` (old words where the new text has
others). The old column shows the ``old`` of every segment, the new column the ``new``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["equal", "insert", "delete", "replace"]

_TOKEN = re.compile(r"\s+|\S+\s*")  # leading whitespace, then each word with the whitespace after it


@dataclass(frozen=True)
class Segment:
    """A run of the two texts: ``old`` is its text in the old one, ``new`` in the new one (an
    equal run's whitespace may differ between them; its words do not)."""

    kind: Kind
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.kind != "equal"


def tokens(text: str) -> list[str]:
    """Each word of ``text`` with the whitespace after it (joined: ``text``)."""
    return _TOKEN.findall(text)


def word_diff(old: str | None, new: str | None) -> list[Segment]:
    """The segments that turn ``old`` into ``new`` (None is an empty text).

    Words are compared without their whitespace, so a re-wrapped paragraph shows no change; the
    whitespace after a changed run is given to the equal text that follows, so that a struck-out
    or added run holds words only. Neighbouring segments of one kind are joined.
    """
    old_tokens, new_tokens = tokens(old or ""), tokens(new or "")
    old_words, new_words = [t.rstrip() for t in old_tokens], [t.rstrip() for t in new_tokens]
    matcher = difflib.SequenceMatcher(None, old_words, new_words)
    segments: list[Segment] = []
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if kind == "equal" or not (before.strip() or after.strip()):  # the same words, or whitespace
            _append(segments, Segment("equal", before, after))
            continue
        words_before, words_after = before.rstrip(), after.rstrip()
        _append(segments, Segment(kind, words_before, words_after))
        if before != words_before or after != words_after:
            _append(segments, Segment("equal", before[len(words_before) :], after[len(words_after) :]))
    return segments


def _append(segments: list[Segment], segment: Segment) -> None:
    if segments and segments[-1].kind == segment.kind:
        last = segments.pop()
        segment = Segment(segment.kind, last.old + segment.old, last.new + segment.new)
    segments.append(segment)


def changed_words(segments: list[Segment]) -> tuple[int, int]:
    """(words removed, words added) across the segments."""
    removed = sum(len(s.old.split()) for s in segments if s.changed)
    added = sum(len(s.new.split()) for s in segments if s.changed)
    return removed, added
