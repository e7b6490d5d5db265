"""A job: heavy work run by the worker (``manage.py worker``), with the progress people see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.jobs.progress import describe


class JobQuerySet(models.QuerySet):
    def active(self) -> JobQuerySet:
        """Jobs waiting or running (a failed attempt waiting for its retry included)."""
        return self.filter(state__in=Job.ACTIVE)

    def waiting(self) -> JobQuerySet:
        """Jobs not started yet, or waiting for a retry: the worker will (re)start them."""
        return self.filter(state__in=Job.WAITING)


class Job(models.Model):
    """One piece of heavy work: what it is (``kind`` and ``params``), where it stands (``state``,
    ``done`` of ``total``), how it ended (``outcome``, ``error``), and who asked for it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        RETRYING = "retrying", "Failed, will retry"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    WAITING = (State.QUEUED, State.RETRYING)
    ACTIVE = (*WAITING, State.RUNNING)

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

    def progress_text(self) -> str:
        """``1,200 of 21,578 articles (6 %), 310 a second, about 1 min left`` while it runs,
        ``21,578 of 21,578 articles (100 %), 400 a second, in 1 min`` once it has ended."""
        if self.state == self.State.RUNNING and self.started:
            seconds = ((self.heartbeat or timezone.now()) - self.started).total_seconds()
            return describe(self.done, self.total, self.unit, seconds)
        if self.finished and self.started:
            seconds = (self.finished - self.started).total_seconds()
            return describe(self.done, self.total, self.unit, seconds, final=True)
        return describe(self.done, self.total, self.unit, 0)
