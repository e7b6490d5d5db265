"""Background jobs: run by the worker, progress people see, retries with backoff, a visible
failure state, and jobs a lost worker left running queued again."""

import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.jobs import runner
from articles.jobs.models import Job
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)

calls: list[int] = []


@runner.kind("test_count", unit="words")
def _count(job, progress):
    words = job.params["text"].split()
    progress.set_total(len(words))
    for _ in words:
        progress.advance()
    calls.append(job.pk)
    return f"Counted {len(words)} words."


@runner.kind("test_flaky", unit="tries")
def _flaky(job, progress):
    if job.attempts <= job.params["fail"]:
        raise OSError(28, "No space left on device")
    return "Worked at last."


ended: list[int] = []


@runner.kind("test_tidy", ended=lambda job: ended.append(job.attempts))
def _tidy(job, progress):
    if job.attempts <= job.params["fail"]:
        raise OSError("not yet")
    return "Tidy."


@runner.kind("test_bad_input")
def _bad_input(job, progress):
    raise runner.PermanentError("line 3: not JSON")


def test_a_job_waits_for_the_worker_then_runs_with_its_progress(admin_user):
    job = runner.start("test_count", "Count words", {"text": "one two three"}, user=admin_user)
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED and job.pk not in calls

    assert run_jobs() == 1

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.outcome == "Counted 3 words."
    assert (job.done, job.total, job.unit, job.attempts) == (3, 3, "words", 1)
    assert job.started <= job.heartbeat <= job.finished
    assert job.progress_text().startswith("3 of 3 words (100 %)")
    assert run_jobs() == 0, "run once only"


def test_a_failed_attempt_is_retried_after_a_delay(settings):
    settings.JOB_RETRY_DELAYS = [60]
    job = runner.start("test_flaky", "Flaky", {"fail": 1})

    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.RETRYING and job.attempts == 1
    assert "No space left on device" in job.error
    assert 50 < (job.retry_at - timezone.now()).total_seconds() <= 60
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert abs((waiting.run_after - job.retry_at).total_seconds()) < 1
    assert run_jobs() == 0, "not before its time"

    DBTaskResult.objects.update(run_after=timezone.now())
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2 and job.outcome == "Worked at last."


def test_a_job_that_keeps_failing_ends_failed_with_its_error(settings):
    settings.JOB_RETRY_DELAYS = [0, 0]
    job = runner.start("test_flaky", "Always failing", {"fail": 99})

    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 3
    assert job.error == "OSError: [Errno 28] No space left on device" and job.finished


@pytest.mark.parametrize(("fail", "state"), [(1, Job.State.SUCCEEDED), (99, Job.State.FAILED)])
def test_a_kinds_clean_up_runs_once_the_job_has_ended_for_good_not_between_retries(settings, fail, state):
    settings.JOB_RETRY_DELAYS = [0]
    ended.clear()
    job = runner.start("test_tidy", "Tidy up", {"fail": fail})
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts, ended) == (state, 2, [2])


def test_bad_input_fails_at_once():
    job = runner.start("test_bad_input", "Bad file")
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (Job.State.FAILED, 1, "line 3: not JSON")


def test_a_job_left_running_by_a_worker_that_died_runs_again():
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = f"{runner.worker_name().rpartition(':')[0]}:{ended.stdout.strip()}"
    job = runner.start("test_count", "Count words", {"text": "a b"})
    run_jobs()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker=dead, done=1)
    alive = runner.start("test_count", "Still running elsewhere", {"text": "c"})
    run_jobs()
    Job.objects.filter(pk=alive.pk).update(state=Job.State.RUNNING, worker=runner.worker_name())

    assert [j.pk for j in runner.recover_stale()] == [job.pk]
    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2 and job.done == 2
    assert Job.objects.get(pk=alive.pk).state == Job.State.RUNNING


def test_editors_see_the_jobs_page_and_their_running_jobs_on_every_admin_page(editor):
    from django.contrib.auth.models import User

    user = User.objects.get(username="editor")
    job = runner.start("test_count", "Count the archive's words", {"text": "x"}, user=user)

    page = editor.get("/admin/articles/article/")
    assert "Count the archive&#x27;s words" in page.content.decode()
    assert f"/admin/articles/job/{job.pk}/change/" in page.content.decode()

    run_jobs()
    listing = editor.get("/admin/articles/job/")
    assert listing.status_code == 200 and "1 of 1 words (100 %)" in listing.content.decode()
    detail = editor.get(f"/admin/articles/job/{job.pk}/change/")
    assert detail.status_code == 200 and "Counted 1 words." in detail.content.decode()
    assert (
        f"/admin/articles/job/{job.pk}/change/" not in editor.get("/admin/articles/article/").content.decode()
    )
    assert editor.post(f"/admin/articles/job/{job.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_editor_rebuilds_every_story_in_the_background(editor):
    from articles.models import Article

    listing = editor.get("/admin/articles/story/")
    assert "Rebuild every story in the background" in listing.content.decode()
    Article.objects.filter(story_locked=False).update(story=None)  # as if stories were never assigned

    response = editor.post("/admin/articles/story/rebuild/", follow=True)
    assert response.status_code == 200
    [job] = Job.objects.filter(kind="rebuild_stories")
    assert "Story rebuild queued" in response.content.decode()
    assert editor.post("/admin/articles/story/rebuild/").status_code == 302
    assert Job.objects.filter(kind="rebuild_stories").count() == 1, "one waiting rebuild at a time"
    assert editor.get("/admin/articles/story/rebuild/").status_code == 405

    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.outcome.startswith("Stories rebuilt:")
    assert Article.objects.filter(story__isnull=False).exists()
