"""Job: learn name variants from the whole archive, for the review queue (:mod:`articles.variants`).

It waits in the low-priority queue; running it again is safe (decided pairs stay decided, and a
rejected pair is never offered again).
"""

from __future__ import annotations

from django.http import HttpRequest

from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import kind, latest, start_once
from articles.variants.scan import learn

KIND = "learn_variants"


@kind(KIND, unit="articles", queue="merges")
def learn_variants(job: Job, progress: JobProgress) -> str:
    return learn(progress).report()


def start_learning(request: HttpRequest) -> Job:
    """Queue a run for the editor on this page (one waiting at a time)."""
    return start_once(KIND, "Learn name variants from the archive", request)


def last_run() -> Job | None:
    """The latest run queued, whatever its state."""
    return latest(KIND)
