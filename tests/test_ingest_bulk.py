"""A bulk load (the parallel index writer): its documents are made from the articles in memory,
and must be exactly what indexing them from the database gives."""

import json
import multiprocessing
import random
import threading

import pytest
from haystack import connections
from haystack.query import SearchQuerySet

from articles.ingest import BATCH, ingest_paths
from articles.ingest import batches as ingest_batches
from articles.jobs import merge_index
from articles.jobs.models import Job
from articles.models import Article, IndexTask
from articles.search import indexing
from articles.search.whoosh import writing

pytestmark = pytest.mark.django_db(transaction=True)

CITIES = ["CHICAGO", "LONDON", "TOKYO", "NAIROBI", "LUSAKA", "OSLO"]
TOPICS = ["grain", "wheat", "interest", "trade", "crude"]


def body(rng: random.Random) -> str:
    """Sixty made-up words: no two bodies report the same thing."""
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(60)]
    return f"Officials in Zembla said {' '.join(words)}.\n\nThe ministry will report again."


def corpus(count: int) -> list[dict]:
    rng = random.Random(7)
    return [
        {
            "id": f"r{i}",
            "title": f"Zembla report {i}",
            "body": body(rng),
            "published": f"1987-03-{1 + i % 5:02d}",
            "outlet": "Reuters" if i % 3 else "Zembla Post",
            "categories": rng.sample(TOPICS, k=i % 3),
            "dateline": f"{CITIES[i % len(CITIES)]}, March {1 + i % 5} -",
        }
        for i in range(count)
    ]


def write(tmp_path, records: list[dict], last: str = ""):
    path = tmp_path / "bulk.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records) + last)
    return path


def segment_ids(backend) -> tuple[set[str], set[str]]:
    """The segments the index lists, and those whose files are in its folder."""
    listed = {segment.segment_id() for segment in backend.index._segments()}
    files = [name for name in backend.storage.list() if name.startswith("MAIN_") and "." in name]
    return listed, {name.split(".")[0] for name in files}


def test_a_bulk_load_indexes_what_the_database_holds(search_backend, tmp_path):
    records = corpus(BATCH + 200)
    # Copies in the second batch of records in the first: an article written earlier in the same
    # load joins a story after its documents went to the writer.
    for i in range(100):
        records[BATCH + 100 + i] = {**records[i], "id": f"copy{i}"}

    report = ingest_paths([write(tmp_path, records)], describe=False)

    assert report.ok and report.summary()["created"] == len(records)
    first = Article.objects.get(source_file="bulk.jsonl#r0")
    copy = Article.objects.get(source_file="bulk.jsonl#copy0")
    assert first.story_id is not None and copy.story_id == first.story_id
    assert Article.objects.filter(place__city="Nairobi").exists()
    assert not IndexTask.objects.exists()
    index = connections["default"].get_unified_index().get_index(Article)
    assert not search_backend.drift(index, index.index_queryset())


def test_the_bulk_writer_writes_segments_as_it_goes(search_backend, tmp_path, monkeypatch):
    monkeypatch.setattr(search_backend, "bulk_writer_mb", 1)  # a segment every 0.9 MB of postings
    monkeypatch.setattr(ingest_batches, "COMMIT_EVERY", 1300)  # one commit: Whoosh's would write 2
    report = ingest_paths([write(tmp_path, corpus(1300))], describe=False)

    assert report.ok and search_backend.index.doc_count() == 1300
    listed, on_disk = segment_ids(search_backend)
    assert len(listed) >= 4 and listed == on_disk
    assert Job.objects.filter(kind=merge_index.KIND).exists(), "merged in the background"
    index = connections["default"].get_unified_index().get_index(Article)
    assert not search_backend.drift(index, index.index_queryset())


def test_a_failed_bulk_load_keeps_its_committed_batches_and_no_writer_process(
    search_backend, tmp_path, monkeypatch
):
    monkeypatch.setattr(search_backend, "bulk_writer_mb", 1)  # a segment every 0.9 MB of postings
    batch = ingest_batches.COMMIT_EVERY
    report = ingest_paths([write(tmp_path, corpus(batch + 200), last="{not json\n")], describe=False)

    assert not report.ok and f"line {batch + 201}" in report.files[0].error
    assert search_backend.index.doc_count() == Article.objects.count() == batch, "the first batch"
    assert not multiprocessing.active_children()
    listed, on_disk = segment_ids(search_backend)
    assert listed == on_disk
    assert ingest_paths([write(tmp_path, corpus(batch + 200))], describe=False).ok  # corrected
    assert search_backend.index.doc_count() == Article.objects.count() == batch + 200


def test_a_writer_process_that_dies_at_the_end_loses_no_document(
    search_backend, tmp_path, monkeypatch, dying_writer_processes
):
    report = ingest_paths([write(tmp_path, corpus(600))], describe=False)

    assert not report.ok and "IndexingError" in report.files[0].error
    assert not multiprocessing.active_children()
    # The articles are in the database and still queued: the next change applies them too.
    assert IndexTask.objects.count() == Article.objects.count() == 600
    monkeypatch.undo()
    Article.objects.create(headline="Next", body="Another change.")
    assert search_backend.index.doc_count() == 601 and not IndexTask.objects.exists()


def test_a_writer_process_that_dies_on_the_way_fails_the_load(
    search_backend, tmp_path, monkeypatch, dying_writer_processes
):
    monkeypatch.setattr(ingest_batches, "COMMIT_EVERY", BATCH + 500)  # one transaction
    report = ingest_paths([write(tmp_path, corpus(BATCH + 500))], describe=False)  # more than the queue holds

    assert not report.ok and "IndexingError" in report.files[0].error
    assert not multiprocessing.active_children()
    assert not Article.objects.exists() and not IndexTask.objects.exists()
    assert search_backend.index.doc_count() == 0


def test_a_load_waits_for_the_writer_before_its_first_transaction(search_backend, tmp_path, monkeypatch):
    from django.db import transaction

    calls = []
    bulk_writer = type(search_backend).bulk_writer

    def recorded(backend, wait=False):
        calls.append((wait, transaction.get_connection().in_atomic_block))
        return bulk_writer(backend, wait=wait)

    monkeypatch.setattr(type(search_backend), "bulk_writer", recorded)
    report = ingest_paths([write(tmp_path, corpus(ingest_batches.COMMIT_EVERY + 600))], describe=False)

    assert report.ok and search_backend.index.doc_count() == ingest_batches.COMMIT_EVERY + 600
    # The first batch waits for the writer before its transaction (another process may hold it
    # for long: the apply job). The next opens it in its transaction, once the first batch's index
    # commit ended: only writers that hold it a moment can have it then (the apply job stands
    # aside while a load runs), and none of them waits for the database meanwhile.
    assert calls == [(True, False), (True, True)]


def test_a_batch_commits_the_index_while_the_next_batch_works(search_backend, tmp_path, monkeypatch):
    second_began = threading.Event()
    overlapped = []
    commit, write_batch = writing.BulkWriter.commit, ingest_batches.write_batch

    def waiting_commit(writer):
        # Done one after the other, the second batch would begin only after this returned.
        overlapped.append(second_began.wait(timeout=60))
        commit(writer)

    def noting_write_batch(items, *args):
        if items[0].source_file.endswith("#r1000"):
            second_began.set()
        return write_batch(items, *args)

    monkeypatch.setattr(writing.BulkWriter, "commit", waiting_commit)
    monkeypatch.setattr(ingest_batches, "write_batch", noting_write_batch)
    report = ingest_paths([write(tmp_path, corpus(ingest_batches.COMMIT_EVERY + 600))], describe=False)

    assert report.ok and len(overlapped) == 2
    assert overlapped[0], "the first batch's index commit ran while the second batch worked"
    assert search_backend.index.doc_count() == Article.objects.count() == ingest_batches.COMMIT_EVERY + 600
    assert not IndexTask.objects.exists()


def test_changes_queued_during_a_load_commit_with_its_batches(search_backend, tmp_path, monkeypatch):
    edited = Article.objects.create(headline="Okapi census begins", body="Rangers count okapis.")
    # An editor's change whose index update could not be applied (the load held the writer): queued.
    Article.objects.filter(pk=edited.pk).update(headline="Okapi census ends")
    IndexTask.objects.create(article_id=edited.pk)
    monkeypatch.setattr(indexing, "apply_pending", lambda *args, **kwargs: 0)  # only the load's writer

    report = ingest_paths([write(tmp_path, corpus(ingest_batches.COMMIT_EVERY + 600))], describe=False)

    assert report.ok and not IndexTask.objects.exists(), "taken by the load's own index writer"
    index = connections["default"].get_unified_index().get_index(Article)
    assert not search_backend.drift(index, index.index_queryset())
    found = SearchQuerySet().filter(content="ends")
    assert [result.pk for result in found] == [str(edited.pk)]
