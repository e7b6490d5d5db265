"""``manage.py ingest PATH [PATH ...]``: raw copy, JSONL records and wire formats into the archive.

A thin wrapper around :mod:`articles.ingest`. Exit status 0 when every file was
ingested, 1 when any failed (the good files are still written); stopped by Ctrl-C or SIGTERM,
130 or 143: what was not committed is rolled back (a raw copy file, a records file's batch), and
running the same command again resumes a records file after its last committed batch
(:mod:`articles.ingest_batches`).

Progress goes to standard error: a bar on a terminal; elsewhere (a log, ``nohup``, systemd) a
line every ``PROGRESS_EVERY`` seconds with the count, the total, the rate and the time left.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import CommandError
from django.db import DatabaseError

from articles.ingest import expand_paths, ingest_paths
from articles.ingest_batches import planned, stopped_files
from articles.jobs.progress import LogProgress, Progress, TerminalProgress
from articles.management.base import IndexCommand, index_writer_holders, queued_note

SHOWN = 10  # files left out of folders, named one by one
PROGRESS_EVERY = 10.0  # seconds between progress lines off a terminal


class Command(IndexCommand):
    help = (
        "Ingest raw news copy (.txt), corpus records (.jsonl, .jsonl.gz) and wire formats (NITF, NewsML-G2, "
        "ninjs): files, folders or globs."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders (recursively) or glob patterns.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON on stdout.")

    def handle(self, *args, **options):
        paths, left_out = expand_paths(options["paths"])
        for path in left_out[:SHOWN]:
            self.stderr.write(
                f"{path}: left out: not raw copy (.txt, .text), records (.jsonl, .jsonl.gz), "
                "NITF or NewsML-G2 (.xml) or ninjs (.json)"
            )
        if len(left_out) > SHOWN:
            self.stderr.write(f"... and {len(left_out) - SHOWN:,} more files left out")
        if not paths:
            raise CommandError("No files to ingest.")
        plan = planned(paths, resume=not options["dry_run"])
        for path, lines in plan.resuming:
            self.stderr.write(
                f"resuming {path.name} at line {lines + 1:,}: an earlier load committed its first {lines:,}"
            )
        progress = self._progress(plan.total)
        try:
            report = ingest_paths(
                paths, dry_run=options["dry_run"], describe=options["json"], progress=progress
            )
        except BaseException as stop:
            progress.close()
            if isinstance(stop, KeyboardInterrupt):  # Ctrl-C, SIGTERM
                self._say_where_stopped(paths)
            raise
        progress.close()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._summarise(report, options["dry_run"])
        if not report.ok:
            sys.exit(1)

    def _progress(self, total: int) -> Progress:
        """A bar on a terminal, log lines elsewhere (``articles.progress``, on standard error)."""
        if self.stderr.isatty():
            progress = TerminalProgress("articles", stream=self.stderr._out)
        else:
            progress = LogProgress("ingest", "articles", interval=PROGRESS_EVERY)
        progress.set_total(total)
        return progress

    def _say_where_stopped(self, paths) -> None:
        """Which records files a new run resumes, and where."""
        try:
            stopped = stopped_files(paths)
        except DatabaseError:  # the interruption may have left the connection unusable
            return
        for path, lines in stopped:
            self.stderr.write(
                f"{path.name}: its first {lines:,} lines are committed; "
                f"the same command again resumes at line {lines + 1:,}."
            )

    def _summarise(self, report, dry_run: bool) -> None:
        for file in report.files:
            if file.ok:
                resumed = f" (resumed at line {file.resumed_after + 1:,})" if file.resumed_after else ""
                self.stdout.write(
                    f"{file.path}{resumed}: {len(file.articles)} article(s): {file.created} created, "
                    f"{file.updated} updated, {file.unchanged} unchanged"
                )
                for skipped in file.skipped:
                    self.stdout.write(self.style.WARNING(f"  skipped {skipped}"))
            else:
                self.stdout.write(self.style.ERROR(f"{file.path}: FAILED: {file.error}"))
        s = report.summary()
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{s['files']} file(s), {s['articles']} article(s): {s['created']} created, "
            f"{s['updated']} updated, {s['unchanged']} unchanged, {s['errors']} error(s)."
        )
        if not dry_run and (queued := queued_note()):
            holders = index_writer_holders()
            busy = f"The search index is being written by {holders}." if holders else ""
            self.stdout.write(self.style.WARNING(f"{busy}{queued}".strip()))
