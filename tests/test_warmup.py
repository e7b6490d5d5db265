"""A web worker warms the search index when it starts (gunicorn's ``post_worker_init``)."""

import runpy

import pytest
from haystack.query import SearchQuerySet

from articles.search.facets import FACETS
from tests.conftest import REPO

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_starting_worker_builds_the_searcher_and_every_facet_before_its_first_request(seeded):
    backend = seeded
    backend._searcher = backend._shared = None  # as a new worker finds it

    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    config["post_worker_init"](worker=None)

    searcher, shared = backend._searcher, backend._shared
    assert searcher is not None and searcher.up_to_date()
    assert {f"{facet.field}_exact" for facet in FACETS} <= set(shared._values)
    assert "AP" in shared._values["outlet_exact"].names
    assert {"-published", "published"} <= set(shared._sort_keys)
    # The first search uses what was built instead of building it again.
    SearchQuerySet().facet("outlet").order_by("-published")[:1]
    assert backend._searcher is searcher and backend._shared is shared


def test_a_failure_to_warm_is_logged_and_the_worker_serves_anyway(seeded, monkeypatch, caplog, client):
    def broken(*args, **kwargs):
        raise OSError("index unreadable")

    monkeypatch.setattr(type(seeded), "warm", broken)
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    config["post_worker_init"](worker=None)

    assert "Warming the search index failed" in caplog.text
    monkeypatch.undo()
    assert client.get("/").status_code == 200
