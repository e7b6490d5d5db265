"""Job: find the near-identical copies of the whole archive again, for the review queue.

Ingest stores them batch by batch (``Article.near_identical_to``); this job (re)computes them all:
for an archive ingested before they were kept, or after editors changed headlines, bodies or
slugs. It waits in the low-priority queue, and running it again is safe.
"""

from __future__ import annotations

from django.http import HttpRequest

from articles import review
from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import kind, latest, start_once

KIND = "review_scan"


@kind(KIND, unit="articles", queue="merges")
def review_scan(job: Job, progress: JobProgress) -> str:
    found, changed = review.scan_near_identical(progress)
    return f"Found {found:,} near-identical copies ({changed:,} changed)."


def start_scan(request: HttpRequest) -> Job:
    """Queue a scan for the editor on this page (one waiting at a time)."""
    return start_once(KIND, "Find near-identical copies for the review queue", request)


def last_scan() -> Job | None:
    """The latest scan queued, whatever its state."""
    return latest(KIND)
