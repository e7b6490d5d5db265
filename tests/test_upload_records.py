"""Large loads started from the admin: a records file (JSONL) uploaded goes through the bulk load
of ``manage.py ingest`` in the ``ingest_upload`` job: batches that commit, progress that counts the
records, and a job whose worker was stopped going on from its last batch. Real parts: the test
client, the job runner, a real Whoosh index."""

import gzip
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles.ingest import batches as ingest_batches
from articles.jobs import runner
from articles.jobs.upload import spool_dir
from articles.models import Article, IngestCheckpoint, Job
from tests.conftest import run_jobs
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/admin/articles/article/upload/"


@pytest.fixture(autouse=True)
def small_batches(settings, tmp_path, monkeypatch):
    settings.UPLOAD_SPOOL_DIR = tmp_path / "uploads"
    monkeypatch.setattr(ingest_batches, "COMMIT_EVERY", 10)


@pytest.fixture
def editor(client, search_backend):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


def records(count: int, bad_line: int | None = None) -> bytes:
    lines = [
        json.dumps(
            {
                "id": f"w{i}",
                "title": f"Harbour authority report {i}",
                "body": f"The harbour authority published report number {i} on dredging.",
                "outlet": "Harbour Gazette",
                "published": "2026-03-04",
            }
        )
        for i in range(count)
    ]
    if bad_line:
        lines[bad_line - 1] = '{"title": 1987}'
    return "".join(line + "\n" for line in lines).encode()


def queued(client, *files) -> Job:
    response = client.post(URL, {"files": list(files)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.filter(kind="ingest_upload").latest("pk")


def in_step() -> bool:
    out = StringIO()
    call_command("check_index", stdout=out)
    return "In step." in out.getvalue()


def test_a_records_file_is_loaded_in_batches_with_progress_counting_records(editor):
    copy = SimpleUploadedFile("wire copy.txt", b"Tram line opens\n\nLISBON, March 3 (Reuters) - It opened.\n")
    job = queued(editor, SimpleUploadedFile("harbour.jsonl", records(25)), copy)
    assert job.unit == "records and files" and not Article.objects.exists()

    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total) == (26, 26)  # 25 records and one copy file
    assert job.outcome == "2 files: 26 created, 0 updated, 0 unchanged."
    report = job.result["files"][0]
    assert (report["name"], report["ok"], report["created"], report["articles"]) == (
        "harbour.jsonl",
        True,
        25,
        [],
    )
    assert Article.objects.filter(source_file__startswith="harbour.jsonl#").count() == 25
    assert Article.objects.get(source_file="harbour.jsonl#w7").headline == "Harbour authority report 7"
    assert SearchQuerySet().auto_query("dredging").count() == 25
    assert not IngestCheckpoint.objects.exists() and in_step()
    detail = editor.get(f"/admin/articles/job/{job.pk}/change/").content.decode()
    assert "<strong>harbour.jsonl</strong>:" in detail and "25 created, 0 updated, 0 unchanged" in detail

    again = queued(editor, SimpleUploadedFile("harbour.jsonl", records(25)))
    run_jobs()
    again.refresh_from_db()
    assert again.outcome == "1 file: 0 created, 0 updated, 25 unchanged."
    assert Article.objects.count() == 26


def test_a_gzipped_records_file_is_read(editor):
    job = queued(editor, SimpleUploadedFile("harbour.jsonl.gz", gzip.compress(records(12))))
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and Article.objects.count() == 12


def test_a_worker_stopped_mid_file_goes_on_from_its_last_batch(editor, monkeypatch):
    job = queued(editor, SimpleUploadedFile("harbour.jsonl", records(35)))
    write = ingest_batches._RecordsLoad._write
    batches = []

    def stopped_at_the_third_batch(self, batch, *args):
        batches.append(batch.records)
        if len(batches) == 3:
            raise KeyboardInterrupt  # the worker is stopped (SIGINT) while the job runs
        return write(self, batch, *args)

    monkeypatch.setattr(ingest_batches._RecordsLoad, "_write", stopped_at_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        runner.run(job.pk)  # the job's first attempt, as the worker runs it
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED, "back in the queue for the next worker"
    assert Article.objects.count() == 20 and in_step()
    assert list(IngestCheckpoint.objects.values_list("lines", flat=True)) == [20]

    monkeypatch.setattr(ingest_batches._RecordsLoad, "_write", write)
    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2, job.error
    assert (job.done, job.total) == (15, 15), "the retry counts the records left"
    assert job.result["files"][0]["created"] == 15
    assert Article.objects.count() == 35 == len(set(Article.objects.values_list("source_file", flat=True)))
    assert not IngestCheckpoint.objects.exists() and in_step()


def test_a_bad_record_fails_its_file_keeping_the_batches_before_it(editor):
    job = queued(editor, SimpleUploadedFile("harbour.jsonl", records(25, bad_line=23)))
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED, "its only file failed: the same file would fail again"
    report = job.result["files"][0]
    assert (
        not report["ok"]
        and "line 23" in report["error"]
        and "first 20 lines are committed" in report["error"]
    )
    spooled = str(spool_dir(job))
    assert report["name"] == "harbour.jsonl" and spooled not in report["error"], "named as editors know it"
    assert Article.objects.count() == 20 and in_step()


def test_a_records_file_may_be_larger_than_a_copy_file(editor, monkeypatch):
    from articles.jobs import upload

    monkeypatch.setattr(upload, "MAX_COPY_BYTES", 100)
    job = queued(
        editor,
        SimpleUploadedFile("harbour.jsonl", records(3)),
        SimpleUploadedFile("long.txt", b"x" * 101),
    )
    run_jobs()
    job.refresh_from_db()
    reports = {report["name"]: report for report in job.result["files"]}
    assert reports["harbour.jsonl"]["created"] == 3
    assert "a raw copy file takes at most" in reports["long.txt"]["error"]
