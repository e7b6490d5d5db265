"""The article a corrected copy corrects when its identity does not find it: by outlet, dateline,
date and text.

Copy without an identity of its own (raw copy, a wire item without one) is known by its file's
name and headline (see :mod:`articles.ingest`), so a correction that changed the headline or the
lede (raw copy's headline is often its lede) is not found that way. Such a story corrects an
article of the same outlet whose body is near-identical (:func:`articles.review.near_identical`):
one of a file of the same name (whose place or date may be what was corrected), else one of the
same date and, when both name one, the same dateline place. The candidates are the articles of
the story's file, already read by the ingest, and one indexed query by outlet and date: the table
is never scanned. Records (known by their id) and wire items with an identity never come here,
and an article with a wire identity, a record's, or one merged away or trashed is never matched.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q

from articles.models import Article
from articles.parsing import ParsedArticle
from articles.parsing.gazetteer import key as place_key
from articles.review import near_identical

from .resolver import Resolver

_WORDS = re.compile(r"\w+")
_GONE = (Article.Status.MERGED, Article.Status.TRASHED)  # merged away or in the trash: never corrected


@dataclass
class Story:
    """A story of the copy that its identity did not find in the archive."""

    key: Hashable  # its identity in the ingest: what it is matched under
    parsed: ParsedArticle
    file_name: str  # its file's name, without folders


@dataclass
class _Candidate:
    pk: int
    outlet_id: int | None
    published: datetime.date | None
    place: str  # the dateline city's key ("" when none)
    file_name: str
    words: list[str]


def corrected(
    stories: list[Story],
    same_file: Iterable[Article],
    claimed: set[int],
    resolver: Resolver,
    is_record: Callable[[str], bool],
) -> dict[Hashable, Article]:
    """The article each story corrects, under the story's key (a story correcting none is left out).

    ``same_file`` are the articles of the stories' files the ingest found, ``claimed`` the ones other
    stories of the batch already correct: an article is corrected by one story at most.
    ``is_record`` tells a record's ``source_file``.
    """
    outlets = {id(story): resolver.outlet(story.parsed.outlet) for story in stories}
    candidates = [_candidate(a) for a in same_file if a.pk not in claimed and _matchable(a, is_record)]
    known = {candidate.pk for candidate in candidates}
    dated = {
        (outlets[id(s)].pk, s.parsed.published) for s in stories if outlets[id(s)] and s.parsed.published
    }
    if dated:
        rows = (
            Article.objects.filter(reduce(operator.or_, (Q(outlet_id=o, published=d) for o, d in dated)))
            .exclude(pk__in=claimed | known)
            .select_related("place")
            .only("outlet_id", "published", "place__city", "source_file", "body", "wire_id", "status")
            .order_by("pk")
        )
        candidates += [_candidate(a) for a in rows if _matchable(a, is_record)]
    matched: dict[Hashable, int] = {}
    taken: set[int] = set()
    for story in stories:
        words = _words(story.parsed.body)
        outlet = outlets[id(story)]
        for candidate in candidates:
            if (
                candidate.pk not in taken
                and _comparable(story, outlet.pk if outlet else None, candidate)
                and near_identical(candidate.words, words)
            ):
                matched[story.key] = candidate.pk
                taken.add(candidate.pk)
                break
    articles = Article.objects.in_bulk(matched.values())
    return {key: articles[pk] for key, pk in matched.items()}


def _matchable(article: Article, is_record: Callable[[str], bool]) -> bool:
    """Whether a corrected copy without an identity may be of this article."""
    return not (article.wire_id or article.status in _GONE or is_record(article.source_file))


def _candidate(article: Article) -> _Candidate:
    return _Candidate(
        pk=article.pk,
        outlet_id=article.outlet_id,
        published=article.published,
        place=place_key(article.place.city) if article.place else "",
        file_name=article.source_file.rpartition("/")[2],
        words=_words(article.body),
    )


def _comparable(story: Story, outlet_id: int | None, candidate: _Candidate) -> bool:
    """Same outlet, and either the same file or the same date and (when both name one) place.
    A story without text is matched by its identity only."""
    if outlet_id != candidate.outlet_id or not candidate.words or not story.parsed.body.strip():
        return False
    if story.file_name == candidate.file_name:
        return True
    if story.parsed.published is None or story.parsed.published != candidate.published:
        return False
    place = place_key(story.parsed.place) if story.parsed.place else ""
    return not (place and candidate.place and place != candidate.place)


def _words(body: str) -> list[str]:
    """A body's words, as :func:`articles.review.near_identical` compares them."""
    return _WORDS.findall(body.lower())
