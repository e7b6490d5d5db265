"""Upload speed: uploads of any size through the admin's upload page and the ingest_upload job.

    python bench/bench_upload.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]
                                 [--megabytes 20]

Each run loads the seed and Wikinews demo fixtures afresh into an archive in a temporary folder
(SQLite, Whoosh), POSTs each upload to the upload page with Django's test client as an editor
(the request only stores the files and queues the job), then runs the queued job as ``manage.py
worker`` would (django-tasks-db's worker, in this process) and checks that every file was
ingested and that the last file's articles are searchable. Four uploads:

- wire copy: ``--megabytes`` of Reuters stories, 10 a file in files of about 100 KB;
- wire copy corrected: the same files again, a word changed in each: every article is updated
  (earlier version, History, re-indexed), the slowest path;
- long copy: one file of 5 MB (the largest raw copy file), one story;
- seed copy: 200 files like ``../shared/seeds/`` (each seed, a word changed).

The reference, in the same run: ``manage.py ingest`` of the same wire copy files from a folder
(the command line's path) into a fresh archive. Prints per upload the request's seconds, the
job's seconds (median over the runs), MB/s and articles/s, and the job / command ratio.

Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from itertools import cycle, islice
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO, temp_archive

SEEDS = REPO.parent / "shared" / "seeds"


def reuters(corpus: Path):
    """Reuters stories with a dateline and a body (the records of the corpus)."""
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("dateline") and record.get("body"):
                yield record


def long_copy(corpus: Path, size: int) -> list[tuple[str, bytes]]:
    text = "Reuters review of the markets\n\nLONDON, March 3 (Reuters) - The markets moved.\n\n"
    for record in reuters(corpus):
        paragraph = f"{record['body']}\n\n"
        if len((text + paragraph).encode()) > size:
            break
        text += paragraph
    return [("long.txt", text.encode())]


def wire_copy(corpus: Path, size: int, files: int, stories: int) -> list[tuple[str, bytes]]:
    """``files`` files of ``stories`` stories glued together, ``size`` bytes in all: each story a
    Reuters headline, dateline and body, lengthened with the bodies of the next records (the
    corpus read again from its start when a large upload needs more; each headline numbered)."""
    share = size // files
    records = cycle(list(reuters(corpus)))
    copies = []
    for n in range(files):
        text = ""
        for k in range(stories):
            record = next(records)
            title = f"{record['title'].title()} ({n + 1}.{k + 1})"
            story = f"{title}\n\n{record['dateline']} {record['body']}\n\n"
            while len(story.encode()) < share // stories:
                story += f"{next(records)['body']}\n\n"
            text += f"{story}\n"
        data = text.encode()
        copies.append((f"wire-{n}.txt", data[:share].rpartition(b"\n\n")[0] if len(data) > share else data))
    return copies


def seed_copy(files: int) -> list[tuple[str, bytes]]:
    seeds = sorted(SEEDS.glob("*.txt"))
    return [
        (f"seed-{n}.txt", path.read_bytes().replace(b" the ", f" the {n} ".encode(), 1))
        for n, path in enumerate(islice(cycle(seeds), files))
    ]


def upload(client, copies: list[tuple[str, bytes]]) -> tuple[float, float, int]:
    """(request seconds, job seconds, articles created or updated) of one upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from haystack.query import SearchQuerySet

    from articles.jobs.models import Job
    from articles.jobs.runner import run_queued

    files = [SimpleUploadedFile(name, data, content_type="text/plain") for name, data in copies]
    started = time.perf_counter()
    response = client.post("/admin/articles/article/upload/", {"files": files})
    queued = time.perf_counter()
    if response.status_code != 302:
        raise SystemExit(f"upload refused ({response.status_code}): {response.content[:500]!r}")
    run_queued("bench")
    finished = time.perf_counter()
    job = Job.objects.filter(kind="ingest_upload").latest("pk")
    reports = job.result["files"]
    failed = [f"{r['name']}: {r['error']}" for r in reports if r.get("error")]
    if job.state != Job.State.SUCCEEDED or len(reports) != len(copies) or failed:
        raise SystemExit(f"upload job {job.state}: {job.error or failed}")
    last = reports[-1]["articles"][-1]["headline"]
    if not SearchQuerySet().filter(content=max(last.split(), key=len)).count():
        raise SystemExit(f"not searchable: {last}")
    return queued - started, finished - queued, sum(r["created"] + r["updated"] for r in reports)


def command_ingest(copies: list[tuple[str, bytes]]) -> float:
    """Seconds of ``manage.py ingest`` of the same files from a folder, into an emptied archive."""
    import io
    import tempfile

    from django.core.management import call_command
    from haystack import connections

    call_command("flush", interactive=False, verbosity=0)
    connections["default"].get_backend().clear()
    with tempfile.TemporaryDirectory() as folder:
        for name, data in copies:
            (Path(folder) / name).write_bytes(data)
        started = time.perf_counter()
        call_command("ingest", folder, stdout=io.StringIO(), stderr=io.StringIO())
        return time.perf_counter() - started


def run_once(corpus: Path, megabytes: float) -> dict[str, tuple[float, float, float, int]]:
    """{upload: (request seconds, job seconds, MB, articles)} on the demo archive, loaded afresh;
    and "command" (the reference) for the wire copy."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from haystack import connections

    from articles.ingest import MAX_COPY_BYTES

    call_command("flush", interactive=False, verbosity=0)
    connections["default"].get_backend().clear()
    fixtures = [REPO / "fixtures" / "seed_archive.json", REPO / "fixtures" / "demo_wikinews.json"]
    call_command("loaddata", *map(str, fixtures), verbosity=0)
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.create_superuser("bench", password=None))
    files = max(1, round(megabytes * 10))
    wire = wire_copy(corpus, int(megabytes * 2**20), files, 10)
    uploads = {
        "wire copy": wire,
        "wire copy corrected": [(name, data.replace(b" said ", b" told ")) for name, data in wire],
        "long copy": long_copy(corpus, MAX_COPY_BYTES - 1024),
        "seed copy": seed_copy(200),
    }
    results = {}
    for name, copies in uploads.items():
        request, job, articles = upload(client, copies)
        results[name] = (request, job, sum(len(data) for _, data in copies) / 2**20, articles)
    results["command (reference)"] = (
        0.0,
        command_ingest(wire),
        results["wire copy"][2],
        results["wire copy"][3],
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=20)
    args = parser.parse_args()
    with temp_archive("bench-upload-"):
        runs = [run_once(args.corpus, args.megabytes) for _ in range(args.runs)]
    medians = {}
    for name in runs[0]:
        jobs = [run[name][1] for run in runs]
        request = statistics.median(run[name][0] for run in runs)
        _, _, megabytes, articles = runs[0][name]
        medians[name] = job = statistics.median(jobs)
        print(
            f"{name}: {megabytes:.1f} MB, {articles:,} articles: request {request:.2f} s, "
            f"job {job:.1f} s median ({' / '.join(f'{s:.1f}' for s in jobs)}), "
            f"{megabytes / job:.2f} MB/s, {articles / job:.0f} articles/s"
        )
    ratio = medians["wire copy"] / medians["command (reference)"]
    print(f"wire copy: upload job / manage.py ingest of the same files: {ratio:.2f}x")


if __name__ == "__main__":
    main()
