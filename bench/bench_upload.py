"""Upload speed: the largest uploads the admin's upload page accepts, through the page itself.

    python bench/bench_upload.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]

Each run loads the seed and Wikinews demo fixtures afresh into an archive in a temporary folder
(SQLite, Whoosh) and POSTs to the upload page with Django's test client, as an editor: the form,
the per-file ingest (parse, database, stories, index) and the report page, without the network.
Four uploads, each as large as the limits allow (``MAX_UPLOAD_FILES`` files,
``MAX_UPLOAD_BYTES`` in all, ``MAX_UPLOAD_STORIES`` stories a file):

- long copy: one file of ``MAX_UPLOAD_BYTES``, one story (Reuters bodies as its paragraphs);
- wire copy: ``MAX_UPLOAD_FILES`` files of ``MAX_UPLOAD_STORIES`` Reuters stories glued together,
  ``MAX_UPLOAD_BYTES`` in all (the most articles an upload can create);
- wire copy corrected: the same files again, a word changed in each: every article is updated
  (earlier version, History, re-indexed), the slowest path;
- seed copy: ``MAX_UPLOAD_FILES`` files like ``../shared/seeds/`` (each seed, a word changed).

Prints the seconds of each (median over the runs) and seconds per MB: the limits are meant to
keep the slowest well inside gunicorn's 30 s worker timeout.

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
    Reuters headline, dateline and body, lengthened with the bodies of the next records."""
    share = size // files
    records = reuters(corpus)
    copies = []
    for n in range(files):
        text = ""
        for _ in range(stories):
            record = next(records)
            story = f"{record['title'].title()}\n\n{record['dateline']} {record['body']}\n\n"
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


def upload(client, copies: list[tuple[str, bytes]]) -> tuple[float, int]:
    """(seconds, articles created or updated) of one upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(name, data, content_type="text/plain") for name, data in copies]
    started = time.perf_counter()
    response = client.post("/admin/articles/article/upload/", {"files": files})
    seconds = time.perf_counter() - started
    reports = response.context["reports"]
    failed = [f"{r.path}: {r.error}" for r in reports if not r.ok]
    if response.status_code != 200 or len(reports) != len(copies) or failed:
        raise SystemExit(
            f"upload failed ({response.status_code}): {failed or response.context['form'].errors}"
        )
    return seconds, sum(r.created + r.updated for r in reports)


def run_once(corpus: Path) -> dict[str, tuple[float, float, int]]:
    """{upload: (seconds, MB, articles created or updated)} on the demo archive, loaded afresh."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from haystack import connections

    from articles.admin_forms import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
    from articles.ingest import MAX_UPLOAD_STORIES

    call_command("flush", interactive=False, verbosity=0)
    connections["default"].get_backend().clear()
    fixtures = [REPO / "fixtures" / "seed_archive.json", REPO / "fixtures" / "demo_wikinews.json"]
    call_command("loaddata", *map(str, fixtures), verbosity=0)
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.create_superuser("bench", password=None))
    wire = wire_copy(corpus, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, MAX_UPLOAD_STORIES)
    uploads = {
        "long copy": long_copy(corpus, MAX_UPLOAD_BYTES),
        "wire copy": wire,
        "wire copy corrected": [(name, data.replace(b" said ", b" told ")) for name, data in wire],
        "seed copy": seed_copy(MAX_UPLOAD_FILES),
    }
    results = {}
    for name, copies in uploads.items():
        seconds, articles = upload(client, copies)
        megabytes = sum(len(data) for _, data in copies) / 2**20
        results[name] = (seconds, megabytes, articles)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with temp_archive("bench-upload-"):
        from django.test.utils import setup_test_environment

        setup_test_environment()  # responses carry their context: the upload's report
        runs = [run_once(args.corpus) for _ in range(args.runs)]
    for name in runs[0]:
        seconds = [run[name][0] for run in runs]
        _, megabytes, created = runs[0][name]
        median = statistics.median(seconds)
        print(
            f"{name}: {megabytes:.2f} MB, {created} articles: {median:.1f} s median "
            f"({' / '.join(f'{s:.1f}' for s in seconds)}), {median / megabytes:.1f} s/MB"
        )


if __name__ == "__main__":
    main()
