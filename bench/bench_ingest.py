"""Ingest speed: the whole Reuters-21578 corpus through ``articles.ingest`` vs a bare Whoosh writer.

    python bench/bench_ingest.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]

Each run starts from an empty SQLite database and Whoosh index in a temporary folder and times
``manage.py ingest`` on the corpus, in a process of its own as an operator runs it: parse +
database + stories + index (the index is written while the load runs and committed once the
file's transaction has). Then, in the same run, a bare Whoosh 2.7.4 writer
(Whoosh's own ``MpWriter``: one segment per process, written at commit) adds the very same
documents (prepared beforehand, so it pays for analysis and writing only) with the same schema
and both cores (``procs=2``), into a fresh index. The ingest saves every record but indexes only
what the index queryset holds (suspected duplicates are left out of search): the run checks that
the index holds exactly that many documents, and the bare writer gets those documents. Prints the
ingest's articles/s, the bare writer's docs/s, their ratio as times for the same indexed
documents (medians over the runs), and the highest memory of an ingest: the ingest process and its two
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
from dataclasses import dataclass
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


def ingest(corpus: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``manage.py ingest`` on the corpus as an operator would, in a process of its own
    (sampling its memory with its writer processes' every half second); (seconds, peak MB).
    ``env``: the process's environment (default: this one's)."""
    command = [sys.executable, str(REPO / "manage.py"), "ingest", str(corpus)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    peak_kb = 0
    while process.poll() is None:
        peak_kb = max(peak_kb, tree_memory_kb(process.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"ingest failed: {process.stderr.read()}")
    return seconds, peak_kb / 1024


@dataclass
class Run:
    articles: int  # articles the ingest saved
    indexed: int  # of them, what search holds (suspected duplicates are left out)
    ingest_seconds: float
    bare_seconds: float  # the bare writer, for the same ``indexed`` documents
    peak_mb: float

    @property
    def ratio(self) -> float:
        """The bare writer's time over the ingest's: both wrote the same documents to the index
        (a ratio of rates would credit the ingest with the duplicates it parsed but never indexed)."""
        return self.bare_seconds / self.ingest_seconds


def run_once(corpus: Path) -> Run:
    """Ingest the corpus into an empty archive, then the bare writer on the same documents."""
    from django.core.management import call_command
    from haystack import connections
    from whoosh.filedb.filestore import FileStorage

    from articles.models import Article

    call_command("flush", interactive=False, verbosity=0)
    backend = connections["default"].get_backend()
    backend.clear()

    ingest_seconds, peak_mb = ingest(corpus)
    articles = Article.objects.count()
    index = connections["default"].get_unified_index().get_index(Article)
    # Lost documents: the index must hold what should be searchable (the index queryset: published
    # articles, suspected duplicates left out), not every article saved.
    indexed = index.index_queryset().count()
    in_index = backend.index.doc_count()
    if in_index != indexed:
        raise SystemExit(f"the index holds {in_index} documents, the index queryset {indexed}")

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
    assert len(documents) == indexed
    return Run(articles, indexed, ingest_seconds, bare_seconds, peak_mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with temp_archive("bench-ingest-"):
        runs = []
        for number in range(1, args.runs + 1):
            run = run_once(args.corpus.resolve())
            runs.append(run)
            print(
                f"run {number}: {run.articles} articles, {run.indexed} indexed "
                f"({run.articles - run.indexed} suspected duplicates left out of search); "
                f"ingest {run.ingest_seconds:.1f} s = {run.articles / run.ingest_seconds:.0f} articles/s "
                f"({run.indexed / run.ingest_seconds:.0f} indexed/s), bare Whoosh writer "
                f"{run.bare_seconds:.1f} s = {run.indexed / run.bare_seconds:.0f} docs/s, "
                f"ratio {run.ratio:.2f}; peak memory {run.peak_mb:.0f} MB"
            )
        rate = statistics.median(run.articles / run.ingest_seconds for run in runs)
        indexed_rate = statistics.median(run.indexed / run.ingest_seconds for run in runs)
        print(
            f"median ingest (parse + database + stories + index): {rate:.0f} articles/s "
            f"({indexed_rate:.0f} indexed documents/s)"
        )
        bare_median = statistics.median(run.indexed / run.bare_seconds for run in runs)
        print(f"median bare Whoosh writer (procs=2), same documents and schema: {bare_median:.0f} docs/s")
        # The bare writer's rate swings between runs: each run's ratio compares like with like.
        ratio = statistics.median(run.ratio for run in runs)
        print(f"median of the runs' ratios, bare writer's time / ingest's time (same documents): {ratio:.2f}")
        peak_mem = max(run.peak_mb for run in runs)
        print(f"peak memory of an ingest, its process and writer processes together (PSS): {peak_mem:.0f} MB")


if __name__ == "__main__":
    main()
