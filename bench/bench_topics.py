"""Topic matching speed: a 1 MB body against 1,000, 5,000 and 10,000 topics (issue 13, defect 5).

    python bench/bench_topics.py [--corpus ../shared/corpus/reuters21578.jsonl.gz] [--runs 3]

The body is Reuters-21578 stories glued together up to 1 MB (what one upload may hold). The
topics are the seed archive's eight with their keywords, and made-up names of one to three words
of the corpus (about a fifth of them are mentioned in the body). For each number of topics, in
the same run, the matcher of ``articles.parsing.topics`` (a trie of tokens: the text is read once,
token by token) and ``RegexAlternationReference`` below, a copy of the matcher before it (one
regular expression alternation over every keyword): the time to build each (once per vocabulary;
it is cached) and to find the mentions in the body (median of ``--runs``), and the ratio. Both
must find the same mentions of the same topics, or the run stops.

Reuters-21578, Distribution 1.0: research use only; it is read here, never stored.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles.parsing.topics import Vocabulary  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"
SEED_FIXTURE = REPO / "fixtures" / "seed_archive.json"
BODY_BYTES = 1024 * 1024
COUNTS = (1_000, 5_000, 10_000)


class RegexAlternationReference:
    """The reference: topic matching as it was before (``Vocabulary`` at commit 8866253), one
    regular expression alternation over every keyword, longest first. Its time grows with the
    number of topics: the engine tries the alternatives at each place in the text."""

    def __init__(self, topics: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self._topics_of: dict[str, list[str]] = {}
        for name, keywords in topics:
            for keyword in {k.strip().lower() for k in (name, *keywords) if k.strip()}:
                self._topics_of.setdefault(keyword, []).append(name)
        self._credited: dict[str, list[str]] = {
            phrase: [
                t
                for other in self._topics_of
                if f" {other} " in f" {phrase} "
                for t in self._topics_of[other]
            ]
            for phrase in self._topics_of
        }
        phrases = sorted(self._topics_of, key=len, reverse=True)
        alternation = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I) if phrases else None

    def mentions(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                for topic in self._credited[" ".join(m[0].lower().split())]:
                    counts[topic] += 1
        return counts


def reuters_bodies(corpus: Path):
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            if body := json.loads(line).get("body"):
                yield body


def one_megabyte(corpus: Path) -> str:
    parts, size = [], 0
    for body in reuters_bodies(corpus):
        size += len(body.encode()) + 2
        if size > BODY_BYTES:
            break
        parts.append(body)
    return "\n\n".join(parts)


def seed_topics() -> list[tuple[str, tuple[str, ...]]]:
    records = json.loads(SEED_FIXTURE.read_text())
    return [
        (r["fields"]["name"], tuple(k.strip() for k in r["fields"]["keywords"].splitlines() if k.strip()))
        for r in records
        if r["model"] == "articles.topic"
    ]


def made_up_topics(corpus: Path, count: int, seed: int = 13) -> list[tuple[str, tuple[str, ...]]]:
    """``count`` names of one to three words of the corpus (seen at least twice), each once."""
    seen = Counter(word for body in reuters_bodies(corpus) for word in re.findall(r"[a-z]{3,}", body.lower()))
    words = sorted(word for word, n in seen.items() if n >= 2)
    rng, names = random.Random(seed), {}
    while len(names) < count:
        name = " ".join(rng.sample(words, k=rng.choice((1, 1, 2, 3))))
        names.setdefault(name, (name.title(), ()))
    return list(names.values())


def timed(fn, runs: int) -> tuple[float, object]:
    """The median seconds of ``runs`` calls, and the last result."""
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    body = one_megabyte(args.corpus)
    made_up = made_up_topics(args.corpus, max(COUNTS))
    print(f"body: {len(body.encode()):,} bytes, {len(body.split()):,} words; median of {args.runs} runs")
    print(
        f"{'topics':>7} | {'build: regex / trie':>22} | {'match 1 MB: regex / trie':>26} | {'regex/trie':>10}"
    )
    first: dict[str, float] = {}
    for count in COUNTS:
        topics = tuple(seed_topics() + made_up[: count - len(seed_topics())])
        regex_build, regex = timed(lambda topics=topics: RegexAlternationReference(topics), 1)
        trie_build, trie = timed(lambda topics=topics: Vocabulary(topics), 1)
        regex_match, expected = timed(lambda regex=regex: regex.mentions(body), args.runs)
        trie_match, found = timed(lambda trie=trie: trie.mentions(body), args.runs)
        if found != expected:
            sys.exit(f"{count:,} topics: the matchers disagree ({len(found)} / {len(expected)} topics found)")
        first.setdefault("regex", regex_match)
        first.setdefault("trie", trie_match)
        print(
            f"{count:>7,} | {regex_build:8.2f} s / {trie_build:6.2f} s | "
            f"{regex_match:10.2f} s / {trie_match:6.2f} s | {regex_match / trie_match:9.1f}x"
            f"   ({len(found):,} topics mentioned, {sum(found.values()):,} mentions)"
        )
    regex_growth, trie_growth = regex_match / first["regex"], trie_match / first["trie"]
    print(
        f"{max(COUNTS):,} topics against {min(COUNTS):,}: "
        f"regex {regex_growth:.1f}x the time, trie {trie_growth:.1f}x"
    )


if __name__ == "__main__":
    main()
