"""Template context for the admin: what editors must see on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from articles.models import IndexTask, Job

# The user's jobs listed on every admin page while they run, and for this long after they end.
RECENT_JOBS = 5


def index_queue(request: HttpRequest) -> dict:
    """On staff's admin pages: how many articles have changes not yet in search (0: none), and
    the jobs this user started that are running or waiting (so the page they came from shows them)."""
    user = getattr(request, "user", None)
    if not (user and user.is_staff and request.path.startswith(reverse("admin:index"))):
        return {}
    return {
        "index_queue": IndexTask.objects.values("article_id").distinct().count(),
        "my_jobs": list(Job.objects.active().filter(created_by=user)[:RECENT_JOBS]),
    }
