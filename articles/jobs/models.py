"""A job: heavy work run by the worker (``manage.py worker``), with the progress people see."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobQuerySet(models.QuerySet):
    def active(self) -> JobQuerySet:
        """Jobs waiting or running (a failed attempt waiting for its retry included)."""
        return self.filter(state__in=Job.ACTIVE)


class Job(models.Model):
    """One piece of heavy work: what it is (``kind`` and ``params``), where it stands (``state``,
    ``done`` of ``total``), how it ended (``outcome``, ``error``), and who asked for it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        RETRYING = "retrying", "Failed, will retry"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (State.QUEUED, State.RUNNING, State.RETRYING)

    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=300, help_text="What the job does, for people.")
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=40, default="items")
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField(blank=True, help_text="How it ended, in a line or two.")
    error = models.TextField(blank=True, help_text="The last attempt's error.")
    result = models.JSONField(null=True, blank=True, help_text="The full report, for the page.")
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid of the worker running it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_url = models.CharField(max_length=500, blank=True, help_text="The page it was started from.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True, help_text="Its last word of progress.")
    finished = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display().lower()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def rate(self) -> float | None:
        """Items a second since it started (this attempt), or None before any."""
        if not (self.started and self.done):
            return None
        seconds = ((self.finished or self.heartbeat or timezone.now()) - self.started).total_seconds()
        return self.done / seconds if seconds > 0 else None

    @property
    def time_left(self) -> datetime.timedelta | None:
        if self.state != self.State.RUNNING or not self.total or not self.rate:
            return None
        return datetime.timedelta(seconds=round(max(self.total - self.done, 0) / self.rate))

    def progress_text(self) -> str:
        """``1,200 of 21,578 articles (6 %), 310 a second, about 1 min left`` while it runs,
        ``21,578 of 21,578 articles (100 %), in 1 min`` once it has ended."""
        if self.total is not None:
            text = f"{self.done:,} of {self.total:,} {self.unit}"
            if self.percent is not None:
                text += f" ({self.percent} %)"
        else:
            text = f"{self.done:,} {self.unit}"
        if self.state == self.State.RUNNING and self.rate:
            text += f", {self.rate:,.0f} a second" if self.rate >= 1 else f", {self.rate:.2f} a second"
        if self.time_left is not None:
            text += f", about {_duration(self.time_left)} left"
        if self.finished and self.started:
            text += f", in {_duration(self.finished - self.started)}"
        return text


def _duration(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
