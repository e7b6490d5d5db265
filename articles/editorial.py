"""Editorial changes as plain functions: history and restore, bulk actions, merges, deletions.

Each function runs in one transaction, records an :class:`ArticleChange` for every article it
changed (who, when, ``{field: [old, new]}`` and the state before, to restore) and queues the
articles for the search index, which shows the result as soon as the transaction commits.
(``QuerySet.update`` and bulk inserts send no model signals, so the queueing is explicit.)
Bulk actions touch only the articles they change: a selection of 1,500 articles that are all
published already is published in no time, and search is not rewritten for nothing.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.text import Truncator

from articles.models import Article, ArticleChange, Caption, Outlet, Place, Story, Topic
from articles.search.indexing import schedule_sync

# The fields an editor changes, in the order history shows them.
TRACKED = [
    "headline",
    "slug",
    "status",
    "retraction_note",
    "outlet",
    "place",
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
]
RELATED = {"outlet": Outlet, "place": Place, "merged_into": Article, "story": Story}
ACTION_LENGTH = ArticleChange._meta.get_field("action").max_length

# An article's state: (raw values to restore from, readable values for history).
State = tuple[dict, dict]
NO_STATE: State = ({}, {})


class MergeError(ValueError):
    """A merge that would make an article redirect to itself, or to a page that redirects."""


def _state(article: Article) -> State:
    """(raw, shown): raw values to restore from (ids, ISO dates) and readable ones for history."""
    raw, shown = {}, {}
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
        .select_related("outlet", "place", "merged_into", "story")
        .prefetch_related("topics")
        .defer("raw_text")
    )
    return {article.pk: _state(article) for article in articles}


def _differences(before: dict, after: dict) -> dict:
    return {name: [before.get(name), after[name]] for name in TRACKED if before.get(name) != after[name]}


def _change(pk: int, user, action: str, before: State, after: State) -> ArticleChange | None:
    """The history row of one article's change (None when nothing tracked changed)."""
    changes = _differences(before[1], after[1])
    if not changes:
        return None
    action = Truncator(action).chars(ACTION_LENGTH)
    return ArticleChange(article_id=pk, user=user, action=action, changes=changes, before=before[0])


@contextlib.contextmanager
def tracked(article_ids: Iterable[int], user, action: str) -> Iterator[None]:
    """Run the block in one transaction; then record what it changed on these articles and queue them."""
    ids = sorted(set(article_ids))
    with transaction.atomic():
        before = _states(ids)
        yield
        after = _states(ids)
        ArticleChange.objects.bulk_create(
            change
            for pk, state in after.items()
            if (change := _change(pk, user, action, before.get(pk, NO_STATE), state))
        )
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


def restore(change: ArticleChange, user) -> None:
    """Put the article back as it was before ``change``, undoing it and every later change
    (itself recorded, so it can be undone too). References that no longer exist are kept;
    a restore that moves the article to another story locks it there, as an editor's placement."""
    article = change.article
    with tracked([article.pk], user, f"restore #{change.pk}"):
        for name, value in change.before.items():
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
        article.save()


# -- bulk actions ---------------------------------------------------------------------------


def _editable(queryset: QuerySet) -> QuerySet:
    """Merged duplicates only redirect; status actions leave them alone."""
    return queryset.exclude(status=Article.Status.MERGED)


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
    if canonical.pk in {d.pk for d in duplicates}:
        raise MergeError(f"#{canonical.pk} “{canonical}” cannot be merged into itself.")
    dup_ids = list(
        _editable(Article.objects.filter(pk__in=[d.pk for d in duplicates])).values_list("pk", flat=True)
    )
    if not dup_ids:
        return 0
    earlier = list(Article.objects.filter(merged_into_id__in=dup_ids).values_list("pk", flat=True))
    with tracked([canonical.pk, *dup_ids, *earlier], user, f"merged into #{canonical.pk}"):
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
