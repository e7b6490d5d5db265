"""Stopping the commands that write the index (SIGTERM as Ctrl-C), a writer another process holds,
and index writer processes that die with their parent: no orphan keeps the index's lock."""

import io
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from haystack.query import SearchQuerySet

from articles.models import Article, IndexTask
from articles.search import indexing
from articles.search.whoosh import writing
from articles.search_indexes import ArticleIndex
from tests.conftest import REPO
from tests.test_index_queue import records

pytestmark = pytest.mark.django_db(transaction=True)


class Unhandled(Exception):
    """SIGTERM reached the test's own handler: the command did not handle it."""


@pytest.fixture
def sigterm_to_self(multiprocessing_children):
    """A function that sends this process SIGTERM, as ``kill`` does; without a handler of the
    command's own, the test's raises ``Unhandled`` (instead of ending the test run)."""

    def unhandled(signum, frame):
        raise Unhandled

    previous = signal.signal(signal.SIGTERM, unhandled)
    yield lambda: os.kill(os.getpid(), signal.SIGTERM)
    signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def multiprocessing_children():
    """``multiprocessing.active_children``; none may be left after the test."""
    yield multiprocessing.active_children
    assert multiprocessing.active_children() == [], "the writer's processes are stopped"


def writer_is_free(backend) -> bool:
    writer = backend.index.writer(timeout=0)  # LockError when held
    writer.cancel()
    return True


def test_sigterm_stops_a_rebuild_like_ctrl_c(seeded, monkeypatch, sigterm_to_self, multiprocessing_children):
    monkeypatch.setattr(writing, "PARALLEL_THRESHOLD", 1)  # both cores
    before = SearchQuerySet().count()
    original = ArticleIndex.index_queryset
    running = []

    def index_queryset(self, using=None):
        queryset = original(self, using)
        article = queryset.first()

        def articles(chunk_size=None):
            for n in range(400):  # enough to start both writer processes
                if n == 300:
                    running.extend(multiprocessing_children())
                    sigterm_to_self()
                yield article

        monkeypatch.setattr(queryset, "iterator", articles)
        return queryset

    monkeypatch.setattr(ArticleIndex, "index_queryset", index_queryset)
    with pytest.raises(CommandError) as stopped:
        call_command("rebuild_index", "--noinput", stdout=io.StringIO())

    assert running, "its writer processes were running"
    assert stopped.value.returncode == 128 + signal.SIGTERM
    assert str(stopped.value).startswith("Stopped by SIGTERM")
    assert SearchQuerySet().count() == before, "the live index as it was"
    assert writer_is_free(seeded)


def test_sigterm_stops_an_ingest_like_ctrl_c(search_backend, tmp_path, monkeypatch, sigterm_to_self):
    add = writing.BulkWriter.add

    def add_then_stop(writer, index, objects):
        add(writer, index, objects)
        sigterm_to_self()

    monkeypatch.setattr(writing.BulkWriter, "add", add_then_stop)
    with pytest.raises(CommandError) as stopped:
        call_command("ingest", str(records(tmp_path, 1200)), stdout=io.StringIO())

    assert stopped.value.returncode == 128 + signal.SIGTERM
    assert not Article.objects.exists() and not IndexTask.objects.exists()
    assert search_backend.index.doc_count() == 0 and writer_is_free(search_backend)


def test_a_rebuild_while_another_process_writes_says_who_in_one_line(seeded, monkeypatch):
    monkeypatch.setattr(writing, "LOCK_TIMEOUT", 0)
    busy = seeded.index.writer()  # this test's process holds the writer
    try:
        with pytest.raises(CommandError) as failed:
            call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    finally:
        busy.cancel()
    message = str(failed.value)
    assert message.startswith(f"The search index is being written by process {os.getpid()} (")
    assert "Run this again once it has finished" in message and "\n" not in message


def test_an_ingest_while_another_process_writes_says_its_articles_wait(search_backend, tmp_path):
    busy = search_backend.index.writer()
    out = io.StringIO()
    try:
        call_command("ingest", str(records(tmp_path, 5)), stdout=out)
    finally:
        busy.cancel()
    assert f"being written by process {os.getpid()} (" in out.getvalue()
    assert (
        "5 article(s) wait for the search index: manage.py apply_index_queue applies them." in out.getvalue()
    )
    call_command("apply_index_queue", stdout=io.StringIO())
    assert search_backend.index.doc_count() == 5 and not IndexTask.objects.exists()


# A process with a parallel index writer: a web worker's, whose SIGTERM handler ignores the signal
# (as gunicorn's does). Its writer processes must still stop when it cancels the writer, and die
# when it is killed. The script is their subreaper: orphans (the fork server that started them,
# and they, unless the fork server reaped them) become its children, which it waits for until
# none is left (it hangs, and the test fails on its timeout, if one survives).
WRITER_PROCESSES = textwrap.dedent(
    """
    import ctypes, json, os, signal
    import django

    django.setup()
    from haystack import connections

    from articles.search.whoosh.writing import _cancel

    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    backend = connections["default"].get_backend()
    backend.setup()


    def start_writer():
        writer = backend.bulk_writer().writer
        for n in range(300):  # three jobs: both processes start
            writer.add_document(id=f"doc.{n}", django_ct="doc", django_id=str(n), text="word")
        return writer


    read, write = os.pipe()
    worker = os.fork()
    if worker == 0:
        signal.signal(signal.SIGTERM, lambda signum, frame: None)
        writer = start_writer()
        _cancel(writer)  # stops its processes
        writer = start_writer()
        os.write(write, json.dumps([task.pid for task in writer.tasks]).encode())
        os.kill(os.getpid(), signal.SIGKILL)
    tasks = json.loads(os.read(read, 1000))
    while True:
        try:
            os.waitpid(-1, 0)  # the worker, then the orphans: ours now
        except ChildProcessError:
            break


    def ended(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


    print("all", sum(map(ended, tasks)), "writer processes ended")
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="pidfd_open and prctl are Linux's")
def test_writer_processes_stop_on_sigterm_and_die_with_their_parent(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
        "NEWSARCHIVE_DATA_DIR": str(tmp_path),
        "WHOOSH_PATH": str(tmp_path / "whoosh"),
    }
    script = subprocess.Popen(  # in a process group of its own, orphans included
        [sys.executable, "-c", WRITER_PROCESSES],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = script.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(script.pid, signal.SIGKILL)  # survivors would run on after the test
        out, err = script.communicate()
    assert script.returncode == 0, err
    assert out.strip() == "all 2 writer processes ended"


def test_an_interrupted_apply_leaves_its_tasks_queued(search_backend, monkeypatch):
    article = Article.objects.create(headline="Queued", body="Queued okapi.")
    monkeypatch.setattr(writing, "SegmentWriter", _Interrupting)
    Article.objects.filter(pk=article.pk).update(headline="Queued, renamed")
    with pytest.raises(KeyboardInterrupt):
        indexing.schedule_sync([article.pk])
    assert list(IndexTask.objects.values_list("article_id", flat=True)) == [article.pk]
    assert writer_is_free(search_backend)
    monkeypatch.undo()
    assert indexing.apply_pending() == 1
    assert [r.headline for r in SearchQuerySet().auto_query("okapi")] == ["Queued, renamed"]


class _Interrupting(writing.SegmentWriter):
    def commit(self, **kwargs):
        raise KeyboardInterrupt
