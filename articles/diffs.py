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

_TOKEN = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Segment:
    """A run of the two texts: ``old`` is its text in the old one, ``new`` in the new one."""

    kind: Kind
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.kind != "equal"


def tokens(text: str) -> list[str]:
    """The words of ``text`` and the whitespace between them, in order (joined: ``text``)."""
    return _TOKEN.findall(text)


def word_diff(old: str | None, new: str | None) -> list[Segment]:
    """The segments that turn ``old`` into ``new`` (None is an empty text). Neighbouring segments
    of one kind are joined, and a change that only touches whitespace between two unchanged words
    counts as equal text, so a re-wrapped paragraph shows no change."""
    old_tokens, new_tokens = tokens(old or ""), tokens(new or "")
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    segments: list[Segment] = []
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if kind != "equal" and not before.strip() and not after.strip():
            kind = "equal"  # whitespace only (a re-wrapped line): not a change of words
        _append(segments, Segment(kind, before, after))
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
