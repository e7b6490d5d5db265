"""A watched feed and the record of each fetch of it."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class Feed(models.Model):
    """An RSS or Atom URL the archive fetches every ``interval`` minutes."""

    url = models.URLField("feed URL", max_length=500, unique=True)
    outlet = models.ForeignKey(
        "articles.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feeds",
        help_text="The outlet of the feed's items; empty: the feed's own title names it.",
    )
    interval = models.PositiveIntegerField(
        "interval (minutes)", default=60, help_text="How often the feed is fetched."
    )
    active = models.BooleanField(default=True, help_text="Inactive feeds are not fetched.")
    # Conditional requests: what the server said last time, sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched = models.DateTimeField(null=True, blank=True)
    next_fetch = models.DateTimeField(default=timezone.now, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url

    def schedule_next(self, now: datetime.datetime) -> None:
        self.next_fetch = now + datetime.timedelta(minutes=self.interval)


class FeedFetch(models.Model):
    """One fetch of a feed: when, the HTTP status, and what its items did to the archive."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fetches")
    started = models.DateTimeField(default=timezone.now)
    status = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="Empty when no answer came."
    )
    items_new = models.PositiveIntegerField("new", default=0)
    items_updated = models.PositiveIntegerField("updated", default=0)
    items_failed = models.PositiveIntegerField("failed", default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started"]
        get_latest_by = "started"

    def __str__(self) -> str:
        return f"{self.feed} at {self.started:%Y-%m-%d %H:%M}"
