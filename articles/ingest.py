"""Ingest raw copy into the archive: the one path ``manage.py ingest`` and the admin upload share.

The parsing is :mod:`articles.parsing` (plain Python); this module resolves outlets,
places and topics, writes each file in its own transaction, and reports per file.
Re-ingesting a file changes nothing (content hash); a corrected copy of an article
updates it and keeps the previous text as an earlier version, and what editors decided stays
(see :func:`_update`).

Three kinds of file:
- raw copy (``.txt`` and any other text): one or more stories, parsed by ``parse_copy``;
- the wire formats, told by their content (:mod:`articles.parsing.formats`): NITF, NewsML-G2,
  ninjs, RSS and Atom feeds, their items known by the format's identity and version
  (:mod:`articles.ingest_wire`), and saved web pages (HTML);
- ``.jsonl`` / ``.jsonl.gz`` records in the corpus format (title, body, published, outlet,
  url, categories, dateline), for bulk loads: each record is one article (read and checked by
  :mod:`articles.records`), committed in batches that a stopped load resumes after
  (:mod:`articles.ingest_batches`).
A folder gives only its files of those types (:func:`expand_paths`); a file named is read as given.
"""

from __future__ import annotations

import copy
import errno
import glob
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from articles import editorial, ingest_match, ingest_wire, review
from articles.ingest_resolver import Resolver
from articles.jobs.progress import Progress
from articles.models import (
    Article,
    ArticleChange,
    ArticleVersion,
    Caption,
    content_hash,
)
from articles.parsing import CopyError, ParsedArticle, parse_copy, read_copy
from articles.parsing.about import country_about
from articles.parsing.formats import HTML_SUFFIXES, XML_SUFFIXES, is_ninjs_file, read_wire
from articles.parsing.topics import find_topics
from articles.records import RecordError
from articles.search.indexing import BulkIndexer, bulk_index
from articles.stories.assign import assign_created

MAX_COPY_BYTES = 5 * 1024 * 1024  # one raw copy file
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz")
COPY_SUFFIXES = (".txt", ".text")  # the raw copy a folder gives (a file named is read as given)
# The wire formats a folder gives: XML (NITF, NewsML-G2, RSS, Atom) and web pages always, JSON when
# it is ninjs.
WIRE_SUFFIXES = (*XML_SUFFIXES, *HTML_SUFFIXES, ".json")
BATCH = 1000
# The History action of an update by a corrected copy; its changes are ingest's, not an editor's.
CORRECTED_COPY = "corrected copy"
# Where a copy came from: a story that is otherwise the same is unchanged (see _unchanged).
_PROVENANCE = frozenset({"source_file", "raw_text", "content_hash", "created", "updated"})
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
log = logging.getLogger(__name__)


class IngestError(ValueError):
    """A file that cannot be ingested, with a reason a person can act on."""


@dataclass
class FileReport:
    path: str
    ok: bool = True
    error: str | None = None
    format: str = ""  # what the file was read as: text, jsonl, nitf, newsml-g2, ninjs, rss, atom, html
    articles: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # records with nothing in them
    resumed_after: int = 0  # lines of a records file an earlier, stopped load committed

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format or None,
            "ok": self.ok,
            "error": self.error,
            "articles": self.articles,
            "skipped": self.skipped,
            "resumed_after": self.resumed_after,
        }


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "articles": sum(len(f.articles) for f in self.files),
            "created": sum(f.created for f in self.files),
            "updated": sum(f.updated for f in self.files),
            "unchanged": sum(f.unchanged for f in self.files),
            "errors": sum(not f.ok for f in self.files),
        }

    def as_dict(self) -> dict:
        return {"files": [f.as_dict() for f in self.files], "summary": self.summary()}


@dataclass
class _Item:
    """One article to write: what the parser found, plus where it came from."""

    parsed: ParsedArticle
    raw_text: str
    digest: str  # content hash of ``raw_text`` (the whole file for raw copy, shared by its stories)
    source_file: str
    source_url: str = ""
    licence: str = ""


def expand_paths(patterns: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """Files named, files under folders (recursively) and glob matches, sorted, each once; and the
    files under folders left out: hidden ones and those neither raw copy (``COPY_SUFFIXES``),
    records nor a wire format (a README.md; a .json file that is not ninjs, such as a fixture)."""
    found: dict[Path, None] = {}
    left_out: list[Path] = []
    for pattern in patterns:
        matches = [Path(m) for m in sorted(glob.glob(pattern, recursive=True))] or [Path(pattern)]
        for path in matches:
            if not path.is_dir():
                found[path] = None
                continue
            for inner in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = inner.relative_to(path).parts
                wanted = _in_folder(inner)
                if wanted and not any(part.startswith(".") for part in relative):
                    found[inner] = None
                else:
                    left_out.append(inner)
    return list(found), [path for path in left_out if path not in found]


def _in_folder(path: Path) -> bool:
    """Whether a folder gives this file: raw copy, records, XML, web pages, or JSON that is ninjs."""
    name = path.name.lower()
    if name.endswith(".json"):
        try:
            return path.stat().st_size <= MAX_COPY_BYTES and is_ninjs_file(path.read_bytes())
        except OSError:
            return True  # named, so that its ingest reports why it cannot be read
    return name.endswith(COPY_SUFFIXES + RECORD_SUFFIXES + WIRE_SUFFIXES)


def _is_records(name: str) -> bool:
    return name.lower().endswith(RECORD_SUFFIXES)


def ingest_paths(
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    describe: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every file; a bad file is reported and skipped, the good ones are still written.

    ``describe=False`` keeps only counts and headlines in the report (a bulk load then
    holds no article text in memory). ``progress`` advances by one for each raw copy file and
    each record (see :func:`articles.ingest_batches.planned`).
    """
    resolver = Resolver(describe)
    report = IngestReport()
    for path in paths:
        report.files.append(_ingest_file(path, resolver, dry_run, progress))
    return report


def ingest_upload(
    name: str, data: bytes, *, dry_run: bool = False, user=None, outlet: str = ""
) -> FileReport:
    """Ingest one uploaded raw copy or wire format file (the ``ingest_upload`` job of the admin's
    upload page, a watched feed's fetch); ``user`` is the uploading editor, recorded in the History
    of the articles a corrected copy updates; ``outlet``, when given, is every article's outlet
    instead of the one the copy names (a watched feed's outlet)."""
    resolver = Resolver(describe=True)
    result = FileReport(path=name)

    def load() -> list[_Item]:
        items = _file_items(data, name, resolver, result)
        if outlet:
            for item in items:
                item.parsed.outlet = outlet
        return items

    return _ingest_one(result, load, resolver, dry_run, user=user)


def _ingest_file(path: Path, resolver: Resolver, dry_run: bool, progress: Progress | None) -> FileReport:
    if _is_records(path.name):
        from articles.ingest_batches import ingest_records  # it builds on this module

        return ingest_records(path, resolver, dry_run, progress)

    result = FileReport(path=str(path))

    def load() -> list[_Item]:
        return _file_items(_read_bytes(path), str(path), resolver, result)

    _ingest_one(result, load, resolver, dry_run)
    if progress:
        progress.advance()
    return result


def _ingest_one(
    result: FileReport,
    load: Callable[[], Iterable[_Item]],
    resolver: Resolver,
    dry_run: bool,
    user=None,
) -> FileReport:
    """Read, parse and write one file; any failure is reported and leaves nothing behind."""
    try:
        _write(load(), result, resolver, dry_run, user)
    except Exception as error:
        _fail(result, _failure(result.path, error))
    return result


def _failure(path: str, error: Exception) -> Exception:
    """The error to report for a file that failed with ``error`` (logged when not the file's fault)."""
    if isinstance(error, CopyError | IngestError | RecordError | DatabaseError):
        return error
    if isinstance(error, OSError) and error.errno in _DISK_FULL:  # the database's or the index's
        message = f"the disk is full ({error.strerror}): free some space and ingest the file again"
        log.error("ingesting %s failed: %s", path, message)
        return IngestError(message)
    # a parser bug on odd copy must not stop the other files
    log.exception("ingesting %s failed", path)
    return IngestError(f"could not be parsed ({type(error).__name__}: {error})")


def _fail(result: FileReport, error: Exception) -> None:
    result.ok, result.error, result.articles = False, str(error), []
    result.created = result.updated = result.unchanged = 0


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_COPY_BYTES:
            raise IngestError(f"file too large: {path.stat().st_size:,} bytes (limit {MAX_COPY_BYTES:,})")
        return path.read_bytes()
    except FileNotFoundError as error:
        raise IngestError("no such file") from error
    except OSError as error:
        raise IngestError(f"unreadable: {error.strerror or error}") from error


def _file_items(data: bytes, source: str, resolver: Resolver, result: FileReport) -> list[_Item]:
    """A file's articles: its wire format's items (the file's format noted in its report), else its
    raw copy's stories."""
    if len(data) > MAX_COPY_BYTES:
        raise CopyError(f"file too large: {len(data):,} bytes (limit {MAX_COPY_BYTES:,})")
    document = read_wire(data, source)
    if document is None:
        result.format = "text"
        return _copy_items(read_copy(data, max_bytes=MAX_COPY_BYTES), source, resolver)
    result.format = document.format
    return [
        _Item(article, raw, content_hash(raw), source) for article, raw in ingest_wire.articles_of(document)
    ]


def _copy_items(text: str, source: str, resolver: Resolver) -> list[_Item]:
    parsed = parse_copy(
        text,
        today=timezone.now().date(),
        topic_vocabulary=resolver.vocabulary,
        outlet_aliases=resolver.outlet_aliases,
    )
    digest = content_hash(text)
    return [_Item(article, text, digest, source) for article in parsed]


def _write(items: Iterable[_Item], result: FileReport, resolver: Resolver, dry_run: bool, user=None):
    """Write one file's articles in one transaction (rolled back for a dry run or on error)."""
    written: set[str] = set()  # content hashes this file wrote (a raw copy's stories share one)
    try:
        with bulk_index(write=not dry_run) as indexer, transaction.atomic():
            batch: list[_Item] = []
            for item in items:
                batch.append(item)
                if len(batch) >= BATCH:
                    _write_batch(batch, result, resolver, indexer, written, user)
                    batch = []
            if batch:
                _write_batch(batch, result, resolver, indexer, written, user)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        resolver.forget_created()
        raise
    if dry_run:
        _rolled_back(result, resolver)


def _rolled_back(result: FileReport, resolver: Resolver) -> None:
    """After a dry run: nothing was kept, so the resolver forgets what it created and the report's
    articles have no ids and no pages."""
    resolver.forget_created()
    for described in result.articles:
        described["id"] = described["url"] = None


def _write_batch(
    items: list[_Item], result: FileReport, resolver: Resolver, indexer: BulkIndexer, written: set[str], user
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
            result.articles.append(_describe(item.parsed, "unchanged", None, resolver.describe))
            continue
        match = existing.get(_key(item))
        action = ingest_wire.decide(item.parsed, match)
        if action == "update" and id(item) in same:  # a story of a file changed elsewhere
            action = "unchanged"
        if action in ("older", "unchanged"):  # an older version come late, a withdrawal again: nothing
            result.unchanged += 1
            status = "older version" if action == "older" else "unchanged"
            result.articles.append(_describe(item.parsed, status, match, resolver.describe))
        elif action == "withdraw":
            withdrawals.append((match, item.parsed))
            result.updated += 1
            result.articles.append(_describe(item.parsed, "withdrawn", match, resolver.describe))
        elif action == "update":
            updates.append((match, item))
            result.updated += 1
            result.articles.append(_describe(item.parsed, "updated", match, resolver.describe))
        else:
            new_articles.append(ingest_wire.created(_article(Article(), item, resolver), item.parsed))
            new_items.append(item)
    _update(updates, resolver, user)
    ingest_wire.withdraw(withdrawals, user)
    created = Article.objects.bulk_create(new_articles)
    _attach(created, new_items, resolver)
    done = [*updates, *zip(created, new_items, strict=True)]
    ingest_wire.link_translations([(article, item.parsed) for article, item in done])
    assign_created(created)
    review.mark_near_identical([*created, *(article for article, _ in updates)])  # for the review queue
    indexer.add(created)  # last: the documents show the batch complete
    result.created += len(created)
    result.articles += [
        _describe(i.parsed, "created", a, resolver.describe) for a, i in zip(created, new_items, strict=True)
    ]


def _is_record(source_file: str) -> bool:
    return _is_records(source_file.partition("#")[0])


def _file_name(source_file: str) -> str:
    """The file's name without its folders: ``manage.py ingest seeds/a.txt`` and an upload of
    ``a.txt`` are the same file."""
    return source_file.rpartition("/")[2]


def _identity(source_file: str, headline: str) -> tuple[str, str]:
    """A record is identified by its source id; a story in raw copy by its file's name and headline."""
    return (source_file, "") if _is_record(source_file) else (_file_name(source_file), headline)


def _key(item: _Item) -> tuple[str, str]:
    """An item's identity: a wire item's is its format's (whatever file it came in), else
    :func:`_identity`."""
    if ingest_wire.is_wire(item.parsed):
        return ("wire", item.parsed.identity[:255])
    return _identity(item.source_file, item.parsed.headline)


def _existing_articles(items: list[_Item]) -> dict[tuple[str, str], Article]:
    """The articles these items may update, by identity; also under headlines an editor changed."""
    wire = [item for item in items if ingest_wire.is_wire(item.parsed)]
    items = [item for item in items if not ingest_wire.is_wire(item.parsed)]
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


def _found_by_text(items: list[_Item], existing: dict, resolver: Resolver) -> dict[tuple[str, str], Article]:
    """The articles corrected by stories without an identity of their own that their file's name and
    headline did not find (a changed headline or lede): by outlet, dateline, date and text."""
    claimed = {existing[_key(item)].pk for item in items if _key(item) in existing}
    stories = [
        ingest_match.Story(_key(item), item.parsed, _file_name(item.source_file))
        for item in items
        if _key(item) not in existing
        and not _is_record(item.source_file)
        and not ingest_wire.is_wire(item.parsed)
    ]
    if not stories:  # records and identified wire items: never looked for by text
        return {}
    return ingest_match.corrected(stories, existing.values(), claimed, resolver, _is_record)


def _article(
    article: Article, item: _Item, resolver: Resolver, keep: frozenset[str] = frozenset()
) -> Article:
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
        "byline": (parsed.byline or "")[:300],
        "editor": (parsed.editor or "")[:300],
        "language": parsed.language,
        "translated_from": parsed.translated_from or ("und" if parsed.translated else ""),
        "source_url": item.source_url[:500],
        "licence": item.licence[:300],
        "rights": parsed.rights[:500],
        **ingest_wire.wire_fields(parsed),
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


def _country(article: Article, parsed: ParsedArticle) -> str:
    """The country the article is about when its dateline's place gives none (the Country facet
    takes the place's first): a country the dateline names without a city, else the one its text
    is about (:func:`~articles.parsing.about.country_about`), else ""."""
    if article.place and article.place.country:
        return ""
    return (parsed.country or country_about(parsed.headline, parsed.body) or "")[:100]


def _attach(articles: list[Article], items: list[_Item], resolver: Resolver) -> None:
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


def _unchanged(items: list[_Item], existing: dict, resolver: Resolver) -> set[int]:
    """The items (by ``id``) whose update would change nothing of their article: a raw copy's
    stories share their file's hash, so a file corrected in one story gives the others again as
    they were. Compared: each field the copy gives (those an editor changed stay the editor's),
    captions and topics; not where the copy came from. Such a story gets no version and no History."""
    pairs = [
        (existing[_key(item)], item)
        for item in items
        if ingest_wire.decide(item.parsed, existing.get(_key(item))) == "update"
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
        ingest_wire.released(probe, article.wire_status, item.parsed, keep)
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


def _update(updates: list[tuple[Article, _Item]], resolver: Resolver, user=None) -> None:
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
            ingest_wire.released(article, was, item.parsed, keep)
            article.save()
            if "topics" not in keep:
                article.topics.set([resolver.topic(name) for name in item.parsed.topics])
            article.captions.all().delete()
            Caption.objects.bulk_create(
                Caption(article=article, text=c.text, credit=c.credit, position=n)
                for n, c in enumerate(item.parsed.captions)
            )


def _describe(parsed: ParsedArticle, status: str, article: Article | None, full: bool) -> dict:
    """One article of the JSON report (the contract's names, plus status, id and url)."""
    saved = {
        "status": status,
        "id": article.pk if article else None,
        "url": article.get_absolute_url() if article and article.pk else None,
    }
    if not full:
        return {"headline": parsed.headline, **saved}
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
        **ingest_wire.describe(parsed),
        **saved,
    }
