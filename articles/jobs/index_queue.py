"""Job: apply the changes queued for the search index (web requests apply only their own)."""

from __future__ import annotations

from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import kind, start
from articles.models import IndexTask
from articles.search import entity_names
from articles.search.indexing import apply_pending, bulk_load_running

KIND = "apply_index"


@kind(KIND, unit="changes")
def apply_index(job: Job, progress: JobProgress) -> str:
    """Apply every queued change (those queued meanwhile too); the merges it may call for are the
    ``merge_index`` job's."""
    # Articles an accepted name variant relabels are queued here: index their entity facets with
    # the name variants table as it is now, not as this worker last read it.
    entity_names.invalidate()
    if bulk_load_running():
        return "A bulk load is writing the search index: it applies the queued changes with its batches."
    progress.set_total(IndexTask.objects.count())
    applied = apply_pending(wait=True, on_applied=progress.advance)
    return f"Applied {applied:,} queued change(s) to the search index."


def ensure_queued() -> Job | None:
    """Queue a job applying the index queue, unless one is waiting already (a running one may have
    looked at the queue already: it does not count). Returns the new job, or None."""
    if Job.objects.waiting().filter(kind=KIND).exists():
        return None
    return start(KIND, "Apply queued changes to the search index")
