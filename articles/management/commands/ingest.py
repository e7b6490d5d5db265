"""``manage.py ingest PATH [PATH ...]``: raw copy and JSONL records into the archive.

A thin wrapper around :mod:`articles.ingest`. Exit status 0 when every file was
ingested, 1 when any failed (the good files are still written); stopped by Ctrl-C or SIGTERM,
130 or 143 (the file being written is rolled back).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import CommandError

from articles.ingest import expand_paths, ingest_paths
from articles.management.base import IndexCommand, index_writer_holders, queued_note

SHOWN = 10  # files left out of folders, named one by one


class Command(IndexCommand):
    help = "Ingest raw news copy (.txt) and corpus records (.jsonl, .jsonl.gz): files, folders or globs."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders (recursively) or glob patterns.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON on stdout.")

    def handle(self, *args, **options):
        paths, left_out = expand_paths(options["paths"])
        for path in left_out[:SHOWN]:
            self.stderr.write(f"{path}: left out: not raw copy (.txt, .text) or records (.jsonl, .jsonl.gz)")
        if len(left_out) > SHOWN:
            self.stderr.write(f"... and {len(left_out) - SHOWN:,} more files left out")
        if not paths:
            raise CommandError("No files to ingest.")
        progress = _Progress(self.stderr) if not options["json"] and self.stdout.isatty() else None
        report = ingest_paths(paths, dry_run=options["dry_run"], describe=options["json"], progress=progress)
        if progress:
            progress.done()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._summarise(report, options["dry_run"])
        if not report.ok:
            sys.exit(1)

    def _summarise(self, report, dry_run: bool) -> None:
        for file in report.files:
            if file.ok:
                self.stdout.write(
                    f"{file.path}: {len(file.articles)} article(s): {file.created} created, "
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


class _Progress:
    """A one-line article counter on a terminal."""

    def __init__(self, stream) -> None:
        self.stream, self.count = stream, 0

    def __call__(self, added: int) -> None:
        self.count += added
        self.stream.write(f"\r{self.count:,} articles written", ending="")
        self.stream.flush()

    def done(self) -> None:
        if self.count:
            self.stream.write("")
