"""Template context for the admin: what editors must see on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from articles.models import IndexTask


def index_queue(request: HttpRequest) -> dict:
    """On staff's admin pages, how many articles have changes not yet in search (0: none)."""
    user = getattr(request, "user", None)
    if not (user and user.is_staff and request.path.startswith(reverse("admin:index"))):
        return {}
    return {"index_queue": IndexTask.objects.values("article_id").distinct().count()}
