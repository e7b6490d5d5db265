"""``manage.py ingest PATH [PATH ...]``: raw copy, JSONL records and wire formats into the archive.

A thin wrapper around :mod:`articles.ingest`. Exit status 0 when every file was
ingested, 1 when any failed (the good files are still written); stopped by Ctrl-C or SIGTERM,
130 or 143: what was not committed is rolled back (a raw copy file, a records file's batch), and
running the same command again resumes a records file after its last committed batch
(:mod:`articles.ingest.batches`).

Progress goes to standard error: a bar on a terminal; elsewhere (a log, ``nohup``, systemd) a
line every ``PROGRESS_EVERY`` seconds with the count, the total, the rate and the time left.

An ``http`` or ``https`` URL is an RSS or Atom feed, fetched once and ingested like a file
(:func:`articles.watch.fetch.fetch_once`); ``--watch MINUTES`` also registers it as a watched feed,
which the worker then fetches every MINUTES minutes (:mod:`articles.jobs.fetch_feeds`).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.ingest import expand_paths, ingest_paths
from articles.ingest.batches import planned, stopped_files
from articles.jobs import fetch_feeds
from articles.jobs.progress import LogProgress, Progress, TerminalProgress
from articles.management.base import IndexCommand, index_writer_holders, queued_note
from articles.watch.fetch import MIN_INTERVAL, SCHEMES, FetchError, check_url, fetch_once
from articles.watch.models import Feed

SHOWN = 10  # files left out of folders, named one by one
PROGRESS_EVERY = 10.0  # seconds between progress lines off a terminal


class Command(IndexCommand):
    help = (
        "Ingest raw news copy (.txt), corpus records (.jsonl, .jsonl.gz) and wire formats (NITF, NewsML-G2, "
        "ninjs): files, folders or globs; RSS and Atom feeds: http(s) URLs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="Files, folders (recursively), glob patterns or feed URLs (http, https)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON on stdout.")
        parser.add_argument(
            "--watch",
            type=int,
            metavar="MINUTES",
            help="Also watch each feed URL: the worker fetches it every MINUTES minutes.",
        )

    def handle(self, *args, **options):
        urls = [name for name in options["paths"] if name.partition("://")[0].lower() in SCHEMES]
        self._check_watch(urls, options)
        paths, left_out = expand_paths([name for name in options["paths"] if name not in urls])
        for path in left_out[:SHOWN]:
            self.stderr.write(
                f"{path}: left out: not raw copy (.txt, .text), records (.jsonl, .jsonl.gz), "
                "NITF, NewsML-G2, RSS or Atom (.xml, .rss, .atom), ninjs (.json) or a web page (.html, .htm)"
            )
        if len(left_out) > SHOWN:
            self.stderr.write(f"... and {len(left_out) - SHOWN:,} more files left out")
        if not paths and not urls:
            raise CommandError("No files to ingest.")
        plan = planned(paths, resume=not options["dry_run"])
        for path, lines in plan.resuming:
            self.stderr.write(
                f"resuming {path.name} at line {lines + 1:,}: an earlier load committed its first {lines:,}"
            )
        progress = self._progress(plan.total + len(urls))
        try:
            report = ingest_paths(
                paths, dry_run=options["dry_run"], describe=options["json"], progress=progress
            )
            for url in urls:
                report.files.append(fetch_once(url, dry_run=options["dry_run"]))
                progress.advance()
        except BaseException as stop:
            progress.close()
            if isinstance(stop, KeyboardInterrupt):  # Ctrl-C, SIGTERM
                self._say_where_stopped(paths)
            raise
        progress.close()
        if options["watch"]:
            self._watch(urls, options["watch"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._summarise(report, options["dry_run"])
        if not report.ok:
            sys.exit(1)

    def _check_watch(self, urls: list[str], options: dict) -> None:
        """``--watch``: with feed URLs it can watch, an interval of ``MIN_INTERVAL`` or more, no dry run."""
        if options["watch"] is None:
            return
        if not urls:
            raise CommandError("--watch registers feed URLs (http, https): give at least one.")
        if options["watch"] < MIN_INTERVAL:
            raise CommandError(
                f"--watch {options['watch']}: feeds are fetched every {MIN_INTERVAL} minutes at most."
            )
        if options["dry_run"]:
            raise CommandError("--watch registers the feeds: it cannot go with --dry-run.")
        for url in urls:
            try:
                check_url(url)
            except FetchError as error:
                raise CommandError(str(error)) from None

    def _watch(self, urls: list[str], minutes: int) -> None:
        """Register the URLs as watched feeds (active, every ``minutes``; next fetched then, having
        just been fetched) and keep the fetch job waiting for them."""
        with transaction.atomic():
            for url in urls:
                Feed.objects.update_or_create(
                    url=url,
                    defaults={
                        "interval": minutes,
                        "active": True,
                        "next_fetch": timezone.now() + timedelta(minutes=minutes),
                    },
                )
            fetch_feeds.schedule()
        for url in urls:
            self.stderr.write(
                f"{url}: watched, fetched every {minutes:,} minutes by the worker (see Feeds in the admin)"
            )

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
                    f"{file.path}{resumed}: {file.article_count} article(s): {file.created} created, "
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
