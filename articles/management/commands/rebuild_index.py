"""``manage.py rebuild_index``: index every published article afresh without taking search offline.

Replaces haystack's command of the same name, which deletes the live index first
(searches return nothing until it finishes). On Whoosh the new index is written
beside the live one and swapped in at commit; other backends fall back to
haystack's clear-and-update. Changes queued while it runs (edits cannot take the index writer
meanwhile) are applied right after the swap. Stopped (Ctrl-C, SIGTERM), it leaves the live index
as it was.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from haystack import connections

from articles.management.base import IndexCommand
from articles.search.indexing import rebuild


class Command(IndexCommand):
    help = "Rebuild the search index from the database; searches keep working meanwhile."

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="Kept for haystack compatibility."
        )
        parser.add_argument("--using", default="default", help="Search connection alias.")

    def handle(self, *args, **options):
        alias = options["using"]
        backend = connections[alias].get_backend()
        if not hasattr(backend, "rebuild"):
            call_command("clear_index", using=[alias], interactive=False, verbosity=options["verbosity"])
            call_command("update_index", using=[alias], verbosity=options["verbosity"])
            return
        started = time.perf_counter()
        count = rebuild(alias)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} articles in {elapsed:.1f} s.")
