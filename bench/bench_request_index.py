"""Index work in a web request on Reuters-21578: a bounded batch, then the queue applied by the command.

    python bench/bench_request_index.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--data-dir DIR]

Loads the stories into a temporary archive through ``articles.ingest.ingest_paths`` (or re-uses
``--data-dir`` when it already holds them), then prints:

- a web request's sync of N articles (one process, the bounded merge), median of 5 per N;
- the admin's change of the Reuters outlet (all its articles queued) and of the topic "earn",
  through Django's test client (middleware included), as an editor's POST: time, articles left queued;
- ``manage.py apply_index_queue`` applying the rest.

Timings are wall-clock on this machine.
Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO, temp_archive

SIZES = (1, 50, 100, 200, 300)
RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--data-dir", type=Path, help="An archive that already holds the corpus.")
    args = parser.parse_args()
    if args.data_dir:
        sys.path.insert(0, str(REPO))
        os.environ["NEWSARCHIVE_DATA_DIR"] = str(args.data_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
        import django

        django.setup()
        run(args.corpus)
    else:
        with temp_archive("bench-request-index-"):
            run(args.corpus)


def run(corpus: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from articles.ingest import ingest_paths
    from articles.models import Article, IndexTask, Outlet, Topic
    from articles.search import indexing

    if not Article.objects.exists():
        ingest_paths([corpus], describe=False)
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    print(f"{len(ids):,} articles")
    with indexing.bounded():
        for size in SIZES:
            times = []
            for n in range(RUNS):
                chunk = ids[n * size : (n + 1) * size]
                started = time.perf_counter()
                indexing.sync_articles(chunk, wait=False)
                times.append(time.perf_counter() - started)
            median, most = statistics.median(times), max(times)
            print(f"request sync of {size} article(s): median {median:.2f} s, max {most:.2f} s")

    user = get_user_model().objects.filter(
        username="bench"
    ).first() or get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for model, obj, data in (
        (
            "outlet",
            Outlet.objects.get(name="Reuters"),
            {"name": "Reuters", "slug": "reuters", "kind": "wire"},
        ),
        ("topic", Topic.objects.get(name="earn"), {"name": "earnings", "slug": "earn"}),
    ):
        articles = obj.articles.count()
        started = time.perf_counter()
        response = client.post(f"/admin/articles/{model}/{obj.pk}/change/", data)
        took = time.perf_counter() - started
        assert response.status_code == 302, response.content[:2000]
        queued = IndexTask.objects.values("article_id").distinct().count()
        print(f"admin: change {model} {obj} ({articles:,} articles): {took:.2f} s; {queued:,} left queued")
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("apply_index_queue")
    took = time.perf_counter() - started
    print(f"manage.py apply_index_queue: {took:.1f} s; queued: {IndexTask.objects.count()}")


if __name__ == "__main__":
    main()
