"""Exporting a whole result set: ``/export/search.csv`` and ``.jsonl`` on Reuters-21578.

    python bench/bench_export.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--limit N] [--runs 3]

Loads the stories (the first ``--limit`` records when given) into a temporary archive through
``articles.ingest.ingest_paths``, then exports through Django's test client (the whole view:
form, search, streaming), reading every byte of the answer:

- every article, newest first, as CSV and as JSON Lines;
- a query (``said``: most of the archive, by relevance, with snippets) as CSV;
- the reference, in the same run: the same columns written as CSV straight from the database
  (``Article.objects.values_list``, no search, no topics, no snippets).

Prints each one's median time, rows a second and the ratio to the reference; then each export's
peak memory (tracemalloc, in a run of its own) for the whole set and for a tenth of it: flat
memory means the two are close. Reuters-21578, Distribution 1.0: research use only; it is read
here, never stored.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import statistics
import time
import tracemalloc
from pathlib import Path

from _archive import DEFAULT_CORPUS, temp_archive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, help="load only the first N records")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each export (median shown)")
    args = parser.parse_args()
    with temp_archive("bench-export-") as data_dir:
        corpus = args.corpus
        if args.limit:
            corpus = data_dir / "corpus.jsonl"
            with gzip.open(args.corpus, "rt", encoding="utf-8") as source:
                corpus.write_text("".join(itertools.islice(source, args.limit)), encoding="utf-8")
        run(corpus, args.runs)


def run(corpus: Path, runs: int) -> None:
    from django.conf import settings
    from django.test import Client

    from articles.ingest import ingest_paths
    from articles.models import Article

    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    report = ingest_paths([corpus], describe=False)
    if not report.ok:
        raise SystemExit(f"ingest failed: {report.files[0].error}")
    total = Article.objects.count()
    print(f"{total:,} articles loaded in {time.perf_counter() - started:.0f} s")
    client = Client()
    cases = [
        ("CSV, every article", "/export/search.csv", {}),
        ("JSON Lines, every article", "/export/search.jsonl", {}),
        ("CSV, q=said (relevance, snippets)", "/export/search.csv", {"q": "said"}),
    ]

    reference = [_timed(_reference) for _ in range(runs)]
    ref_time, ref_rows = statistics.median(t for t, _ in reference), reference[0][1]
    rate = ref_rows / ref_time
    print(f"reference (values_list to CSV): {ref_rows:,} rows, median {ref_time:.2f} s, {rate:,.0f} rows/s")
    for label, path, params in cases:
        timings = [
            _timed(lambda path=path, params=params: _export(client, path, params)) for _ in range(runs)
        ]
        median, rows = statistics.median(t for t, _ in timings), timings[0][1]
        print(
            f"{label}: {rows:,} rows, median {median:.2f} s, {rows / median:,.0f} rows/s, "
            f"{median / ref_time:.1f}x the reference"
        )
    tenth = {"to": _tenth_date()}
    for label, path, params in cases:
        whole, rows = _peak(lambda path=path, params=params: _export(client, path, params))
        part, part_rows = _peak(lambda path=path, params=params: _export(client, path, {**params, **tenth}))
        print(f"{label}: peak memory {whole:.1f} MB for {rows:,} rows, {part:.1f} MB for {part_rows:,}")


def _export(client, path: str, params: dict) -> int:
    """Export through the view, reading the whole answer; the rows it held."""
    response = client.get(path, params)
    assert response.status_code == 200, response
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    return lines - 1 if path.endswith(".csv") else lines  # a CSV's header; no snippet holds a line break


def _reference() -> int:
    """The same columns from the database as CSV, the cheapest way Django offers: the bar to compare with."""
    from articles.models import Article

    writer = csv.writer(_Null())
    writer.writerow(["id", "headline", "outlet", "place", "country", "published", "language", "story", "url"])
    rows = 0
    columns = (
        "pk",
        "headline",
        "outlet__name",
        "place__city",
        "country",
        "published",
        "language",
        "story_id",
        "slug",
    )
    indexed = Article.objects.published().filter(duplicate_of__isnull=True)  # what search holds
    for row in indexed.values_list(*columns).iterator(chunk_size=2000):
        writer.writerow([*row[:-1], f"http://testserver/articles/{row[0]}/{row[-1]}/"])
        rows += 1
    return rows


def _tenth_date() -> str:
    """The date before which about a tenth of the articles were published."""
    from articles.models import Article

    dates = Article.objects.published().exclude(published=None).order_by("published")
    return dates.values_list("published", flat=True)[dates.count() // 10].isoformat()


def _timed(work) -> tuple[float, int]:
    started = time.perf_counter()
    rows = work()
    return time.perf_counter() - started, rows


def _peak(work) -> tuple[float, int]:
    tracemalloc.start()
    try:
        rows = work()
        return tracemalloc.get_traced_memory()[1] / 2**20, rows
    finally:
        tracemalloc.stop()


class _Null:
    def write(self, line: str) -> None:
        pass


if __name__ == "__main__":
    main()
