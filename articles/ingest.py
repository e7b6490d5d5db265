"""Ingest raw copy into the archive: the one path ``manage.py ingest`` and the admin upload share.

The parsing is :mod:`articles.parsing` (plain Python); this module resolves outlets,
places and topics, writes each file in its own transaction, and reports per file.
Re-ingesting a file changes nothing (content hash); a corrected copy of an article
updates it and keeps the previous text as an earlier version, and what editors decided stays
(see :func:`_update`).

Two kinds of file:
- raw copy (``.txt`` and any other text): one or more stories, parsed by ``parse_copy``;
- ``.jsonl`` / ``.jsonl.gz`` records in the corpus format (title, body, published, outlet,
  url, categories, dateline), for bulk loads: each record is one article (read and checked by
  :mod:`articles.records`), committed in batches that a stopped load resumes after
  (:mod:`articles.ingest_batches`).
A folder gives only its files of those types (:func:`expand_paths`); a file named is read as given.
"""

from __future__ import annotations

import errno
import glob
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles import editorial
from articles.jobs.progress import Progress
from articles.models import (
    Article,
    ArticleChange,
    ArticleVersion,
    Caption,
    Outlet,
    Place,
    Topic,
    content_hash,
)
from articles.parsing import CopyError, ParsedArticle, parse_copy, read_copy
from articles.parsing.gazetteer import key as place_key
from articles.parsing.topics import vocabulary_of
from articles.records import RecordError
from articles.search.indexing import BulkIndexer, bulk_index
from articles.stories.assign import assign_created

MAX_COPY_BYTES = 5 * 1024 * 1024  # one raw copy file
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz")
COPY_SUFFIXES = (".txt", ".text")  # the raw copy a folder gives (a file named is read as given)
BATCH = 1000
# The History action of an update by a corrected copy; its changes are ingest's, not an editor's.
CORRECTED_COPY = "corrected copy"
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
log = logging.getLogger(__name__)


class IngestError(ValueError):
    """A file that cannot be ingested, with a reason a person can act on."""


@dataclass
class FileReport:
    path: str
    ok: bool = True
    error: str | None = None
    articles: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # records with nothing in them
    resumed_after: int = 0  # lines of a records file an earlier, stopped load committed

    def as_dict(self) -> dict:
        return {
            "path": self.path,
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
    files under folders left out: hidden ones and those neither raw copy (``COPY_SUFFIXES``) nor
    records (a README.md, a .json fixture beside the copy)."""
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
                wanted = inner.name.lower().endswith(COPY_SUFFIXES + RECORD_SUFFIXES)
                if wanted and not any(part.startswith(".") for part in relative):
                    found[inner] = None
                else:
                    left_out.append(inner)
    return list(found), [path for path in left_out if path not in found]


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
    resolver = _Resolver(describe)
    report = IngestReport()
    for path in paths:
        report.files.append(_ingest_file(path, resolver, dry_run, progress))
    return report


def ingest_upload(name: str, data: bytes, *, dry_run: bool = False, user=None) -> FileReport:
    """Ingest one uploaded raw copy file (the ``ingest_upload`` job of the admin's upload page);
    ``user`` is the uploading editor, recorded in the History of the articles a corrected copy updates."""
    resolver = _Resolver(describe=True)

    def load() -> list[_Item]:
        return _copy_items(read_copy(data, max_bytes=MAX_COPY_BYTES), name, resolver)

    return _ingest_one(FileReport(path=name), load, resolver, dry_run, user=user)


def _ingest_file(path: Path, resolver: _Resolver, dry_run: bool, progress: Progress | None) -> FileReport:
    if _is_records(path.name):
        from articles.ingest_batches import ingest_records  # it builds on this module

        return ingest_records(path, resolver, dry_run, progress)

    def load() -> Iterable[_Item]:
        return _copy_items(read_copy(_read_bytes(path), max_bytes=MAX_COPY_BYTES), str(path), resolver)

    result = _ingest_one(FileReport(path=str(path)), load, resolver, dry_run)
    if progress:
        progress.advance()
    return result


def _ingest_one(
    result: FileReport,
    load: Callable[[], Iterable[_Item]],
    resolver: _Resolver,
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


def _copy_items(text: str, source: str, resolver: _Resolver) -> list[_Item]:
    parsed = parse_copy(
        text,
        today=timezone.now().date(),
        topic_vocabulary=resolver.vocabulary,
        outlet_aliases=resolver.outlet_aliases,
    )
    digest = content_hash(text)
    return [_Item(article, text, digest, source) for article in parsed]


class _Resolver:
    """Outlets, places and topics by name, created on first sight, cached for the run.

    An outlet is found by its name or an alias, a topic by its name, and either by its slug too:
    one an editor renamed keeps its slug. A place is found with case and accents folded, so
    "ZÜRICH" copy finds the "Zurich" an editor merged "Zürich" into.
    """

    def __init__(self, describe: bool) -> None:
        self.describe = describe  # full article text in the report, or headlines only
        self.outlets: dict[str, Outlet] = {}
        self.outlet_aliases: dict[str, list[str]] = {}
        for outlet in Outlet.objects.all():
            names = [outlet.name, *(a.strip() for a in outlet.aliases.splitlines() if a.strip())]
            self.outlet_aliases[outlet.name] = names[1:]
            for name in names:
                self.outlets.setdefault(name.casefold(), outlet)
        self.places: dict[tuple[str, str], Place] = {}
        for place in Place.objects.all():
            self.places.setdefault(self._place_key(place.city, place.country), place)
        self.topics = {t.name.casefold(): t for t in Topic.objects.all()}
        self.vocabulary = vocabulary_of(
            {t.name: [k.strip() for k in t.keywords.splitlines() if k.strip()] for t in self.topics.values()}
        )

    def outlet(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        key = name.casefold()
        if key not in self.outlets:
            self.outlets[key] = _by_slug(Outlet, name) or _get_or_create(Outlet, name)
        return self.outlets[key]

    @staticmethod
    def _place_key(city: str, country: str | None) -> tuple[str, str]:
        return place_key(city), place_key(country or "")

    def place(self, city: str | None, country: str | None) -> Place | None:
        if not city:
            return None
        key = self._place_key(city, country)
        if key not in self.places:
            self.places[key] = Place.objects.get_or_create(city=city, country=country or "")[0]
        return self.places[key]

    def add_places(self, articles: Iterable[ParsedArticle]) -> None:
        """Create the places of these articles not seen yet, in one statement.

        (A new place has no articles yet: there is nothing for ``Place``'s save signal to re-index.)
        """
        new: dict[tuple[str, str], Place] = {}
        for parsed in articles:
            if parsed.place:
                key = self._place_key(parsed.place, parsed.country)
                if key not in self.places and key not in new:
                    new[key] = Place(city=parsed.place, country=parsed.country or "")
        # Another ingest may be creating the same place: its row is taken, not a second one.
        Place.objects.bulk_create(new.values(), ignore_conflicts=True)
        created = Place.objects.filter(city__in={place.city for place in new.values()})
        by_name = {(place.city, place.country): place for place in created}
        self.places.update((key, by_name[place.city, place.country]) for key, place in new.items())

    def topic(self, name: str) -> Topic:
        key = name.casefold()
        if key not in self.topics:
            self.topics[key] = _by_slug(Topic, name) or _get_or_create(Topic, name)
        return self.topics[key]

    def forget_created(self) -> None:
        """After a rollback: drop cached rows that no longer exist."""
        self.outlets = {k: v for k, v in self.outlets.items() if Outlet.objects.filter(pk=v.pk).exists()}
        self.places = {k: v for k, v in self.places.items() if Place.objects.filter(pk=v.pk).exists()}
        self.topics = {k: v for k, v in self.topics.items() if Topic.objects.filter(pk=v.pk).exists()}


def _get_or_create(model: type[Outlet] | type[Topic], name: str) -> Outlet | Topic:
    """The outlet or topic of this name (any case), created when there is none. Another ingest
    creating the same one meanwhile (PostgreSQL) is waited for, and its row taken."""
    name = name[: model._meta.get_field("name").max_length]
    return model.objects.get_or_create(name__iexact=name, defaults={"name": name})[0]


def _by_slug(model: type[Outlet] | type[Topic], name: str) -> Outlet | Topic | None:
    """The outlet or topic with this name's slug: one an editor renamed (its slug stays)."""
    slug = slugify(name)
    return model.objects.filter(slug=slug).first() if slug else None


def _write(items: Iterable[_Item], result: FileReport, resolver: _Resolver, dry_run: bool, user=None):
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


def _rolled_back(result: FileReport, resolver: _Resolver) -> None:
    """After a dry run: nothing was kept, so the resolver forgets what it created and the report's
    articles have no ids and no pages."""
    resolver.forget_created()
    for described in result.articles:
        described["id"] = described["url"] = None


def _write_batch(
    items: list[_Item], result: FileReport, resolver: _Resolver, indexer: BulkIndexer, written: set[str], user
) -> None:
    """Each item is unchanged (its raw copy was ingested before), an update, or new.

    ``written`` holds the hashes earlier batches of this file wrote: those are not "ingested before".
    """
    digests = {item.digest for item in items}
    known = set(Article.objects.filter(content_hash__in=digests).values_list("content_hash", flat=True))
    known -= written
    written |= digests - known
    to_write = [item for item in items if item.digest not in known]
    existing = _existing_articles(to_write)
    resolver.add_places(item.parsed for item in to_write)
    new_articles, new_items, updates = [], [], []
    for item in items:
        if item.digest in known:
            result.unchanged += 1
            result.articles.append(_describe(item.parsed, "unchanged", None, resolver.describe))
            continue
        match = existing.get(_identity(item.source_file, item.parsed.headline))
        if match is not None:
            updates.append((match, item))
            result.updated += 1
            result.articles.append(_describe(item.parsed, "updated", match, resolver.describe))
        else:
            new_articles.append(_article(Article(), item, resolver))
            new_items.append(item)
    _update(updates, resolver, user)
    created = Article.objects.bulk_create(new_articles)
    _attach(created, new_items, resolver)
    assign_created(created)
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


def _existing_articles(items: list[_Item]) -> dict[tuple[str, str], Article]:
    """The articles these items may update, by identity; also under headlines an editor changed."""
    records = {item.source_file for item in items if _is_record(item.source_file)}
    names = {_file_name(item.source_file) for item in items if not _is_record(item.source_file)}
    query = Q(source_file__in=records | names)
    for name in names:  # the same file ingested from a folder
        query |= Q(source_file__endswith=f"/{name}")
    found = {article.pk: article for article in Article.objects.filter(query)}
    existing = {_identity(article.source_file, article.headline): article for article in found.values()}
    retitled = ArticleChange.objects.filter(article_id__in=found, changes__has_key="headline").exclude(
        action=CORRECTED_COPY
    )
    for article_id, changes in retitled.values_list("article_id", "changes"):
        article = found[article_id]
        existing.setdefault(_identity(article.source_file, changes["headline"][0]), article)
    return existing


def _article(
    article: Article, item: _Item, resolver: _Resolver, keep: frozenset[str] = frozenset()
) -> Article:
    """Fill ``article`` from the copy: its text (summary, body) and provenance always, each other field
    the copy gives unless it is in ``keep`` (topics are set apart). Status and slug are left alone: a
    new article is published under its headline's slug."""
    parsed = item.parsed
    facts = {
        "headline": parsed.headline[:300],
        "published": parsed.published,
        "byline": (parsed.byline or "")[:300],
        "editor": (parsed.editor or "")[:300],
        "language": parsed.language,
        "translated_from": parsed.translated_from or ("und" if parsed.translated else ""),
        "source_url": item.source_url[:500],
        "licence": item.licence[:300],
    }
    for name, value in facts.items():
        if name not in keep:
            setattr(article, name, value)
    if "outlet" not in keep:
        article.outlet = resolver.outlet(parsed.outlet)
    if "place" not in keep:
        article.place = resolver.place(parsed.place, parsed.country)
    article.summary = parsed.summary
    article.body = parsed.body
    article.source_file = item.source_file[:500]
    article.raw_text = item.raw_text
    article.content_hash = item.digest
    article.slug = article.slug or Article.slug_for(article.headline)
    return article


def _attach(articles: list[Article], items: list[_Item], resolver: _Resolver) -> None:
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


def _update(updates: list[tuple[Article, _Item]], resolver: _Resolver, user=None) -> None:
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
    edited: dict[int, set[str]] = {pk: set() for pk in ids}
    changes = ArticleChange.objects.filter(article_id__in=ids).exclude(action=CORRECTED_COPY)
    for article_id, fields in changes.values_list("article_id", "changes"):
        edited[article_id].update(fields)
    with editorial.tracked(ids, user, CORRECTED_COPY):
        for article, item in updates:
            keep = frozenset(edited[article.pk])
            ArticleVersion.objects.create(
                article=article,
                headline=article.headline,
                body=article.body,
                note=f"Replaced by a corrected copy ({timezone.now():%Y-%m-%d %H:%M} UTC)",
            )
            _article(article, item, resolver, keep).save()
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
        **saved,
    }
