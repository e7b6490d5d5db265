"""A web request does bounded index work: it applies its own changes after its commit (at most
``REQUEST_BATCH`` articles), starts no index writer processes, and leaves the rest to the
``apply_index`` background job; the editor is told how many articles wait."""

import io
import multiprocessing

import pytest
from django.core.management import call_command
from django.db import transaction
from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article, IndexTask, Job, Outlet
from articles.search import indexing
from articles.search.whoosh import writing
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = 10


@pytest.fixture
def wire(search_backend, monkeypatch) -> Outlet:
    """An outlet with ARTICLES indexed articles, and requests that apply 3 changes each."""
    monkeypatch.setattr(indexing, "REQUEST_BATCH", 3)
    with transaction.atomic():
        outlet = Outlet.objects.create(name="Zembla Wire")
        for n in range(ARTICLES):
            Article.objects.create(headline=f"Wire report {n}", body=f"Report {n}.", outlet=outlet)
    return outlet


def outlets() -> dict[int, str]:
    return {int(r.pk): r.outlet for r in SearchQuerySet().all()}


def rename(client, outlet: Outlet, name: str):
    return client.post(
        f"/admin/articles/outlet/{outlet.pk}/change/",
        {"name": name, "slug": outlet.slug, "kind": "wire", "aliases": "", "url": ""},
        follow=True,
    )


def queued() -> set[int]:
    return set(IndexTask.objects.values_list("article_id", flat=True))


def test_renaming_an_outlet_leaves_its_articles_to_a_background_job(admin_client, wire):
    ids = sorted(wire.articles.values_list("pk", flat=True))

    response = rename(admin_client, wire, "Zembla Newswire")

    assert response.status_code == 200 and response.redirect_chain[0][1] == 302
    assert Outlet.objects.get(pk=wire.pk).name == "Zembla Newswire"  # saved
    assert queued() == set(ids), "more than the request's share: none applied in the request"
    assert set(outlets().values()) == {"Zembla Wire"}
    shown = [str(m) for m in response.context["messages"]]
    assert f"Search is updated in the background: {ARTICLES} article(s)" in " ".join(shown)
    [job] = Job.objects.all()
    assert job.kind == "apply_index" and job.state == Job.State.QUEUED

    rename(admin_client, Outlet.objects.get(pk=wire.pk), "Zembla Newswire Service")
    assert Job.objects.count() == 1, "one waiting job is enough"

    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and (job.done, job.total) == (2 * ARTICLES, 2 * ARTICLES)
    assert not IndexTask.objects.exists()
    assert set(outlets().values()) == {"Zembla Newswire Service"}


def test_an_edit_during_a_backlog_reaches_search_at_once(admin_client, wire):
    other = Article.objects.create(headline="Unrelated", body="Nothing to do with the wire.")
    rename(admin_client, wire, "Zembla Newswire")
    backlog = queued()
    assert len(backlog) == ARTICLES

    page = admin_client.get(f"/admin/articles/article/{other.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        headline="Unrelated and renamed",
        topics=[],
        **{
            f"{inline}-{field}": "0"
            for inline in ("captions", "versions")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    )
    response = admin_client.post(f"/admin/articles/article/{other.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [r.headline for r in SearchQuerySet().auto_query("renamed")] == ["Unrelated and renamed"]
    assert queued() == backlog, "its own change only: the backlog is the job's"


@pytest.fixture
def process_starts(monkeypatch) -> list:
    """Every index writer process started (they are still started, and work)."""
    started = []
    start = multiprocessing.Process.start

    def recording(process):
        started.append(process)
        start(process)

    monkeypatch.setattr(multiprocessing.Process, "start", recording)
    return started


def test_a_request_starts_no_index_writer_process(admin_client, wire, monkeypatch, process_starts):
    monkeypatch.setattr(indexing, "REQUEST_BATCH", ARTICLES)
    monkeypatch.setattr(writing, "PARALLEL_THRESHOLD", 1)  # any sync would use both cores

    rename(admin_client, wire, "Zembla Newswire")

    assert process_starts == []
    assert not IndexTask.objects.exists() and set(outlets().values()) == {"Zembla Newswire"}
    Outlet.objects.filter(pk=wire.pk).update(name="Zembla Press")
    indexing.schedule_sync(wire.articles.values_list("pk", flat=True))  # outside a request: both cores
    assert process_starts and not multiprocessing.active_children()
    assert set(outlets().values()) == {"Zembla Press"}


def test_a_bulk_load_in_a_request_only_queues(search_backend, monkeypatch):
    monkeypatch.setattr(indexing.BulkIndexer, "THRESHOLD", 1)
    bulk_writers = []
    monkeypatch.setattr(type(search_backend), "bulk_writer", lambda backend: bulk_writers.append(backend))
    with indexing.bounded(), indexing.bulk_index() as indexer, transaction.atomic():
        indexer.add([Article.objects.create(headline="Uploaded", body="Uploaded copy.")])
    assert bulk_writers == [] and indexer.writer is None
    assert [r.headline for r in SearchQuerySet().auto_query("uploaded")] == ["Uploaded"]


def segments(backend) -> list[int]:
    return sorted(segment.doc_count_all() for segment in backend.index._segments())


def test_a_requests_commit_leaves_large_merges_to_the_merge(search_backend, monkeypatch):
    monkeypatch.setattr(writing, "SMALL_MERGE", 5)
    with transaction.atomic():
        many = [Article.objects.create(headline=f"Many {n}", body="Bulk.") for n in range(20)]
        singles = [Article.objects.create(headline=f"Single {n}", body="One.") for n in range(5)]
    search_backend.clear()
    # Five segments; Whoosh's policy merges them all (24 documents) at the next commit.
    indexing.sync_articles([a.pk for a in many])
    for article in singles[:4]:
        indexing.sync_articles([article.pk])
    assert segments(search_backend) == [1, 1, 1, 1, 20]

    with indexing.bounded():
        indexing.sync_articles([singles[4].pk])
    assert segments(search_backend) == [1, 1, 1, 1, 1, 20], "more than 5 documents: no merge"

    call_command("apply_index_queue", stdout=io.StringIO())
    assert segments(search_backend) == [25], "merged beside the index"
    index = connections["default"].get_unified_index().get_index(Article)
    assert not search_backend.drift(index, index.index_queryset())
