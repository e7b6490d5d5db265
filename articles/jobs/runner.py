"""Running jobs: the one background task, the kinds of job, retries with backoff, stale jobs.

:func:`start` records a :class:`~articles.jobs.models.Job` and enqueues :func:`run_job` with
django-tasks (the database backend: the worker is ``manage.py worker``). The worker runs the
job's kind, registered with :func:`kind`; the kind's function gets the job and a
:class:`~articles.jobs.progress.JobProgress` and returns the outcome in a line.

A failure is retried with backoff (``JOB_RETRY_DELAYS``, seconds), then the job is *failed* with
its error on the jobs page; :class:`PermanentError` (bad input: retrying cannot help) fails it at
once. A worker stopped in the middle of a job (Ctrl-C twice, a restart) puts it back in the queue;
one killed outright leaves it *running*, and the next worker to start puts it back
(:func:`recover_stale`). Every kind is written so that running it again is safe. A kind may
register an ``ended`` function, called once the job has ended for good (succeeded, or failed with
no retry left): to clean up what only a retry would need (an upload's stored files).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from articles.jobs.models import Job
from articles.jobs.progress import JobProgress

log = logging.getLogger(__name__)
QUEUES = settings.TASKS["default"]["QUEUES"]


class PermanentError(Exception):
    """A job that cannot succeed however often it is tried (its input is bad): no retry."""


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[Job, JobProgress], str]
    unit: str
    ended: Callable[[Job], None] | None = None
    queue: str = "default"  # the django-tasks queue its jobs go to (settings.TASKS)


KINDS: dict[str, Kind] = {}


def kind(
    name: str, unit: str = "items", ended: Callable[[Job], None] | None = None, queue: str = "default"
) -> Callable:
    """Register a function as the job kind ``name`` (``unit``: what its progress counts; ``ended``:
    called with the job once it has succeeded or failed for good; ``queue``: the queue its jobs
    wait in)."""

    def register(func: Callable[[Job, JobProgress], str]) -> Callable[[Job, JobProgress], str]:
        KINDS[name] = Kind(name, func, unit, ended, queue)
        return func

    return register


def start(
    name: str,
    label: str,
    params: dict | None = None,
    *,
    user=None,
    return_url: str = "",
    unit: str = "",
    run_after: datetime | None = None,
) -> Job:
    """Record a job and queue it for the worker (in the current transaction, if any); ``unit``, when
    given, says what this job's progress counts instead of its kind's; ``run_after``: not before
    then (a job scheduled ahead)."""
    job = Job.objects.create(
        kind=name,
        label=label[:300],
        params=params or {},
        unit=unit or KINDS[name].unit,
        created_by=user if user is not None and user.is_authenticated else None,
        return_url=return_url[:500],
    )
    _enqueue(job, run_after=run_after)
    return job


def start_once(name: str, label: str, request) -> Job:
    """Queue a job for the editor of this request, unless one of its kind is waiting already: a
    second click returns the waiting job. It links back to the editor's page."""
    waiting = Job.objects.waiting().filter(kind=name).first()
    if waiting is not None:
        return waiting
    return start(name, label, user=request.user, return_url=request.get_full_path())


def latest(name: str) -> Job | None:
    """The latest job of a kind queued, whatever its state."""
    return Job.objects.filter(kind=name).first()


def _enqueue(job: Job, delay: float = 0, run_after: datetime | None = None) -> None:
    options = {"queue_name": KINDS[job.kind].queue}
    if delay:
        run_after = timezone.now() + timedelta(seconds=delay)
    if run_after is not None:
        options["run_after"] = run_after
    run_job.using(**options).enqueue(job.pk)


@task()
def run_job(job_id: int) -> None:
    """The background task: run one job (see :func:`run`)."""
    run(job_id)


def run(job_id: int) -> None:
    """Run the job once, unless it already ran or runs elsewhere; record how it ended."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state not in Job.WAITING:
            return
        now = timezone.now()
        job.state, job.attempts, job.worker = Job.State.RUNNING, job.attempts + 1, worker_name()
        job.started = job.heartbeat = now
        job.done, job.retry_at = 0, None
        job.save(update_fields=["state", "attempts", "worker", "started", "heartbeat", "done", "retry_at"])
    progress = JobProgress(job)
    try:
        outcome = KINDS[job.kind].run(job, progress)
    except Exception as error:
        progress.close()
        _failed(job, error)
        return
    except BaseException:  # the worker is being stopped: the job goes back in the queue
        progress.close()
        Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, worker="")
        _enqueue(job)
        raise
    progress.close()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED, outcome=outcome, error="", finished=timezone.now(), result=job.result
    )
    _ended(job)


def _failed(job: Job, error: Exception) -> None:
    log.error("Job %s (%s) failed on attempt %s", job.pk, job.label, job.attempts, exc_info=error)
    message = str(error) if isinstance(error, PermanentError) else f"{type(error).__name__}: {error}"
    delays = settings.JOB_RETRY_DELAYS
    if isinstance(error, PermanentError) or job.attempts > len(delays):
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=message, finished=timezone.now(), result=job.result
        )
        _ended(job)
        return
    delay = delays[job.attempts - 1]
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RETRYING, error=message, retry_at=timezone.now() + timedelta(seconds=delay)
    )
    _enqueue(job, delay)


def _ended(job: Job) -> None:
    """The kind's clean-up, once the job has ended for good; its failure is logged, not raised."""
    ended = KINDS[job.kind].ended
    if ended is None:
        return
    try:
        ended(job)
    except Exception:
        log.exception("Cleaning up after job %s (%s) failed", job.pk, job.label)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def recover_stale() -> list[Job]:
    """Put back in the queue the jobs left *running* by a worker that is gone: one of this host
    whose process has ended, or any whose last progress is older than ``JOB_STALE_MINUTES``."""
    host = socket.gethostname()
    stale_before = timezone.now() - timedelta(minutes=settings.JOB_STALE_MINUTES)
    recovered = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        job_host, _, pid = job.worker.rpartition(":")
        gone = job_host == host and pid.isdigit() and not _alive(int(pid))
        stale = gone or (job.heartbeat or job.created) < stale_before
        # Only if still running now: another worker starting at the same time may have taken it.
        if stale and Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.QUEUED, worker=""
        ):
            _enqueue(job)
            recovered.append(job)
    return recovered


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def run_queued(worker_id: str = "in-process") -> int:
    """Run the queued jobs in this process and return how many tasks ran: ``manage.py worker
    --batch`` without its signal handlers (for tests and benchmarks)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=QUEUES,
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks
