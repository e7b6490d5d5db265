"""Progress of long work, reported the same way wherever it runs.

Work calls ``set_total(n)`` when it knows how much there is and ``advance(n)`` as it goes:
- in a job, :class:`JobProgress` writes it to the job (at most once a second) for the jobs page;
- on a terminal, :class:`TerminalProgress` draws a progress bar (tqdm);
- elsewhere (a log file, ``nohup``, systemd), :class:`LogProgress` logs a plain line every
  ``interval`` seconds with the count, the total, the rate and the time left.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Protocol

from django.utils import timezone

log = logging.getLogger("articles.progress")


class Progress(Protocol):
    def set_total(self, total: int | None) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def close(self) -> None: ...


class JobProgress:
    """A job's progress, written to its row (a short write of its own, between the work's
    transactions) at most every ``interval`` seconds."""

    def __init__(self, job, interval: float = 1.0) -> None:
        self.job, self.interval = job, interval
        self.done, self.total = job.done, job.total
        self._saved = 0.0

    def set_total(self, total: int | None) -> None:
        self.total = total
        self._save()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if time.monotonic() - self._saved >= self.interval:
            self._save()

    def close(self) -> None:
        self._save()

    def _save(self) -> None:
        from articles.jobs.models import Job

        Job.objects.filter(pk=self.job.pk).update(done=self.done, total=self.total, heartbeat=timezone.now())
        self.job.done, self.job.total = self.done, self.total
        self._saved = time.monotonic()


class TerminalProgress:
    """A progress bar on a terminal (``stream``, standard error by default)."""

    def __init__(self, unit: str, stream=None) -> None:
        from tqdm import tqdm

        self.bar = tqdm(unit=f" {unit}", unit_scale=True, file=stream or sys.stderr, dynamic_ncols=True)

    def set_total(self, total: int | None) -> None:
        self.bar.total = total
        self.bar.refresh()

    def advance(self, count: int = 1) -> None:
        self.bar.update(count)

    def close(self) -> None:
        self.bar.close()


class LogProgress:
    """A plain log line every ``interval`` seconds: ``ingest: 4,000 of 21,578 articles (19 %),
    310 a second, about 57 s left``; and one at the end."""

    def __init__(self, label: str, unit: str, interval: float = 10.0) -> None:
        self.label, self.unit, self.interval = label, unit, interval
        self.done, self.total = 0, None
        self.started = self._logged = time.monotonic()

    def set_total(self, total: int | None) -> None:
        self.total = total

    def advance(self, count: int = 1) -> None:
        self.done += count
        if time.monotonic() - self._logged >= self.interval:
            self._log()

    def close(self) -> None:
        self._log(final=True)

    def _log(self, final: bool = False) -> None:
        self._logged = time.monotonic()
        log.info(
            "%s: %s",
            self.label,
            describe(self.done, self.total, self.unit, self._logged - self.started, final),
        )


def describe(done: int, total: int | None, unit: str, seconds: float, final: bool = False) -> str:
    """``4,000 of 21,578 articles (19 %), 310 a second, about 57 s left`` after ``seconds`` of
    work; ``final``: ``…, in 1 min`` instead of the time left. The jobs page and the log lines."""
    text = (
        f"{done:,} of {total:,} {unit} ({min(100, round(100 * done / total))} %)"
        if total
        else f"{done:,} {unit}"
    )
    rate = done / seconds if seconds > 0 else 0
    if rate:
        text += f", {rate:,.0f} a second" if rate >= 1 else f", {rate:.2f} a second"
    if final:
        text += f", in {duration(seconds)}"
    elif rate and total and total > done:
        text += f", about {duration((total - done) / rate)} left"
    return text


def duration(seconds: float) -> str:
    """``57 s``, ``12 min``, ``2 h 5 min``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
