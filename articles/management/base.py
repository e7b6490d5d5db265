"""What the commands that write the search index share.

- SIGTERM (``kill``, systemd, a container stop) stops them as Ctrl-C does: a ``KeyboardInterrupt``
  unwinds them, so unfinished transactions roll back and index writers are cancelled and their
  processes stopped (by default SIGTERM would end the process there and then, leaving them).
- An interruption, an index writer another process holds, or an index that cannot be written (a
  full disk, a folder this user may not write) is reported in one line saying what to do, not a
  traceback, and the command exits non-zero.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import traceback
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from haystack import connections
from whoosh.index import LockError

from articles.models import IndexTask
from articles.search.indexing import index_error


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's ``KeyboardInterrupt`` so that the same clean-up runs."""


def _terminate(signum, frame) -> None:
    raise Terminated


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # only it can handle signals
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def index_writer_holders(using: str = "default") -> str:
    """The processes holding the search index's writer, for a message ("" when none is known)."""
    backend = connections[using].get_backend()
    holders = backend.lock_holders() if hasattr(backend, "lock_holders") else []
    return "process " + ", ".join(holders) if holders else ""


def queued_note() -> str:
    """What is still queued for the search index, and how to apply it; empty when nothing is."""
    try:
        queued = IndexTask.objects.values("article_id").distinct().count()
    except DatabaseError:  # the interruption may have left the connection unusable
        return ""
    if not queued:
        return ""
    return f" {queued:,} article(s) wait for the search index: manage.py apply_index_queue applies them."


class IndexCommand(BaseCommand):
    """A command that writes the search index (see the module's docstring)."""

    def execute(self, *args, **options):
        with _sigterm_interrupts():
            try:
                return super().execute(*args, **options)
            except KeyboardInterrupt as stop:
                # What the interrupted frames hold (a query's open cursor) goes now, not at exit
                # when the database connection is closed.
                traceback.clear_frames(stop.__traceback__)
                signum = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
                raise CommandError(
                    f"Stopped by {signum.name}: work not yet committed was undone.{queued_note()}",
                    returncode=128 + signum,
                ) from None
            except OSError as error:  # a full disk, an index folder this user may not write
                raise CommandError(
                    f"The search index could not be read or written: {index_error(error)}.{queued_note()}"
                ) from None
            except LockError:
                holders = index_writer_holders(options.get("using", "default")) or "another process"
                raise CommandError(
                    f"The search index is being written by {holders}. "
                    "Run this again once it has finished; stop it if it is stuck.",
                ) from None
