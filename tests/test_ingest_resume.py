"""A large records file commits batch by batch: stopped any way (Ctrl-C, SIGTERM, ``kill -9``) it
keeps its committed batches, with the search index in step, and the same command resumes it.

The interrupted load is a real ``manage.py ingest`` process over a temporary data folder (a
migrated SQLite database, or the PostgreSQL test database when ``DATABASE_URL`` is set), stopped
by a real signal while its third batch is written (its documents handed to the index writer's
processes, its transaction open); the resumed one is a plain ``manage.py ingest``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.ingest import batches as ingest_batches
from articles.management.commands import ingest as ingest_command
from articles.models import Article, IngestCheckpoint
from tests.conftest import REPO, process_env

pytestmark = pytest.mark.django_db(transaction=True)

RECORDS = 3500
SMALL_BATCH = 500  # records a batch commits in the interrupted process (a bulk writer's, at least)
WAIT_SECONDS = 180  # for the interrupted process to reach its third batch, polled

# ``manage.py ingest`` in batches of SMALL_BATCH that pauses in its third batch, once the batch's
# documents went to the index writer, until a signal stops it: the test sends the signal then.
INTERRUPTED_INGEST = """
import os, sys, time
import django

django.setup()
from articles.ingest import batches, writing
from articles.search.indexing import BulkIndexer

batches.COMMIT_EVERY = int(os.environ["SMALL_BATCH"])
writing.BATCH = int(os.environ["SMALL_BATCH"])
add, calls = BulkIndexer.add, []


def add_then_pause(indexer, articles):
    add(indexer, articles)
    calls.append(len(articles))
    if len(calls) == 3:
        open(os.environ["PAUSED"], "w").close()
        time.sleep(600)  # a signal ends it


BulkIndexer.add = add_then_pause
from django.core.management import execute_from_command_line

execute_from_command_line(["manage.py", "ingest", *sys.argv[1:]])
"""

STATE = """
import json
from articles.models import Article, IngestCheckpoint
print(json.dumps({
    "articles": Article.objects.count(),
    "sources": Article.objects.values("source_file").distinct().count(),
    "checkpoints": list(IngestCheckpoint.objects.values_list("file_name", "lines")),
}))
"""


def write_records(path: Path, count: int, bad_line: int | None = None) -> Path:
    lines = [
        json.dumps({"id": f"r{i}", "title": f"Resumed record {i}", "body": f"Okapi report number {i}."})
        for i in range(count)
    ]
    if bad_line:
        lines[bad_line - 1] = '{"title": 1987}'
    path.write_text("".join(line + "\n" for line in lines))
    return path


@dataclass
class Archive:
    """A data folder (database, index) that ``manage.py`` processes work on."""

    env: dict[str, str]

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def state(self) -> dict:
        shell = self.manage("shell", "--no-imports", "-c", STATE)
        assert shell.returncode == 0, shell.stderr
        return json.loads(shell.stdout.strip().splitlines()[-1])


@pytest.fixture
def archive(tmp_path, transactional_db) -> Archive:
    env = process_env(tmp_path)
    archive = Archive(env)
    migrated = archive.manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return archive


def interrupted(archive: Archive, path: Path, signum: signal.Signals, tmp_path: Path):
    """Run the pausing ingest, stop it with ``signum`` in its third batch; its finished process."""
    paused = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_INGEST, str(path)],
        cwd=REPO,
        env={**archive.env, "SMALL_BATCH": str(SMALL_BATCH), "PAUSED": str(paused)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its writer processes too, should any survive it
    )
    try:
        for _ in range(WAIT_SECONDS * 10):
            if paused.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert paused.exists(), f"it never reached its third batch: {process.communicate()}"
        process.send_signal(signum)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return process.returncode, out, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_stopped_load_keeps_its_batches_and_resumes(archive, tmp_path, signum):
    path = write_records(tmp_path / "bulk.jsonl", RECORDS)

    status, _, err = interrupted(archive, path, signum, tmp_path)

    committed = 2 * SMALL_BATCH  # the third batch was being written
    if signum == signal.SIGKILL:
        assert status == -signal.SIGKILL
    else:
        assert status == 128 + signum, err
        assert f"Stopped by {signum.name}: work not yet committed was undone." in err
        assert f"bulk.jsonl: its first {committed:,} lines are committed; " in err
        assert f"the same command again resumes at line {committed + 1:,}." in err
    state = archive.state()
    assert state["articles"] == state["sources"] == committed, "the committed batches, once each"
    assert state["checkpoints"] == [["bulk.jsonl", committed]]
    check = archive.manage("check_index")
    assert check.returncode == 0 and "In step." in check.stdout, check.stdout + check.stderr

    resumed = archive.manage("ingest", str(path))

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"resuming bulk.jsonl at line {committed + 1:,}" in resumed.stderr
    left = RECORDS - committed
    assert f"(resumed at line {committed + 1:,}): {left} article(s): {left} created" in resumed.stdout
    assert f"ingest: {left:,} of {left:,} articles (100 %)" in resumed.stderr, "progress off a terminal"
    state = archive.state()
    assert state["articles"] == state["sources"] == RECORDS, "one article per record"
    assert state["checkpoints"] == [], "the end of the file removes its checkpoint"
    check = archive.manage("check_index")
    assert check.returncode == 0 and "In step." in check.stdout, check.stdout + check.stderr

    again = archive.manage("ingest", str(path))  # read whole again: nothing changes
    assert again.returncode == 0 and f"{RECORDS} unchanged" in again.stdout, again.stdout + again.stderr


def ingest(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=StringIO())
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue()


def test_a_bad_record_keeps_the_batches_before_it(search_backend, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_batches, "COMMIT_EVERY", 1000)
    path = write_records(tmp_path / "bulk.jsonl", 2500, bad_line=2100)

    status, out = ingest(str(path))
    assert status == 1 and "line 2100" in out and "its first 2,000 lines are committed" in out
    assert Article.objects.count() == 2000
    assert list(IngestCheckpoint.objects.values_list("lines", flat=True)) == [2000]
    check = StringIO()
    call_command("check_index", stdout=check)
    assert "In step." in check.getvalue()

    status, out = ingest(str(path))  # as it is: resumed, and failed at the same line
    assert status == 1 and "line 2100" in out and Article.objects.count() == 2000

    status, out = ingest("--dry-run", str(write_records(tmp_path / "bulk.jsonl", 2500)))  # corrected
    assert status == 0 and "2000 unchanged" in out and Article.objects.count() == 2000
    assert IngestCheckpoint.objects.exists(), "a dry run leaves the checkpoint alone"

    status, out = ingest(str(path))  # another file now: read whole
    assert status == 0 and "500 created, 0 updated, 2000 unchanged" in out
    assert Article.objects.count() == 2500 and not IngestCheckpoint.objects.exists()


def test_progress_off_a_terminal_is_logged_with_totals(search_backend, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(ingest_batches, "COMMIT_EVERY", 1000)
    monkeypatch.setattr(ingest_command, "PROGRESS_EVERY", 0)  # a line for every batch
    path = write_records(tmp_path / "bulk.jsonl", 2500)
    (tmp_path / "copy.txt").write_text("NAIROBI, March 3 (Reuters) - Kenya's central bank held its rate.\n")

    with caplog.at_level("INFO", logger="articles.progress"):
        assert ingest(str(path), str(tmp_path / "copy.txt"))[0] == 0

    lines = [r.getMessage() for r in caplog.records if r.name == "articles.progress"]
    assert [line.split(" (")[0] for line in lines] == [
        "ingest: 1,000 of 2,501 articles",
        "ingest: 2,000 of 2,501 articles",
        "ingest: 2,500 of 2,501 articles",
        "ingest: 2,501 of 2,501 articles",
        "ingest: 2,501 of 2,501 articles",  # the last, with the time it took
    ]
    assert " a second" in lines[0] and lines[-1].endswith(" s") and " in " in lines[-1]
