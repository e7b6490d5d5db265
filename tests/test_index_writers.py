"""The index's parallel writer (a rebuild, a large sync, a bulk load): its processes write the
fields the index definition has now, and one that dies fails the write instead of hanging it or
dropping its documents."""

import copy
import multiprocessing
import os
import sys
from pathlib import Path

import pytest
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import IndexingError

from articles.models import Article
from articles.search.whoosh import writing

pytestmark = pytest.mark.django_db(transaction=True)


def rebuild_with_both_processes(backend) -> int:
    index = connections["default"].get_unified_index().get_index(Article)
    return backend.rebuild(index, index.index_queryset(), expected=writing.PARALLEL_THRESHOLD)


def test_writer_processes_write_a_field_added_since_the_index_was_written(search_backend):
    Article.objects.create(headline="Okapi census", body="Rangers counted okapis.", headline_supplied=True)
    index = search_backend.index
    toc = index._read_toc()
    older = copy.deepcopy(toc.schema)
    older.remove("headline_supplied")  # as an index written before the field was defined
    toc.schema, toc.generation = older, toc.generation + 1
    toc.write(index.storage, index.indexname)

    assert rebuild_with_both_processes(search_backend) == 1

    [result] = SearchQuerySet().filter(content="okapis")
    assert result.headline_supplied is True
    on_disk = FileStorage(index.storage.folder).open_index(index.indexname)
    assert "headline_supplied" in on_disk.schema, "the table of contents has it from then on"


def test_a_writer_process_that_dies_fails_a_rebuild_and_leaves_the_index_as_it_was(
    search_backend, dying_writer_processes
):
    Article.objects.create(headline="Okapi census", body="Rangers counted okapis.")
    with pytest.raises(IndexingError):
        rebuild_with_both_processes(search_backend)

    assert not multiprocessing.active_children()
    assert [r.headline for r in SearchQuerySet().filter(content="okapis")] == ["Okapi census"]


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:"))


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_writer_processes_carry_none_of_the_memory_of_the_process_that_writes(search_backend):
    """They are started by a fork server, not forked from the writing process: a bulk load's heap
    (some 450 MB at 100k articles) is not theirs, so nothing the load writes while they live is
    copied. Forked, each would hold the writing process's every page, this test's 160 MB too."""
    article = Article.objects.create(headline="Okapi census", body="Rangers counted okapis.")
    index = connections["default"].get_unified_index().get_index(Article)
    [doc] = search_backend._documents(index, [article])
    held = b"x" * (160 << 20)
    for end in (writing._commit, writing._cancel):
        writer = writing.open_writer(search_backend.index, procs=2)
        try:
            for _ in range(2 * writer.batchsize):  # a job file for each process
                writer.add_document(**doc)
            assert len(writer.tasks) == 2 and resident_mb(os.getpid()) > len(held) >> 20
            assert all(resident_mb(task.pid) < len(held) >> 20 for task in writer.tasks)
        finally:
            end(writer)
        assert not multiprocessing.active_children(), end.__name__
    assert search_backend.index.doc_count() == 2 * writer.batchsize + 1
