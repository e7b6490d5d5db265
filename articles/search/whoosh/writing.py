"""Writing the index: one-process and parallel writers, a bulk load's writer, commits.

Writers wait for the index lock (``LOCK_TIMEOUT``) and fail loudly instead of dropping deletes,
and let go of it when they cannot be made; segments are written non-compound. A bulk load's
parallel writer (:class:`BulkWriter`) writes a segment whenever a process's memory is full
(its processes: ``processes``). Commits merge only tiny segments
(:func:`merge_small`); larger merges are written beside the index (``merging``).
"""

from __future__ import annotations

import os
import queue
from collections.abc import Iterable
from pathlib import Path

from haystack.constants import ID
from whoosh import writing
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.util import fib

from .processes import PROCESSES, LockReleasing, SegmentTask, SegmentWriter

# How long a writer waits for another process's writer before failing (seconds).
LOCK_TIMEOUT = 60.0
# How long a bulk load's batch waits for another writer (an editor's change, a merge being put in
# place: a moment) before it leaves its documents queued for later instead (seconds).
BULK_LOCK_WAIT = 10.0
# Above this many documents in one update, index with both cores.
PARALLEL_THRESHOLD = 2000
# That memory, per process, unless the connection's BULK_WRITER_MB says otherwise: the load's
# two writer processes and the ingest itself stay under 500 MB together (BENCHMARKS.md).
BULK_WRITER_MB = 96
# A commit merges Whoosh's choice of small segments when it holds at most this many documents
# (well under a second); Whoosh's own policy, once an index has some twenty segments, merges
# nearly all of them in one commit, minutes with the writer held. Larger merges: ``merging``.
SMALL_MERGE = 100


def open_writer(index, procs: int = 1, wait: bool = True):
    """A writer on ``index``; raises ``LockError`` when another holds it (after ``LOCK_TIMEOUT``
    when ``wait``, at once otherwise)."""
    options = {"timeout": LOCK_TIMEOUT if wait else 0, "limitmb": 256, "compound": False}
    if procs > 1:
        return _ParallelWriter(index, procs=procs, **options)
    return SegmentWriter(index, **options)


def open_bulk_writer(index, limitmb: int, *, wait: bool):
    """The parallel writer of a bulk load (:class:`_ParallelWriter`); ``LockError`` when another
    process holds the lock (for over ``BULK_LOCK_WAIT`` when ``wait``)."""
    timeout = BULK_LOCK_WAIT if wait else 0
    return _ParallelWriter(index, procs=2, timeout=timeout, limitmb=limitmb, compound=False)


def lock_holders(lock: Path) -> list[str]:
    """The processes that have the index's write lock open, as ``"pid (command line)"``; not a
    holder's children, which inherit its open files, unless its death left them behind.

    Read from ``/proc`` (Linux); empty elsewhere, or when the holder is another user's process.
    """
    lock = lock.resolve()
    holders = {}  # pid: (parent's pid, command line)
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        proc = fd.parent.parent
        try:
            if proc.name not in holders and Path(os.readlink(fd)) == lock:
                parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").strip()
                holders[proc.name] = (parent, command.decode(errors="replace"))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return [
        f"{pid} ({command})" for pid, (parent, command) in sorted(holders.items()) if parent not in holders
    ]


class BulkWriter:
    """New documents for a bulk load, written by both cores while the caller keeps working.

    Nothing is visible to searches until :meth:`commit`; :meth:`cancel` discards it all.
    Unlike Whoosh's own parallel writer, which writes each process's one segment at commit,
    this one's processes write a segment whenever their memory is full, as they go
    (:class:`_ParallelWriter`): the commit only has the last ones left to write.
    """

    def __init__(self, backend, writer) -> None:
        self.backend, self.writer = backend, writer

    def add(self, index, objects: Iterable) -> None:
        for doc in self.backend._documents(index, objects):
            self.writer.add_document(**doc)

    def update(self, index, objects: Iterable, remove: Iterable[str]) -> None:
        """Replace the documents of ``objects`` (indexed before this writer opened) and delete those
        ``remove`` names (:func:`replace_documents`)."""
        replace_documents(self.writer, self.backend._documents(index, objects), remove)

    def commit(self) -> None:
        """Make the documents visible (merging no segments: a load's are merged beside the index)."""
        _commit(self.writer, mergetype=writing.NO_MERGE)

    def cancel(self) -> None:
        _cancel(self.writer)


def replace_documents(writer, documents: Iterable[dict], remove: Iterable[str]) -> None:
    """Write ``documents`` in place of those of the same ids, then delete the documents ``remove``
    names (read after ``documents``). Delete and add rather than ``update_document``, which opens
    a searcher per document."""
    with writer.searcher() as searcher:
        for doc in documents:
            writer.delete_by_term(ID, doc[ID], searcher=searcher)
            writer.add_document(**doc)
        for identifier in remove:
            writer.delete_by_term(ID, identifier, searcher=searcher)


def merge_small(writer, segments: list) -> list:
    """A commit's merge policy under the writer: Whoosh's (``MERGE_SMALL``), when its merge holds at
    most ``SMALL_MERGE`` documents; else none (staged merges do the rest). Returns the segments
    kept as they are."""
    count = _small_point(segments)
    if not count:
        return segments
    ordered = sorted(segments, key=lambda segment: segment.doc_count_all())
    for segment in ordered[:count]:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return ordered[count:]


def _small_point(segments: list) -> int:
    """How many of the smallest segments Whoosh's merge policy merges (0: none), when they hold
    at most ``SMALL_MERGE`` documents (else 0)."""
    total = 0
    for i, count in enumerate(sorted(segment.doc_count_all() for segment in segments)):
        total += count
        if total > SMALL_MERGE:
            return 0
        if i > 3 and total < fib(i + 5):
            return i + 1
    return 0


def _commit(writer, **kwargs) -> None:
    """Commit, or cancel when the commit fails or is interrupted (its processes stopped, the lock
    released)."""
    try:
        writer.commit(**kwargs)
    except BaseException:
        _cancel(writer)
        raise


def _cancel(writer) -> None:
    """Discard what a writer wrote (nothing when it has already finished). Whoosh's parallel writer
    cannot reach its processes on cancel (it sets a flag on the parent's copy of them): they would
    wait for work forever and keep the program from exiting. They are killed here, first (the
    cancel deletes the job files they read); their unfinished segment files are not in the index.
    SIGKILL, not SIGTERM: a process started a moment ago may not yet have let go of the Python
    handlers it started with (``processes._detach_from_parent``). A one-process writer has none."""
    for task in getattr(writer, "tasks", ()):
        task.kill()
        task.join()
    if not writer.is_closed:
        writer.cancel()


def _check_alive(tasks: list[SubWriterTask]) -> None:
    if any(task.exitcode for task in tasks):
        raise writing.IndexingError("A bulk indexing process failed.")


class _JobQueue:
    """The writer processes' job queue; a put fails once a process has died, instead of waiting
    for ever for room in the queue."""

    def __init__(self, jobs, tasks: list[SubWriterTask]) -> None:
        self.jobs, self.tasks = jobs, tasks

    def get(self):
        return self.jobs.get()

    def put(self, job) -> None:
        while True:
            try:
                return self.jobs.put(job, timeout=1)
            except queue.Full:
                _check_alive(self.tasks)


class _ParallelWriter(LockReleasing, MpWriter):
    """Whoosh's parallel writer, with :class:`SegmentTask` processes.

    Whoosh keeps a segment's postings in memory until the segment is written, spills them to
    sorted runs on disk beyond ``limitmb`` and merges those when it writes the segment: for a
    large segment that costs more than the indexing itself, all of it at commit. Here a segment
    is written when the memory is full instead, while the documents still come; a large load
    gives more segments than Whoosh's (one per process), each written from memory. A process
    that dies fails the writer (Whoosh's own waits for ever for room in its queue, or commits
    without that process's documents).
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, multisegment=True, **kwargs)
        # Whoosh made its queues for forked processes; the fork server's take their place.
        self.jobqueue.close()
        self.resultqueue.close()
        self.jobqueue = _JobQueue(PROCESSES.Queue(self.procs * 4), self.tasks)
        self.resultqueue = PROCESSES.Queue()

    def _new_task(self):
        jobs, results = self.jobqueue.jobs, self.resultqueue
        task = SegmentTask(self.storage, self.indexname, jobs, results, self.subargs, self.multisegment)
        task.schema = self.schema
        self.tasks.append(task)
        task.start()
        return task

    def _commit(self, mergetype, optimize, merge):
        try:
            if self.docbuffer:
                self._enqueue()
            for _ in self.tasks:
                self.jobqueue.put(None)
            segments = self._merge_segments(mergetype, optimize, merge)
            segments += self._finished_segments()
        except writing.IndexingError:
            _cancel(self)
            raise
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()

    def _finished_segments(self) -> list:
        """The segments of all the processes, once each has finished (Whoosh's own writer waits
        for them one second, then commits without the documents of a process that died)."""
        segments, finished = [], 0
        while finished < len(self.tasks):
            try:
                segments += self.resultqueue.get(timeout=1)
                finished += 1
            except queue.Empty:
                _check_alive(self.tasks)
        for task in self.tasks:
            task.join()
        return segments
