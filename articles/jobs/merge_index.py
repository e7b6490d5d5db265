"""Job: merge the search index's segments beside the index, so searches do not pay for every commit's."""

from __future__ import annotations

from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import kind, start
from articles.search.indexing import merge_segments

KIND = "merge_index"


@kind(KIND, unit="documents", queue="merges")
def merge_index(job: Job, progress: JobProgress) -> str:
    """Merge what the index's merge policy asks for (commits queue this job when it asks)."""
    merges = merge_segments(on_merged=progress.advance)
    if not merges:
        return "Nothing to merge."
    return f"Merged the search index's segments {merges:,} time(s) ({progress.done:,} documents rewritten)."


def ensure_queued() -> Job | None:
    """Queue a merge, unless one is waiting already (a running one may have planned already: it
    does not count). Returns the new job, or None."""
    if Job.objects.waiting().filter(kind=KIND).exists():
        return None
    return start(KIND, "Merge the search index's segments")
