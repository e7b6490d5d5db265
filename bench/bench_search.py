"""Search speed on Reuters-21578: our search path vs stock haystack + Whoosh vs SQLite FTS5.

    python bench/bench_search.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--data-dir DIR]
                                 [--engines ours,stock,fts] [--rebuild] [--stock-sample 48]

Loads the 21,578 stories into a temporary archive through ``articles.ingest.ingest_paths`` (or
re-uses ``--data-dir`` when it already holds them), then runs a fixed set of 240 queries (common
words, two words, phrases; each without and with facet filters), every one asking for page 1 and
all seven facets, through:

- ours: ``GET /api/search`` through Django's test client (the code path of the page and the API:
  disjunctive facets, highlighting, spelling suggestions included);
- (a) stock django-haystack 3.4.0 + Whoosh 2.7.4: haystack's own ``WhooshEngine`` and schema
  (spelling on, as the brief specifies), in a separate temporary index, the same filters and
  facets in one ``SearchQuerySet``. At seconds a query it runs a seeded random sample of the
  queries, two of each kind under each filter set (``--stock-sample``; printed), and its ratio is
  taken against ours on the same queries;
- (b) SQLite FTS5 (Python's sqlite3), indexing the same text as ours (the index's ``text``
  field, and the headline weighted 3): one statement for the match and the facet counts
  (GROUP BY over the matching rowids, each facet with a selection counted without its own
  filter, as ours does), then the top 20 by bm25 with a highlighted headline and a snippet.

Before timing, a few queries (year and language filters among them) run through every engine
chosen and their totals are compared with ours; a ``WARNING`` line names each difference.
``--engines`` times only some of them; ``--rebuild`` runs ``manage.py rebuild_index`` after loading
(the index in two segments, as an operator leaves it after a big load; a bulk load writes more,
see ``WHOOSH_BULK_WRITER_MB``). Prints the index's segment count, median and p95 per engine in ms
and the ratios. Timings are wall-clock on this machine.
Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO

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


# Checked on every engine before timing (not timed): a year and a language filter among them.
CHECKS = [
    ("oil", {}),
    ("trade deficit", {"country": ["Japan"]}),
    ('"interest rates"', {"topic": ["money-fx", "interest"], "country": ["United States"]}),
    ("bank", {"year": ["1987"]}),
    ("crude oil", {"lang": ["en"], "place": ["London"]}),
    ("said", {"month": ["1987-03"]}),
]


# The facets whose articles have several values each (the others: one value a row of ``docs``).
MULTI_VALUED = ("topics", "people", "organisations", "places")


def facet_fields() -> dict[str, str]:
    """URL parameter -> index field, for every facet the archive has (``settings.NEWSARCHIVE_FACETS``)."""
    from django.conf import settings

    return {facet["param"]: facet["field"] for facet in settings.NEWSARCHIVE_FACETS}


def describe(case: tuple[str, dict]) -> str:
    text, filters = case
    return " ".join([text] + [f"{param}={'|'.join(values)}" for param, values in filters.items()])


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


def run_ours(client, text: str, filters: dict) -> dict:
    response = client.get("/api/search", {"q": text, **filters})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def time_ours(cases) -> list[float]:
    from django.test import Client

    client = Client()
    timings = []
    for text, filters in cases:
        started = time.perf_counter()
        run_ours(client, text, filters)
        timings.append(time.perf_counter() - started)
    return timings


def run_stock(text: str, filters: dict) -> int:
    """One query through stock haystack: page 1 highlighted, the count, all facets, a suggestion."""
    from haystack.query import SearchQuerySet

    fields = facet_fields()
    sqs = SearchQuerySet(using="stock").auto_query(text)
    for param, values in filters.items():
        sqs = sqs.filter(**{f"{fields[param]}_exact__in": values})
    for field in fields.values():
        sqs = sqs.facet(field)
    list(sqs.highlight()[:20])
    total = sqs.count()
    sqs.facet_counts()
    sqs.spelling_suggestion()
    return total


def time_stock(cases) -> list[float]:
    timings = []
    for text, filters in cases:
        started = time.perf_counter()
        run_stock(text, filters)
        timings.append(time.perf_counter() - started)
    return timings


def build_fts(path: Path) -> sqlite3.Connection:
    from haystack import connections

    from articles.models import Article

    path.unlink(missing_ok=True)  # built afresh: an earlier run's file would hold its tables
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
        """
    )
    for field in MULTI_VALUED:  # a table of (article, value) each, as a facet of several values needs
        table = f"values_{field}"
        db.execute(f"CREATE TABLE {table} (id INTEGER, value TEXT)")
        db.execute(f"CREATE INDEX {table}_id ON {table}(id)")
    index = connections["default"].get_unified_index().get_index(Article)
    for article in index.index_queryset().order_by("pk").iterator(chunk_size=2000):
        published = article.published
        db.execute(  # what ours searches: the ``text`` field (headline, summary, body, captions, names)
            "INSERT INTO fts(rowid, headline, text) VALUES (?, ?, ?)",
            (article.pk, article.headline, index.prepare_text(article)),
        )
        db.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.pk,
                index.prepare_outlet(article),
                index.prepare_place(article),
                index.prepare_country(article),
                article.language,
                index.prepare_year(article),
                index.prepare_month(article),
                published.isoformat() if published else None,
            ),
        )
        for field in MULTI_VALUED:
            values = getattr(index, f"prepare_{field}")(article)
            db.executemany(f"INSERT INTO values_{field} VALUES (?, ?)", [(article.pk, v) for v in values])  # noqa: S608
    db.commit()
    return db


def fts_condition(field: str, values: list[str]) -> str:
    marks = ",".join("?" * len(values))
    if field in MULTI_VALUED:
        return f"d.id IN (SELECT id FROM values_{field} WHERE value IN ({marks}))"  # noqa: S608
    return f"d.{field} IN ({marks})"


HIGHLIGHTED = (
    "fts.rowid, highlight(fts, 0, '<mark>', '</mark>'), snippet(fts, 1, '<mark>', '</mark>', '…', 30)"
)


def run_fts(db: sqlite3.Connection, text: str, filters: dict) -> tuple[int, dict, list]:
    """The query as ours answers it: the total, every facet's counts (a facet with a selection
    counted without its own filter), the top 20 by bm25 with a highlighted headline and a snippet.

    One statement matches once (``hits``) and counts over the matching rowids; the top 20 come
    from a second. SQL is assembled from fixed column names and ``?`` placeholders only (S608 is
    a false alarm)."""
    fields = facet_fields()
    match = text if text.startswith('"') else " AND ".join(text.split())
    selected = {fields[param]: values for param, values in filters.items()}

    def narrowed(name: str, skip: str | None = None) -> tuple[str, list]:
        """A CTE of the matches' rows under every filter but ``skip``'s, and its values."""
        where = " AND ".join(fts_condition(f, v) for f, v in selected.items() if f != skip) or "1"
        values = [value for f, v in selected.items() if f != skip for value in v]
        rows = f"SELECT d.* FROM hits JOIN docs d ON d.id = hits.id WHERE {where}"  # noqa: S608
        return f"{name} AS MATERIALIZED ({rows})", values

    ctes, args = ["hits(id) AS MATERIALIZED (SELECT rowid FROM fts WHERE fts MATCH ?)"], [match]
    cte, values = narrowed("m")
    ctes.append(cte)
    args += values
    parts = ["SELECT NULL, NULL, count(*) FROM m"]
    for field in fields.values():
        source = "m"
        if field in selected:
            source = f"m_{field}"
            cte, values = narrowed(source, skip=field)
            ctes.append(cte)
            args += values
        if field in MULTI_VALUED:
            counted = f"SELECT '{field}', value, count(*) FROM values_{field} JOIN {source} USING (id)"  # noqa: S608
            parts.append(counted + " GROUP BY 2")
        else:
            parts.append(f"SELECT '{field}', {field}, count(*) FROM {source} GROUP BY 2")  # noqa: S608
    rows = db.execute("WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts), args).fetchall()
    total = rows[0][2]
    counts: dict[str, list] = {field: [] for field in fields.values()}
    for field, value, count in rows[1:]:
        if value is not None:
            counts[field].append((value, count))
    for values in counts.values():
        values.sort(key=lambda pair: -pair[1])
    where = "".join(f" AND {fts_condition(f, v)}" for f, v in selected.items())
    top = f"SELECT {HIGHLIGHTED} FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?{where}"  # noqa: S608
    rows = db.execute(
        top + " ORDER BY bm25(fts, 3.0, 1.0) LIMIT 20",
        [match] + [value for v in selected.values() for value in v],
    ).fetchall()
    return total, counts, rows


def time_fts(db: sqlite3.Connection, cases) -> list[float]:
    timings = []
    for text, filters in cases:
        started = time.perf_counter()
        run_fts(db, text, filters)
        timings.append(time.perf_counter() - started)
    return timings


def summary(timings: list[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank) in ms."""
    ms = sorted(t * 1000 for t in timings)
    return statistics.median(ms), ms[math.ceil(len(ms) * 0.95) - 1]


ENGINES = ("ours", "stock", "fts")
OURS, STOCK, FTS = "ours (/api/search)", "(a) stock haystack+Whoosh", "(b) SQLite FTS5"


def kind(text: str) -> str:
    return "phrase" if text.startswith('"') else "two words" if " " in text else "word"


def stock_sample(cases: list, size: int, seed: int) -> list[int]:
    """Positions of a seeded random sample of the queries, stratified: as many of each kind
    (word, two words, phrase) under each filter set, so that the sample has the whole list's mix
    (``size`` rounded up to a multiple of the 24 strata; every query when 0 or more than all)."""
    if not 0 < size < len(cases):
        return list(range(len(cases)))
    strata: dict[tuple, list[int]] = {}
    for position, (text, filters) in enumerate(cases):
        strata.setdefault((kind(text), str(filters)), []).append(position)
    rng = random.Random(seed)
    each = math.ceil(size / len(strata))
    return sorted(position for members in strata.values() for position in rng.sample(members, each))


def print_sample(cases: list, picked: list[int], seed: int) -> None:
    kinds = [kind(cases[i][0]) for i in picked]
    mix = {name: kinds.count(name) for name in ("word", "two words", "phrase")}
    mix["with filters"] = sum(bool(cases[i][1]) for i in picked)
    counted = ", ".join(f"{n} {name}" for name, n in mix.items())
    print(f"stock runs {len(picked)} of the {len(cases)} queries (seed {seed}): {counted}")
    print("  " + "; ".join(f"#{i} {describe(cases[i])}" for i in picked))


def check_counts(engines: list[str], fts: sqlite3.Connection | None) -> None:
    """The CHECKS queries on every engine: totals compared with ours (and FTS5's facet counts)."""
    from django.test import Client

    client = Client()
    for text, filters in CHECKS:
        ours = run_ours(client, text, filters)
        line = f"check {describe((text, filters))}: ours {ours['total']}"
        warnings = []
        if "stock" in engines:
            stock = run_stock(text, filters)
            line += f", stock {stock}"
            if stock != ours["total"]:
                warnings.append(f"stock total {stock} != ours {ours['total']}")
        if fts is not None:
            total, counts, _ = run_fts(fts, text, filters)
            line += f", FTS5 {total}"
            if total != ours["total"]:
                warnings.append(f"FTS5 total {total} != ours {ours['total']}")
            fields = facet_fields()
            differ = [
                f"{param}={value} ours {count} FTS5 {dict(counts[fields[param]]).get(value, 0)}"
                for param, values in ours["facets"].items()
                for value, count in ((v["value"], v["count"]) for v in values)
                if dict(counts[fields[param]]).get(value, 0) != count
            ]
            if differ:
                warnings.append(
                    f"{len(differ)} facet counts differ from ours (" + "; ".join(differ[:3]) + ")"
                )
        print(line)
        for warning in warnings:
            print(f"WARNING: {describe((text, filters))}: {warning}")


def print_ratios(results: dict, stock_on_sample: tuple[float, float] | None) -> None:
    print("Ratios on the second pass:")
    ours = results.get(OURS)
    if ours and STOCK in results and stock_on_sample:
        stock = results[STOCK]
        print(
            f"stock / ours, on the same sampled queries: median {stock[0] / stock_on_sample[0]:.1f}x,"
            f" p95 {stock[1] / stock_on_sample[1]:.1f}x (target >= 4x)"
        )
    if ours and FTS in results:
        fts = results[FTS]
        ratios = f"median {ours[0] / fts[0]:.1f}x, p95 {ours[1] / fts[1]:.1f}x"
        print(f"ours / FTS5, all queries: {ratios} (target <= 2x)")


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
    parser.add_argument(
        "--stock-sample", type=int, default=48, help="queries stock runs, a stratified random sample (0: all)"
    )
    parser.add_argument("--seed", type=int, default=15, help="the stock sample's seed")
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
        everything = list(range(len(cases)))
        runs = {}  # name: (time the cases given, the positions of the cases it runs)
        if "ours" in engines:
            runs[OURS] = (time_ours, everything)
        if "stock" in engines:
            print(f"stock haystack index built in {build_stock():.0f} s")
            picked = stock_sample(cases, args.stock_sample, args.seed)
            print_sample(cases, picked, args.seed)
            runs[STOCK] = (time_stock, picked)
        fts = None
        if "fts" in engines:
            started = time.perf_counter()
            fts = build_fts(scratch / "fts.sqlite3")
            print(f"FTS5 index built in {time.perf_counter() - started:.0f} s")
            runs[FTS] = (lambda some: time_fts(fts, some), everything)
        check_counts(engines, fts)
        results, again = {}, {}
        for name, (run, positions) in runs.items():
            some = [cases[i] for i in positions]
            cold = summary(run(some))  # first pass: searchers opened, caches filled as queries come
            again[name] = dict(zip(positions, run(some), strict=True))  # second pass: the same queries
            results[name] = summary(list(again[name].values()))
            print(
                f"{name:28} {len(some):3} queries: first pass median {cold[0]:7.1f} / p95 {cold[1]:7.1f} ms;"
                f" again median {results[name][0]:7.1f} / p95 {results[name][1]:7.1f} ms"
            )
        stock_on_sample = None
        if OURS in again and STOCK in again:
            stock_on_sample = summary([again[OURS][i] for i in runs[STOCK][1]])
            print(
                f"{OURS:28} on the stock sample's {len(runs[STOCK][1])} queries (second pass): median"
                f" {stock_on_sample[0]:7.1f} / p95 {stock_on_sample[1]:7.1f} ms"
            )
        if len(results) > 1:
            print_ratios(results, stock_on_sample)
        if OURS in results:
            print(f"ours p95 {results[OURS][1]:.1f} ms (target <= 50 ms)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
