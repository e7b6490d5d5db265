"""``manage.py check_index [--fix]``: compare the search index with the database.

Reports articles missing from the index, indexed but stale (the document differs from what
the article is now), and ghosts (indexed but deleted or no longer published). ``--fix``
queues those articles and applies the queue, waiting for a busy writer. Exit status 1 when
drift remains.
"""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from haystack import connections

from articles.management.base import IndexCommand
from articles.models import Article, IndexTask
from articles.search.indexing import apply_pending, schedule_sync

SHOWN = 20  # ids listed per kind of drift


class Command(IndexCommand):
    help = "Report drift between the database and the search index (missing, stale, ghost); --fix repairs it."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Re-sync every drifting article.")
        parser.add_argument("--using", default="default", help="Search connection alias.")

    def handle(self, *args, fix: bool, using: str, **options):
        backend = connections[using].get_backend()
        if not hasattr(backend, "drift"):
            raise CommandError("check_index compares a Whoosh index; run rebuild_index on other engines.")
        index = connections[using].get_unified_index().get_index(Article)
        drift = self._report(backend, index, using)
        if drift and fix:
            ids = [int(pk) for pk in [*drift.missing, *drift.stale, *drift.ghosts]]
            schedule_sync(ids)  # outside a transaction: queued and applied at once, unless the writer is busy
            apply_pending(wait=True)
            drift = self._report(backend, index, using)
        if drift:
            sys.exit(1)

    def _report(self, backend, index, using: str):
        drift = backend.drift(index, index.index_queryset(using=using).iterator(chunk_size=500))
        for kind, ids in (("missing", drift.missing), ("stale", drift.stale), ("ghost", drift.ghosts)):
            listed = ", ".join(sorted(ids, key=int)[:SHOWN]) + (" …" if len(ids) > SHOWN else "")
            self.stdout.write(f"{kind}: {len(ids)}" + (f" ({listed})" if ids else ""))
        pending = IndexTask.objects.count()
        self.stdout.write(f"queued changes not yet applied: {pending}")
        self.stdout.write(
            self.style.ERROR("The index has drifted.") if drift else self.style.SUCCESS("In step.")
        )
        return drift
