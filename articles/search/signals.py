"""A haystack signal processor that indexes after commit, never before.

Haystack's ``RealtimeSignalProcessor`` writes to the index inside the
transaction (a rolled-back save leaves a ghost document) and one document at a
time. This one only records which articles changed; :mod:`articles.search.indexing`
syncs them once the transaction commits. Changes to captions, outlets, places
and topics re-index the articles that show them (an outlet, place or topic only
when what search shows of it changed: saving an outlet's aliases re-indexes
nothing), and so does deleting a story (its articles lose it).
"""

from __future__ import annotations

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, Caption, Outlet, Place, Story, Topic
from articles.search.indexing import schedule_sync

# What an article's search document shows of its outlet, place or topic.
SHOWN = {Outlet: ["name"], Place: ["city", "country"], Topic: ["name"]}


def _article_saved(sender, instance: Article, **kwargs) -> None:
    schedule_sync([instance.pk])


def _caption_changed(sender, instance: Caption, **kwargs) -> None:
    schedule_sync([instance.article_id])


def _related_changed(sender, instance, **kwargs) -> None:
    """An outlet, place or topic renamed or deleted, or a story deleted: its articles show the old one."""
    if instance.pk is not None:
        schedule_sync(instance.articles.values_list("pk", flat=True))


def _related_saving(sender, instance, **kwargs) -> None:
    """Remember what search shows of it before the save (nothing, for a new one)."""
    instance._shown_before = (
        sender.objects.filter(pk=instance.pk).values_list(*SHOWN[sender]).first() if instance.pk else None
    )


def _related_saved(sender, instance, created: bool, **kwargs) -> None:
    shown = tuple(getattr(instance, name) for name in SHOWN[sender])
    if not created and getattr(instance, "_shown_before", None) != shown:
        _related_changed(sender, instance)


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
        for model in SHOWN:
            signals.pre_save.connect(_related_saving, sender=model)
            signals.post_save.connect(_related_saved, sender=model)
        # pre_delete: after the delete the related articles can no longer be found.
        for model in (*SHOWN, Story):
            signals.pre_delete.connect(_related_changed, sender=model)
        signals.m2m_changed.connect(_topics_changed, sender=Article.topics.through)

    def teardown(self) -> None:
        signals.post_save.disconnect(_article_saved, sender=Article)
        signals.post_delete.disconnect(_article_saved, sender=Article)
        signals.post_save.disconnect(_caption_changed, sender=Caption)
        signals.post_delete.disconnect(_caption_changed, sender=Caption)
        for model in SHOWN:
            signals.pre_save.disconnect(_related_saving, sender=model)
            signals.post_save.disconnect(_related_saved, sender=model)
        for model in (*SHOWN, Story):
            signals.pre_delete.disconnect(_related_changed, sender=model)
        signals.m2m_changed.disconnect(_topics_changed, sender=Article.topics.through)
