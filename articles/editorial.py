"""Editorial changes as plain functions: history and restore, bulk actions, merges.

Each function runs in one transaction, records an :class:`ArticleChange` for every article it
changed (who, when, ``{field: [old, new]}`` and a snapshot to restore from) and queues the
articles for the search index, which shows the result as soon as the transaction commits.
(``QuerySet.update`` and bulk inserts send no model signals, so the queueing is explicit.)
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Max, QuerySet

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


def _state(article: Article) -> tuple[dict, dict]:
    """(snapshot, shown): raw values to restore from (ids, ISO dates) and readable ones for history."""
    snapshot, shown = {}, {}
    for name in TRACKED:
        if name == "topics":
            topics = sorted(article.topics.all(), key=lambda t: t.name)
            snapshot[name] = [t.pk for t in topics]
            shown[name] = ", ".join(t.name for t in topics)
        elif name in RELATED:
            snapshot[name] = getattr(article, f"{name}_id")
            shown[name] = str(getattr(article, name) or "")
        else:
            value = getattr(article, name)
            snapshot[name] = shown[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return snapshot, shown


def _states(article_ids: Iterable[int]) -> dict[int, tuple[dict, dict]]:
    articles = (
        Article.objects.filter(pk__in=list(article_ids))
        .select_related("outlet", "place", "merged_into", "story")
        .prefetch_related("topics")
        .defer("raw_text")
    )
    return {article.pk: _state(article) for article in articles}


def _differences(before: dict, after: dict) -> dict:
    return {name: [before.get(name), after[name]] for name in TRACKED if before.get(name) != after[name]}


@contextlib.contextmanager
def tracked(article_ids: Iterable[int], user, action: str) -> Iterator[None]:
    """Run the block in one transaction; then record what it changed on these articles and queue them."""
    ids = sorted(set(article_ids))
    with transaction.atomic():
        before = _states(ids)
        yield
        after = _states(ids)
        ArticleChange.objects.bulk_create(
            ArticleChange(article_id=pk, user=user, action=action, changes=changes, snapshot=snapshot)
            for pk, (snapshot, shown) in after.items()
            if (changes := _differences(before.get(pk, (None, {}))[1], shown))
        )
        schedule_sync(ids)


def start_edit(article_id: int | None) -> dict:
    """The readable state of an article before a form edits it (empty for a new article)."""
    return _states([article_id]).get(article_id, (None, {}))[1] if article_id else {}


def finish_edit(article: Article, user, before: dict, action: str = "edit") -> ArticleChange | None:
    """Record a form edit (fields, topics) as one change; None when nothing changed."""
    snapshot, shown = _states([article.pk])[article.pk]
    changes = _differences(before, shown)
    if not changes:
        return None
    return ArticleChange.objects.create(
        article=article, user=user, action=action, changes=changes, snapshot=snapshot
    )


def restore(change: ArticleChange, user) -> None:
    """Put the article back as it was right after ``change`` (references that no longer exist are kept)."""
    article = change.article
    with tracked([article.pk], user, f"restore #{change.pk}"):
        for name, value in change.snapshot.items():
            if name == "topics":
                article.topics.set(Topic.objects.filter(pk__in=value))
            elif name in RELATED:
                if value is None or RELATED[name].objects.filter(pk=value).exists():
                    setattr(article, f"{name}_id", value)
                    if name == "story":
                        article.story_locked = True  # an editor's placement: assignment keeps it
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
    """Publish, unpublish (draft) or retract the articles; returns how many."""
    articles = _editable(queryset)
    ids = list(articles.values_list("pk", flat=True))
    fields = {"status": status}
    if status == Article.Status.RETRACTED:
        fields["retraction_note"] = retraction_note
    with tracked(ids, user, status if status != Article.Status.DRAFT else "unpublished"):
        Article.objects.filter(pk__in=ids).update(**fields)
    return len(ids)


def add_topic(queryset: QuerySet, topic: Topic, user) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    through = Article.topics.through
    with tracked(ids, user, f"added topic {topic.name}"):
        through.objects.bulk_create(
            [through(article_id=pk, topic_id=topic.pk) for pk in ids], ignore_conflicts=True
        )
    return len(ids)


def remove_topic(queryset: QuerySet, topic: Topic, user) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    with tracked(ids, user, f"removed topic {topic.name}"):
        Article.topics.through.objects.filter(article_id__in=ids, topic=topic).delete()
    return len(ids)


# -- merges -----------------------------------------------------------------------------------


def merge_articles(canonical: Article, duplicates: Iterable[Article], user) -> int:
    """Fold duplicates into ``canonical``: their captions and topics move over, their URLs redirect."""
    duplicates = [d for d in duplicates if d.pk != canonical.pk]
    dup_ids = [d.pk for d in duplicates]
    if not dup_ids:
        return 0
    with tracked([canonical.pk, *dup_ids], user, f"merged into #{canonical.pk}"):
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
        # Anything merged into a duplicate earlier now points at the canonical article too.
        Article.objects.filter(merged_into_id__in=dup_ids).update(merged_into=canonical)
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
