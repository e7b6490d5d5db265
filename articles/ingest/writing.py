"""Writing a file's articles: each new, an update (a corrected copy) or unchanged, in batches
that the search index and the story assignment follow."""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles import editorial, review
from articles.models import (
    Article,
    ArticleChange,
    ArticleVersion,
    Caption,
)
from articles.parsing import ParsedArticle
from articles.parsing.about import country_about
from articles.parsing.topics import find_topics
from articles.search.indexing import BulkIndexer, bulk_index
from articles.stories.assign import assign_created

from . import match as text_match
from . import wire as wire_items
from .paths import is_records
from .reports import FileReport, Item
from .resolver import Resolver

BATCH = 1000
# The History action of an update by a corrected copy; its changes are ingest's, not an editor's.
CORRECTED_COPY = "corrected copy"
# Where a copy came from: a story that is otherwise the same is unchanged (see _unchanged).
_PROVENANCE = frozenset({"source_file", "raw_text", "content_hash", "created", "updated"})


def write_file(items: Iterable[Item], result: FileReport, resolver: Resolver, dry_run: bool, user=None):
    """Write one file's articles in one transaction (rolled back for a dry run or on error)."""
    written: set[str] = set()  # content hashes this file wrote (a raw copy's stories share one)
    try:
        with bulk_index(write=not dry_run) as indexer, transaction.atomic():
            batch: list[Item] = []
            for item in items:
                batch.append(item)
                if len(batch) >= BATCH:
                    write_batch(batch, result, resolver, indexer, written, user)
                    batch = []
            if batch:
                write_batch(batch, result, resolver, indexer, written, user)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        resolver.forget_created()
        raise
    if dry_run:
        rolled_back(result, resolver)


def rolled_back(result: FileReport, resolver: Resolver) -> None:
    """After a dry run: nothing was kept, so the resolver forgets what it created and the report's
    articles have no ids and no pages."""
    resolver.forget_created()
    for described in result.articles:
        described["id"] = described["url"] = None


def write_batch(
    items: list[Item], result: FileReport, resolver: Resolver, indexer: BulkIndexer, written: set[str], user
) -> None:
    """Each item is unchanged (its raw copy was ingested before), an update, or new.

    ``written`` holds the hashes earlier batches of this file wrote: those are not "ingested before".
    """
    digests = {item.digest for item in items}
    known = set(Article.objects.filter(content_hash__in=digests).values_list("content_hash", flat=True))
    known -= written
    written |= digests - known
    to_write = [item for item in items if item.digest not in known]
    for item in to_write:  # records and wire items without topics of their own: the vocabulary's
        if not item.parsed.topics:
            item.parsed.topics = find_topics(
                item.parsed.headline, item.parsed.body, vocabulary=resolver.vocabulary
            )
    existing = _existing_articles(to_write)
    existing |= _found_by_text(to_write, existing, resolver)
    resolver.add_places(item.parsed for item in to_write)
    same = _unchanged(to_write, existing, resolver)
    new_articles, new_items, updates, withdrawals = [], [], [], []
    for item in items:
        if item.digest in known:
            result.unchanged += 1
            _report(result, resolver, item.parsed, "unchanged", None)
            continue
        match = existing.get(_key(item))
        action = wire_items.decide(item.parsed, match)
        if action == "update" and id(item) in same:  # a story of a file changed elsewhere
            action = "unchanged"
        if action in ("older", "unchanged"):  # an older version come late, a withdrawal again: nothing
            result.unchanged += 1
            status = "older version" if action == "older" else "unchanged"
            _report(result, resolver, item.parsed, status, match)
        elif action == "withdraw":
            withdrawals.append((match, item.parsed))
            result.updated += 1
            _report(result, resolver, item.parsed, "withdrawn", match)
        elif action == "update":
            updates.append((match, item))
            result.updated += 1
            _report(result, resolver, item.parsed, "updated", match)
        else:
            new_articles.append(wire_items.created(_article(Article(), item, resolver), item.parsed))
            new_items.append(item)
    _update(updates, resolver, user)
    wire_items.withdraw(withdrawals, user)
    created = Article.objects.bulk_create(new_articles)
    _attach(created, new_items, resolver)
    done = [*updates, *zip(created, new_items, strict=True)]
    wire_items.link_translations([(article, item.parsed) for article, item in done])
    assign_created(created)
    review.mark_near_identical([*created, *(article for article, _ in updates)])  # for the review queue
    indexer.add(created)  # last: the documents show the batch complete
    result.created += len(created)
    for article, item in zip(created, new_items, strict=True):
        _report(result, resolver, item.parsed, "created", article)


def _is_record(source_file: str) -> bool:
    return is_records(source_file.partition("#")[0])


def _file_name(source_file: str) -> str:
    """The file's name without its folders: ``manage.py ingest seeds/a.txt`` and an upload of
    ``a.txt`` are the same file."""
    return source_file.rpartition("/")[2]


def _identity(source_file: str, headline: str) -> tuple[str, str]:
    """A record is identified by its source id; a story in raw copy by its file's name and headline."""
    return (source_file, "") if _is_record(source_file) else (_file_name(source_file), headline)


def _key(item: Item) -> tuple[str, str]:
    """An item's identity: a wire item's is its format's (whatever file it came in), else
    :func:`_identity`."""
    if wire_items.is_wire(item.parsed):
        return ("wire", item.parsed.identity[:255])
    return _identity(item.source_file, item.parsed.headline)


def _existing_articles(items: list[Item]) -> dict[tuple[str, str], Article]:
    """The articles these items may update, by identity; also under headlines an editor changed."""
    wire = [item for item in items if wire_items.is_wire(item.parsed)]
    items = [item for item in items if not wire_items.is_wire(item.parsed)]
    records = {item.source_file for item in items if _is_record(item.source_file)}
    names = {_file_name(item.source_file) for item in items if not _is_record(item.source_file)}
    query = Q(source_file__in=records | names)
    if wire:
        query |= Q(wire_id__in={_key(item)[1] for item in wire})
    for name in names:  # the same file ingested from a folder
        query |= Q(source_file__endswith=f"/{name}")
    found = {article.pk: article for article in Article.objects.filter(query)}
    existing = {_identity(article.source_file, article.headline): article for article in found.values()}
    existing |= {("wire", article.wire_id): article for article in found.values() if article.wire_id}
    retitled = ArticleChange.objects.filter(article_id__in=found, changes__has_key="headline").exclude(
        action=CORRECTED_COPY
    )
    for article_id, changes in retitled.values_list("article_id", "changes"):
        article = found[article_id]
        existing.setdefault(_identity(article.source_file, changes["headline"][0]), article)
    return existing


def _found_by_text(items: list[Item], existing: dict, resolver: Resolver) -> dict[tuple[str, str], Article]:
    """The articles corrected by stories without an identity of their own that their file's name and
    headline did not find (a changed headline or lede): by outlet, dateline, date and text."""
    claimed = {existing[_key(item)].pk for item in items if _key(item) in existing}
    stories = [
        text_match.Story(_key(item), item.parsed, _file_name(item.source_file))
        for item in items
        if _key(item) not in existing
        and not _is_record(item.source_file)
        and not wire_items.is_wire(item.parsed)
    ]
    if not stories:  # records and identified wire items: never looked for by text
        return {}
    return text_match.corrected(stories, existing.values(), claimed, resolver, _is_record)


def _article(article: Article, item: Item, resolver: Resolver, keep: frozenset[str] = frozenset()) -> Article:
    """Fill ``article`` from the copy: its text (summary, body) and provenance always, each other field
    the copy gives unless it is in ``keep`` (topics are set apart). Status and slug are left alone: a
    new article is published under its headline's slug. A headline an editor wrote keeps its
    ``headline_supplied`` too."""
    parsed = item.parsed
    if "headline" in keep:
        keep |= {"headline_supplied"}
    facts = {
        "headline": parsed.headline[:300],
        "headline_supplied": parsed.headline_supplied,
        "published": parsed.published,
        **_published_at(parsed.published_at),
        "byline": (parsed.byline or "")[:300],
        "editor": (parsed.editor or "")[:300],
        "language": parsed.language,
        "translated_from": parsed.translated_from or ("und" if parsed.translated else ""),
        "source_url": item.source_url[:500],
        "licence": item.licence[:300],
        "rights": parsed.rights[:500],
        **wire_items.wire_fields(parsed),
    }
    for name, value in facts.items():
        if name not in keep:
            setattr(article, name, value)
    if "outlet" not in keep:
        article.outlet = resolver.outlet(parsed.outlet)
    if "place" not in keep:
        article.place = resolver.place(parsed.place, parsed.country)
    if "country" not in keep:
        article.country = _country(article, parsed)
    article.summary = parsed.summary
    article.body = parsed.body
    article.source_file = item.source_file[:500]
    article.raw_text = item.raw_text
    article.content_hash = item.digest
    article.slug = article.slug or Article.slug_for(article.headline)
    return article


def _published_at(moment: datetime.datetime | None) -> dict:
    """The copy's date and time, and its UTC offset in minutes (a time without one is read as UTC)."""
    offset = moment.utcoffset() if moment else None
    if moment is not None and offset is None:
        moment, offset = moment.replace(tzinfo=datetime.UTC), datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60) if offset is not None else None
    return {"published_at": moment, "published_offset": minutes}


def _country(article: Article, parsed: ParsedArticle) -> str:
    """The country the article is about when its dateline's place gives none (the Country facet
    takes the place's first): a country the dateline names without a city, else the one its text
    is about (:func:`~articles.parsing.about.country_about`), else ""."""
    if article.place and article.place.country:
        return ""
    return (parsed.country or country_about(parsed.headline, parsed.body) or "")[:100]


def _attach(articles: list[Article], items: list[Item], resolver: Resolver) -> None:
    """Topics, captions and earlier versions of newly created articles, in bulk."""
    through = Article.topics.through
    links, captions, versions = [], [], []
    for article, item in zip(articles, items, strict=True):
        parsed = item.parsed
        topic_ids = {resolver.topic(name).pk for name in parsed.topics}
        links += [through(article_id=article.pk, topic_id=pk) for pk in topic_ids]
        captions += [
            Caption(article=article, text=c.text, credit=c.credit, position=n)
            for n, c in enumerate(parsed.captions)
        ]
        versions += [
            ArticleVersion(article=article, body=text, note="Earlier version, replaced by an update")
            for text in parsed.earlier_versions
        ]
    through.objects.bulk_create(links)
    Caption.objects.bulk_create(captions)
    ArticleVersion.objects.bulk_create(versions)


def _unchanged(items: list[Item], existing: dict, resolver: Resolver) -> set[int]:
    """The items (by ``id``) whose update would change nothing of their article: a raw copy's
    stories share their file's hash, so a file corrected in one story gives the others again as
    they were. Compared: each field the copy gives (those an editor changed stay the editor's),
    captions and topics; not where the copy came from. Such a story gets no version and no History."""
    pairs = [
        (existing[_key(item)], item)
        for item in items
        if wire_items.decide(item.parsed, existing.get(_key(item))) == "update"
    ]
    if not pairs:
        return set()
    ids = [article.pk for article, _ in pairs]
    edited = _edited(ids)
    captions, topics = defaultdict(list), defaultdict(set)
    for pk, text, credit in Caption.objects.filter(article_id__in=ids).values_list(
        "article_id", "text", "credit"
    ):
        captions[pk].append((text, credit))
    for pk, topic in Article.topics.through.objects.filter(article_id__in=ids).values_list(
        "article_id", "topic_id"
    ):
        topics[pk].add(topic)
    fields = [f.attname for f in Article._meta.concrete_fields if f.attname not in _PROVENANCE]
    same = set()
    for article, item in pairs:
        keep = edited[article.pk]
        probe = _article(copy.copy(article), item, resolver, keep)  # the article as the copy would leave it
        wire_items.released(probe, article.wire_status, item.parsed, keep)
        if (
            all(getattr(probe, name) == getattr(article, name) for name in fields)
            and [(c.text, c.credit) for c in item.parsed.captions] == captions[article.pk]
            and ("topics" in keep or {resolver.topic(t).pk for t in item.parsed.topics} == topics[article.pk])
        ):
            same.add(id(item))
    return same


def _edited(ids: list[int]) -> dict[int, frozenset[str]]:
    """The fields of these articles an editor changed: in their History, from any change but a
    corrected copy."""
    edited: dict[int, set[str]] = {pk: set() for pk in ids}
    changes = ArticleChange.objects.filter(article_id__in=ids).exclude(action=CORRECTED_COPY)
    for article_id, fields in changes.values_list("article_id", "changes"):
        edited[article_id].update(fields)
    return {pk: frozenset(fields) for pk, fields in edited.items()}


def _update(updates: list[tuple[Article, Item]], resolver: Resolver, user=None) -> None:
    """Corrected copies: keep each article's current text as an earlier version, then take the new one.

    Editors' decisions stay: status, retraction note and slug are never touched, and each field
    the copy gives besides its text (headline, outlet, place, date, byline, editor, language,
    translation, source link, licence, topics) that an editor changed (it is in the article's
    History, from any change but a corrected copy) is kept. The updates are recorded in the
    History like edits, by ``user`` (None: the command).
    """
    if not updates:
        return
    ids = [article.pk for article, _ in updates]
    edited = _edited(ids)
    with editorial.tracked(ids, user, CORRECTED_COPY):
        for article, item in updates:
            keep = edited[article.pk]
            new_headline = article.headline if "headline" in keep else item.parsed.headline[:300]
            if (article.headline, article.body) != (new_headline, item.parsed.body):  # else no new version
                ArticleVersion.objects.create(
                    article=article,
                    headline=article.headline,
                    body=article.body,
                    note=f"Replaced by a corrected copy ({timezone.now():%Y-%m-%d %H:%M} UTC)",
                )
            was = article.wire_status
            _article(article, item, resolver, keep)
            wire_items.released(article, was, item.parsed, keep)
            article.save()
            if "topics" not in keep:
                article.topics.set([resolver.topic(name) for name in item.parsed.topics])
            article.captions.all().delete()
            Caption.objects.bulk_create(
                Caption(article=article, text=c.text, credit=c.credit, position=n)
                for n, c in enumerate(item.parsed.captions)
            )


def _report(
    result: FileReport, resolver: Resolver, parsed: ParsedArticle, status: str, article: Article | None
) -> None:
    """The article's entry in the file's report, when the report describes its articles
    (``resolver.describe``); a bulk load's report only counts them."""
    if resolver.describe:
        result.articles.append(_describe(parsed, status, article))


def _describe(parsed: ParsedArticle, status: str, article: Article | None) -> dict:
    """One article of the JSON report (the contract's names, plus status, id and url)."""
    saved = {
        "status": status,
        "id": article.pk if article else None,
        "url": article.get_absolute_url() if article and article.pk else None,
    }
    return {
        "headline": parsed.headline,
        "headline_supplied": parsed.headline_supplied,
        "outlet": parsed.outlet,
        "place": parsed.place,
        "country": parsed.country,
        "published": parsed.published.isoformat() if parsed.published else None,
        "byline": parsed.byline,
        "editor": parsed.editor,
        "language": parsed.language,
        "translated": parsed.translated,
        "topics": list(parsed.topics),
        "captions": [c.text for c in parsed.captions],
        "summary": parsed.summary,
        "body": parsed.body,
        "earlier_versions": list(parsed.earlier_versions),
        **wire_items.describe(parsed),
        **saved,
    }
