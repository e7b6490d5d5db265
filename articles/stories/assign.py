"""Put articles in stories: on ingest, on fixture load, and for the whole archive from scratch.

The text work is plain Python (:mod:`.similarity`, :mod:`.grouping`); this module reads
articles, keeps a per-process :class:`StoryIndex` of the archive in step with the database
(a new process starts from the saved one, :mod:`.saved`, when it fits),
and writes stories, duplicate flags and the possible versions an editor should look at (pairs
the rule nearly joined). Editors' decisions stick: an article with ``story_locked`` is never
moved, and the rebuild keeps it where the editor put it; a decided possible version stays decided.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from articles.models import Article, PossibleVersion, Story
from articles.sanitize import to_plain_text
from articles.search.indexing import apply_on_commit, schedule_sync
from articles.stories import saved
from articles.stories.documents import Doc, make_doc
from articles.stories.grouping import Grouper, NewStory
from articles.stories.similarity import Match, StoryIndex

CHUNK = 1000
SAVE_AFTER = 1000  # articles read or placed at once, from which the index is saved again
_FIELDS = ("pk", "headline", "body", "published", "published_at", "outlet_id")
_lock = threading.RLock()  # re-entered by the save that runs when the assignment commits
_save_later: ContextVar[list[bool] | None] = ContextVar("save_later", default=None)  # in save_once()


class _Live:
    """This process's index of the archive, and the highest article id it has read."""

    index: StoryIndex | None = None
    max_pk: int = 0


def article_doc(pk: int, headline: str, body: str, published, published_at, outlet_id) -> Doc:
    """The article's :class:`Doc`: its plain text, its day and, when its source gave one, its
    moment (``published_at``, for the time of day)."""
    return make_doc(
        pk,
        headline,
        to_plain_text(body or ""),
        day=published.toordinal() if published else None,
        moment=int(published_at.timestamp()) if published_at and published else None,
        outlet=outlet_id,
    )


def _candidates():
    """Articles that can be versions of a story (merged duplicates redirect elsewhere)."""
    return Article.objects.exclude(status=Article.Status.MERGED)


def _docs(queryset) -> Iterator[Doc]:
    for row in queryset.values_list(*_FIELDS).iterator(chunk_size=CHUNK):
        yield article_doc(*row)


def _ordered(docs: Iterable[Doc]) -> list[Doc]:
    """Oldest first, undated last: an article joins the stories of those before it."""
    return sorted(docs, key=lambda d: (d.day is None, d.day or 0, d.key))


def _live_index(exclude: set[int]) -> StoryIndex:
    """The process's index (from the saved one, if it fits), first brought up to date with
    articles it has not read yet; saved again when that was many."""
    if _Live.index is None or _stale(_Live.index):
        _Live.index, _Live.max_pk = saved.load(_candidates()) or (StoryIndex(), 0)
    newer = _candidates().filter(pk__gt=_Live.max_pk).exclude(pk__in=exclude)
    docs = _ordered(_docs(newer))
    for _ in _Live.index.extend(docs):
        pass
    _Live.max_pk = max([_Live.max_pk, *(d.key for d in docs), *exclude])
    if len(docs) >= SAVE_AFTER:
        _save_on_commit()
    return _Live.index


def _save_on_commit() -> None:
    """Save the index once the transaction commits (until then it may hold articles that are not
    committed); once per transaction, however many batches asked.

    The search index is brought up to date first, and the save is robust: the saved index only
    spares new processes time, so neither its failure nor an interruption while it is written (it
    takes seconds) may keep committed articles from search.
    """
    if (asked := _save_later.get()) is not None:
        asked.append(True)  # saved once, as save_once() ends
        return
    if not any(callback is _save_live for _, callback, _ in transaction.get_connection().run_on_commit):
        apply_on_commit()
        transaction.on_commit(_save_live, robust=True)


@contextlib.contextmanager
def save_once() -> Iterator[None]:
    """Save the index at the end of the block (when a transaction in it asked for a save), not as
    each of its transactions commits: a load committed in batches saves it once, not once a batch
    (seconds each). Nothing is saved when the block fails: the index may then hold articles that
    were rolled back; a later process reads what the saved index lacks (the saved index only spares
    a new process time)."""
    asked: list[bool] = []
    token = _save_later.set(asked)
    try:
        yield
    finally:
        _save_later.reset(token)
    if asked:
        _save_live()


def _save_live() -> None:
    with _lock:
        if _Live.index is not None:
            saved.save(_Live.index, _Live.max_pk, _candidates())


def _stale(index: StoryIndex) -> bool:
    """Articles the index holds have gone (deleted, merged, rolled back, a flushed database)."""
    top = Article.objects.aggregate(top=Max("pk"))["top"] or 0
    return top < _Live.max_pk or _candidates().count() < len(index)


def assign_stories(article_ids: Iterable[int]) -> int:
    """Place these (new or changed) articles in stories; returns how many articles changed.

    Each article is compared with the archive through the index, not with every article.
    An article already in a story keeps it (its story's URL is permanent); locked ones are
    not touched. Call inside the transaction that wrote the articles, or on its own.
    """
    ids = {int(pk) for pk in article_ids if pk is not None}
    if not ids:
        return 0
    with _lock, transaction.atomic():
        changed = _write(_place(list(_docs(_candidates().filter(pk__in=ids)))))
        schedule_sync(changed)
        return len(changed)


def assign_created(articles: list[Article]) -> None:
    """Place articles just created in this transaction (ingest), from their text in memory.

    Like :func:`assign_stories`, and it also sets ``story_id`` and ``duplicate_of_id`` on the
    objects. Only the older articles it moves are queued for the index: the caller indexes
    the new ones.
    """
    if not articles:
        return
    docs = [article_doc(a.pk, a.headline, a.body, a.published, a.published_at, a.outlet_id) for a in articles]
    with _lock, transaction.atomic():
        changed = _write(_place(docs))
        for article in articles:
            if article.pk in changed:
                article.story_id, article.duplicate_of_id = changed.pop(article.pk)
        schedule_sync(changed)


def _place(docs: list[Doc]) -> Grouper:
    """Compare the docs with the archive through the index, put them in stories, and store
    their possible versions."""
    index = _live_index(exclude={doc.key for doc in docs})
    placed = list(index.extend(_ordered(docs)))
    if len(docs) >= SAVE_AFTER:  # a large ingest: new processes should not have to read it
        _save_on_commit()
    keys = {doc.key for doc in docs}
    for _, matches, possible in placed:
        keys.update(m.key for m in (*matches, *possible))
    grouper = _grouper(keys)
    for doc, matches, _ in placed:
        if grouper.story.get(doc.key) is None:
            grouper.place(doc.key, [m for m in matches if m.key in grouper.story])
    _save_possible(((doc.key, possible) for doc, _, possible in placed), grouper, known=grouper.story)
    return grouper


def _grouper(keys: set[int]) -> Grouper:
    """The current stories, locks and duplicate flags of these articles (those still there)."""
    grouper = Grouper()
    rows = []
    key_list = sorted(keys)
    for start in range(0, len(key_list), CHUNK):
        chunk = key_list[start : start + CHUNK]
        rows += (
            _candidates().filter(pk__in=chunk).values_list("pk", "story_id", "story_locked", "duplicate_of")
        )
    for pk, story_id, locked, duplicate_of in rows:
        grouper.story[pk] = story_id
        grouper.duplicate_of[pk] = duplicate_of
        if locked:
            grouper.locked.add(pk)
    stories = sorted({story_id for _, story_id, _, _ in rows if story_id is not None})
    for start in range(0, len(stories), CHUNK):  # their whole stories: a story's size counts
        chunk = stories[start : start + CHUNK]
        grouper.remember(_candidates().filter(story_id__in=chunk).values_list("pk", "story_id"))
    return grouper


def rebuild_stories() -> int:
    """Assign stories for the whole archive from scratch; returns how many articles changed.

    Editors' placements (``story_locked``) stay. A story keeps its id (and URL) when most of
    its articles end up together again; stories left without articles are deleted.
    """
    with _lock, transaction.atomic():
        before = {
            pk: (story_id, duplicate_of)
            for pk, story_id, duplicate_of in Article.objects.values_list("pk", "story_id", "duplicate_of")
        }
        grouper = Grouper()
        for pk, story_id in Article.objects.filter(story_locked=True).values_list("pk", "story_id"):
            grouper.locked.add(pk)
            grouper.story[pk] = story_id
            grouper.remember([(pk, story_id)])
        index = StoryIndex()
        docs = _ordered(_docs(_candidates()))
        possible = []
        for doc, matches, found in index.extend(docs):
            grouper.place(doc.key, matches)
            possible.append((doc.key, found))
        labels = _reuse_stories(grouper, before)
        after = {pk: (labels.get(grouper.story.get(pk)), grouper.duplicate_of.get(pk)) for pk in before}
        changed = {pk: now for pk, now in after.items() if pk not in grouper.locked and now != before[pk]}
        _save(changed)
        schedule_sync(changed)
        Story.objects.filter(articles__isnull=True).delete()
        PossibleVersion.objects.filter(decision=PossibleVersion.Decision.UNDECIDED).delete()
        _save_possible(possible, grouper, known=index)
        _Live.index, _Live.max_pk = index, max(before, default=0)
        _save_on_commit()
        return len(changed)


def _save_possible(found: Iterable[tuple[int, list[Match]]], grouper: Grouper, known: Container[int]) -> None:
    """Store each article's possible versions (among the ``known`` articles, those still there)
    that the grouper left in another story or in none; a pair stored before, decided or not,
    stays as it was."""
    story = grouper.story.get
    pairs = {
        (min(key, m.key), max(key, m.key)): m.score
        for key, matches in found
        for m in matches
        if m.key in known and (story(key) is None or story(key) != story(m.key))
    }
    PossibleVersion.objects.bulk_create(
        (PossibleVersion(first_id=a, second_id=b, evidence=evidence) for (a, b), evidence in pairs.items()),
        batch_size=CHUNK,
        ignore_conflicts=True,
    )


def _reuse_stories(grouper: Grouper, before: dict[int, tuple]) -> dict:
    """Story id for every label: existing ids stay, a new group takes over the old story most of
    its articles were in (if no other group took it), else gets a new story."""
    members: dict = {}
    for pk, label in grouper.story.items():
        if label is not None:
            members.setdefault(label, []).append(pk)
    labels = {label: label for label in members if not isinstance(label, NewStory)}
    taken = set(labels.values())
    new_labels = [label for label in members if isinstance(label, NewStory)]
    for label in new_labels:
        votes = Counter(before[pk][0] for pk in members[label] if before.get(pk, (None,))[0] is not None)
        for story_id, _ in votes.most_common():
            if story_id not in taken:
                labels[label] = story_id
                taken.add(story_id)
                break
    _create_stories([label for label in new_labels if label not in labels], members, labels)
    return labels


def _create_stories(new_labels: list[NewStory], members: dict, labels: dict) -> None:
    """One new Story per label, titled after its earliest article with a headline of its own
    (a headline ending in "…" is the ingester's cut of a lede), else its earliest article's."""
    if not new_labels:
        return
    pks = sorted({pk for label in new_labels for pk in members[label]})
    found = {}  # pk: its sort key (undated last, then date, then pk) and headline
    for start in range(0, len(pks), CHUNK):
        rows = Article.objects.filter(pk__in=pks[start : start + CHUNK])
        for pk, published, headline in rows.values_list("pk", "published", "headline"):
            found[pk] = (published is None, published, pk, headline)
    titles = []
    for label in new_labels:
        versions = sorted(found[pk] for pk in members[label] if pk in found)
        own = [v for v in versions if not v[3].endswith("…")]
        titles.append(((own or versions)[0][3] if versions else "Story")[:300])
    # bulk_create skips Story.save(), which makes the slug
    stories = Story.objects.bulk_create(
        Story(title=title, slug=slugify(title)[:200].strip("-") or "story") for title in titles
    )
    for label, story in zip(new_labels, stories, strict=True):
        labels[label] = story.pk


def _write(grouper: Grouper) -> dict[int, tuple]:
    """Write what the grouper changed, new stories first; returns ``{pk: (story_id, duplicate_of_id)}``."""
    members: dict = {}
    for pk in grouper.changed:
        label = grouper.story.get(pk)
        if isinstance(label, NewStory):
            members.setdefault(label, []).append(pk)
    labels = {label: label for label in grouper.story.values() if not isinstance(label, NewStory)}
    _create_stories(list(members), members, labels)
    changed = {
        pk: (labels.get(grouper.story.get(pk)), grouper.duplicate_of.get(pk))
        for pk in sorted(grouper.changed)
    }
    _save(changed)
    return changed


def _save(changed: dict[int, tuple]) -> None:
    """Set these articles' story and duplicate flag, one UPDATE per story (and original).

    No signal is sent: the caller queues the articles for the index. (``bulk_update`` builds a
    CASE expression per article: several times slower.)
    """
    groups: dict[tuple, list[int]] = {}
    for pk, value in changed.items():
        groups.setdefault(value, []).append(pk)
    for (story_id, original), pks in groups.items():
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            Article.objects.filter(pk__in=chunk).update(story_id=story_id, duplicate_of_id=original)
