"""Search speed on Reuters-21578: our search path vs stock haystack + Whoosh vs SQLite FTS5.

    python bench/bench_search.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--data-dir DIR]
                                 [--engines ours,stock,fts] [--rebuild]

Loads the 21,578 stories into a temporary archive through ``articles.ingest.ingest_paths`` (or
re-uses ``--data-dir`` when it already holds them), then runs a fixed set of 240 queries (common
words, two words, phrases; each without and with facet filters), every one asking for page 1 and
all seven facets, through:

- ours: ``GET /api/search`` through Django's test client (the code path of the page and the API:
  disjunctive facets, highlighting, spelling suggestions included);
- (a) stock django-haystack 3.4.0 + Whoosh 2.7.4: haystack's own ``WhooshEngine`` and schema
  (spelling on, as the brief specifies), in a separate temporary index, the same filters and
  facets in one ``SearchQuerySet``;
- (b) SQLite FTS5 (Python's sqlite3): the same match, then the same facet counts with GROUP BY
  and the top 20 by bm25 (headline weighted 3).

``--engines`` times only some of them; ``--rebuild`` runs ``manage.py rebuild_index`` after loading
(the index in two segments, as an operator leaves it after a big load; a bulk load writes more,
see ``WHOOSH_BULK_WRITER_MB``). Prints the index's segment count, median and p95 per engine in ms
and the ratios. Timings are wall-clock on this machine.
Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO

FACET_FIELDS = ["outlet", "place", "country", "topics", "language", "year", "month"]
COMMON = ["said", "oil", "trade", "bank", "market", "prices", "company", "government", "shares", "rate"]
PAIRS = [
    ("oil", "prices"),
    ("interest", "rates"),
    ("trade", "deficit"),
    ("central", "bank"),
    ("stock", "market"),
    ("crude", "oil"),
    ("wheat", "exports"),
    ("net", "profit"),
    ("money", "supply"),
    ("coffee", "quota"),
]
FILTERS = [
    {},
    {"country": ["United States"]},
    {"topic": ["earn"]},
    {"country": ["United Kingdom", "Japan"], "topic": ["trade"]},
    {"place": ["New York"]},
    {"place": ["London"], "topic": ["crude", "grain"]},
    {"topic": ["money-fx", "interest"], "country": ["United States"], "month": ["1987-03", "1987-04"]},
]


def queries() -> list[tuple[str, dict]]:
    """240 (q, filters): 10 common words, 10 word pairs and their 10 phrases, each with 7 filter
    sets (none, one facet, several values of several facets), and each within one month."""
    texts = COMMON + [f"{a} {b}" for a, b in PAIRS] + [f'"{a} {b}"' for a, b in PAIRS]
    return [(text, filters) for filters in FILTERS for text in texts] + [
        (text, {"month": ["1987-03"]}) for text in texts
    ]


def setup_django(data_dir: Path, stock_dir: Path) -> None:
    sys.path.insert(0, str(REPO))
    os.environ["NEWSARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    from django.conf import settings

    settings.HAYSTACK_CONNECTIONS["stock"] = {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": str(stock_dir),
        "INCLUDE_SPELLING": True,
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    import django

    django.setup()


def load(corpus: Path) -> int:
    from django.core.management import call_command

    from articles.ingest import ingest_paths
    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.objects.count() < 21_000:
        report = ingest_paths([corpus], describe=False)
        if not report.ok:
            raise SystemExit(f"ingest failed: {report.files[0].error}")
    return Article.objects.count()


def build_stock() -> float:
    from haystack import connections

    from articles.models import Article

    backend = connections["stock"].get_backend()
    index = connections["stock"].get_unified_index().get_index(Article)
    started = time.perf_counter()
    backend.clear()
    # One writer and one commit (in batches, each commit would merge segments again).
    backend.update(index, list(index.index_queryset().order_by("pk").iterator(chunk_size=2000)))
    return time.perf_counter() - started


def time_ours(cases) -> list[float]:
    from django.test import Client

    client = Client()
    timings = []
    for text, filters in cases:
        started = time.perf_counter()
        response = client.get("/api/search", {"q": text, **filters})
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    return timings


def time_stock(cases) -> list[float]:
    from haystack.query import SearchQuerySet

    fields = {"outlet": "outlet", "place": "place", "country": "country", "topic": "topics", "month": "month"}
    timings = []
    for text, filters in cases:
        started = time.perf_counter()
        sqs = SearchQuerySet(using="stock").auto_query(text)
        for param, values in filters.items():
            sqs = sqs.filter(**{f"{fields[param]}_exact__in": values})
        for name in FACET_FIELDS:
            sqs = sqs.facet(name)
        list(sqs.highlight()[:20])
        sqs.count()
        sqs.facet_counts()
        sqs.spelling_suggestion()
        timings.append(time.perf_counter() - started)
    return timings


def build_fts(path: Path) -> sqlite3.Connection:
    from articles.models import Article
    from articles.sanitize import to_plain_text

    db = sqlite3.connect(str(path))
    try:
        db.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        db.execute("DROP TABLE probe")
    except sqlite3.OperationalError as error:
        raise SystemExit(f"this sqlite3 has no FTS5: {error}") from None
    db.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(headline, text,
                                            tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE TABLE docs (id INTEGER PRIMARY KEY, outlet TEXT, place TEXT, country TEXT, language TEXT,
                           year TEXT, month TEXT, published TEXT);
        CREATE TABLE topics (id INTEGER, topic TEXT);
        CREATE INDEX topics_id ON topics(id);
        """
    )
    articles = Article.objects.for_index().order_by("pk")
    for article in articles.iterator(chunk_size=2000):
        published = article.published
        db.execute(
            "INSERT INTO fts(rowid, headline, text) VALUES (?, ?, ?)",
            (article.pk, article.headline, to_plain_text(article.body)),
        )
        db.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.pk,
                article.outlet.name if article.outlet else None,
                article.place.city if article.place else None,
                article.place.country if article.place else None,
                article.language,
                str(published.year) if published else None,
                published.strftime("%Y-%m") if published else None,
                published.isoformat() if published else None,
            ),
        )
        db.executemany(
            "INSERT INTO topics VALUES (?, ?)", [(article.pk, t.name) for t in article.topics.all()]
        )
    db.commit()
    return db


def time_fts(db: sqlite3.Connection, cases) -> list[float]:
    # SQL is assembled from fixed column names and ``?`` placeholders only (S608 is a false alarm).
    columns = {"outlet": "outlet", "place": "place", "country": "country", "month": "month"}
    timings = []
    for text, filters in cases:
        started = time.perf_counter()
        match = text if text.startswith('"') else " AND ".join(text.split())
        where, args = ["fts MATCH ?"], [match]
        for param, values in filters.items():
            marks = ",".join("?" * len(values))
            if param == "topic":
                where.append(f"d.id IN (SELECT id FROM topics WHERE topic IN ({marks}))")  # noqa: S608
            else:
                where.append(f"d.{columns[param]} IN ({marks})")
            args += values
        db.execute("DROP TABLE IF EXISTS temp.m")
        matched = "CREATE TEMP TABLE m AS SELECT d.* FROM fts JOIN docs d ON d.id = fts.rowid WHERE "
        db.execute(matched + " AND ".join(where), args)
        db.execute("SELECT count(*) FROM m").fetchone()
        for column in ("outlet", "place", "country", "language", "year", "month"):
            db.execute(f"SELECT {column}, count(*) FROM m GROUP BY {column} ORDER BY 2 DESC").fetchall()  # noqa: S608
        db.execute(
            "SELECT topic, count(*) FROM topics JOIN m ON m.id = topics.id GROUP BY topic ORDER BY 2 DESC"
        ).fetchall()
        db.execute(
            "SELECT fts.rowid, highlight(fts, 0, '<mark>', '</mark>'),"
            " snippet(fts, 1, '<mark>', '</mark>', '…', 30) "
            "FROM fts JOIN m ON m.id = fts.rowid WHERE fts MATCH ? ORDER BY bm25(fts, 3.0, 1.0) LIMIT 20",
            [match],
        ).fetchall()
        timings.append(time.perf_counter() - started)
    return timings


def summary(timings: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in timings)
    return statistics.median(ms), ms[int(len(ms) * 0.95) - 1]


ENGINES = ("ours", "stock", "fts")


def print_ratios(ours: tuple[float, float], stock: tuple[float, float], fts: tuple[float, float]) -> None:
    print("Ratios on the second pass:")
    print(f"stock / ours: median {stock[0] / ours[0]:.1f}x, p95 {stock[1] / ours[1]:.1f}x (target >= 4x)")
    print(f"ours / FTS5: median {ours[0] / fts[0]:.1f}x, p95 {ours[1] / fts[1]:.1f}x (target <= 2x)")


def segments() -> int:
    from haystack import connections

    backend = connections["default"].get_backend()
    backend.setup()
    return len(backend.index._segments())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--data-dir", type=Path, help="an archive to re-use (loaded when empty)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="which to time, comma-separated")
    parser.add_argument("--rebuild", action="store_true", help="run manage.py rebuild_index after loading")
    args = parser.parse_args()
    engines = args.engines.split(",")
    if not engines or set(engines) - set(ENGINES):
        parser.error(f"--engines: choose from {', '.join(ENGINES)}")
    scratch = Path(tempfile.mkdtemp(prefix="bench-search-"))
    data_dir = args.data_dir or scratch / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        setup_django(data_dir, scratch / "stock-whoosh")
        count = load(args.corpus)
        if args.rebuild:
            from django.core.management import call_command

            call_command("rebuild_index", noinput=True, verbosity=0)
        cases = queries()
        print(f"{count} articles, {segments()} index segments; {len(cases)} queries (7 facets, page 1)")
        runs = {}
        if "ours" in engines:
            runs["ours (/api/search)"] = lambda: time_ours(cases)
        if "stock" in engines:
            print(f"stock haystack index built in {build_stock():.0f} s")
            runs["(a) stock haystack+Whoosh"] = lambda: time_stock(cases)
        if "fts" in engines:
            fts = build_fts(scratch / "fts.sqlite3")
            runs["(b) SQLite FTS5"] = lambda: time_fts(fts, cases)
        results = {}
        for name, run in runs.items():
            cold = summary(run())  # first pass: searchers opened, caches filled as queries come
            results[name] = summary(run())  # second pass: the same queries again
            print(
                f"{name:28} first pass median {cold[0]:7.1f} / p95 {cold[1]:7.1f} ms;"
                f" again median {results[name][0]:7.1f} / p95 {results[name][1]:7.1f} ms"
            )
        if len(results) == len(ENGINES):
            print_ratios(*results.values())
        if "ours (/api/search)" in results:
            print(f"ours p95 {results['ours (/api/search)'][1]:.1f} ms (target <= 50 ms)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
