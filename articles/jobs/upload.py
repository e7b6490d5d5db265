"""Job: ingest the raw copy files an editor uploaded (the admin's upload page).

The upload request only stores the files, under ``UPLOAD_SPOOL_DIR/<job id>/``, and starts the
job in one transaction (:func:`queue_upload`). The job ingests each file through the one ingest
path (:func:`articles.ingest.ingest_upload`, each file in its own transaction, the index brought up
to date once at the end), and keeps a report per file in ``job.result``, which the jobs page shows:
ok or the error, created / updated / unchanged, the articles.

A records file (``.jsonl``, ``.jsonl.gz``: a large load started from the admin) goes through the
bulk load of ``manage.py ingest`` (:func:`articles.ingest.batches.ingest_records`): it commits in
batches with a checkpoint, the progress counts its records, and a worker stopped mid-file resumes
after the last batch committed when the job is retried. Its report gives the counts, not each article.

- A bad file (the wrong type, too large, empty, binary, bad copy) is reported and the others are
  still ingested; the job succeeds, its outcome saying how many files failed. Only when *no* file
  could be ingested does the job fail (:class:`PermanentError`: the same files would fail again).
- Running it again is safe: files already reported are not read again (their report stays), and
  ingesting a file twice changes nothing (content hash). A retry (the index could not be written,
  a worker stopped) so ingests the rest, and applies what is queued for search.
- The stored files are deleted once the job has ended for good (succeeded or failed), not before:
  a retry needs them.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat, pluralize
from django.template.loader import render_to_string

from articles.ingest import MAX_COPY_BYTES, RECORD_SUFFIXES, ingest_upload
from articles.ingest.batches import ingest_records, planned
from articles.ingest.resolver import Resolver
from articles.jobs.models import Job
from articles.jobs.progress import JobProgress
from articles.jobs.runner import PermanentError, kind, start
from articles.models import IndexTask
from articles.search.indexing import apply_once, apply_pending

KIND = "ingest_upload"
# Raw copy, the wire formats (NITF, NewsML-G2, RSS and Atom XML, ninjs JSON), saved web pages and
# records files (JSONL); anything else is refused unread.
WEB_SUFFIXES = (".rss", ".atom", ".html", ".htm")
SUFFIXES = (".txt", ".text", ".xml", ".nitf", ".newsml", ".json", *WEB_SUFFIXES, *RECORD_SUFFIXES)
# Each article of the report keeps only what the page shows (not the text: the result stays small).
NOT_INGESTIBLE = (
    "not a raw copy, wire, feed, web page or records file: upload .txt, .xml (NITF, NewsML-G2, "
    "RSS, Atom), .json (ninjs), .rss, .atom, .html (a saved web page) or .jsonl (records) files"
)
ARTICLE_FIELDS = ("status", "id", "headline", "outlet", "place", "published")
COUNTS = ("created", "updated", "unchanged")
SAVE_EVERY = 1.0  # seconds: the report is written to the job at most this often, and at the end


def describe_files(count: int) -> str:
    return f"{count:,} file{pluralize(count)}"


def spool_dir(job: Job) -> Path:
    return Path(settings.UPLOAD_SPOOL_DIR) / str(job.pk)


def client_name(name: str) -> str:
    """The file's name as the editor knows it, without any folder the client sent, printable only."""
    base = re.split(r"[/\\]", name or "")[-1]
    return "".join(ch for ch in base if ch.isprintable()).strip()[:255] or "unnamed"


def is_records(name: str) -> bool:
    return name.lower().endswith(RECORD_SUFFIXES)


def _refusal(upload: UploadedFile, name: str) -> str | None:
    """Why this file is refused unread, or None (a records file's size is bounded by the upload's)."""
    if not name.lower().endswith(SUFFIXES):
        return NOT_INGESTIBLE
    if upload.size > MAX_COPY_BYTES and not is_records(name):
        return (
            f"{filesizeformat(upload.size)}: a raw copy file takes at most "
            f"{filesizeformat(MAX_COPY_BYTES)} (split it into smaller files)"
        )
    return None


def queue_upload(files: list[UploadedFile], *, dry_run: bool, user, return_url: str) -> Job:
    """Store the files and start the job that ingests them, in one transaction: the worker sees the
    job only with its files in place, and a failure leaves neither behind."""
    entries = []
    for number, upload in enumerate(files, 1):
        name = client_name(upload.name)
        refusal = _refusal(upload, name)
        if refusal:
            entries.append({"name": name, "error": refusal})
        elif is_records(name):  # in a folder of its own under its name: its articles' source_file
            entries.append({"name": name, "stored": f"{number:04d}/{name}", "size": upload.size})
        else:  # stored under a name of our own: the client's never reaches the file system
            entries.append({"name": name, "stored": f"{number:04d}.txt", "size": upload.size})
    names = ", ".join(entry["name"] for entry in entries[:3]) + (", …" if len(entries) > 3 else "")
    label = f"{'Dry run: upload' if dry_run else 'Upload'} of {describe_files(len(files))} ({names})"
    # Progress counts files, or with a records file among them its records (and one a file besides).
    unit = "records and files" if any(is_records(entry["name"]) for entry in entries) else "files"
    with transaction.atomic():
        job = start(
            KIND, label, {"files": entries, "dry_run": dry_run}, user=user, return_url=return_url, unit=unit
        )
        folder = spool_dir(job)
        try:
            folder.mkdir(parents=True)
            for upload, entry in zip(files, entries, strict=True):
                if "stored" in entry:
                    (folder / entry["stored"]).parent.mkdir(exist_ok=True)
                    with open(folder / entry["stored"], "wb") as out:
                        for chunk in upload.chunks():
                            out.write(chunk)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return job


def remove_spool(job: Job) -> None:
    shutil.rmtree(spool_dir(job), ignore_errors=True)


@kind(KIND, unit="files", ended=remove_spool)
def ingest_uploaded(job: Job, progress: JobProgress) -> str:
    """Ingest each stored file not reported yet, report it, then apply the index changes."""
    entries, dry_run = job.params["files"], job.params.get("dry_run", False)
    reports = (job.result or {}).get("files", [])  # those of an earlier attempt stay
    job.result = {"files": reports, "dry_run": dry_run}
    left = entries[len(reports) :]
    # A records file counts its records not committed yet (planned() reads its checkpoint).
    records = [spool_dir(job) / entry["stored"] for entry in left if is_records(entry.get("stored", ""))]
    progress.set_total(len(reports) + len(left) - len(records) + planned(records, resume=not dry_run).total)
    progress.advance(len(reports))
    saved = time.monotonic()
    try:
        with apply_once():
            for entry in left:
                reports.append(_ingest(job, entry, dry_run, progress))
                if not is_records(entry.get("stored", "")):
                    progress.advance()
                if time.monotonic() - saved >= SAVE_EVERY:
                    Job.objects.filter(pk=job.pk).update(result=job.result)
                    saved = time.monotonic()
    finally:  # also when the worker is stopped: the next attempt goes on from here
        Job.objects.filter(pk=job.pk).update(result=job.result)
    if not dry_run and IndexTask.objects.filter(queued__gte=job.created).exists():
        # Changes queued since the upload (its own among them) that apply_once could not write (it
        # logs why) or left to a busy writer: apply them, waiting for the writer; an error fails
        # this attempt, and the retry applies them (its files are not ingested again).
        apply_pending(wait=True)
    return _outcome(reports, dry_run)


def _ingest(job: Job, entry: dict, dry_run: bool, progress: JobProgress) -> dict:
    """One file's report: ``{"name", "ok", "error", "created", "updated", "unchanged", "articles"}``."""
    if "error" in entry:
        return _report(entry["name"], error=entry["error"])
    if is_records(entry["stored"]):
        return _ingest_records(job, entry, dry_run, progress)
    try:
        data = (spool_dir(job) / entry["stored"]).read_bytes()
    except OSError as error:
        return _report(entry["name"], error=f"the stored file could not be read ({error.strerror or error})")
    report = ingest_upload(entry["name"], data, dry_run=dry_run, user=job.created_by)
    if not report.ok:
        return _report(entry["name"], error=report.error)
    articles = [{key: article.get(key) for key in ARTICLE_FIELDS} for article in report.articles]
    return _report(
        entry["name"],
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        articles=articles,
    )


def _ingest_records(job: Job, entry: dict, dry_run: bool, progress: JobProgress) -> dict:
    """A records file through the bulk load; its report has the counts (``articles`` stays empty),
    and on a bad record the error naming its line, the batches before it staying committed."""
    path = spool_dir(job) / entry["stored"]
    report = ingest_records(path, Resolver(describe=False), dry_run, progress)
    counts = {key: getattr(report, key) for key in COUNTS}
    return _report(entry["name"], error=None if report.ok else report.error, **counts)


def _report(name: str, error: str | None = None, articles: list | None = None, **counts) -> dict:
    return {
        "name": name,
        "ok": error is None,
        "error": error,
        **{key: counts.get(key, 0) for key in COUNTS},
        "articles": articles or [],
    }


def _outcome(reports: list[dict], dry_run: bool) -> str:
    """``3 files: 4 created, 1 updated, 0 unchanged; 1 file failed.`` (PermanentError if all failed)."""
    failed = sum(not report["ok"] for report in reports)
    files = describe_files(len(reports))
    if failed == len(reports):
        first = reports[0]
        raise PermanentError(
            f"No file could be ingested ({files}; {first['name']}: {first['error']}): see the report."
        )
    counts = ", ".join(f"{sum(r[key] for r in reports):,} {key}" for key in COUNTS)
    outcome = f"{files}: {counts}"
    if failed:
        outcome += f"; {describe_files(failed)} failed (see the report)"
    return f"Dry run, nothing written: {outcome}." if dry_run else f"{outcome}."


def report_html(job: Job) -> str:
    """The report for the jobs page (escaped by the template), or "" before there is one."""
    if not (job.result and job.result.get("files")):
        return ""
    return render_to_string("admin/articles/job/upload_report.html", {"result": job.result})
