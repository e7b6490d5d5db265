"""Precision of the name variants learned from the archive, on hand-judged pairs.

    python bench/bench_variant_suggestions.py [--corpus ../shared/corpus/reuters21578.jsonl.gz]
        [--sample 120] [--seed 18] [--show]

Runs the learners of :mod:`articles.variants` on
- Reuters-21578, read straight from the corpus file (acronyms, transliterations, and the
  spellings of "stories" made of the records sharing a headline, the corpus having no stories);
- the demo archive (``manage.py load_demo``: the seed and Wikinews articles, their stories as
  loading assigns them, the starter list of name variants), in a temporary archive, through the
  same scan the review queue's job runs (``articles.variants.scan``);
leaves out the pairs the starter list already holds in one group, draws a fixed-seed sample of
at least ``--sample`` pairs (every pair of a kind with few, the rest from acronyms, drawn by a
hash of the seed and the pair), and scores
it against ``bench/variant_judgements.jsonl``: one line a pair, judged by hand from its evidence
sentences (``same``: the two names are one person, body or thing, and a search for one should
find the other; ``why``: a few words). ``--show`` prints each sampled pair's evidence (to judge
it; nothing of it is stored) and the pairs not judged yet.

Reuters-21578, Distribution 1.0: research use only; it is read here, never stored. The
judgements file holds record ids and the two names only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

from _archive import DEFAULT_CORPUS, REPO, temp_archive

JUDGEMENTS = REPO / "bench" / "variant_judgements.jsonl"
MAX_STORY = 8  # records sharing a headline read as one story's versions, at most
KINDS = ("acronym", "spelling", "transliteration")


def reuters(path: Path) -> list[dict]:
    """The pairs the learners find in the corpus: {kind, first, second, ids, evidence}."""
    from articles.stories.differences import Version
    from articles.variants.acronyms import Acronyms
    from articles.variants.story_spellings import story_spellings
    from articles.variants.transliterations import Transliterations

    acronyms, people, ids = Acronyms(), Transliterations(), []
    headlines: dict[str, list[int]] = defaultdict(list)
    bodies: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            record = json.loads(line)
            ids.append(record["id"])
            bodies.append(record["body"] or "")
            acronyms.read(n, f"{record['title']}.\n{record['body'] or ''}")
            people.read(n, record["title"], record["body"] or "")
            if record["body"]:
                headlines[record["title"].strip()].append(n)
    spellings = []
    for group in headlines.values():
        if 2 <= len(group) <= MAX_STORY and len({bodies[n] for n in group}) > 1:
            spellings += story_spellings([Version(n, ids[n], bodies[n]) for n in group])
    return [
        _row("reuters", c, ids.__getitem__) for c in acronyms.candidates() + spellings + people.candidates()
    ]


def _row(source: str, candidate, record_id) -> dict:
    seen = {"first": candidate.first_seen, "second": candidate.second_seen}
    return {
        "source": source,
        "kind": candidate.kind,
        "first": candidate.first,
        "second": candidate.second,
        "ids": sorted({record_id(s.article) for side in seen.values() for s in side}),
        "evidence": {
            side: [(record_id(s.article), s.sentence) for s in sightings] for side, sightings in seen.items()
        },
    }


def demo() -> tuple[list[dict], object]:
    """The pairs the review queue's scan finds in the demo archive (what it would offer), and the
    starter list's table of name variants."""
    from io import StringIO

    from django.core.management import call_command

    from articles.models import AliasGroup, Article
    from articles.search import aliases
    from articles.variants import scan

    call_command("load_demo", stdout=StringIO())
    found = scan.find()
    ids = {
        pk: url or file or f"#{pk}"
        for pk, url, file in Article.objects.values_list("pk", "source_url", "source_file")
    }
    rows = [_row("demo", c, ids.__getitem__) for c in found]
    table = aliases.build(
        AliasGroup(names=names).name_list() for names in AliasGroup.objects.values_list("names", flat=True)
    )
    return rows, table


def grouped(row: dict, table) -> bool:
    from articles.search.name_forms import normalize

    a, b = table.get(normalize(row["first"])), table.get(normalize(row["second"]))
    return a is not None and b is not None and a.group == b.group


def sample(rows: list[dict], size: int, seed: int) -> list[dict]:
    """Every pair of the kinds with fewer than their share of ``size``, the rest drawn: those first
    in the order of a hash of the seed and the pair (so that a pair more or less found leaves the
    rest of the sample as it was)."""
    by_kind = {
        kind: sorted((r for r in rows if r["kind"] == kind), key=lambda r: _draw(seed, r)) for kind in KINDS
    }
    chosen, left = [], size
    for kind in sorted(KINDS, key=lambda k: len(by_kind[k])):
        share = left // max(1, sum(1 for k in KINDS if len(by_kind[k]) >= len(by_kind[kind])))
        picked = by_kind[kind][:share]
        chosen += picked
        left -= len(picked)
    return sorted(chosen, key=key)


def _draw(seed: int, row: dict) -> str:
    return hashlib.sha256(f"{seed}\t{chr(9).join(key(row))}".encode()).hexdigest()


def key(row: dict) -> tuple[str, str, str]:
    from articles.variants.candidates import pair_key

    return (row["kind"], *pair_key(row["first"], row["second"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=120)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--show", action="store_true", help="print each sampled pair's evidence")
    args = parser.parse_args()
    started = time.monotonic()
    os.chdir(REPO)  # load_demo names its fixtures from the project's folder
    with temp_archive("bench-variants-"):
        demo_rows, table = demo()
        rows = [r for r in reuters(args.corpus) + demo_rows if not grouped(r, table)]
    unique = {key(r): r for r in rows}
    counts = Counter((r["source"], r["kind"]) for r in unique.values())
    print(f"Pairs found in {time.monotonic() - started:.0f} s:", dict(sorted(counts.items())))
    drawn = sample(list(unique.values()), args.sample, args.seed)
    judged = {}
    if JUDGEMENTS.exists():
        for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                judged[key(row)] = row
    missing = [r for r in drawn if key(r) not in judged]
    if args.show:
        for row in drawn:
            mark = "" if key(row) in judged else "  [not judged yet]"
            print(f"\n{row['kind']}: {row['first']} = {row['second']} ({row['source']}){mark}")
            for side in ("first", "second"):
                for record, sentence in row["evidence"][side]:
                    print(f"  {side} {record}: {sentence}")
    scores: dict[str, list[bool]] = defaultdict(list)
    for row in drawn:
        if key(row) in judged:
            scores[row["kind"]].append(bool(judged[key(row)]["same"]))
    print(f"Sample: {len(drawn)} pairs (seed {args.seed}), {len(drawn) - len(missing)} judged.")
    every = [s for kind in scores.values() for s in kind]
    if every:
        print(f"Precision overall: {sum(every) / len(every):.3f} ({sum(every)}/{len(every)})")
    for kind, marks in sorted(scores.items()):
        print(f"  {kind}: {sum(marks) / len(marks):.3f} ({sum(marks)}/{len(marks)})")
    for row in missing:
        print(json.dumps({k: row[k] for k in ("source", "kind", "first", "second", "ids")}))


if __name__ == "__main__":
    main()
