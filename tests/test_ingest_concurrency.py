"""Two ingests creating the same outlet, topic or place at once (PostgreSQL): the second waits for
the first and takes its row, instead of failing its whole file on the unique constraint.

The test's own transaction plays the first ingest: it creates the row and keeps it uncommitted
until ``manage.py ingest`` (a real second process) is seen waiting for it in ``pg_locks``.
SQLite has one writer at a time, so the race cannot happen there.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from django.db import connection, transaction

from articles.models import Article, Outlet, Place, Topic
from tests.conftest import REPO, database_url

pytestmark = pytest.mark.django_db(transaction=True)

RECORD = {
    "id": "g-1",
    "title": "Maize prices fall in Nairobi",
    "body": "Maize prices fell for a third week, traders said.",
    "published": "2020-01-02",
    "outlet": "Gazette",
    "categories": ["grain"],
    "dateline": "NAIROBI, Jan 2 -",
}
WAIT = 60  # seconds for the ingest to reach the row


def _create(kind: str):
    """The first ingest's row (a slug of its own, so the second finds it by name only)."""
    if kind == "outlet":
        return Outlet.objects.create(name="Gazette", slug="the-gazette")
    if kind == "topic":
        return Topic.objects.create(name="grain", slug="grain-trade")
    return Place.objects.create(city="Nairobi", country="Kenya")


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.parametrize("kind", ["outlet", "topic", "place"])
def test_a_row_another_ingest_is_creating_is_taken(tmp_path, kind):
    path = tmp_path / "gazette.jsonl"
    path.write_text(json.dumps(RECORD) + "\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
        "DATABASE_URL": database_url(),
        "NEWSARCHIVE_DATA_DIR": str(tmp_path / "data"),
        "WHOOSH_PATH": str(tmp_path / "whoosh"),
    }
    with transaction.atomic():
        first = _create(kind)
        ingest = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", "--json", str(path)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + WAIT
        while not _waiting_for_a_lock() and ingest.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ingest.poll() is None, f"the ingest ended without waiting: {ingest.communicate()}"
        assert time.monotonic() < deadline, "the ingest never waited for the uncommitted row"
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, out + err
    assert json.loads(out)["summary"]["created"] == 1
    article = Article.objects.get()
    taken = {"outlet": article.outlet, "topic": article.topics.get(), "place": article.place}[kind]
    assert taken == first
    assert (Outlet.objects.count(), Topic.objects.count(), Place.objects.count()) == (1, 1, 1)
