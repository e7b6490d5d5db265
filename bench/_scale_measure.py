"""What bench/bench_scale.py measures inside Django, each in a process of its own on one archive:

    python bench/_scale_measure.py search OUT.json [--seed 15] [--mix-every 1] [--unseen 100]
    python bench/_scale_measure.py page KIND OUT.jsonl [--samples 30] [--seed 15]
    python bench/_scale_measure.py paths OUT.json [--seed 15]

The archive is the one ``NEWSARCHIVE_DATA_DIR`` names (``bench_scale.py`` sets it, and adds
``testserver`` to ``ALLOWED_HOSTS``).

- ``search``: the archive's counts and segments; the worker warm-up gunicorn does
  (``articles.search.warmup``), timed; SQLite FTS5 built from the same documents
  (``bench_search.build_fts``) and a few totals compared (``bench_search.check_counts``); then
  the faceted search (``/api/search``: page 1, all facets, highlights) against FTS5 doing the same
  match, facet counts and top 20 (``bench_search.run_fts``), timed per query in CPU
  (``time.process_time``) and wall time: the bench mix (``bench_search.queries()``, second pass),
  and unseen queries once each (``bench_search_cpu``'s 20 rare pairs and ``--unseen`` two-word
  queries from the headlines of a seeded sample of articles, a third of them under the article's
  country, a third under its topic).
- ``page KIND``: ``--samples`` requests of one page kind through Django's test client (an admin
  page logged in as a superuser), after the warm-up and one untimed request; one JSON line per
  sample, written as it ends (the caller may stop a slow page at its time budget and keep the
  samples done).
- ``paths``: the URLs the load generator requests (a seeded sample of article pages; the bench
  mix as search pages).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from _archive import REPO

PAGES = {
    "search": "search page (/, facets)",
    "article": "article page",
    "story": "story page",
    "admin-list": "admin article list",
    "admin-search": "admin article list, searched (?q=)",
    "review": "review queue (admin)",
}
ADMIN_USER = "bench-admin"
HEADLINE_WORD = re.compile(r"[A-Za-z]{4,}")
HEADLINE_STOP = {"from", "with", "that", "this", "will", "into", "over", "than", "says", "said", "after"}


def setup() -> None:
    """Django on the archive ``NEWSARCHIVE_DATA_DIR`` names, without the login throttle's and the
    warm-up's log lines (this bench prints its own)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django
    from django.conf import settings

    settings.AXES_VERBOSE = False
    django.setup()
    for name in ("axes", "articles.search.warmup"):
        logging.getLogger(name).setLevel(logging.WARNING)


def timed(call) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``call()``."""
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def archive_facts() -> dict:
    from bench_search import segments
    from django.db.models import Count
    from haystack import connections

    from articles.models import Article, Story

    index = connections["default"].get_unified_index().get_index(Article)
    versions = Story.objects.annotate(n=Count("articles")).filter(n__gte=2).count()
    return {
        "articles": Article.objects.count(),
        "indexed": index.index_queryset().count(),
        "duplicates": Article.objects.filter(duplicate_of__isnull=False).count(),
        "stories": Story.objects.count(),
        "stories_2_plus": versions,
        "segments": segments(),
    }


def warm_up_seconds() -> float:
    from articles.search.warmup import warm_up

    started = time.perf_counter()
    warm_up()
    return time.perf_counter() - started


def headline_queries(count: int, seed: int) -> list[tuple[str, dict]]:
    """Two words of the headline of each of a seeded sample of searchable articles, in order; a
    third alone, a third under the article's country, a third under its first topic."""
    from haystack import connections

    from articles.models import Article

    index = connections["default"].get_unified_index().get_index(Article)
    ids = sorted(index.index_queryset().values_list("pk", flat=True))
    picked = random.Random(f"{seed}:unseen").sample(ids, min(len(ids), 3 * count))
    articles = index.index_queryset().in_bulk(picked)
    rng, cases, seen = random.Random(f"{seed}:words"), [], set()
    for pk in picked:
        words = [w.lower() for w in HEADLINE_WORD.findall(articles[pk].headline)]
        words = [w for w in dict.fromkeys(words) if w not in HEADLINE_STOP]
        if len(words) < 2:
            continue
        first, second = sorted(rng.sample(range(len(words)), 2))
        text = f"{words[first]} {words[second]}"
        filters, kind = {}, len(cases) % 3
        if kind == 1 and (country := index.prepare_country(articles[pk])):
            filters = {"country": [country]}
        elif kind == 2 and (topics := index.prepare_topics(articles[pk])):
            filters = {"topic": [topics[0]]}
        if (text, str(filters)) not in seen:
            seen.add((text, str(filters)))
            cases.append((text, filters))
        if len(cases) == count:
            break
    return cases


def run_cases(run, cases: list) -> tuple[list[float], list[float], list[str]]:
    """Each case through ``run(text, filters)``: CPU and wall seconds per case; errors, not raised."""
    cpu, wall, errors = [], [], []
    for text, filters in cases:
        try:
            spent = timed(lambda text=text, filters=filters: run(text, filters))
        except Exception as error:
            errors.append(f"{text} {filters}: {type(error).__name__}: {error}"[:300])
            continue
        cpu.append(spent[0])
        wall.append(spent[1])
    return cpu, wall, errors


def compare(name: str, ours: tuple, fts: tuple) -> dict:
    """Medians and p95s (ms) of both engines, CPU and wall, and ours / FTS5."""
    from bench_search import summary

    result = {"queries": len(ours[0]), "errors": ours[2] + fts[2]}
    for clock, i in (("cpu", 0), ("wall", 1)):
        if ours[i] and fts[i]:
            mine, theirs = summary(ours[i]), summary(fts[i])
            result[clock] = {
                "ours": mine,
                "fts": theirs,
                "ratio": (mine[0] / theirs[0], mine[1] / theirs[1]),
            }
    line = f"  {name}: {result['queries']} queries"
    for clock in ("cpu", "wall"):
        if clock in result:
            (om, op), (fm, fp), (rm, rp) = result[clock]["ours"], result[clock]["fts"], result[clock]["ratio"]
            line += (
                f"\n    {clock:4}: ours median {om:7.1f} / p95 {op:7.1f} ms; FTS5 {fm:7.1f} / {fp:7.1f} ms;"
                f" ours/FTS5 {rm:4.1f}x / {rp:4.1f}x"
            )
    print(line + "".join(f"\n    ERROR {error}" for error in result["errors"][:5]), flush=True)
    return result


def measure_search(out: Path, seed: int, mix_every: int, unseen: int) -> None:
    from bench_search import build_fts, check_counts, queries, run_fts, run_ours
    from bench_search_cpu import unseen_queries
    from django.test import Client

    result: dict = {"facts": archive_facts()}
    print("  archive: " + ", ".join(f"{k} {v:,}" for k, v in result["facts"].items()), flush=True)
    result["warm_up_s"] = warm_up_seconds()
    print(f"  worker warm-up (searcher and facet data): {result['warm_up_s']:.2f} s", flush=True)
    started = time.perf_counter()
    fts = build_fts(out.with_suffix(".fts.sqlite3"))
    result["fts_build_s"] = time.perf_counter() - started
    print(f"  FTS5 index built in {result['fts_build_s']:.0f} s", flush=True)
    check_counts(["ours", "fts"], fts)
    client = Client()

    def ours(text, filters):
        run_ours(client, text, filters)

    def theirs(text, filters):
        run_fts(fts, text, filters)

    mix = queries()[::mix_every]
    run_cases(ours, mix)  # first pass: these words' postings read once, as bench_search does
    run_cases(theirs, mix)
    result["mix"] = compare("bench mix, second pass", run_cases(ours, mix), run_cases(theirs, mix))
    cases = [(case["q"], {}) for case in unseen_queries()] + headline_queries(unseen, seed)
    result["unseen"] = compare("unseen queries, once each", run_cases(ours, cases), run_cases(theirs, cases))
    result["unseen_examples"] = [f"{text} {filters or ''}".strip() for text, filters in cases[18:26]]
    print("    unseen, e.g.: " + "; ".join(result["unseen_examples"][:4]), flush=True)
    out.write_text(json.dumps(result))


def page_paths(kind: str, count: int, seed: int) -> list[str]:
    """``count`` URLs of one page kind, a seeded sample."""
    from bench_search import COMMON, PAIRS, queries
    from haystack import connections

    from articles.models import Article, Story

    rng = random.Random(f"{seed}:{kind}")
    if kind == "search":
        cases = queries()
        return [
            "/?" + urlencode({"q": q, **f}, doseq=True) for q, f in rng.sample(cases, min(count, len(cases)))
        ]
    if kind == "article":
        index = connections["default"].get_unified_index().get_index(Article)
        ids = sorted(index.index_queryset().values_list("pk", flat=True))
        found = Article.objects.only("pk", "slug").in_bulk(rng.sample(ids, min(count, len(ids))))
        return [found[pk].get_absolute_url() for pk in found]
    if kind == "story":
        ids = sorted(Story.objects.values_list("pk", flat=True))
        found = Story.objects.only("pk", "slug").in_bulk(rng.sample(ids, min(count, len(ids))))
        return [found[pk].get_absolute_url() for pk in found]
    admin = "/admin/articles/article/"
    if kind == "admin-list":  # the first page, then pages anywhere in the list (100 a page)
        pages = max(1, -(-Article.objects.count() // 100))
        return [admin] + [f"{admin}?p={rng.randint(1, pages)}" for _ in range(count - 1)]
    if kind == "admin-search":
        words = COMMON + [f"{a} {b}" for a, b in PAIRS]
        return [f"{admin}?{urlencode({'q': word})}" for word in rng.choices(words, k=count)]
    if kind == "review":
        return [f"{admin}review/"] * count
    raise ValueError(f"unknown page kind {kind}")


def measure_page(kind: str, out: Path, samples: int, seed: int) -> None:
    """Time ``samples`` requests of one page kind, one JSON line each, written as it ends (with the
    time it ended, ``end``: a request still running when the caller stops this process started
    then); the first line, once the worker is warm, gives the warm-up."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(raise_request_exception=False)
    paths = page_paths(kind, samples, seed)
    warm_up_s = warm_up_seconds()
    if kind.startswith("admin") or kind == "review":
        user = get_user_model().objects.filter(username=ADMIN_USER).first()
        user = user or get_user_model().objects.create_superuser(ADMIN_USER, "", "unused-password")
        client.force_login(user)
        client.get("/admin/")  # untimed: admin templates and the session, once
    else:
        client.get(paths[0])  # untimed: the templates, once
    with out.open("w") as lines:
        lines.write(json.dumps({"warm_up_s": warm_up_s, "paths": len(paths), "end": time.time()}) + "\n")
        lines.flush()
        for path in paths:
            response = None

            def get(path=path):
                nonlocal response
                response = client.get(path)

            cpu, wall = timed(get)
            sample = {
                "path": path,
                "status": response.status_code,
                "cpu": cpu,
                "wall": wall,
                "end": time.time(),
            }
            lines.write(json.dumps(sample) + "\n")
            lines.flush()


def load_paths(out: Path, seed: int) -> None:
    out.write_text(
        json.dumps({"article": page_paths("article", 500, seed), "search": page_paths("search", 240, seed)})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["search", "page", "paths"])
    parser.add_argument("rest", nargs="+", help="search OUT | page KIND OUT | paths OUT")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--mix-every", type=int, default=1, help="every n-th query of the bench mix")
    parser.add_argument("--unseen", type=int, default=100, help="unseen queries from headlines")
    args = parser.parse_args()
    setup()
    if args.mode == "search":
        measure_search(Path(args.rest[0]), args.seed, args.mix_every, args.unseen)
    elif args.mode == "page":
        measure_page(args.rest[0], Path(args.rest[1]), args.samples, args.seed)
    else:
        load_paths(Path(args.rest[0]), args.seed)


if __name__ == "__main__":
    main()
