"""Keep the search index in step with the database, after each commit.

Everything that changes articles (model signals, bulk updates, fixture loads,
ingest) calls :func:`schedule_sync` with the affected article ids. The ids are
collected per thread and synced once the surrounding transaction commits, so a
rolled-back change never reaches the index and a fixture load is indexed in one
batch. Syncing an id reads the article's current state: published articles are
(re)indexed, anything else (draft, retracted, deleted, never committed) is
removed. That makes a sync idempotent, whatever happened before it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sized

from django.db import transaction
from haystack import connections

from articles.models import Article

_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def schedule_sync(article_ids: Iterable[int], using: str = "default") -> None:
    """Sync these articles to the index when the current transaction commits (now, outside one)."""
    ids = {int(pk) for pk in article_ids if pk is not None}
    if not ids:
        return
    _pending_ids().update(ids)
    transaction.on_commit(flush, using=using)


def flush() -> None:
    """Sync every id scheduled so far in this thread (ids left by a rolled-back transaction too)."""
    ids = _pending_ids()
    if not ids:
        return
    batch = set(ids)
    ids.clear()
    sync_articles(batch)


def sync_articles(article_ids: Iterable[int]) -> None:
    """Make the index agree with the database for these article ids, right now."""
    ids = sorted(set(article_ids))
    for alias in connections.connections_info:
        backend = connections[alias].get_backend()
        index = connections[alias].get_unified_index().get_index(Article)
        published = _Published(index.index_queryset(using=alias), ids)
        backend.update(index, published)
        for pk in set(ids) - published.seen:
            backend.remove(f"articles.article.{pk}")


class _Published(Sized, Iterable):
    """The published articles among ``ids``, read in chunks so a bulk load streams.

    Its length is the number of ids (an upper bound), so a backend can plan the write.
    """

    CHUNK = 500

    def __init__(self, queryset, ids: list[int]) -> None:
        self.queryset, self.ids, self.seen = queryset, ids, set()

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Article]:
        for start in range(0, len(self.ids), self.CHUNK):
            for article in self.queryset.filter(pk__in=self.ids[start : start + self.CHUNK]):
                self.seen.add(article.pk)
                yield article
