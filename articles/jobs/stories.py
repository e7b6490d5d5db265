"""Job: group the whole archive into stories afresh (what ``manage.py assign_stories`` does).

Started from the admin's Stories page; editors' placements stay. The rebuild is one transaction
(the stories change together or not at all), so its progress shows when it ends; running it again
is safe (it starts from the articles as they are).
"""

from __future__ import annotations

from django.http import HttpRequest

from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import kind, start
from articles.models import Article
from articles.stories.assign import rebuild_stories

KIND = "rebuild_stories"


@kind(KIND, unit="articles")
def rebuild(job: Job, progress: JobProgress) -> str:
    total = Article.objects.count()
    progress.set_total(total)
    changed = rebuild_stories()
    progress.advance(total)
    return f"Stories rebuilt: {changed:,} of {total:,} article(s) moved."


def start_rebuild(request: HttpRequest) -> Job:
    """Queue a rebuild for the editor on this page (one waiting at a time: a second click
    returns the waiting job)."""
    waiting = Job.objects.waiting().filter(kind=KIND).first()
    if waiting is not None:
        return waiting
    return start(KIND, "Rebuild every story", user=request.user, return_url=request.get_full_path())
