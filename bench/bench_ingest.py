"""Ingest speed: the whole Reuters-21578 corpus through ``articles.ingest`` vs a bare Whoosh writer.

    python bench/bench_ingest.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]

Each run starts from an empty SQLite database and Whoosh index in a temporary folder and times
``manage.py ingest`` on the corpus, in a process of its own as an operator runs it: parse +
database + stories + index (the index is written while the load runs and committed once the
file's transaction has). Then, in the same run, a bare Whoosh 2.7.4 writer
(Whoosh's own ``MpWriter``: one segment per process, written at commit) adds the very same
documents (prepared beforehand, so it pays for analysis and writing only) with the same schema
and both cores (``procs=2``), into a fresh index. Prints articles/s for both and their ratio
(medians over the runs), and the highest memory of an ingest: the ingest process and its two
writer processes together (their proportional set sizes, so shared pages count once), sampled
every half second (reading a large process's PSS costs a few ms of CPU: sampled more often, the
measurement would slow the ingest it measures).

Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO, temp_archive


def tree_memory_kb(pid: int) -> int:
    """Memory of a process and all its descendants now, in kB: the sum of their proportional set
    sizes (PSS: each page shared by n processes counts 1/n in each; Linux ``/proc``)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:  # it has just exited
        return 0
    own = next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return own + sum(tree_memory_kb(int(child)) for child in children)


def ingest(corpus: Path) -> tuple[float, float]:
    """Run ``manage.py ingest`` on the corpus as an operator would, in a process of its own
    (sampling its memory with its writer processes' every half second); (seconds, peak MB)."""
    command = [sys.executable, str(REPO / "manage.py"), "ingest", str(corpus)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_kb = 0
    while process.poll() is None:
        peak_kb = max(peak_kb, tree_memory_kb(process.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"ingest failed: {process.stderr.read()}")
    return seconds, peak_kb / 1024


def run_once(corpus: Path) -> tuple[float, float, int, float]:
    """(ingest articles/s, bare writer docs/s, articles, peak MB of the ingest) from an empty archive."""
    from django.core.management import call_command
    from haystack import connections
    from whoosh.filedb.filestore import FileStorage

    from articles.models import Article

    call_command("flush", interactive=False, verbosity=0)
    backend = connections["default"].get_backend()
    backend.clear()

    ingest_seconds, peak_mb = ingest(corpus)
    articles = Article.objects.count()
    assert backend.index.doc_count() == articles

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
    return articles / ingest_seconds, len(documents) / bare_seconds, articles, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with temp_archive("bench-ingest-"):
        ours, bare, ratios, peak_mem = [], [], [], 0.0
        for run in range(1, args.runs + 1):
            rate, bare_rate, articles, memory = run_once(args.corpus.resolve())
            peak_mem = max(peak_mem, memory)
            ours.append(rate)
            bare.append(bare_rate)
            ratios.append(rate / bare_rate)
            print(
                f"run {run}: {articles} articles; ingest {rate:.0f}/s, bare Whoosh writer "
                f"{bare_rate:.0f}/s, ratio {ratios[-1]:.2f}"
            )
        print(f"median ingest (parse + database + stories + index): {statistics.median(ours):.0f} articles/s")
        bare_median = statistics.median(bare)
        print(f"median bare Whoosh writer (procs=2), same documents and schema: {bare_median:.0f} docs/s")
        # The bare writer's rate swings between runs: each run's ratio compares like with like.
        print(f"median of the runs' ratios ingest / bare writer: {statistics.median(ratios):.2f}")
        print(f"peak memory of an ingest, its process and writer processes together (PSS): {peak_mem:.0f} MB")


if __name__ == "__main__":
    main()
