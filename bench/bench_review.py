"""Review queue speed (issue 19): every review page, and the near-identical work of ingest and scan.

    python bench/bench_review.py [--size 21578] [--samples 5] [--seed 15] [--corpus PATH]
    python bench/bench_review.py --size 100000     # the scale corpus (bench/_scale_corpus.py)
    python bench/bench_review.py --archive DIR     # keep the archive in DIR; reuse it next time

In a fresh temporary archive (SQLite + Whoosh, a data folder of its own), or the one in
``--archive``:

1. **Ingest** (skipped when the ``--archive`` folder holds articles already). Writes ``--size``
   records (the Reuters-21578 stories, and past 21,578 their variants as other outlets would tell
   them: ``_scale_corpus``) and loads them with ``ingest_paths`` in this process, timing each
   batch's near-identical work (``review.mark_near_identical``) apart: its total, its share of
   the ingest and its median a batch.
2. **The scan job's work** (``review.scan_near_identical``) over the whole archive, as the
   ``review_scan`` job does it (twice: a first scan and a scan with nothing to change).
3. **Every review page** through Django's test client, as a superuser: the overview, each rule's
   list (page 1, a later page, and filtered by an outlet, a reason and a date range), the rule as
   the article list's filter, and the possible versions (page 1, and filtered). One warm-up
   request, then ``--samples`` timed ones; prints each page's median and the slowest, then a
   table. A page that fails is reported (ERROR) and the bench goes on; exit status 1 if any did.

Reuters-21578, Distribution 1.0: research use only; it is read here, and its records written to
the temporary folder only. ``DATABASE_URL`` (an empty PostgreSQL database) is used when set.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO, temp_archive
from _scale_corpus import read_corpus, records_for, write_records

GOAL_S = 1.0  # every review page, at 100k articles


@contextlib.contextmanager
def kept_archive(folder: Path) -> Iterator[Path]:
    """Django set up on the archive in ``folder`` (made and migrated if new), kept afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO))
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(folder.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    yield folder


def ingest(data_dir: Path, corpus: Path, size: int, seed: int) -> None:
    """Write the records and ingest them, timing the near-identical work of each batch."""
    from articles import review
    from articles.ingest import ingest_paths
    from articles.models import Article

    records = data_dir / "records.jsonl"
    count = write_records(records, records_for(read_corpus(corpus), size, seed))
    batches: list[float] = []
    mark = review.mark_near_identical

    def timed(articles):
        started = time.perf_counter()
        try:
            return mark(articles)
        finally:
            batches.append(time.perf_counter() - started)

    review.mark_near_identical = timed
    try:
        started = time.perf_counter()
        report = ingest_paths([records], describe=False)
        seconds = time.perf_counter() - started
    finally:
        review.mark_near_identical = mark
    if not report.ok:
        raise SystemExit(f"ingest failed: {report.files[0].error}")
    copies = Article.objects.filter(near_identical_to__isnull=False).count()
    print(
        f"ingest: {count:,} records, {Article.objects.count():,} articles in {seconds:.1f} s; "
        f"near-identical work {sum(batches):.2f} s in {len(batches)} batches "
        f"({100 * sum(batches) / seconds:.1f} % of the ingest; a batch: median "
        f"{statistics.median(batches) * 1000:.0f} ms, slowest {max(batches) * 1000:.0f} ms); "
        f"{copies:,} copies found"
    )


def scan() -> None:
    from articles import review

    for label in ("first scan", "scan again"):
        started = time.perf_counter()
        found, changed = review.scan_near_identical()
        print(f"{label}: {time.perf_counter() - started:.2f} s ({found:,} copies, {changed:,} changed)")


def pages() -> list[tuple[str, str]]:
    """(label, URL) of every page timed, chosen from the archive as loaded."""
    from articles import review
    from articles.models import Article, PossibleVersion

    admin = "/admin/articles/article/"
    found = [("overview", f"{admin}review/")]
    outlet = Article.objects.exclude(outlet=None).values_list("outlet", flat=True).first()
    for slug, rule in review.RULES.items():
        count = rule.listed().count()
        last = max((count + 49) // 50, 1)
        found.append((f"{slug} p1 ({count:,})", f"{admin}review/{slug}/"))
        if last > 1:
            found.append((f"{slug} p{min(5, last)}", f"{admin}review/{slug}/?page={min(5, last)}"))
        reason = next(iter(rule.reasons), "")
        found.append(
            (
                f"{slug} filtered",
                f"{admin}review/{slug}/?outlet={outlet}&reason={reason}"
                "&published_from=1987-01-01&published_to=1987-12-31",
            )
        )
        found.append((f"{slug} article list", f"{admin}?review={slug}"))
    pairs = PossibleVersion.objects.undecided().count()
    found.append((f"versions p1 ({pairs:,})", f"{admin}review/versions/"))
    found.append(("versions newest p3", f"{admin}review/versions/?order=newest&page=3"))
    found.append(("versions filtered", f"{admin}review/versions/?evidence=0.6&outlet={outlet}"))
    return found


def time_pages(samples: int) -> tuple[list[tuple[str, float, float]], int]:
    """Each page's (label, median, slowest) in seconds; and how many pages failed."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    results, failed = [], 0
    for label, url in pages():
        try:
            if (status := client.get(url).status_code) != 200:
                raise RuntimeError(f"status {status}")
            times = []
            for _ in range(samples):
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
        except Exception:
            failed += 1
            print(f"{label}: ERROR {url}\n{traceback.format_exc(limit=3)}")
            continue
        results.append((label, statistics.median(times), max(times)))
        print(
            f"{label}: median {results[-1][1] * 1000:.0f} ms, slowest {results[-1][2] * 1000:.0f} ms  {url}"
        )
    return results, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--size", type=int, default=21578, help="articles (past 21,578: the scale corpus)")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--archive", type=Path, help="keep the archive in this folder (reused when loaded)")
    args = parser.parse_args()
    os.environ["ALLOWED_HOSTS"] = "testserver"  # Django's test client
    archive = kept_archive(args.archive) if args.archive else temp_archive("bench-review-")
    with archive as data_dir:
        from articles.models import Article

        if Article.objects.exists():
            print(f"the archive in {data_dir}: {Article.objects.count():,} articles, not ingested again")
        else:
            ingest(data_dir, args.corpus.resolve(), args.size, args.seed)
        scan()
        results, failed = time_pages(args.samples)
        from django.db import connection

        vendor = connection.vendor
    print(f"\n| page ({args.size:,} articles, {vendor}) | median | slowest | under {GOAL_S:.0f} s |")
    print("|---|---:|---:|---|")
    for label, median, slowest in results:
        verdict = "yes" if slowest < GOAL_S else "NO"
        print(f"| {label} | {median * 1000:.0f} ms | {slowest * 1000:.0f} ms | {verdict} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
