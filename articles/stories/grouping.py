"""Stories from matches: which story each new article joins, and which copies are duplicates.

Plain Python, shared by the assignment on ingest and the rebuild from scratch
(:mod:`articles.stories.assign` holds the database side). Stories are labels here: an
existing story's id, or a :class:`NewStory` made on the way.

An article joins the story of its best match that has one, and brings along its matches
that have none; matches without any story form a new story with it. An article an editor
placed (``locked``) stays where the editor put it. A near-exact copy from the same outlet is
also marked a duplicate of the earliest copy.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass, field

from articles.stories.similarity import Match

_numbers = itertools.count(1)


@dataclass(frozen=True)
class NewStory:
    """A story that does not exist yet; ``first`` is the article it starts from."""

    first: int
    number: int = field(default_factory=lambda: next(_numbers))


Label = Hashable  # an existing story id, or a NewStory


@dataclass
class Grouper:
    """The story of every article it has seen, updated as new articles are placed."""

    story: dict[int, Label | None] = field(default_factory=dict)
    duplicate_of: dict[int, int | None] = field(default_factory=dict)
    locked: set[int] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)

    def place(self, key: int, matches: list[Match]) -> None:
        """Put article ``key`` in the story of its best match (``matches`` are best first)."""
        if key in self.locked or not matches:
            return
        duplicate = next((m for m in matches if m.duplicate), None)
        if duplicate is not None:
            self._set_duplicate(key, self.duplicate_of.get(duplicate.key) or duplicate.key)
        label = next((self.story[m.key] for m in matches if self.story.get(m.key) is not None), None)
        loose = [m.key for m in matches if self.story.get(m.key) is None and m.key not in self.locked]
        if label is None and loose:
            label = NewStory(first=loose[0])
        if label is None:
            return
        self._set_story(key, label)
        for match_key in loose:  # matches in no story join this one; other stories stay as they are
            self._set_story(match_key, label)

    def _set_story(self, key: int, label: Label) -> None:
        if self.story.get(key) != label:
            self.story[key] = label
            self.changed.add(key)

    def _set_duplicate(self, key: int, original: int) -> None:
        if self.duplicate_of.get(key) != original:
            self.duplicate_of[key] = original
            self.changed.add(key)
