"""Shared fixtures: a real Whoosh index in a temporary folder, and the seed archive."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
SEED_FIXTURE = REPO / "fixtures" / "seed_archive.json"
DEMO_FIXTURE = REPO / "fixtures" / "demo_wikinews.json"


@pytest.fixture(scope="session", autouse=True)
def whoosh_path(tmp_path_factory) -> Path:
    """Point the search connection at a fresh on-disk index for the test session."""
    path = tmp_path_factory.mktemp("whoosh")
    info = connections.connections_info["default"]
    if "PATH" in info:
        info["PATH"] = str(path)
        connections.reload("default")
    return path


@pytest.fixture(scope="session", autouse=True)
def story_index_file(tmp_path_factory) -> Path:
    """Save the story index in a temporary folder, not beside the developer's archive."""
    from django.conf import settings

    path = tmp_path_factory.mktemp("stories") / "story-index.pickle"
    settings.STORY_INDEX_FILE = str(path)
    return path


@pytest.fixture(scope="session", autouse=True)
def upload_spool_dir(tmp_path_factory) -> Path:
    """Store uploaded files for their jobs in a temporary folder, not in the developer's data dir."""
    from django.conf import settings

    path = tmp_path_factory.mktemp("uploads")
    settings.UPLOAD_SPOOL_DIR = path
    return path


@pytest.fixture(autouse=True)
def fresh_name_tables():
    """Each test reads the name variants table and its facet labels anew: they are kept per
    process for a while, and one test's groups must not label the next one's facets."""
    from articles.search import aliases, entity_names

    aliases.invalidate()
    entity_names.invalidate()


@pytest.fixture
def search_backend(whoosh_path):
    """The search backend, emptied before and after the test."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def dying_writer_processes(monkeypatch) -> None:
    """The processes of every parallel index writer (a rebuild's, a large sync's, a bulk load's) die
    as soon as they start, as the kernel's out-of-memory killer would end them."""
    from articles.search.whoosh import writing

    start = writing._ParallelWriter._new_task

    def started_then_killed(self):
        task = start(self)
        task.kill()
        task.join()
        return task

    monkeypatch.setattr(writing._ParallelWriter, "_new_task", started_then_killed)


@pytest.fixture
def syncs(monkeypatch) -> list[set[int]]:
    """The article ids of each index sync (each one index commit) during the test, in order."""
    from articles.search import indexing

    calls, sync = [], indexing.sync_articles

    def counted(ids, **kwargs):
        calls.append(set(ids))
        return sync(ids, **kwargs)

    monkeypatch.setattr(indexing, "sync_articles", counted)
    return calls


@pytest.fixture
def seeded(transactional_db, search_backend):
    """The hand-curated seed archive, committed and indexed (as `loaddata` leaves it)."""
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    return search_backend


@pytest.fixture
def demo(seeded):
    """Seeds plus the 291 Wikinews demo articles."""
    call_command("loaddata", str(DEMO_FIXTURE), verbosity=0)
    return seeded


@pytest.fixture
def editor(client, seeded):
    """A client logged in as a member of the Editors group, on the seed archive."""
    from tests.editors import PASSWORD, make_editor

    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


@pytest.fixture
def deal(transactional_db, tmp_path) -> list:
    """A sale told by the seller and the buyer one day (one story), and the regulator's
    approval of it the next day: the story rule does not join that, but offers it to editors
    as a possible version. Ingested from a JSONL file; returns the three articles."""
    from articles.models import Article
    from tests.stories.test_story_similarity import APPROVAL, BUYER, SELLER

    rows = [
        ("r1", "CONSOLIDATED HARBOUR TO SELL THORNBURY UNIT", SELLER, "2024-03-05"),
        ("r2", "MERIDIAN TO BUY THORNBURY FOR 84.5 MLN DLRS", BUYER, "2024-03-05"),
        ("r3", "ICC APPROVES MERIDIAN PURCHASE OF THORNBURY", APPROVAL, "2024-03-06"),
    ]
    records = [{"id": i, "title": t, "body": b, "published": d, "outlet": "Reuters"} for i, t, b, d in rows]
    path = tmp_path / "deal.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    return [Article.objects.get(source_file=f"deal.jsonl#{i}") for i, *_ in rows]


def run_jobs() -> int:
    """Run the queued background jobs as ``manage.py worker --batch`` does; how many tasks ran."""
    from articles.jobs.runner import run_queued

    return run_queued("tests")


def process_env(folder) -> dict[str, str]:
    """The environment of a ``manage.py`` or gunicorn process on a data folder of its own
    (``folder``), using the database this test sees."""
    import os

    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(folder / "data"), "WHOOSH_PATH": str(folder / "whoosh")}
    env.pop("DATABASE_URL", None)
    if url := database_url():
        env["DATABASE_URL"] = url
    return env


def database_url() -> str | None:
    """The PostgreSQL test database as a URL, for a ``manage.py`` process that must use the database
    this test sees (None on SQLite)."""
    import os
    from urllib.parse import quote

    from django.db import connection

    if not os.environ.get("DATABASE_URL"):
        return None
    db = connection.settings_dict
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}@"
    return f"postgres://{credentials}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
