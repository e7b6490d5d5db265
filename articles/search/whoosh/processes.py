"""The index's writer processes: started by a fork server, ended with the process that writes.

A parallel writer's processes (a rebuild's, a large sync's, a bulk load's) are started by
multiprocessing's fork server, a small process of its own started once with this module
imported, not forked from the process that writes the index: a bulk load's process holds some
450 MB at 100k articles, and each page that either side wrote while forked processes lived was
copied (BENCHMARKS.md: a 100k load's peak was 664 MB, under 490 MB now). This module imports
Whoosh only (no Django, no haystack), so that the fork server and its processes stay small.

Whatever starts a writer must guard its main module (``if __name__ == "__main__":``), as
``manage.py``, gunicorn and pytest do: each writer process imports it.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import select
import signal
import threading

from whoosh import writing as whoosh_writing
from whoosh.multiproc import SubWriterTask

PROCESSES = multiprocessing.get_context("forkserver")
PROCESSES.set_forkserver_preload([__name__])
# A bulk load's writer process closes its segment when its postings fill this share of its
# memory (``limitmb``), rather than let Whoosh spill them to disk (``writing._ParallelWriter``).
SEGMENT_FULL = 0.9


def _detach_from_parent() -> None:
    """First thing in a writer process, started by the fork server (``PROCESSES``).

    It keeps no Python signal handler: one that raises (Python's for Ctrl-C) would run clean-up
    meant for another process in it; Ctrl-C and SIGTERM simply end it. And it ends as soon as the
    process that writes the index ends, however that ends (where ``os.pidfd_open`` exists: Linux):
    the fork server lives on while its processes do, and an orphan would wait for work for ever.
    """
    for signum in signal.valid_signals():
        if callable(signal.getsignal(signum)):
            signal.signal(signum, signal.SIG_DFL)
    if hasattr(os, "pidfd_open"):
        try:
            writing_process = os.pidfd_open(multiprocessing.parent_process().pid)
        except ProcessLookupError:  # it has ended already
            os._exit(1)
        except OSError:  # a kernel without pidfds (Linux before 5.3): not watched
            return
        threading.Thread(target=_exit_once_ended, args=(writing_process,), daemon=True).start()


def _exit_once_ended(pidfd: int) -> None:
    select.select([pidfd], [], [])  # readable once the process has ended
    os._exit(1)


class LockReleasing:
    """A Whoosh writer that lets go of the index's lock when it cannot be made: Whoosh's takes
    the lock, then creates its files, and keeps the lock when that fails (a full disk), so every
    later writer in the process waited ``LOCK_TIMEOUT`` and failed."""

    def __init__(self, ix, **kwargs):
        try:
            super().__init__(ix, **kwargs)
        except BaseException:
            lock = getattr(self, "writelock", None)
            if lock is not None and lock.locked:
                lock.release()
            raise


class SegmentWriter(LockReleasing, whoosh_writing.SegmentWriter):
    """Whoosh's segment writer, but it asks once per field whether the field has lengths.

    Writing a segment, Whoosh looks up the field length of every posting; for a field without
    lengths (ids, keywords) that is a file system call each time. (And it lets go of the lock when
    it cannot be made.)
    """

    def per_document_reader(self):
        reader = super().per_document_reader()
        reader.has_column = functools.cache(reader.has_column)
        return reader


class SegmentTask(SubWriterTask):
    """A writer process: indexes the job files it is handed, closing its segment and starting
    another when the segment's postings fill its memory. Told to finish (``None``) it returns
    its segments. (Cancelled, it is stopped: see ``writing._cancel``.)

    It writes with its parent writer's schema (``schema``, set before it starts), not the one the
    index's table of contents was last written with: a field added to the index definition is
    written from the first commit on (and the next commit's table of contents has it)."""

    schema = None
    _Popen = staticmethod(PROCESSES.Process._Popen)  # started by the fork server

    def run(self):
        _detach_from_parent()
        ix = self.storage.open_index(self.indexname, schema=self.schema)
        segments = []
        writer = self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
        while (job := self.jobqueue.get()) is not None:
            self._process_file(*job)
            if writer.pool.currentsize >= SEGMENT_FULL * writer.pool.limit or writer.pool.runs:
                segments.append(writer._finalize_segment())
                writer = self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
        if writer.docnum:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        self.resultqueue.put(segments)
