"""Job: fetch the watched feeds that are due, and keep the next such job waiting.

django-tasks has no scheduler; its database backend runs a task not before its ``run_after``. So
one ``fetch_feeds`` job always waits for the earliest ``next_fetch`` of the active feeds
(:func:`schedule`): it fetches every active feed then due (:func:`articles.watch.fetch.fetch_feed`,
which schedules each for its next fetch), and once it has ended, done or failed for good, queues
the next one for the earliest ``next_fetch`` then. Being a row in the database, the waiting job
survives a worker restart; a worker starting calls :func:`schedule` as well, so a chain broken
otherwise (a job deleted, an upgrade) starts again. No cron is needed.

- **Exactly one waits.** :func:`schedule` keeps a waiting job due soon enough and otherwise
  replaces it: a feed added, changed or asked for ("Fetch now" in the admin) that is due before
  the waiting job deletes that job's row (its task then finds no job and does nothing) and queues
  one due then. It runs with the active feeds' rows locked, so two callers at once queue one job.
- **A feed is fetched once.** Should two jobs run at once (one running while an editor asks for a
  fetch now), each feed goes to the job that moves its ``next_fetch`` first.
- The fetches' changes reach search once, after the last (as an upload's).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import kind, start
from articles.models import IndexTask
from articles.search.indexing import apply_once, apply_pending
from articles.watch.fetch import fetch_feed
from articles.watch.models import Feed

KIND = "fetch_feeds"
COUNTS = ("items_new", "items_updated", "items_failed")


def schedule(user=None) -> Job | None:
    """Make sure one ``fetch_feeds`` job waits for the earliest due active feed; return it (None
    when no feed is active). ``user``: who asked, when a new job is queued for them."""
    with transaction.atomic():
        active = Feed.objects.select_for_update().filter(active=True)
        due_times = list(active.values_list("next_fetch", flat=True))
        if not due_times:
            return None
        due = max(min(due_times), timezone.now())
        waiting = sorted(Job.objects.waiting().filter(kind=KIND), key=_due)
        if waiting and _due(waiting[0]) <= due:
            Job.objects.filter(pk__in=[job.pk for job in waiting[1:]]).delete()
            return waiting[0]
        Job.objects.filter(pk__in=[job.pk for job in waiting]).delete()
        label = f"Fetch the watched feeds due at {timezone.localtime(due):%Y-%m-%d %H:%M}"
        return start(KIND, label, {"due": due.isoformat()}, user=user, run_after=due)


def _due(job: Job) -> datetime.datetime:
    """When a waiting job runs: its retry's time, else the time it was queued for."""
    if job.state == Job.State.RETRYING and job.retry_at:
        return job.retry_at
    return parse_datetime(job.params.get("due") or "") or job.created


def _schedule_next(job: Job) -> None:
    schedule()


@kind(KIND, unit="feeds", ended=_schedule_next)
def fetch_due(job: Job, progress: JobProgress) -> str:
    """Fetch each active feed due now; then apply the index changes the fetches queued."""
    now = timezone.now()
    feeds = list(Feed.objects.filter(active=True, next_fetch__lte=now).select_related("outlet"))
    progress.set_total(len(feeds))
    fetched = []
    with apply_once():
        for feed in feeds:
            if _claim(feed, now):
                fetched.append(fetch_feed(feed))
            progress.advance()
    if IndexTask.objects.filter(queued__gte=job.created).exists():
        apply_pending(wait=True)  # an index that cannot be written fails this attempt: retried
    return _outcome(fetched)


def _claim(feed: Feed, now: datetime.datetime) -> bool:
    """Whether this job takes the feed: it moves the feed's next fetch first (another job running at
    the same time then leaves it)."""
    later = now + datetime.timedelta(minutes=feed.interval)
    return bool(Feed.objects.filter(pk=feed.pk, next_fetch=feed.next_fetch).update(next_fetch=later))


def _outcome(fetches: list) -> str:
    """``Fetched 2 feeds: 5 new, 1 updated, 0 failed; 1 feed could not be fetched or read.``"""
    if not fetches:
        return "No feed was due."
    new, updated, failed = (sum(getattr(f, name) for f in fetches) for name in COUNTS)
    outcome = f"Fetched {len(fetches):,} feed{pluralize(len(fetches))}: {new:,} new, {updated:,} updated"
    outcome += f", {failed:,} failed"
    errors = sum(bool(f.error) for f in fetches)
    if errors:
        outcome += f"; {errors:,} feed{pluralize(errors)} could not be fetched or read (see its fetches)"
    return outcome + "."
