"""Stories on Reuters-21578: precision/recall on the hand-labelled pairs, and assignment speed.

    python bench/bench_stories.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]
                                  [--singles 200]

Ingests the corpus once into a temporary SQLite database (stories are assigned on the way),
then:
- times ``rebuild_stories()`` (``manage.py assign_stories``: the whole archive from scratch,
  reading, comparing and writing), ``--runs`` times; target 60 s;
- times the first assignment in a new process, which must first have the story index of the
  whole archive: built by reading every article, or loaded from the saved index file;
- times assigning one newly ingested article: ``--singles`` articles, one at a time, are
  taken out of the index and their story, then assigned again with ``assign_stories([pk])``
  against the warm index of everything else (what an ingest of one article pays); target
  50 ms median;
- scores story assignment against the hand-judged pairs (``bench/story_pairs.md`` says how
  they were judged): ``story_pairs.jsonl``, the development set the thresholds were fitted
  on, and ``story_pairs_heldout.jsonl``, drawn and judged afterwards. A pair is predicted
  "same" when both articles are in one story; goals: precision 0.95, recall not below 0.70;
- reports the story sizes after the rebuild: the largest story and how many stories of each
  size (a rule that chains weak links makes stories of hundreds of articles);
- counts the possible versions left for editors (pairs the rule nearly joined), and how many
  of the labelled pairs the rule missed are among them (what the review queue recovers) and
  how many labelled "not same" pairs are offered too.

Reuters-21578, Distribution 1.0: research use only; it is read here, never stored. The pair
files hold record ids, labels and a few words of reason, no Reuters text.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO, temp_archive

PRECISION_GOAL, RECALL_FLOOR = 0.95, 0.70
SIZE_BINS = ((2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, 50), (51, None))
PAIR_SETS = {
    "development": REPO / "bench" / "story_pairs.jsonl",
    "held out": REPO / "bench" / "story_pairs_heldout.jsonl",
}
REBUILD_TARGET_S = 60.0
SINGLE_TARGET_MS = 50.0


Side = tuple[int | None, int | None]  # an article's (id, story id); (None, None) if not loaded


def labelled(corpus_name: str, path: Path) -> list[tuple[bool, Side, Side]]:
    """The hand-judged pairs of one file: (same event?, one article, the other)."""
    from articles.models import Article

    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sources = [(f"{corpus_name}#{pair['a']}", f"{corpus_name}#{pair['b']}") for pair in pairs]
    rows = Article.objects.filter(source_file__in={s for two in sources for s in two})
    found = {source: (pk, story) for source, pk, story in rows.values_list("source_file", "pk", "story_id")}
    return [
        (pair["same"], found.get(a, (None, None)), found.get(b, (None, None)))
        for pair, (a, b) in zip(pairs, sources, strict=True)
    ]


def together(a: Side, b: Side) -> bool:
    """Both articles are in one story."""
    return a[1] is not None and a[1] == b[1]


def score_pairs(corpus_name: str, path: Path) -> tuple[float, float, int, int, int]:
    """(precision, recall, true positives, false positives, false negatives) on one pair file."""
    tp = fp = fn = 0
    for same, a, b in labelled(corpus_name, path):
        predicted = together(a, b)
        tp += predicted and same
        fp += predicted and not same
        fn += not predicted and same
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), tp, fp, fn


def report_possible(corpus_name: str) -> None:
    """The review queue's possible versions against the labelled pairs the rule left apart."""
    from articles.models import Article, PossibleVersion

    offered = set(PossibleVersion.objects.undecided().values_list("first", "second"))
    per_thousand = 1000 * len(offered) / Article.objects.count()
    print(f"possible versions for editors: {len(offered)} ({per_thousand:.0f} per 1,000 articles)")
    for name, path in PAIR_SETS.items():
        missed = found = wrong = joined = total = 0
        for same, a, b in labelled(corpus_name, path):
            joint = together(a, b)
            in_queue = (min(a[0], b[0]), max(a[0], b[0])) in offered
            total += same
            joined += joint and same
            missed += same and not joint
            found += same and not joint and in_queue
            wrong += not same and in_queue
        print(
            f"  {name} pairs: of {missed} same-event pairs the rule missed, {found} are offered; "
            f"{wrong} 'not same' pairs offered too; recall if editors accept every right one "
            f"{(joined + found) / max(total, 1):.3f}"
        )


def report_pairs(corpus_name: str, when: str) -> None:
    for name, path in PAIR_SETS.items():
        precision, recall, tp, fp, fn = score_pairs(corpus_name, path)
        print(
            f"{when}, {name} pairs ({path.name}, {tp + fn} same): precision {precision:.3f} "
            f"(goal {PRECISION_GOAL}), recall {recall:.3f} (at least {RECALL_FLOOR}); "
            f"tp {tp}, fp {fp}, fn {fn}"
        )


def report_sizes() -> None:
    """The largest story and how many stories there are of each size."""
    from django.db.models import Count

    from articles.models import Story

    sizes = sorted(Story.objects.annotate(n=Count("articles")).values_list("n", flat=True), reverse=True)
    bins = []
    for low, high in SIZE_BINS:
        count = sum(1 for n in sizes if n >= low and (high is None or n <= high))
        bins.append(f"{low}{'' if high == low else '+' if high is None else f'-{high}'}: {count}")
    largest = sizes[0] if sizes else 0
    print(f"largest story: {largest} articles (then {sizes[1:6]}); stories by size: {', '.join(bins)}")


def time_singles(count: int) -> list[float]:
    """Milliseconds to assign each of ``count`` articles as if newly ingested."""
    from django.db import transaction

    from articles.models import Article
    from articles.stories import assign

    pks = list(Article.objects.exclude(body="").values_list("pk", flat=True))
    sample = random.Random(21578).sample(pks, min(count, len(pks)))
    assign.assign_stories(sample[:1])  # warm the index once, like a long-running process
    timings = []
    for pk in sample:
        with transaction.atomic():
            Article.objects.filter(pk=pk).update(story=None, duplicate_of=None)
            assign._Live.index.remove(pk)
            started = time.perf_counter()
            assign.assign_stories([pk])
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)  # leave the archive as it was
        assign._Live.index.remove(pk)  # and back as it was (``extend`` adds as it is iterated)
        doc = assign.article_doc(*Article.objects.values_list(*assign._FIELDS).get(pk=pk))
        list(assign._Live.index.extend([doc]))
    return timings


def time_cold_start(runs: int) -> dict[str, float]:
    """Median seconds of a new process's first assignment, building the index or loading it."""
    from django.conf import settings

    from articles.models import Article
    from articles.stories import assign

    saved_file = settings.STORY_INDEX_FILE
    pk = Article.objects.exclude(body="").order_by("pk").values_list("pk", flat=True).first()
    timings: dict[str, list[float]] = {"built": [], "loaded": []}
    try:
        for _ in range(runs):
            for how in timings:
                settings.STORY_INDEX_FILE = saved_file if how == "loaded" else ""
                assign._Live.index, assign._Live.max_pk = None, 0  # a new process
                started = time.perf_counter()
                assign.assign_stories([pk])  # already placed: nothing changes
                timings[how].append(time.perf_counter() - started)
    finally:
        settings.STORY_INDEX_FILE = saved_file
    return {how: statistics.median(seconds) for how, seconds in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--singles", type=int, default=200)
    args = parser.parse_args()
    with temp_archive("bench-stories-"):
        from articles.ingest import ingest_paths
        from articles.models import Article, Story
        from articles.stories.assign import rebuild_stories

        started = time.perf_counter()
        report = ingest_paths([args.corpus.resolve()], describe=False)
        if not report.ok:
            raise SystemExit(f"ingest failed: {report.files[0].error}")
        print(f"ingested {Article.objects.count()} articles in {time.perf_counter() - started:.1f} s")

        report_pairs(args.corpus.name, "after ingest")

        rebuilds = []
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            changed = rebuild_stories()
            rebuilds.append(time.perf_counter() - started)
            print(f"run {run}: rebuild from scratch {rebuilds[-1]:.1f} s ({changed} articles changed)")
        in_story = Article.objects.filter(story__isnull=False).count()
        duplicates = Article.objects.filter(duplicate_of__isnull=False).count()
        print(f"{Story.objects.count()} stories holding {in_story} articles; {duplicates} flagged duplicates")
        report_pairs(args.corpus.name, "after rebuild")
        report_sizes()
        report_possible(args.corpus.name)

        median_rebuild = statistics.median(rebuilds)
        print(
            f"median rebuild from scratch: {median_rebuild:.1f} s "
            f"(target {REBUILD_TARGET_S:.0f} s, ratio {median_rebuild / REBUILD_TARGET_S:.2f})"
        )
        cold = time_cold_start(args.runs)
        print(
            f"first assignment in a new process: {cold['built']:.1f} s building the story index, "
            f"{cold['loaded']:.1f} s loading the saved one (ratio {cold['loaded'] / cold['built']:.2f})"
        )
        singles = time_singles(args.singles)
        median_single = statistics.median(singles)
        print(
            f"median assignment of one new article ({len(singles)} articles): {median_single:.1f} ms "
            f"(target {SINGLE_TARGET_MS:.0f} ms, ratio {median_single / SINGLE_TARGET_MS:.2f}); "
            f"p90 {statistics.quantiles(singles, n=10)[-1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
