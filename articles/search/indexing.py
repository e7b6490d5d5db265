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
from collections.abc import Iterable

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
    ids = set(article_ids)
    for alias in connections.connections_info:
        backend = connections[alias].get_backend()
        index = connections[alias].get_unified_index().get_index(Article)
        current = list(index.index_queryset(using=alias).filter(pk__in=ids))
        if current:
            backend.update(index, current)
        for pk in ids - {article.pk for article in current}:
            backend.remove(f"articles.article.{pk}")
