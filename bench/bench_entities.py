"""Precision and recall of the people and places ``articles.parsing.entities`` finds, on a
hand-judged sample of 50 articles; and its speed on Reuters-21578.

    python bench/bench_entities.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--speed 3000] [-v]

``bench/entities_sample.jsonl`` holds the judgements, one article a line: its source (``reuters``:
an id of the corpus; ``wikinews``: a primary key of ``fixtures/demo_wikinews.json``) and the
people and places a reader finds in its headline and text, each a list of the forms that name
it (``["Richard Lugar", "Lugar"]``; a country as the Country facet names it first, then as the
text writes it: ``["United Kingdom", "England"]``). The 50 are 25 Reuters stories of 200 to 900
characters and 25 Wikinews articles of at most 1,600, drawn at random (seed 18), read and judged
by hand. Judged as places: countries, regions, states, cities, towns, seas, named as places
(not inside an organisation's name: "Bank of England", "Utah Jazz"; not adjectives of
nationality); as people: everyone named, under their fullest name.

An extracted name is right when it is a form of a judged one not matched yet; another form of
one matched already (the same person twice) counts as wrong. Precision = right / extracted,
recall = judged found / judged, over the whole sample (micro-averaged). ``-v`` prints every
miss and every wrong name. Speed: ``extract`` on the first ``--speed`` Reuters stories, in
microseconds per story. Reuters-21578, Distribution 1.0: research use only; it is read here,
never stored (the sample holds ids and names only).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles.parsing.entities import extract  # noqa: E402
from articles.sanitize import to_plain_text  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"
SAMPLE = REPO / "bench" / "entities_sample.jsonl"
WIKINEWS = REPO / "fixtures" / "demo_wikinews.json"


def texts(corpus: Path, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """Headline and plain text of every sampled article, by ``source:id``."""
    found = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if f"reuters:{record['id']}" in wanted:
                found[f"reuters:{record['id']}"] = (record.get("title") or "", record.get("body") or "")
    for item in json.loads(WIKINEWS.read_text(encoding="utf-8")):
        key = f"wikinews:{item['pk']}"
        if item["model"] == "articles.article" and key in wanted:
            found[key] = (item["fields"]["headline"], to_plain_text(item["fields"]["body"]))
    return found


def score(extracted: list[str], judged: list[list[str]]) -> tuple[int, int, list[str], list[str]]:
    """Right extracted names, judged names found, the wrong ones, the missed ones."""
    matched: set[int] = set()
    right, wrong = 0, []
    for name in extracted:
        hit = next((i for i, forms in enumerate(judged) if name in forms), None)
        if hit is None or hit in matched:
            wrong.append(name)
        else:
            matched.add(hit)
            right += 1
    missed = [forms[0] for i, forms in enumerate(judged) if i not in matched]
    return right, len(matched), wrong, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--speed", type=int, default=3000, help="Reuters stories timed (0: none)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = texts(args.corpus, {f"{row['source']}:{row['id']}" for row in sample})
    totals = {kind: [0, 0, 0, 0] for kind in ("people", "places")}  # right, extracted, found, judged
    for row in sample:
        key = f"{row['source']}:{row['id']}"
        if key not in articles:
            raise SystemExit(f"{key} is not in the corpus")
        found = extract(*articles[key])
        for kind in totals:
            extracted = getattr(found, kind)
            right, hits, wrong, missed = score(extracted, row[kind])
            total = totals[kind]
            total[0] += right
            total[1] += len(extracted)
            total[2] += hits
            total[3] += len(row[kind])
            if args.verbose and (wrong or missed):
                print(f"{key} {kind}: wrong {wrong} missed {missed}")
    print(f"{len(sample)} judged articles")
    for kind, (right, extracted, hits, judged) in totals.items():
        precision = right / extracted if extracted else 1.0
        recall = hits / judged if judged else 1.0
        print(
            f"{kind:7} precision {precision:.2f} ({right}/{extracted}), recall {recall:.2f} ({hits}/{judged})"
        )
    if args.speed:
        with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
            stories = [json.loads(line) for _, line in zip(range(args.speed), lines, strict=False)]
        extract("", "Paris")  # the gazetteer is built once, on first use
        started = time.perf_counter()
        for story in stories:
            extract(story.get("title") or "", story.get("body") or "")
        elapsed = time.perf_counter() - started
        print(f"extract: {elapsed / len(stories) * 1e6:.0f} µs per Reuters story ({len(stories)} stories)")


if __name__ == "__main__":
    main()
