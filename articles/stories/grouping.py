"""Stories from matches: which story each new article joins, and which copies are duplicates.

Plain Python, shared by the assignment on ingest and the rebuild from scratch
(:mod:`articles.stories.assign` holds the database side). Stories are labels here: an
existing story's id, or a :class:`NewStory` made on the way.

An article joins the story of its best match that has one, if it is tied to that story as a
whole, and brings along its matches that have none; matches without any story form a new story
with it. An article an editor placed (``locked``) stays where the editor put it. A near-exact
copy from the same outlet is also marked a duplicate of the earliest copy.

No story grows by one weak link at a time (A like B, B like C, C like D... into a blob of a
running matter's reports): an article joins a story only through a strong link (a match from
:data:`STRONG_LINK`: a repeat, a session's next table) or by matching at least
:data:`SUPPORT_SHARE` of the story's members. (The matches in no story it brings along are
tied to it, the article tied to the story: a star, not a chain.)
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from articles.stories.similarity import Match

STRONG_LINK = 0.8  # a match this close ties an article to its story on its own
SUPPORT_SHARE = 0.5  # ... else it must match this share of the story's members

_numbers = itertools.count(1)


@dataclass(frozen=True)
class NewStory:
    """A story that does not exist yet; ``first`` is the article it starts from."""

    first: int
    number: int = field(default_factory=lambda: next(_numbers))


Label = Hashable  # an existing story id, or a NewStory


@dataclass
class Grouper:
    """The story of every article it has seen, updated as new articles are placed.

    ``members`` holds every known article of each story, also those not in ``story`` (the
    assignment of a few articles loads only their neighbours' stories, but a story's size
    decides how many of its members a new article must match).
    """

    story: dict[int, Label | None] = field(default_factory=dict)
    duplicate_of: dict[int, int | None] = field(default_factory=dict)
    locked: set[int] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)
    members: dict[Label, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.remember((key, label) for key, label in self.story.items())

    def remember(self, placed: Iterable[tuple[int, Label | None]]) -> None:
        """Record where articles already are (not a change)."""
        for key, label in placed:
            if label is not None:
                self.members.setdefault(label, set()).add(key)

    def place(self, key: int, matches: list[Match]) -> None:
        """Put article ``key`` in the story of its best match it is tied to (``matches`` are best
        first)."""
        if key in self.locked or not matches:
            return
        duplicate = next((m for m in matches if m.duplicate), None)
        if duplicate is not None:
            self._set_duplicate(key, self.duplicate_of.get(duplicate.key) or duplicate.key)
        label = self._tied(matches)
        loose = [m.key for m in matches if self.story.get(m.key) is None and m.key not in self.locked]
        if label is None and loose:
            label = NewStory(first=loose[0])
        if label is None:
            return
        self._set_story(key, label)
        for match_key in loose:  # matches in no story join this one; other stories stay as they are
            self._set_story(match_key, label)

    def _tied(self, matches: list[Match]) -> Label | None:
        """The story of the best match that the article is tied to as a whole: by a strong link,
        or by matching at least :data:`SUPPORT_SHARE` of its members."""
        linked: dict[Label, list[Match]] = {}  # in the order of each story's best match
        for match in matches:
            if (label := self.story.get(match.key)) is not None:
                linked.setdefault(label, []).append(match)
        for label, found in linked.items():
            if _strong(found[0]) or len(found) >= SUPPORT_SHARE * len(self.members.get(label, ())):
                return label
        return None

    def _set_story(self, key: int, label: Label) -> None:
        before = self.story.get(key)
        if before != label:
            if before is not None:
                self.members[before].discard(key)
            self.story[key] = label
            self.members.setdefault(label, set()).add(key)
            self.changed.add(key)

    def _set_duplicate(self, key: int, original: int) -> None:
        if self.duplicate_of.get(key) != original:
            self.duplicate_of[key] = original
            self.changed.add(key)


def _strong(match: Match) -> bool:
    return match.duplicate or match.score >= STRONG_LINK
