"""``manage.py worker``: run background jobs (django-tasks-db's ``db_worker``, with one step first).

Before it takes jobs it queues again those a worker that is gone left *running*
(:func:`articles.jobs.runner.recover_stale`), and makes sure the job fetching the watched feeds
waits for the next one due (:func:`articles.jobs.fetch_feeds.schedule`). Ctrl-C or SIGTERM lets
the running job finish first; a second one stops it, and the job goes back in the queue.
``--batch`` runs what is queued and exits; ``--queue-name`` keeps a worker to some of the queues
(all by default). The options are ``db_worker``'s (``--help``).
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from articles.jobs import fetch_feeds, index_queue
from articles.jobs.runner import QUEUES, recover_stale
from articles.models import IndexTask
from articles.search.indexing import merge_in_background


class Command(DBWorkerCommand):
    help = "Run the background jobs (uploads, index updates, ...); queue again those a lost worker left."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Every queue by default; ``make run`` and the systemd units run two workers instead, one
        # for ``--queue-name default`` and one for ``--queue-name merges`` (see README).
        parser.set_defaults(queue_name=",".join(QUEUES))

    def handle(self, *args, **options):
        for job in recover_stale():
            self.stdout.write(f"Queued again: job {job.pk}, {job.label} (its worker is gone).")
        # Index work a process that stopped may have left: changes still queued, segments to merge.
        if IndexTask.objects.exists():
            index_queue.ensure_queued()
        merge_in_background()
        fetch_feeds.schedule()
        return super().handle(*args, **options)
