"""``manage.py apply_index_queue``: apply every change still queued for the search index.

Web requests apply only their own changes and do only small index merges; the rest (renaming an
outlet queues all its articles) is the ``apply_index`` background job's (:mod:`articles.jobs.index_queue`).
This command does the same by hand: it applies everything queued, with both cores for large
batches, and then the segment merges the ``merge_index`` job would make. It waits for a writer
another process holds (up to a minute).
"""

from __future__ import annotations

from articles.management.base import IndexCommand
from articles.search.indexing import apply_pending, merge_segments


class Command(IndexCommand):
    help = (
        "Apply the changes queued for the search index now (the apply_index job does it in the background)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default", help="Search connection alias.")

    def handle(self, *args, using: str, **options):
        applied = apply_pending(wait=True)
        merges = merge_segments(using)
        if options["verbosity"]:
            merge_note = f"; merged index segments ({merges} merge(s))" if merges else ""
            self.stdout.write(f"Applied {applied} queued change(s){merge_note}.")
