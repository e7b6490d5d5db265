"""CPU per request of the reader's pages on an existing archive, against another checkout's code.

    NEWSARCHIVE_DATA_DIR=DIR .venv/bin/python bench/bench_pages_cpu.py [--reference CHECKOUT] [--runs 2]

Through Django's test client, timed with ``time.process_time``: 200 article pages read once,
then again; the 120 search pages of ``bench_scale``'s sample (seed 15) on a second pass; 100
unseen two-word queries from headlines through ``/api/search``. Each measurement runs in a
process of its own; with ``--reference`` (a checkout of an earlier commit, e.g. made with
``git worktree add``), the reference's code and this one's alternate on the same archive, and
the medians (ms) and p95s of each are printed with their ratios. Nothing is written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
KINDS = ("article, first read", "article, read again", "search page", "api, unseen queries")


def timed(client, requests: list[tuple[str, dict | None]]) -> list[float]:
    times = []
    for path, params in requests:
        started = time.process_time()
        response = client.get(path, params)
        times.append(time.process_time() - started)
        assert response.status_code == 200, (path, response.status_code)
    return times


def measure(code: Path) -> dict[str, list[float]]:
    """The four kinds' times (seconds), with the Django project at ``code``."""
    sys.path[:0] = [str(code), str(HERE.parent)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django

    django.setup()
    from _scale_measure import page_paths
    from django.test import Client

    from articles.models import Article

    client = Client(SERVER_NAME="localhost")
    client.get("/", {"q": "oil"})  # the searcher opened, the facet data built
    articles = [(a.get_absolute_url(), None) for a in Article.objects.order_by("pk")[::100][:200]]
    searches = [(path, None) for path in page_paths("search", 120, 15)]
    headlines = Article.objects.order_by("pk").values_list("headline", flat=True)[7::97][:150]
    words = [re.findall(r"[A-Za-z]{4,}", headline.lower()) for headline in headlines]
    unseen = [("/api/search", {"q": f"{w[0]} {w[1]}"}) for w in words if len(w) >= 2][:100]
    found = {KINDS[0]: timed(client, articles), KINDS[1]: timed(client, articles)}
    timed(client, searches)
    found[KINDS[2]] = timed(client, searches)
    found[KINDS[3]] = timed(client, unseen)
    return found


def in_process(code: Path) -> dict[str, list[float]]:
    output = subprocess.run(
        [sys.executable, str(HERE), "--json", "--code", str(code)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * len(ordered))] * 1000


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--reference", type=Path, help="a checkout whose code to measure too")
    parser.add_argument("--runs", type=int, default=2, help="alternating runs of each (default 2)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=HERE.parent.parent, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.code)))
        return
    codes = {"this": HERE.parent.parent} | ({"reference": args.reference} if args.reference else {})
    runs: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in KINDS} for name in codes}
    for _ in range(args.runs):
        for name, code in codes.items():
            for kind, times in in_process(code).items():
                runs[name][kind] += times
    print("CPU a request, median / p95 (ms)" + (", and this / reference" if args.reference else ""))
    for kind in KINDS:
        this = summary(runs["this"][kind])
        line = f"  {kind:22} this {this[0]:6.1f} / {this[1]:6.1f}"
        if args.reference:
            ref = summary(runs["reference"][kind])
            line += f"   reference {ref[0]:6.1f} / {ref[1]:6.1f}"
            line += f"   ratio {this[0] / ref[0]:.2f} / {this[1] / ref[1]:.2f}"
        print(line)


if __name__ == "__main__":
    main()
