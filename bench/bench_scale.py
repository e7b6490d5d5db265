"""Speed at scale (issue 15): the archive at 21.6k and 100k articles, built from Reuters, side by side.

    python bench/bench_scale.py [--sizes 21578,100000] [--seed 15] [--corpus PATH] [--keep]
                                [--samples 30] [--duration 15] [--clients 8] [--json OUT.json]
    python bench/bench_scale.py --quick       # a few minutes: 1,500 stories, sizes 1,500 and 4,000

For each size, in a fresh temporary archive (SQLite + Whoosh, a data folder of its own):

1. **Records and ingest.** Writes a JSONL file of ``size`` records: the Reuters-21578 stories
   (the first ``size`` when that is all), each followed by variants as other outlets would have
   told it (``_scale_corpus``: one of ten invented outlets each, dates a few days off, reworded,
   a sentence dropped, paragraphs swapped; seeded by ``--seed``). ``manage.py ingest`` loads it
   in a process of its own (articles/s; peak memory: PSS of the ingest and its writer processes,
   sampled every half second by ``bench_ingest``), then ``manage.py worker --batch`` runs the
   jobs the load queued, as the worker beside the server would.
2. **Faceted search against SQLite FTS5** (``_scale_measure.py search``, one process): our
   ``/api/search`` (page 1, all seven facets, highlights) and FTS5 doing the same matching, facet
   counts and top 20 on the same documents (``bench_search``), per query in CPU time
   (``time.process_time``, the reliable figure on a shared machine) and wall time: the bench mix
   (240 queries, second pass) and unseen queries (once each: ``bench_search_cpu``'s 20 rare pairs
   and 100 two-word queries from headlines). Medians, p95s and the ratios ours / FTS5.
3. **Every page's p95** (``_scale_measure.py page``, a process for each kind, warmed as a
   gunicorn worker is): the search page, article pages, story pages, the admin article list
   (pages across the list, and searched with ``?q=``) and the review queue, through Django's test
   client (the admin as a superuser); ``--samples`` each, the review queue ``--review-samples``.
   A page kind still running at its time budget (``--page-budget``, ``--review-budget``) is
   stopped and reported as over budget with the samples it finished.
4. **Serving** under gunicorn (2 workers, ``gunicorn.conf.py``) on a loopback port: a bounded
   load generator (``_scale_load``: ``--clients`` threads, ``http.client``; no wrk here) on
   article pages, then on search pages (the bench mix, with facets), ``--duration`` seconds each
   after a short warm-up: requests/s, latency, the workers' CPU per request, and each worker's
   RSS after the load.

Prints each figure as it comes, then a markdown table of the figures next to the goals of issue
15. Goals "at 21.6k" are judged on the smallest size, "at 100k" on the largest; verdicts on CPU
time. A failing step is reported (ERROR) and the bench goes on; exit status 1 if any failed.
Reuters-21578, Distribution 1.0: research use only; it is read, and the records written to the
temporary folder only (``--keep`` keeps the folder).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO
from _scale_corpus import read_corpus, records_for, write_records
from _scale_load import describe, load, serve
from _scale_measure import PAGES
from bench_ingest import ingest
from bench_search import summary

BENCH = Path(__file__).resolve().parent
MEASURE = str(BENCH / "_scale_measure.py")
FULL = {"sizes": "21578,100000", "stories": 0, "samples": 30, "review_samples": 3, "duration": 15.0}
FULL |= {"warm": 3.0, "mix_every": 1, "unseen": 100}
QUICK = {"sizes": "1500,4000", "stories": 1500, "samples": 5, "review_samples": 1, "duration": 3.0}
QUICK |= {"warm": 1.0, "mix_every": 6, "unseen": 10}


def archive_env(data_dir: Path) -> dict[str, str]:
    """The environment of every process on one size's archive: its data folder only."""
    env = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"  # testserver: Django's test client
    for name in ("DATABASE_URL", "WHOOSH_PATH", "STORY_INDEX_FILE", "UPLOAD_SPOOL_DIR", "DEBUG"):
        env.pop(name, None)
    return env


def manage(env: dict[str, str], *command: str, timeout: float = 3600) -> float:
    """Run ``manage.py COMMAND``; its seconds. Fails with the end of its output."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(command)}: exit {done.returncode}: {done.stderr[-1500:]}")
    return time.perf_counter() - started


def measure(env: dict[str, str], budget: float, *arguments: str) -> bool:
    """Run ``_scale_measure.py ARGUMENTS`` (its output shows here); False when it ran out of time
    (stopped). Fails when it fails."""
    process = subprocess.Popen([sys.executable, MEASURE, *arguments], cwd=BENCH, env=env)
    try:
        process.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False
    if process.returncode:
        raise RuntimeError(
            f"_scale_measure.py {arguments[0]} failed (exit {process.returncode}; output above)"
        )
    return True


def ms(pair) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f} ms"


class Size:
    """One size's archive, its figures and the errors met on the way."""

    def __init__(self, size: int, folder: Path, args: argparse.Namespace) -> None:
        self.size, self.folder, self.args = size, folder, args
        self.data = folder / "data"
        self.env = archive_env(self.data)
        self.result: dict = {"size": size, "errors": [], "pages": {}}

    def step(self, name: str, call: Callable[[], object]) -> bool:
        """Run one step; an error is printed and kept, never raised (the bench goes on)."""
        try:
            call()
            return True
        except (Exception, SystemExit) as error:
            message = f"{self.size:,}: {name}: {type(error).__name__}: {str(error).strip()[-1500:]}"
            print(f"ERROR {message}", flush=True)
            self.result["errors"].append(message)
            return False

    def build(self, originals: list[dict]) -> None:
        started = time.perf_counter()
        path = self.folder / f"scale-{self.size}.jsonl"
        count = write_records(path, records_for(originals, self.size, self.args.seed))
        stories = min(count, len(originals))
        mb = path.stat().st_size / 1e6
        print(
            f"records: {count:,} ({stories:,} stories, {count - stories:,} variants), {mb:.0f} MB,", end=" "
        )
        print(f"written in {time.perf_counter() - started:.0f} s", flush=True)
        self.data.mkdir()
        manage(self.env, "migrate", "--noinput")
        seconds, peak_mb = ingest(path, self.env)
        self.result["ingest"] = {
            "articles": count,
            "seconds": seconds,
            "rate": count / seconds,
            "peak_mb": peak_mb,
        }
        print(
            f"ingest: {count / seconds:.0f} articles/s ({seconds:.0f} s), peak memory {peak_mb:.0f} MB",
            flush=True,
        )
        self.result["jobs_s"] = manage(self.env, "worker", "--batch", "--no-startup-delay")
        print(f"queued jobs run (manage.py worker --batch): {self.result['jobs_s']:.1f} s", flush=True)

    def search(self) -> None:
        out, budget = self.folder / "search.json", self.args.page_budget * 4
        options = ["--seed", str(self.args.seed), "--mix-every", str(self.args.mix_every)]
        if not measure(self.env, budget, "search", str(out), *options, "--unseen", str(self.args.unseen)):
            raise RuntimeError(f"stopped at its time budget ({budget:.0f} s)")
        self.result["search"] = json.loads(out.read_text())

    def page(self, kind: str) -> None:
        review = kind == "review"
        samples = self.args.review_samples if review else self.args.samples
        budget = self.args.review_budget if review else self.args.page_budget
        out = self.folder / f"page-{kind}.jsonl"
        options = ["--samples", str(samples), "--seed", str(self.args.seed)]
        out.unlink(missing_ok=True)
        failure = None
        try:
            finished = measure(self.env, budget, "page", kind, str(out), *options)
        except RuntimeError as error:  # the samples it finished still count
            finished, failure = True, error
        stopped = time.time()
        lines = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
        done = [line for line in lines if "path" in line]
        figures: dict = {
            "samples": len(done),
            "wanted": samples,
            "over_budget": not finished,
            "budget_s": budget,
        }
        figures["warm_up_s"] = lines[0]["warm_up_s"] if lines else None
        if not finished and lines:  # the request it was stopped in had run this long (wall)
            figures["unfinished_s"] = stopped - lines[-1]["end"]
        figures["statuses"] = dict(Counter(str(line["status"]) for line in done))
        if done:
            figures["cpu"] = summary([line["cpu"] for line in done])
            figures["wall"] = summary([line["wall"] for line in done])
        self.result["pages"][kind] = figures
        print(page_line(kind, figures), flush=True)
        if failure:
            raise failure

    def serving(self) -> None:
        out = self.folder / "paths.json"
        if not measure(self.env, self.args.page_budget, "paths", str(out), "--seed", str(self.args.seed)):
            raise RuntimeError("no URLs to load: _scale_measure.py paths ran out of time")
        paths = json.loads(out.read_text())
        figures: dict = {}
        self.result["serving"] = figures
        with serve(self.env, self.folder / "gunicorn.log") as server:
            figures["rss_start_mb"] = server.worker_rss_mb()
            rss = ", ".join(f"{mb:.0f}" for mb in figures["rss_start_mb"])
            print(f"  gunicorn 2 workers, warmed: RSS {rss} MB", flush=True)
            for kind in ("article", "search"):
                load(server, paths[kind], self.args.clients, self.args.warm)  # not counted
                phase = load(server, paths[kind], self.args.clients, self.args.duration).summary()
                phase["rss_mb"] = server.worker_rss_mb()
                figures[kind] = phase
                print(f"  {kind + ' pages':13} {describe(phase, self.args.clients)}", flush=True)

    def run(self, originals: list[dict]) -> dict:
        print(f"\n## {self.size:,} articles", flush=True)
        self.folder.mkdir(parents=True)
        if not self.step("records and ingest", lambda: self.build(originals)):
            return self.result
        print("faceted search, ours (/api/search) against SQLite FTS5:", flush=True)
        self.step("search", self.search)
        print("pages, through Django's test client (median / p95):", flush=True)
        for kind in PAGES:
            self.step(f"page {kind}", lambda kind=kind: self.page(kind))
        print("serving, under gunicorn:", flush=True)
        self.step("serving", self.serving)
        return self.result


def page_line(kind: str, figures: dict) -> str:
    """One page kind's figures, as the bench prints them."""
    done = figures["samples"]
    text = f"  {PAGES[kind]:36} {done:3} of {figures['wanted']}: "
    text += f"CPU {ms(figures['cpu'])}, wall {ms(figures['wall'])} (median / p95)" if done else "no sample"
    if figures["statuses"].keys() - {"200"}:
        text += f"; statuses {figures['statuses']}"
    if figures["over_budget"]:
        running = figures.get("unfinished_s")
        text += f"; OVER BUDGET: stopped after {figures['budget_s']:.0f} s"
        text += f", a request running for {running:.1f} s" if running is not None else " (still warming up)"
    return text


def dig(result: dict, *keys):
    """``result[k1][k2]...``, or None where a step left it out."""
    for key in keys:
        if not isinstance(result, dict) or key not in result:
            return None
        result = result[key]
    return result


Figure = Callable[[dict], tuple[float | None, str]]  # a size's result -> (value judged, text shown)


def serving_rate(kind: str) -> Figure:
    def figure(r: dict) -> tuple[float | None, str]:
        rate = dig(r, "serving", kind, "req_per_s")
        return rate, f"{rate:.0f} req/s" if rate is not None else ""

    return figure


def search_ratio(key: str, i: int) -> Figure:
    def figure(r: dict) -> tuple[float | None, str]:
        ratio = dig(r, "search", key, "cpu", "ratio")
        return (ratio[i], f"{ratio[i]:.1f}×") if ratio else (None, "")

    return figure


def search_p95(key: str) -> Figure:
    def figure(r: dict) -> tuple[float | None, str]:
        cpu, wall = dig(r, "search", key, "cpu", "ours"), dig(r, "search", key, "wall", "ours")
        return (cpu[1], f"{cpu[1]:.0f} ms (wall {wall[1]:.0f})") if cpu and wall else (None, "")

    return figure


def page_p95(kind: str, goal: float) -> Figure:
    """The p95 in CPU time. A page stopped at its budget has a lower bound only (the finished
    samples' p95, or the request it was stopped in, wall time so far): a verdict when it is over
    ``goal`` ms (NOT met), none when under."""

    def figure(r: dict) -> tuple[float | None, str]:
        figures = dig(r, "pages", kind) or {}
        text, value = "", None
        if figures.get("cpu"):
            value = figures["cpu"][1]
            text = f"{value:.0f} ms (wall {figures['wall'][1]:.0f}; n={figures['samples']})"
            if failed := sum(n for status, n in figures["statuses"].items() if status != "200"):
                text += f", {failed} not 200"
        if figures.get("over_budget"):
            running = figures.get("unfinished_s")
            least = max(value or 0, (running or 0) * 1000)
            value = least if least > goal else None
            more = (
                f", one still running after {running:.1f} s" if running is not None else ", still warming up"
            )
            text += f"{', ' if text else ''}stopped at the budget ({figures['budget_s']:.0f} s){more}"
        return value, text

    return figure


def worker_rss(r: dict) -> tuple[float | None, str]:
    sizes = (dig(r, "serving", "article", "rss_mb") or []) + (dig(r, "serving", "search", "rss_mb") or [])
    return (max(sizes), f"{max(sizes):.0f} MB") if sizes else (None, "")


def ingest_figure(key: str, unit: str) -> Figure:
    def figure(r: dict) -> tuple[float | None, str]:
        value = dig(r, "ingest", key)
        return value, f"{value:.0f} {unit}" if value is not None else ""

    return figure


def archive(r: dict) -> tuple[None, str]:
    facts = dig(r, "search", "facts")
    if not facts:
        return None, ""
    counts = (
        f"{facts['indexed']:,} searchable, {facts['duplicates']:,} duplicates, {facts['stories']:,} stories"
    )
    return None, f"{counts}; index segments: {facts['segments']}"


def warm_up(r: dict) -> tuple[None, str]:
    seconds = dig(r, "search", "warm_up_s")
    return None, f"{seconds:.2f} s" if seconds is not None else ""


def table(results: list[dict]) -> list[str]:
    """The summary: one row a goal, one column a size; a verdict where the goal applies (goals at
    21.6k on the smallest size, at 100k on the largest, the others on every size)."""
    first, last = results[0]["size"], results[-1]["size"]
    every = dict.fromkeys((r["size"] for r in results), 2)
    rows: list[tuple[str, str, Figure, dict, bool]] = [  # measure, goal, figure, {size: goal}, at most?
        ("archive after the load", "", archive, {}, True),
        ("a worker's warm-up (searcher and facets)", "", warm_up, {}, True),
        (
            "article page, gunicorn 2 workers",
            "≥ 300 req/s at 21.6k",
            serving_rate("article"),
            {first: 300},
            False,
        ),
        (
            "search page with facets, gunicorn",
            "≥ 100 req/s at 21.6k",
            serving_rate("search"),
            {first: 100},
            False,
        ),
    ]
    for name, key in (("bench mix", "mix"), ("unseen queries", "unseen")):
        for i, stat in enumerate(("median", "p95")):
            rows.append(
                (f"faceted search / FTS5, {name}, {stat} (CPU)", "≤ 2×", search_ratio(key, i), every, True)
            )
    for name, key in (("bench mix", "mix"), ("unseen queries", "unseen")):
        goals = {last: 200, first: 50}  # one size alone: judged as 21.6k
        rows.append(
            (
                f"faceted search p95 (CPU), {name}",
                "≤ 50 ms at 21.6k, ≤ 200 ms at 100k",
                search_p95(key),
                goals,
                True,
            )
        )
    for kind, label in PAGES.items():
        rows.append((f"{label} p95 (CPU)", "≤ 500 ms at 100k", page_p95(kind, 500), {last: 500}, True))
    rows.append(
        (
            "RSS of a gunicorn worker after the load, highest",
            "≤ 300 MB at 100k",
            worker_rss,
            {last: 300},
            True,
        )
    )
    rows.append(("ingest", "≥ 280/s (in bench_ingest.py)", ingest_figure("rate", "articles/s"), {}, False))
    peak_goals = dict.fromkeys(every, 500)
    rows.append(
        (
            "ingest peak memory (PSS, with its writers)",
            "< 500 MB",
            ingest_figure("peak_mb", "MB"),
            peak_goals,
            True,
        )
    )
    lines = ["| measure | goal | " + " | ".join(f"{r['size']:,}" for r in results) + " |"]
    lines.append("|---|---|" + "---|" * len(results))
    for name, target, figure, goals, at_most in rows:
        cells = []
        for r in results:
            value, text = figure(r)
            goal = goals.get(r["size"])
            if value is not None and goal is not None:
                text += ": met" if (value <= goal if at_most else value >= goal) else ": **NOT met**"
            cells.append(text or "n/a")
        lines.append(f"| {name} | {target} | " + " | ".join(cells) + " |")
    return lines


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help=f"comma-separated article counts (default {FULL['sizes']})")
    parser.add_argument("--seed", type=int, default=15, help="variants and samples (default 15)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--stories", type=int, help="read only the first N Reuters stories (default all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (archives, logs)")
    parser.add_argument("--samples", type=int, help="requests timed per page kind (default 30)")
    parser.add_argument("--review-samples", type=int, help="review queue requests (default 3)")
    parser.add_argument("--page-budget", type=float, default=600, help="seconds a page kind may take")
    parser.add_argument("--review-budget", type=float, default=300, help="seconds the review queue may take")
    parser.add_argument("--duration", type=float, help="seconds of load per page kind (default 15)")
    parser.add_argument("--warm", type=float, help="seconds of load before each timed one (default 3)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the load (default 8)")
    parser.add_argument("--mix-every", type=int, help="time every n-th query of the bench mix (default 1)")
    parser.add_argument("--unseen", type=int, help="unseen queries from headlines (default 100)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--quick", action="store_true", help="check it works: small sizes, few samples")
    args = parser.parse_args()
    if not args.corpus.is_file():
        parser.error(f"--corpus: no such file: {args.corpus}")
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    try:
        args.sizes = sorted({int(size) for size in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes: comma-separated whole numbers")
    if not args.sizes or args.sizes[0] < 1:
        parser.error("--sizes: at least one size, each 1 or more")
    return args


def main() -> None:
    args = options()
    originals = read_corpus(args.corpus, args.stories or None)
    print(f"{len(originals):,} Reuters stories from {args.corpus.name}; sizes {args.sizes}; seed {args.seed}")
    scratch = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results = []
    try:
        for size in args.sizes:
            results.append(Size(size, scratch / f"size-{size}", args).run(originals))
            if not args.keep:
                shutil.rmtree(scratch / f"size-{size}", ignore_errors=True)
    finally:
        if args.keep:
            print(f"\nkept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print("\n## Summary: issue 15's goals (figures in CPU time; p95s nearest rank)\n")
    print("\n".join(table(results)))
    print(f"\nGoals at 21.6k judged on {args.sizes[0]:,} articles, at 100k on {args.sizes[-1]:,}.")
    errors = [error for r in results for error in r["errors"]]
    print("\n".join(["", f"{len(errors)} step(s) failed:", *errors]) if errors else "\nEvery step ran.")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
