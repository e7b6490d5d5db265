"""Records files (``.jsonl``, ``.jsonl.gz``) written in batches that each commit, and resumed.

A bulk load is not one transaction: every ``COMMIT_EVERY`` records commit together with the
file's checkpoint (:class:`~articles.models.IngestCheckpoint`: the lines done), and the batch's
search documents are committed after the database (:func:`bulk_index`), while the next batch
works on the database (:func:`pipelined`), so database, search index and checkpoint agree after
every batch (the index a moment later; its queued tasks cover that moment). A load stopped any
way (Ctrl-C, SIGTERM, ``kill -9``, a crash) keeps the batches it committed; the same file
ingested again resumes after its checkpoint. The end of the file deletes the checkpoint: a later
ingest of it reads it whole (and finds every record unchanged).

A bad record (line N) fails its file there: the batches before it stay committed, and so does the
checkpoint; the report names line N and the lines committed. Ingested again as it is, the file
resumes and fails at line N again; corrected (another size or beginning: another file), it is
read whole, and the records committed before come out unchanged.

A dry run writes the batches in one transaction that is rolled back, and neither reads nor
writes checkpoints.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from articles.jobs.progress import Progress
from articles.models import Article, IngestCheckpoint, Outlet, Topic, content_hash
from articles.parsing import ParsedArticle, parse_dateline
from articles.parsing.gazetteer import country_of_city
from articles.parsing.outlets import normalise_outlet
from articles.parsing.text import headline_from_text
from articles.records import MAX_RECORDS_BYTES, Limits, Record, RecordError, read_records
from articles.search.indexing import Pipeline, bulk_index, pipelined
from articles.stories.assign import save_once

from .paths import is_records
from .reports import FileReport, Item, failure
from .resolver import Resolver
from .writing import BATCH, rolled_back, write_batch

COMMIT_EVERY = 1000  # records committed together (written ``BATCH`` at a time)
HEAD_BYTES = 64 * 1024  # the beginning of a file hashed to tell files of the same name apart
# A record's values longer than their columns are refused (its file fails), never cut.
_RECORD_LIMITS = Limits(
    title=Article._meta.get_field("headline").max_length,
    outlet=Outlet._meta.get_field("name").max_length,
    topic=Topic._meta.get_field("name").max_length,
    url=Article._meta.get_field("source_url").max_length,
    licence=Article._meta.get_field("licence").max_length,
)


@dataclass(frozen=True)
class FileIdentity:
    """A records file as its checkpoint knows it: its name (as its articles' ``source_file``),
    its size and a hash of its beginning."""

    name: str
    size: int
    head_hash: str

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        try:
            with path.open("rb") as file:
                head = hashlib.sha256(file.read(HEAD_BYTES)).hexdigest()
            return cls(path.name, path.stat().st_size, head)
        except FileNotFoundError as error:
            raise RecordError("no such file") from error
        except OSError as error:
            raise RecordError(f"unreadable: {error}") from error

    def committed(self) -> int:
        """The lines of this file an earlier load committed: 0 when none did (or the checkpoint of
        this name is another file's)."""
        found = IngestCheckpoint.objects.filter(file_name=self.name).first()
        if found is None or (found.size, found.head_hash) != (self.size, self.head_hash):
            return 0
        return found.lines

    def checkpoint(self, lines: int) -> None:
        """Record ``lines`` as committed (in the transaction that commits them)."""
        IngestCheckpoint.objects.update_or_create(
            file_name=self.name, defaults={"size": self.size, "head_hash": self.head_hash, "lines": lines}
        )

    def finished(self) -> None:
        IngestCheckpoint.objects.filter(file_name=self.name).delete()


@dataclass
class Plan:
    """The work of an ingest: what its progress counts, and the files it resumes."""

    total: int = 0  # records not yet committed, and one for each raw copy file
    resuming: list[tuple[Path, int]] = field(default_factory=list)  # (file, lines committed)


def planned(paths: Iterable[Path], resume: bool = True) -> Plan:
    """Count the work of ingesting ``paths`` (``resume=False``: as if no load had been stopped).

    The records (non-blank lines) are counted by reading their files' lines, which is quick next to
    loading them (a second for hundreds of MB): a progress with this total gives a true time left.
    A file that cannot be read counts as nothing here; its ingest reports why.
    """
    plan = Plan()
    for path in paths:
        if not is_records(path.name):
            plan.total += 1
            continue
        try:
            after = FileIdentity.of(path).committed() if resume else 0
            plan.total += _count_records(path, after)
        except (RecordError, OSError, EOFError, zlib.error):
            continue
        if after:
            plan.resuming.append((path, after))
    return plan


def _count_records(path: Path, after: int) -> int:
    if path.stat().st_size > MAX_RECORDS_BYTES:
        return 0  # refused at once
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as lines:
        return sum(1 for number, line in enumerate(lines, start=1) if number > after and line.strip())


def stopped_files(paths: Iterable[Path]) -> list[tuple[Path, int]]:
    """The records files among ``paths`` with lines committed by a load that did not finish."""
    stopped = []
    for path in paths:
        if is_records(path.name):
            try:
                if lines := FileIdentity.of(path).committed():
                    stopped.append((path, lines))
            except RecordError:
                continue
    return stopped


def ingest_records(
    path: Path, resolver: Resolver, dry_run: bool = False, progress: Progress | None = None
) -> FileReport:
    """Ingest one records file batch by batch (see the module's docstring)."""
    load = _RecordsLoad(path, resolver, progress)
    try:
        if dry_run:
            with transaction.atomic():
                load.run(dry_run=True)
                transaction.set_rollback(True)
        else:
            load.run(dry_run=False)
    except Exception as error:
        resolver.forget_created()
        load.fail(failure(load.result.path, error), dry_run)
    except BaseException:
        resolver.forget_created()
        raise
    if dry_run:
        rolled_back(load.result, resolver)
    return load.result


@dataclass
class _Batch:
    """Records read from a file and not written yet."""

    items: list[Item] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # records with nothing in them
    records: int = 0  # read, skipped ones included
    last_line: int = 0  # the line of the last record


class _RecordsLoad:
    def __init__(self, path: Path, resolver: Resolver, progress: Progress | None) -> None:
        self.path, self.resolver, self.progress = path, resolver, progress
        self.result = FileReport(path=str(path), format="jsonl")
        self.committed = 0  # lines of the file committed, by this load or an earlier one

    def run(self, dry_run: bool) -> None:
        identity = FileIdentity.of(self.path)
        self.committed = self.result.resumed_after = 0 if dry_run else identity.committed()
        written: set[str] = set()  # content hashes this load wrote (see write_batch)
        with contextlib.ExitStack() as once_a_file:
            if not dry_run:  # the story index saved once
                once_a_file.enter_context(save_once())
            pipeline = once_a_file.enter_context(pipelined())
            for batch in _batches(self.path, after=self.committed):
                self._write(batch, identity, written, dry_run, pipeline)
        if not dry_run:
            identity.finished()

    def _write(
        self, batch: _Batch, identity: FileIdentity, written: set[str], dry_run: bool, pipeline: Pipeline
    ) -> None:
        """Write and commit one batch, with the file's checkpoint, then its search documents."""
        part = FileReport(path=self.result.path, skipped=batch.skipped)
        with bulk_index(write=not dry_run, expected=len(batch.items), pipeline=pipeline) as indexer:
            with transaction.atomic():
                for start in range(0, len(batch.items), BATCH):
                    chunk = batch.items[start : start + BATCH]
                    write_batch(chunk, part, self.resolver, indexer, written, None)
                if not dry_run:
                    identity.checkpoint(batch.last_line)
            self.committed = batch.last_line
            _add(self.result, part)
        # (the batch's index commit starts here, as bulk_index ends; the pipeline ends it)
        if self.progress:
            self.progress.advance(batch.records)

    def fail(self, error: Exception, dry_run: bool) -> None:
        """Report the file as failed; what earlier batches committed stays counted."""
        result = self.result
        result.ok, result.error = False, str(error)
        if dry_run:
            result.articles, result.created, result.updated, result.unchanged = [], 0, 0, 0
        elif self.committed:
            result.error += (
                f" (its first {self.committed:,} lines are committed: "
                "ingesting the file again goes on after them)"
            )


def _add(result: FileReport, part: FileReport) -> None:
    """Add a committed batch's report to its file's."""
    result.articles += part.articles
    result.skipped += part.skipped
    result.created += part.created
    result.updated += part.updated
    result.unchanged += part.unchanged


def _batches(path: Path, after: int) -> Iterator[_Batch]:
    """The file's records after line ``after``, ``COMMIT_EVERY`` at a time, as articles to write; a
    bad record raises :class:`RecordError` (its batch is not written)."""
    batch = _Batch()
    for record in read_records(path, _RECORD_LIMITS, timezone.now().date(), after=after):
        if record.empty:
            batch.skipped.append(f"line {record.number}: a record with neither title nor body")
        else:
            batch.items.append(_record_item(record, path))
        batch.records += 1
        batch.last_line = record.number
        if batch.records >= COMMIT_EVERY:
            yield batch
            batch = _Batch()
    if batch.records:
        yield batch


def _record_item(record: Record, path: Path) -> Item:
    """One record as an article: its dateline read for place (and outlet, when it names none)."""
    dateline = None
    if record.dateline:
        dateline = parse_dateline(record.dateline, year_hint=record.published and record.published.year)
    place = dateline.place if dateline else None
    outlet = record.outlet or (dateline.outlet if dateline else None)
    parsed = ParsedArticle(
        # A record without a title gets one supplied from its first sentence, as raw copy does.
        headline=record.title or headline_from_text(record.body.split("\n", 1)[0]),
        headline_supplied=not record.title,
        outlet=normalise_outlet(outlet) if outlet else None,
        place=place,
        country=(dateline.country or country_of_city(place)) if place else None,
        published=record.published,
        published_at=record.published_at,
        topics=record.categories,
        body=record.body,
    )
    return Item(
        parsed,
        raw_text=record.line,
        digest=content_hash(record.line),
        source_file=f"{path.name}#{record.identifier or record.number}",
        source_url=record.url,
        licence=record.licence,
    )
