"""Keep the search index in step with the database: a queue in the database, one writer at a time.

Everything that changes articles (model signals, bulk actions, merges, fixture loads, ingest)
calls :func:`schedule_sync` with the affected article ids. That writes one :class:`IndexTask`
row per id *in the same transaction as the change*, and asks for :func:`apply_pending` once
the transaction commits. So a change that commits is always queued, one that rolls back never.

:func:`apply_pending` is run by whoever gets the index's writer: it reads the pending tasks
(newest first), syncs their articles (published ones are (re)indexed from their current state,
anything else, deleted or never committed, is removed), commits the index and only then deletes
the tasks it applied. When another process holds the writer (a rebuild, an ingest, another web
worker) it returns at once instead of waiting: the holder runs :func:`apply_pending` again after
releasing the writer, and sees every task committed before its own attempt. A sync reads the
current state, so applying a task twice, late, or out of order is harmless.

A web request works :func:`bounded`: after its commits it applies its own changes (the articles it
changed, when they are at most ``REQUEST_BATCH``), with one process, and leaves everything else
to the ``apply_index`` job (:mod:`articles.jobs.index_queue`), which it queues: a rename of an
outlet with 17,000 articles is saved at once, and reaches search in the background.

Bulk ingest uses :func:`bulk_index`: its documents are written while the database transaction
runs and committed to the index right after the database commits. A records file's batches run
inside :func:`pipelined`: each batch's index commit finishes while the next batch works on the
database. Many small transactions in a row (an upload's files) run inside :func:`apply_once`: one
apply at its end, not one each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sized
from contextvars import ContextVar

from django.db import transaction
from django.db.models import prefetch_related_objects
from haystack import connections

from articles.models import Article, IndexTask

logger = logging.getLogger(__name__)

# Tasks applied per index commit, and per DELETE statement.
APPLY_CHUNK = 5000
DELETE_CHUNK = 500
# Articles a web request applies after its commits, at most (its own): 0.5-1 s for 100 articles in
# the index of the 21,578 Reuters articles (BENCHMARKS.md), far from a web worker's timeout. More
# (a rename, an upload) are left to the apply_index job.
REQUEST_BATCH = 100


@dataclasses.dataclass
class Budget:
    """What a :func:`bounded` block may still apply, and how many articles it left queued."""

    left: int
    queued: int = 0
    failed: str = ""  # why the index could not be written, when it could not
    own: set[int] = dataclasses.field(default_factory=set)  # articles changed, not yet applied


_budget: ContextVar[Budget | None] = ContextVar("index_budget", default=None)
_apply_later: ContextVar[bool] = ContextVar("apply_later", default=False)  # inside apply_once()


@contextlib.contextmanager
def bounded(limit: int | None = None) -> Iterator[Budget]:
    """Bound the index work of this block (a web request): after each commit it applies the
    changes of the articles it changed itself, when they are at most ``limit`` (default
    ``REQUEST_BATCH``) in all, and starts no index writer processes (a bulk load only queues).
    Anything left queued goes to the ``apply_index`` job; the budget says how many articles wait."""
    budget = Budget(left=REQUEST_BATCH if limit is None else limit)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def merge_segments(using: str = "default", on_merged: Callable[[int], None] | None = None) -> int:
    """Merge the index's segments as its backend's policy asks, each merge written beside the index
    (editors' changes do not wait for it); returns how many merges were made. Commits merge only
    tiny segments: this is the rest, run by the ``merge_index`` job (which loads, jobs and commands
    queue) and by ``apply_index_queue``."""
    backend = connections[using].get_backend()
    return backend.merge_segments(on_merged=on_merged) if hasattr(backend, "merge_segments") else 0


def merge_in_background(using: str = "default") -> None:
    """Queue the ``merge_index`` job when the index has segments to merge (after the commits of a
    load, a job or a command; a web request's own commits add tiny segments, merged as they come
    by :func:`~articles.search.whoosh.writing.merge_small`, and a job row written during a load
    would wait for the load's transaction on SQLite)."""
    backend = connections[using].get_backend()
    if hasattr(backend, "needs_merge") and backend.needs_merge():
        from articles.jobs.merge_index import ensure_queued  # jobs build on this module

        ensure_queued()


def schedule_sync(article_ids: Iterable[int], using: str = "default") -> None:
    """Queue these articles for the index in the current transaction; apply them after it commits."""
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    if not ids:
        return
    IndexTask.objects.using(using).bulk_create([IndexTask(article_id=pk) for pk in ids], batch_size=1000)
    _note_own(ids)
    apply_on_commit(using)


def _note_own(ids: Iterable[int]) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.own.update(ids)


def apply_on_commit(using: str = "default") -> None:
    """Apply the queue once the current transaction commits, before the on-commit work registered
    after this call (at once outside a transaction)."""
    # One apply per transaction is enough (it applies everything pending); the connection's
    # callback list is per savepoint, so a rolled-back savepoint cannot swallow the request.
    # Robust: the change has committed and its tasks stay queued, so an index error is logged
    # (and the next apply retries) rather than failing a request whose change was saved.
    if _apply_later.get():
        return  # the enclosing apply_once() applies at its end
    callbacks = transaction.get_connection(using).run_on_commit
    if not any(callback is _apply_committed for _, callback, _ in callbacks):
        transaction.on_commit(_apply_committed, using=using, robust=True)


def _apply_committed() -> None:
    budget = _budget.get()
    if budget is None:
        apply_pending()
        return
    own, budget.own = budget.own, set()
    try:
        if own and len(own) <= budget.left and apply_articles(own):
            budget.left -= len(own)
    except Exception as error:  # the change is saved and stays queued: say so, do not fail it
        logger.exception("The search index could not be written; the changes stay queued.")
        budget.failed = index_error(error)
    budget.queued = IndexTask.objects.values("article_id").distinct().count()
    if budget.queued:
        from articles.jobs.index_queue import ensure_queued  # jobs build on this module

        ensure_queued()


def index_error(error: BaseException) -> str:
    """A reader's line for why the index could not be written ("No space left on device")."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror + (f": {error.filename}" if error.filename else "")
    return str(error) or type(error).__name__


@contextlib.contextmanager
def apply_once(using: str = "default") -> Iterator[None]:
    """Apply the tasks the block's transactions queue once, at its end, instead of after each.

    The index commit, not the documents, is most of what indexing a small transaction costs
    (about 0.4 s for a file of raw copy): an upload of 20 files commits the index once. Searches
    show the block's changes when it ends; a process that dies inside leaves them queued, like
    any committed change (the next apply, or ``check_index --fix``, applies them).
    """
    token = _apply_later.set(True)
    try:
        yield
    finally:
        _apply_later.reset(token)
        apply_on_commit(using)  # outside a transaction: at once (index errors logged, not raised)


def apply_pending(
    wait: bool = False, limit: int | None = None, on_applied: Callable[[int], None] | None = None
) -> int:
    """Apply pending tasks, newest first, in commits of ``APPLY_CHUNK`` (the first of
    ``REQUEST_BATCH``); return how many were applied.

    ``limit``: at most that many (the rest stay queued); ``None``: all, including those queued
    meanwhile. ``wait=False`` returns as soon as another process holds the index writer (it will
    apply our tasks after it); ``wait=True`` waits for it (up to the backend's lock timeout).
    ``on_applied`` is told how many were applied after each commit (a job's progress).
    """
    applied = 0
    while limit is None or applied < limit:
        # The newest few first, in a commit of their own: an editor's change, queued behind a bulk
        # load's thousands, is searchable in a moment, not after them.
        chunk = REQUEST_BATCH if applied == 0 else APPLY_CHUNK
        size = chunk if limit is None else min(chunk, limit - applied)
        tasks = list(IndexTask.objects.order_by("-pk").values_list("pk", "article_id")[:size])
        if not tasks or not sync_articles({article_id for _, article_id in tasks}, wait=wait):
            break
        _delete_tasks([pk for pk, _ in tasks])
        applied += len(tasks)
        if on_applied:
            on_applied(len(tasks))
    if applied:
        merge_in_background()
    return applied


def apply_articles(article_ids: Iterable[int]) -> bool:
    """Apply the queued changes of these articles only, unless the index writer is busy (False)."""
    ids = set(article_ids)
    task_ids = list(IndexTask.objects.filter(article_id__in=ids).values_list("pk", flat=True))
    if not sync_articles(ids, wait=False):
        return False
    _delete_tasks(task_ids)
    return True


def _delete_tasks(task_ids: list[int]) -> None:
    for start in range(0, len(task_ids), DELETE_CHUNK):
        IndexTask.objects.filter(pk__in=task_ids[start : start + DELETE_CHUNK]).delete()


def sync_articles(article_ids: Iterable[int], wait: bool = True) -> bool:
    """Make the index agree with the database for these article ids, in one index commit.

    Returns False (and changes nothing) when ``wait`` is False and the index writer is busy.
    Within :func:`bounded`, so is the index work (one process, small merges).
    """
    ids = sorted(set(article_ids))
    limited = _budget.get() is not None
    for alias in connections.connections_info:
        backend = connections[alias].get_backend()
        index = connections[alias].get_unified_index().get_index(Article)
        published = _Published(index.index_queryset(using=alias), ids)
        if hasattr(backend, "sync"):
            if not backend.sync(index, published, published.unpublished(), wait=wait, bounded=limited):
                return False
        else:  # another haystack backend: plain update and remove
            backend.update(index, published)
            for identifier in published.unpublished():
                backend.remove(identifier)
    return True


def rebuild(using: str = "default") -> int:
    """Index every published article afresh (beside the live index), then apply what was queued meanwhile."""
    backend = connections[using].get_backend()
    index = connections[using].get_unified_index().get_index(Article)
    queryset = index.index_queryset(using=using)
    count = backend.rebuild(index, queryset.iterator(chunk_size=500), expected=queryset.count())
    apply_pending(wait=True)
    return count


class _Published(Sized, Iterable):
    """The published articles among ``ids``, read in chunks so a bulk load streams.

    Its length is the number of ids (an upper bound), so a backend can plan the write;
    ``seen`` collects the ids found, so the rest can be removed from the index.
    """

    CHUNK = 500

    def __init__(self, queryset, ids: list[int]) -> None:
        self.queryset, self.ids, self.seen = queryset, ids, set()

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Article]:
        for start in range(0, len(self.ids), self.CHUNK):
            for article in self.queryset.filter(pk__in=self.ids[start : start + self.CHUNK]):
                self.seen.add(article.pk)
                yield article

    def unpublished(self) -> Iterator[str]:
        """The index identifiers of the ids not found (once iterated): deleted, draft, retracted..."""
        for pk in sorted(set(self.ids) - self.seen):
            yield f"articles.article.{pk}"


class BulkIndexer:
    """Index newly created articles while their transaction runs; commit the index after the database.

    Each :meth:`add` queues the articles (like :func:`schedule_sync`) and, for a bulk load with
    the index writer free, hands their documents to the writer at once, so the index work
    overlaps the database work. The writer commits only after the database transaction
    committed (and is cancelled when it rolled back): readers never see an article before the
    database has it. The queued tasks are deleted once the index commit succeeded; if it
    failed (or the writer was busy) they are applied later like any other. Within
    :func:`bounded` (a web request) it only queues: no writer processes there.
    """

    # Below this many articles in the first batch, the queue alone is quicker.
    THRESHOLD = 500

    def __init__(
        self, using: str = "default", write: bool = True, expected: int = 0, pipeline: Pipeline | None = None
    ) -> None:
        self.using, self.write, self.pipeline = using, write, pipeline
        self.backend = connections[using].get_backend()
        self.index = connections[using].get_unified_index().get_index(Article)
        self.writer = None
        self.task_ids: list[int] = []
        self.added: list[int] = []  # the articles whose documents went to the writer
        if self._bulk(expected) and hasattr(self.backend, "bulk_writer") and not (pipeline and pipeline.busy):
            # Before the transaction: waiting here for another writer (a moment's) holds no
            # database lock, where waiting inside it would hold editors' saves (SQLite). (While
            # the pipeline's previous batch commits, the writer is opened at the first add.)
            self.writer = self.backend.bulk_writer(wait=True)

    def _bulk(self, count: int) -> bool:
        return self.write and _budget.get() is None and count >= self.THRESHOLD

    def add(self, articles: list[Article]) -> None:
        """Queue these just-created articles and write their documents to the open writer.

        Call it once the batch is complete (topics, captions, stories...), with the objects as
        they were saved: the documents are made from them (outlet, place and story as set on
        them; topics and captions read in one query each), so they show the batch as it commits.
        """
        if not articles:
            return
        ids = [article.pk for article in articles]
        first = not self.task_ids
        if first and self.writer is None and self._bulk(len(ids)) and hasattr(self.backend, "bulk_writer"):
            if self.pipeline:  # the previous batch's commit holds the writer until it ends
                self.pipeline.wait()
            # None when another process is writing; a load's batch waits a moment (for an editor's
            # own change, a merge put in place: neither waits for the database meanwhile).
            self.writer = self.backend.bulk_writer(wait=self.pipeline is not None)
        if self.writer is not None:
            # Tasks queued for these new articles earlier in this transaction: the documents
            # written now supersede them (no other transaction can have queued these ids).
            IndexTask.objects.using(self.using).filter(article_id__in=ids).delete()
        tasks = IndexTask.objects.using(self.using).bulk_create([IndexTask(article_id=pk) for pk in ids])
        self.task_ids += [task.pk for task in tasks]
        _note_own(ids)
        apply_on_commit(self.using)
        if self.writer is not None:
            indexed = self.index.index_queryset(using=self.using).filter(pk__in=ids).prefetch_related(None)
            included = set(indexed.values_list("pk", flat=True))
            published = [article for article in articles if article.pk in included]
            prefetch_related_objects(published, "topics", "captions")
            self.writer.add(self.index, published)
            self.added += ids

    def finish(self) -> None:
        """Commit the index when the database committed, else cancel it; then apply what is pending."""
        writer, self.writer = self.writer, None
        if writer is None:
            return
        if not self.task_ids:  # opened for a batch that created nothing (all unchanged)
            writer.cancel()
            return
        try:
            committed = self._database_committed()
        except BaseException:  # its processes must not outlive the load
            writer.cancel()
            raise
        if not committed:
            writer.cancel()
            return
        if self.pipeline:
            self.pipeline.settle()  # the earlier batches' tasks, so that only others' are queued
            try:
                self.task_ids += self._take_queued(writer)
            except BaseException:
                writer.cancel()
                raise
            self.pipeline.commit_later(writer, self.task_ids)
            return
        writer.commit()  # cancelled if it fails: the tasks stay queued
        _delete_tasks(self.task_ids)
        if not apply_pending():
            merge_in_background()

    def _take_queued(self, writer) -> list[int]:
        """Hand the open writer the other changes queued (articles of earlier batches that this one
        moved to a story, an editor's edit): the ids of the tasks it takes (at most ``APPLY_CHUNK``;
        not those of the articles it added, which stay queued). Read once the batch committed, as
        committed: an editor's change saved during the batch goes with it."""
        own, added = set(self.task_ids), set(self.added)
        tasks = [
            (pk, article_id)
            for pk, article_id in IndexTask.objects.using(self.using)
            .order_by("pk")
            .values_list("pk", "article_id")[: APPLY_CHUNK + len(own)]
            if pk not in own and article_id not in added
        ][:APPLY_CHUNK]
        if tasks:
            published = _Published(self.index.index_queryset(using=self.using), sorted({a for _, a in tasks}))
            writer.update(self.index, published, published.unpublished())
        return [pk for pk, _ in tasks]

    def _database_committed(self) -> bool:
        """Whether the transaction committed, asked of the database: an on-commit hook would not
        run when an earlier one fails or is interrupted (Ctrl-C). Its tasks exist exactly when it
        committed, since no one else can apply (and delete) them while this writer holds the lock."""
        if transaction.get_connection(self.using).in_atomic_block:
            return False  # entered inside an outer transaction, which has not committed yet
        return IndexTask.objects.using(self.using).filter(pk=self.task_ids[0]).exists()


@contextlib.contextmanager
def bulk_index(
    using: str = "default", write: bool = True, expected: int = 0, pipeline: Pipeline | None = None
) -> Iterator[BulkIndexer]:
    """``with bulk_index() as indexer, transaction.atomic(): ... indexer.add(created) ...``

    Enter it *outside* the transaction: it commits the index once the transaction has ended
    (within a :func:`pipelined` block, while the next batch runs). ``write=False`` only queues
    (e.g. for a dry run that will roll back). ``expected``: how many articles are coming; enough
    for the bulk writer, it is opened at once (see BulkIndexer).
    """
    indexer = BulkIndexer(using, write, expected, pipeline)
    try:
        yield indexer
    finally:
        indexer.finish()


class Pipeline:
    """The batches of one bulk load, each batch's index commit overlapping the next batch's work.

    A batch hands its documents to the writer processes at its end. Committing them waits for
    those processes to index them and write their segments: a third of a load's time, with the
    load idle (BENCHMARKS.md). Here the commit runs in a thread while the next batch works on the
    database; that batch waits for it when it needs the writer (at its first :meth:`BulkIndexer.add`).

    Nothing is lost meanwhile: a batch's tasks stay queued until its index commit succeeded (then
    they are deleted, outside any transaction); a process that dies leaves them to the next apply.
    The other changes queued meanwhile (an editor's edit, earlier articles a batch moved to a
    story) go to the same writer and commit with the batch. While a pipeline runs, the
    ``apply_index`` job stands aside (:func:`bulk_load_running`): it would apply again the
    batches whose tasks are not yet deleted, and hold the writer the next batch waits for.
    """

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._committing: _Commit | None = None
        self._done: list[int] = []  # tasks of batches the index committed, not yet deleted
        backend = connections[using].get_backend()
        self._running = backend.bulk_load_lock() if hasattr(backend, "bulk_load_lock") else None
        if self._running is not None and not self._running.acquire(blocking=False):
            self._running = None  # another load's: it stands for this one too

    @property
    def busy(self) -> bool:
        """Whether a batch's index commit is (or may still be) running."""
        return self._committing is not None

    def commit_later(self, writer, task_ids: list[int]) -> None:
        """Commit ``writer`` in a thread (its batch's ``task_ids`` deleted once it committed); the
        batch waited for the previous commit (:meth:`wait`) before it opened ``writer``."""
        self._committing = _Commit(writer, task_ids)

    def wait(self) -> None:
        """Wait for the running index commit; raise its error, if it failed (its tasks stay queued)."""
        committing, self._committing = self._committing, None
        if committing is not None:
            self._done += committing.result()

    def settle(self) -> None:
        """Delete the tasks of the batches committed since the last call (outside a transaction)."""
        done, self._done = self._done, []
        if done:
            _delete_tasks(done)
            merge_in_background(self.using)

    def close(self, failed: bool) -> None:
        """Wait for the last commit; then apply what others queued, unless the load ``failed``
        (its error is the one to report: a commit that failed too is only logged)."""
        try:
            self.wait()
        except Exception:
            if not failed:
                raise
            logger.exception("The search index could not be written; the load's articles stay queued.")
        finally:
            self.settle()
            if self._running is not None:
                self._running.release()
        if not failed and not apply_pending():
            merge_in_background(self.using)


class _Commit(threading.Thread):
    """A bulk writer's commit, in a thread of its own (no database work in it)."""

    def __init__(self, writer, task_ids: list[int]) -> None:
        super().__init__(name="index commit")
        self.writer, self.task_ids = writer, task_ids
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.writer.commit()  # cancelled if it fails
        except BaseException as error:
            self.error = error

    def result(self) -> list[int]:
        """The batch's tasks, once its commit ended well; else its error is raised."""
        self.join()
        if self.error is not None:
            raise self.error
        return self.task_ids


def bulk_load_running(using: str = "default") -> bool:
    """Whether a :class:`Pipeline` (a bulk load, in any process) is writing the index."""
    backend = connections[using].get_backend()
    return hasattr(backend, "bulk_load_running") and backend.bulk_load_running()


@contextlib.contextmanager
def pipelined(using: str = "default") -> Iterator[Pipeline]:
    """``with pipelined() as pipeline: ... with bulk_index(pipeline=pipeline) as indexer: ...``
    (see :class:`Pipeline`); it ends once the last batch's index commit has."""
    pipeline = Pipeline(using)
    try:
        yield pipeline
    except BaseException:
        pipeline.close(failed=True)
        raise
    pipeline.close(failed=False)
