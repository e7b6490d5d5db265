"""``manage.py apply_index_queue``: apply every change still queued for the search index.

Web requests apply at most ``REQUEST_BATCH`` queued changes each (renaming an outlet queues all
its articles) and do only small index merges; this command applies the rest, with both cores
for large batches, and then the merge Whoosh's policy asks for. Run it from cron or a systemd
timer (every minute), or by hand. It waits for a writer another process holds (up to a minute).
"""

from __future__ import annotations

from haystack import connections

from articles.management.base import IndexCommand
from articles.search.indexing import apply_pending


class Command(IndexCommand):
    help = "Apply the changes queued for the search index (web requests apply them in small batches)."

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default", help="Search connection alias.")

    def handle(self, *args, using: str, **options):
        applied = apply_pending(wait=True)
        backend = connections[using].get_backend()
        merged = hasattr(backend, "merge_segments") and backend.merge_segments()
        if options["verbosity"]:
            merge_note = "; merged index segments" if merged else ""
            self.stdout.write(f"Applied {applied} queued change(s){merge_note}.")
