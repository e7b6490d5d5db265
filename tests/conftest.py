"""Shared fixtures: a real Whoosh index in a temporary folder, and the seed archive."""

from __future__ import annotations

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


@pytest.fixture
def search_backend(whoosh_path):
    """The search backend, emptied before and after the test."""
    backend = connections["default"].get_backend()
    backend.clear()
    yield backend
    backend.clear()


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
