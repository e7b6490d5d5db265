"""Reading files into articles to write: raw copy, the wire formats, and records files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils import timezone

from articles.jobs.progress import Progress
from articles.models import content_hash
from articles.parsing import CopyError, parse_copy, read_copy
from articles.parsing.formats import read_wire

from . import wire
from .batches import ingest_records
from .paths import MAX_COPY_BYTES, is_records, read_bytes
from .reports import FileReport, IngestReport, Item, fail, failure
from .resolver import Resolver
from .writing import write_file


def ingest_paths(
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    describe: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every file; a bad file is reported and skipped, the good ones are still written.

    ``describe=False`` keeps only counts in the report (a bulk load then holds nothing per
    article in memory). ``progress`` advances by one for each raw copy file and
    each record (see :func:`articles.ingest.batches.planned`).
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

    def load() -> list[Item]:
        items = _file_items(data, name, resolver, result)
        if outlet:
            for item in items:
                item.parsed.outlet = outlet
        return items

    return _ingest_one(result, load, resolver, dry_run, user=user)


def _ingest_file(path: Path, resolver: Resolver, dry_run: bool, progress: Progress | None) -> FileReport:
    if is_records(path.name):
        return ingest_records(path, resolver, dry_run, progress)

    result = FileReport(path=str(path))

    def load() -> list[Item]:
        return _file_items(read_bytes(path), str(path), resolver, result)

    _ingest_one(result, load, resolver, dry_run)
    if progress:
        progress.advance()
    return result


def _ingest_one(
    result: FileReport,
    load: Callable[[], Iterable[Item]],
    resolver: Resolver,
    dry_run: bool,
    user=None,
) -> FileReport:
    """Read, parse and write one file; any failure is reported and leaves nothing behind."""
    try:
        write_file(load(), result, resolver, dry_run, user)
    except Exception as error:
        fail(result, failure(result.path, error))
    return result


def _file_items(data: bytes, source: str, resolver: Resolver, result: FileReport) -> list[Item]:
    """A file's articles: its wire format's items (the file's format noted in its report), else its
    raw copy's stories."""
    if len(data) > MAX_COPY_BYTES:
        raise CopyError(f"file too large: {len(data):,} bytes (limit {MAX_COPY_BYTES:,})")
    document = read_wire(data, source)
    if document is None:
        result.format = "text"
        return _copy_items(read_copy(data, max_bytes=MAX_COPY_BYTES), source, resolver)
    result.format = document.format
    return [Item(article, raw, content_hash(raw), source) for article, raw in wire.articles_of(document)]


def _copy_items(text: str, source: str, resolver: Resolver) -> list[Item]:
    parsed = parse_copy(
        text,
        today=timezone.now().date(),
        topic_vocabulary=resolver.vocabulary,
        outlet_aliases=resolver.outlet_aliases,
    )
    digest = content_hash(text)
    return [Item(article, text, digest, source) for article in parsed]
