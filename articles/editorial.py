"""Editorial changes as plain functions: history and restore, bulk actions, merges, the trash.

Each function runs in one transaction, records an :class:`ArticleChange` for every article it
changed (who, when, ``{field: [old, new]}`` and the state before, to restore), counts the change
in the articles' ``revision`` (which the article form checks: :mod:`articles.conflicts`) and
queues the articles for the search index, which shows the result as soon as the transaction
commits. The state before also keeps the revision it had and the operation the change was part
of, so that a change of several articles at once (a merge) is restored whole.
(``QuerySet.update`` and bulk inserts send no model signals, so the queueing is explicit.)
Bulk actions touch only the articles they change: a selection of 1,500 articles that are all
published already is published in no time, and search is not rewritten for nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article, ArticleChange, Caption, Outlet, Place, Story, Topic
from articles.search.indexing import schedule_sync

# The fields an editor changes, in the order history shows them.
TRACKED = [
    "headline",
    "headline_supplied",
    "slug",
    "status",
    "retraction_note",
    "outlet",
    "place",
    "country",
    "published",
    "byline",
    "editor",
    "dek",
    "rights",
    "summary",
    "body",
    "language",
    "translated_from",
    "merged_into",
    "source_url",
    "licence",
    "topics",
    "story",
    "duplicate_of",
]
RELATED = {"outlet": Outlet, "place": Place, "merged_into": Article, "story": Story, "duplicate_of": Article}
ACTION_LENGTH = ArticleChange._meta.get_field("action").max_length
# The history's actions the trash and merges record (restoring from the trash reads the first).
TRASH_ACTION = "moved to the trash"
UNTRASH_ACTION = "restored from the trash"
MERGE_ACTION = "merged into #"
RESTORE_ACTION = "restore #"

# An article's state: (raw values to restore from, readable values for history).
State = tuple[dict, dict]
NO_STATE: State = ({}, {})


class MergeError(ValueError):
    """A merge that would make an article redirect to itself, or to a page that redirects."""


def _state(article: Article) -> State:
    """(raw, shown): raw values to restore from (ids, ISO dates) and readable ones for history.
    The raw values also keep the article's revision (restore leaves it alone)."""
    raw, shown = {"revision": article.revision}, {}
    for name in TRACKED:
        if name == "topics":
            topics = sorted(article.topics.all(), key=lambda t: t.name)
            raw[name] = [t.pk for t in topics]
            shown[name] = ", ".join(t.name for t in topics)
        elif name in RELATED:
            raw[name] = getattr(article, f"{name}_id")
            shown[name] = str(getattr(article, name) or "")
        else:
            value = getattr(article, name)
            raw[name] = shown[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return raw, shown


def _states(article_ids: Iterable[int]) -> dict[int, State]:
    articles = (
        Article.objects.filter(pk__in=list(article_ids))
        .select_related("outlet", "place", "merged_into", "story", "duplicate_of")
        .prefetch_related("topics")
        .defer("raw_text")
    )
    return {article.pk: _state(article) for article in articles}


def _differences(before: dict, after: dict) -> dict:
    return {name: [before.get(name), after[name]] for name in TRACKED if before.get(name) != after[name]}


def _change(
    pk: int, user, action: str, before: State, after: State, operation: str = ""
) -> ArticleChange | None:
    """The history row of one article's change (None when nothing tracked changed); ``operation``
    names the change of several articles it is part of."""
    changes = _differences(before[1], after[1])
    if not changes:
        return None
    action = Truncator(action).chars(ACTION_LENGTH)
    raw = {**before[0], "operation": operation} if operation else before[0]
    return ArticleChange(article_id=pk, user=user, action=action, changes=changes, before=raw)


@contextlib.contextmanager
def tracked(article_ids: Iterable[int], user, action: str) -> Iterator[None]:
    """Run the block in one transaction; then record what it changed on these articles, count it
    in their revision and queue them."""
    ids = sorted(set(article_ids))
    operation = uuid.uuid4().hex
    with transaction.atomic():
        before = _states(ids)
        yield
        after = _states(ids)
        ArticleChange.objects.bulk_create(
            change
            for pk, state in after.items()
            if (change := _change(pk, user, action, before.get(pk, NO_STATE), state, operation))
        )
        Article.objects.filter(pk__in=ids).update(revision=F("revision") + 1)
        schedule_sync(ids)


def start_edit(article_id: int | None) -> State:
    """The state of an article before a form edits it (empty for a new article)."""
    return _states([article_id]).get(article_id, NO_STATE) if article_id else NO_STATE


def finish_edit(article: Article, user, before: State, action: str = "edit") -> ArticleChange | None:
    """Record a form edit (fields, topics) as one change; None when nothing changed."""
    change = _change(article.pk, user, action, before, _states([article.pk])[article.pk])
    if change is not None:
        change.save()
    return change


def restored_changes(change: ArticleChange) -> list[ArticleChange]:
    """The changes a restore of ``change`` puts back: a merge's (or a restore's) change of every
    article it touched (the duplicates, the article kept, the copies flagged), any other change
    alone (a bulk action's change of one article is undone on that article only)."""
    operation = change.before.get("operation")
    if not (operation and change.action.startswith((MERGE_ACTION, RESTORE_ACTION))):
        return [change]
    return list(
        ArticleChange.objects.filter(before__operation=operation).select_related("article").order_by("pk")
    )


@dataclass
class Restoring:
    """What a restore changes on one article: ``fields`` as (name, current, restored), readable."""

    article: Article
    fields: list[tuple[str, str, str]]


def restore_preview(change: ArticleChange) -> list[Restoring]:
    """What restoring ``change`` would change, article by article (for the confirmation page)."""
    changes = restored_changes(change)
    current = _states(c.article_id for c in changes)
    preview = []
    for each in changes:
        shown_now = current[each.article_id][1]
        fields = [
            (name, shown_now[name], restored)
            for name in TRACKED
            if name in each.before and (restored := _shown(name, each.before[name])) != shown_now[name]
        ]
        preview.append(Restoring(each.article, fields))
    return preview


def _shown(name: str, raw):
    """A raw value of ``before`` as history shows it."""
    if name == "topics":
        return ", ".join(Topic.objects.filter(pk__in=raw).order_by("name").values_list("name", flat=True))
    if name in RELATED:
        return str(RELATED[name].objects.filter(pk=raw).first() or "") if raw is not None else ""
    return raw


def restore(change: ArticleChange, user) -> None:
    """Put the article back as it was before ``change``, undoing it and every later change
    (itself recorded, so it can be undone too); a merge is undone whole (:func:`restored_changes`).
    References that no longer exist are kept; a restore that moves the article to another story
    locks it there, as an editor's placement; one out of the trash leaves it."""
    changes = restored_changes(change)
    with tracked([c.article_id for c in changes], user, f"{RESTORE_ACTION}{change.pk}"):
        for each in changes:
            _put_back(Article.objects.get(pk=each.article_id), each.before)


def _put_back(article: Article, before: dict) -> None:
    for name, value in before.items():
        if name == "topics":
            article.topics.set(Topic.objects.filter(pk__in=value))
        elif name in RELATED:
            if value is None or RELATED[name].objects.filter(pk=value).exists():
                if name == "story" and value != article.story_id:
                    article.story_locked = True  # assignment keeps an editor's placement
                setattr(article, f"{name}_id", value)
        elif name == "published":
            article.published = datetime.date.fromisoformat(value) if value else None
        elif name in TRACKED:
            setattr(article, name, value)
    if article.status != Article.Status.TRASHED:
        article.trashed = None
    article.save()


# -- bulk actions ---------------------------------------------------------------------------


def _editable(queryset: QuerySet) -> QuerySet:
    """Merged duplicates only redirect, and the trash is restored from the trash: status actions
    and merges leave them alone."""
    return queryset.exclude(status__in=[Article.Status.MERGED, Article.Status.TRASHED])


def set_status(queryset: QuerySet, status: str, user, retraction_note: str = "") -> int:
    """Publish, unpublish (draft) or retract the articles; returns how many changed (those
    already in that state, and merged duplicates, are left alone)."""
    fields = {"status": status}
    if status == Article.Status.RETRACTED:
        fields["retraction_note"] = retraction_note
    ids = list(_editable(queryset).exclude(**fields).values_list("pk", flat=True))
    with tracked(ids, user, status if status != Article.Status.DRAFT else "unpublished"):
        Article.objects.filter(pk__in=ids).update(**fields)
    return len(ids)


def add_topic(queryset: QuerySet, topic: Topic, user) -> int:
    """Tag the articles that lack ``topic`` with it; returns how many."""
    ids = list(queryset.exclude(topics=topic).values_list("pk", flat=True))
    through = Article.topics.through
    with tracked(ids, user, f"added topic {topic.name}"):
        through.objects.bulk_create(
            [through(article_id=pk, topic_id=topic.pk) for pk in ids], ignore_conflicts=True
        )
    return len(ids)


def remove_topic(queryset: QuerySet, topic: Topic, user) -> int:
    """Take ``topic`` off the articles that have it; returns how many."""
    ids = list(queryset.filter(topics=topic).values_list("pk", flat=True))
    with tracked(ids, user, f"removed topic {topic.name}"):
        Article.topics.through.objects.filter(article_id__in=ids, topic=topic).delete()
    return len(ids)


def delete_topics(topics: QuerySet, user) -> None:
    """Delete the topics; their articles' history records the loss, and search shows it."""
    ids = Article.objects.filter(topics__in=topics).values_list("pk", flat=True).distinct()
    with tracked(ids, user, "topic deleted"):
        topics.delete()


# -- the trash --------------------------------------------------------------------------------


def trash(queryset: QuerySet, user) -> int:
    """Move the articles to the trash: off the site (their pages answer 410 Gone) and out of
    search, their history kept; the status each had is in that history, for :func:`untrash`.
    Returns how many moved (those in the trash already are left alone)."""
    ids = list(queryset.exclude(status=Article.Status.TRASHED).values_list("pk", flat=True))
    with tracked(ids, user, TRASH_ACTION):
        Article.objects.filter(pk__in=ids).update(status=Article.Status.TRASHED, trashed=timezone.now())
    return len(ids)


def untrash(queryset: QuerySet, user) -> int:
    """Take the articles out of the trash, back to the status each had (a draft when the history
    does not say), and back into search when published. Returns how many."""
    ids = list(queryset.filter(status=Article.Status.TRASHED).values_list("pk", flat=True))
    previous = {
        pk: before.get("status")
        for pk, before in ArticleChange.objects.filter(article_id__in=ids, action=TRASH_ACTION)
        .order_by("when", "pk")
        .values_list("article_id", "before")
    }  # the latest move to the trash wins
    allowed = set(Article.Status.values) - {Article.Status.TRASHED}
    with tracked(ids, user, UNTRASH_ACTION):
        for pk in ids:
            status = previous.get(pk) if previous.get(pk) in allowed else Article.Status.DRAFT
            Article.objects.filter(pk=pk).update(status=status, trashed=None)
    return len(ids)


def purge(queryset: QuerySet) -> int:
    """Delete articles in the trash for good, with their history and their merged duplicates
    (which only redirect to them). Returns how many of the selection were purged."""
    ids = list(queryset.filter(status=Article.Status.TRASHED).values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids).delete()  # the index hears of it (a post_delete signal)
    return len(ids)


# -- merges -----------------------------------------------------------------------------------


def merge_articles(canonical: Article, duplicates: Iterable[Article], user) -> int:
    """Fold duplicates into ``canonical``: their captions and topics move over, their URLs
    redirect there. Returns how many were merged: duplicates merged earlier stay as they are
    (they already redirect; those merged into one of these now redirect to ``canonical``).

    Suspected-duplicate flags follow: a copy of a merged article is a copy of ``canonical``,
    and ``canonical``, if flagged as a copy of one of them, is a version of its story again.
    Raises :class:`MergeError` when ``canonical`` is merged itself or among the duplicates.
    """
    canonical.refresh_from_db(fields=["status", "merged_into", "duplicate_of"])
    if canonical.status == Article.Status.MERGED or canonical.merged_into_id:
        raise MergeError(
            f"#{canonical.pk} “{canonical}” is itself merged into another article: "
            "keep one that is not merged."
        )
    if canonical.status == Article.Status.TRASHED:
        raise MergeError(f"#{canonical.pk} “{canonical}” is in the trash: restore it first.")
    if canonical.pk in {d.pk for d in duplicates}:
        raise MergeError(f"#{canonical.pk} “{canonical}” cannot be merged into itself.")
    dup_ids = list(
        _editable(Article.objects.filter(pk__in=[d.pk for d in duplicates])).values_list("pk", flat=True)
    )
    if not dup_ids:
        return 0
    earlier = list(Article.objects.filter(merged_into_id__in=dup_ids).values_list("pk", flat=True))
    flagged = list(Article.objects.filter(duplicate_of_id__in=dup_ids).values_list("pk", flat=True))
    with tracked([canonical.pk, *dup_ids, *earlier, *flagged], user, f"{MERGE_ACTION}{canonical.pk}"):
        position = (canonical.captions.aggregate(last=Max("position"))["last"] or 0) + 1
        known = set(canonical.captions.values_list("text", flat=True))
        for caption in Caption.objects.filter(article_id__in=dup_ids).order_by("article", "position", "pk"):
            if caption.text in known:
                caption.delete()
                continue
            known.add(caption.text)
            caption.article, caption.position = canonical, position
            caption.save()
            position += 1
        canonical.topics.add(*Topic.objects.filter(articles__in=dup_ids).distinct())
        Article.objects.filter(pk__in=earlier).update(merged_into=canonical)
        Article.objects.filter(pk=canonical.pk, duplicate_of_id__in=dup_ids).update(duplicate_of=None)
        Article.objects.filter(duplicate_of_id__in=dup_ids).exclude(pk__in=dup_ids).update(
            duplicate_of=canonical
        )
        Article.objects.filter(pk__in=dup_ids).update(
            status=Article.Status.MERGED, merged_into=canonical, duplicate_of=None
        )
    return len(dup_ids)


def merge_topics(target: Topic, others: Iterable[Topic], user) -> int:
    """Articles tagged with any of ``others`` get ``target`` instead; ``others`` are deleted."""
    others = [t for t in others if t.pk != target.pk]
    ids = list(Article.objects.filter(topics__in=others).values_list("pk", flat=True).distinct())
    with tracked(ids, user, f"merged topics into {target.name}"):
        through = Article.topics.through
        through.objects.bulk_create(
            [through(article_id=pk, topic_id=target.pk) for pk in ids], ignore_conflicts=True
        )
        target.keywords = _lines(target.keywords, *(t.keywords for t in others))
        target.save()
        for topic in others:
            topic.delete()
    return len(others)


def merge_outlets(target: Outlet, others: Iterable[Outlet], user) -> int:
    """Articles of ``others`` move to ``target``, whose aliases learn their names; ``others`` are deleted."""
    others = [o for o in others if o.pk != target.pk]
    ids = list(Article.objects.filter(outlet__in=others).values_list("pk", flat=True))
    with tracked(ids, user, f"merged outlets into {target.name}"):
        Article.objects.filter(pk__in=ids).update(outlet=target)
        target.aliases = _lines(target.aliases, *(f"{o.name}\n{o.aliases}" for o in others))
        target.save()
        for outlet in others:
            outlet.delete()
    return len(others)


def merge_places(target: Place, others: Iterable[Place], user) -> int:
    """Articles datelined in any of ``others`` move to ``target``; ``others`` are deleted."""
    others = [p for p in others if p.pk != target.pk]
    ids = list(Article.objects.filter(place__in=others).values_list("pk", flat=True))
    with tracked(ids, user, f"merged places into {target}"):
        Article.objects.filter(pk__in=ids).update(place=target)
        for place in others:
            place.delete()
    return len(others)


def _lines(*texts: str) -> str:
    """Every distinct non-blank line of the texts, in order."""
    lines = [line.strip() for text in texts for line in text.splitlines()]
    return "\n".join(dict.fromkeys(line for line in lines if line))
