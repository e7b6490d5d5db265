"""A haystack signal processor that indexes after commit, never before.

Haystack's ``RealtimeSignalProcessor`` writes to the index inside the
transaction (a rolled-back save leaves a ghost document) and one document at a
time. This one only records which articles changed; :mod:`articles.search.indexing`
syncs them once the transaction commits. Changes to captions, outlets, places
and topics re-index the articles that show them.
"""

from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, Caption, Outlet, Place, Topic
from articles.search.indexing import schedule_sync


def _article_saved(sender, instance: Article, **kwargs) -> None:
    schedule_sync([instance.pk])


def _caption_changed(sender, instance: Caption, **kwargs) -> None:
    schedule_sync([instance.article_id])


def _related_changed(sender, instance, **kwargs) -> None:
    """An outlet, place or topic was renamed or deleted: its articles show the old name."""
    if instance.pk is not None:
        schedule_sync(instance.articles.values_list("pk", flat=True))


def _topics_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # topic.articles.add(...): instance is a Topic
        ids = pk_set if pk_set is not None else instance.articles.values_list("pk", flat=True)
        schedule_sync(ids)
    else:
        schedule_sync([instance.pk])


class OnCommitSignalProcessor(BaseSignalProcessor):
    def setup(self) -> None:
        signals.post_save.connect(_article_saved, sender=Article)
        signals.post_delete.connect(_article_saved, sender=Article)
        signals.post_save.connect(_caption_changed, sender=Caption)
        signals.post_delete.connect(_caption_changed, sender=Caption)
        for model in (Outlet, Place, Topic):
            signals.post_save.connect(_related_changed, sender=model)
            # pre_delete: after the delete the related articles can no longer be found.
            signals.pre_delete.connect(_related_changed, sender=model)
        signals.m2m_changed.connect(_topics_changed, sender=Article.topics.through)

    def teardown(self) -> None:
        signals.post_save.disconnect(_article_saved, sender=Article)
        signals.post_delete.disconnect(_article_saved, sender=Article)
        signals.post_save.disconnect(_caption_changed, sender=Caption)
        signals.post_delete.disconnect(_caption_changed, sender=Caption)
        for model in (Outlet, Place, Topic):
            signals.post_save.disconnect(_related_changed, sender=model)
            signals.pre_delete.disconnect(_related_changed, sender=model)
        signals.m2m_changed.disconnect(_topics_changed, sender=Article.topics.through)
