"""Ingest speed: the whole Reuters-21578 corpus through ``articles.ingest`` vs a bare Whoosh writer.

    python bench/bench_ingest.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]

Each run starts from an empty SQLite database and Whoosh index in a temporary folder and
times parse + database + index (the index is written when the file's transaction commits).
Then, in the same run, a bare Whoosh 2.7.4 writer adds the very same documents (prepared
beforehand, so it pays for analysis and writing only) with the same schema and both cores
(``procs=2``), into a fresh index. Prints articles/s for both, their ratio, and the peak
RSS of the first ingest (this process and its writer subprocesses). Medians over the runs.

Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from _archive import DEFAULT_CORPUS, temp_archive


def peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, children_kb) / 1024


def run_once(corpus: Path) -> tuple[float, float, int, float]:
    """(ingest articles/s, bare writer docs/s, articles, peak RSS MB so far) from an empty archive."""
    from django.core.management import call_command
    from haystack import connections
    from whoosh.filedb.filestore import FileStorage

    from articles.ingest import ingest_paths
    from articles.models import Article

    call_command("flush", interactive=False, verbosity=0)
    backend = connections["default"].get_backend()
    backend.clear()

    started = time.perf_counter()
    report = ingest_paths([corpus], describe=False)
    ingest_seconds = time.perf_counter() - started
    rss = peak_rss_mb()
    if not report.ok:
        raise SystemExit(f"ingest failed: {report.files[0].error}")
    articles = report.summary()["created"]
    assert backend.index.doc_count() == articles == Article.objects.count()

    index = connections["default"].get_unified_index().get_index(Article)
    documents = list(backend._documents(index, index.index_queryset().iterator(chunk_size=1000)))
    bare_dir = Path(tempfile.mkdtemp(prefix="bare-whoosh-"))
    try:
        bare_index = FileStorage(str(bare_dir)).create_index(backend.schema)
        started = time.perf_counter()
        writer = bare_index.writer(procs=2, limitmb=256, multisegment=True)
        for doc in documents:
            writer.add_document(**doc)
        writer.commit()
        bare_seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(bare_dir)
    return articles / ingest_seconds, len(documents) / bare_seconds, articles, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with temp_archive("bench-ingest-"):
        ours, bare, first_rss = [], [], None
        for run in range(1, args.runs + 1):
            rate, bare_rate, articles, rss = run_once(args.corpus.resolve())
            first_rss = first_rss or rss
            ours.append(rate)
            bare.append(bare_rate)
            print(
                f"run {run}: {articles} articles; ingest {rate:.0f}/s, bare Whoosh writer "
                f"{bare_rate:.0f}/s, ratio {rate / bare_rate:.2f}"
            )
        median, bare_median = statistics.median(ours), statistics.median(bare)
        print(f"median ingest (parse + database + index): {median:.0f} articles/s")
        print(f"median bare Whoosh writer (procs=2), same documents and schema: {bare_median:.0f} docs/s")
        print(f"ratio ingest / bare writer: {median / bare_median:.2f}")
        print(f"peak RSS during the first ingest (process and writer subprocesses): {first_rss:.0f} MB")


if __name__ == "__main__":
    main()
