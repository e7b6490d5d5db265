"""CPU per search page (``/``, facets, highlights, spelling), in one process, on an existing archive.

    NEWSARCHIVE_DATA_DIR=DIR .venv/bin/python bench/bench_search_cpu.py [--profile]

60 queries whose words are already cached by the searcher (20 words or word pairs, alone, with a
country, with a topic), then 20 two-word queries it has not seen (each a rare pair), timed with
``time.process_time`` (the process's CPU, not the wall clock of a shared machine). ``--profile``
runs the unseen ones under cProfile and prints the 35 costliest calls (about twice as slow).
Importable: Django is set up by ``main()``, not on import (``bench_scale.py`` reuses the queries).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

WORDS = [
    "oil prices", "central bank", "wheat exports", "trade deficit", "net profit", "said", "company shares",
    "interest rates", "coffee quota", "money supply", "stock market", "crude oil", "government", "tokyo yen",
    "dollar", "gold", "merger agreement", "dividend", "tax", "opec output",
]  # fmt: skip
FIRST = [
    "export", "import", "loss", "profit", "rise", "fall", "sale", "buy", "bid", "offer", "rate", "yield",
    "bond", "note", "share", "stake", "unit", "plant", "mine", "crop",
]  # fmt: skip
SECOND = [
    "january", "february", "march", "april", "may", "june", "quarter", "year", "week", "month", "dlrs",
    "mln", "pct", "cts", "billion", "tonnes", "barrels", "shares", "bushels", "ounces",
]  # fmt: skip


def run(client: Client, queries: list[dict]) -> list[float]:
    times = []
    for params in queries:
        start = time.process_time()
        response = client.get("/", params)
        times.append(time.process_time() - start)
        assert response.status_code == 200, response.status_code
    return times


def report(name: str, times: list[float]) -> None:
    p95 = sorted(times)[int(0.95 * len(times))]
    print(f"{name}: median {statistics.median(times) * 1000:.1f} ms p95 {p95 * 1000:.1f} ms")


def unseen_queries() -> list[dict]:
    """20 two-word queries the searcher has not seen, each a rare pair (the same every run)."""
    pairs = zip(random.Random(1).sample(FIRST, 20), random.Random(2).sample(SECOND, 20), strict=True)
    return [{"q": f"{a} {b}"} for a, b in pairs]


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    cached = (
        [{"q": w} for w in WORDS]
        + [{"q": w, "country": "United States"} for w in WORDS]
        + [{"q": w, "topic": "earn"} for w in WORDS]
    )
    client.get("/", {"q": "warm"})
    run(client, cached)  # the searcher, facet bitsets and these words' postings, once
    report("cached terms", run(client, cached))
    unseen = unseen_queries()
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.enable()
        times = run(client, unseen)
        profile.disable()
        report("unseen (under cProfile)", times)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    else:
        report("unseen", run(client, unseen))


if __name__ == "__main__":
    main()
