"""Stories for fixture loads: ``loaddata`` saves articles raw, these get stories once it commits.

Ingest calls :func:`articles.stories.assign.assign_stories` itself, inside its transaction;
editors' saves in the admin never move an article between stories.
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_save

from articles.models import Article
from articles.stories.assign import assign_stories

_pending = threading.local()


def _article_loaded(sender, instance: Article, raw: bool = False, using: str = "default", **kwargs) -> None:
    if not raw:
        return
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(instance.pk)
    transaction.on_commit(_flush, using=using)


def _flush() -> None:
    """Assign every article loaded so far (ids a rolled-back load left are simply gone)."""
    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    assign_stories(ids)


def connect() -> None:
    post_save.connect(_article_loaded, sender=Article, dispatch_uid="stories-on-loaddata")
