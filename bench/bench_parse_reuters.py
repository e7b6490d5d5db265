"""Dateline accuracy and parse speed on Reuters-21578 (Distribution 1.0, research use only).

Two layouts of every story with a gold dateline are rebuilt from the corpus and parsed:

- **dateline**: ``dateline + " " + body``, read back with ``parse_dateline``;
- **headline line**: the wire layout ``HEADLINE`` line, then ``CITY, Month Day -`` and the body,
  the headline separated by a blank line and by a single newline, read with ``parse_copy`` (with
  ``today`` = the story's own filing date, as an ingest on that day would) and scored on the
  article's place and the month/day of its publication date.

``parse_copy`` is timed on both layouts.

    python bench/bench_parse_reuters.py [--corpus ../shared/corpus/reuters21578.jsonl.gz]

Gold city = the gold dateline up to its first comma (or its date, or its dash), with wire junk
("****", "RPT --") taken off the front; compared case-insensitively with the parsed place.
Gold month/day = the first "Month day" / "day Month" in the gold dateline, else none. In the
headline-line layout month/day is scored on the stories whose gold dateline has a date (a story
without one may still be dated by its text).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.parsing import parse_copy, parse_dateline

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_GOLD_DATE = re.compile(rf"\b{_MONTH}\.?[ ,]*(\d{{1,2}})(?!\d)|\b(\d{{1,2}})\s+{_MONTH}\b", re.I)
_GOLD_JUNK = re.compile(r"^[\s*]*(?:RPT\s*-+\s*)?(?:[a-z0-9]\s+(?=[A-Z]{2}))?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "../shared/corpus/reuters21578.jsonl.gz"
SEPARATORS = {"blank line": "\n\n", "newline": "\n"}
EXAMPLES = 6


@dataclass(frozen=True)
class Story:
    gold: str  # the gold dateline
    title: str
    body: str
    filed: datetime.date

    def dateline_copy(self) -> str:
        return f"{self.gold} {self.body}"

    def headline_copy(self, separator: str) -> str:
        return f"{self.title}{separator}{self.gold} {self.body}"


def gold_fields(dateline: str) -> tuple[str, tuple[int, int] | None]:
    """(city as printed, (month, day) or None) from a gold dateline."""
    text = dateline[_GOLD_JUNK.match(dateline).end() :]
    date = _GOLD_DATE.search(text)
    month_day = None
    if date:
        month = date[1] or date[4]
        month_day = (_MONTHS.index(month[:3].lower()) + 1, int(date[2] or date[3]))
        text = text[: date.start()]
    city = re.split(r",|\s-", text)[0]
    return " ".join(city.split()), month_day


def load(path: Path) -> list[Story]:
    """Every story that has a dateline."""
    stories = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record.get("dateline"):
                filed = datetime.date.fromisoformat(record["published"][:10])
                stories.append(Story(record["dateline"], record.get("title") or "", record["body"], filed))
    return stories


def miss_kind(gold_city: str, gold_md: tuple[int, int] | None, parsed) -> str:
    if parsed is None:
        return "no dateline found" + ("" if gold_md else " (gold has no date)")
    if (parsed.place or "").lower() != gold_city.lower():
        return "other place"
    return "other month/day"


def throughput(fn: Callable[[str], object], items: list[str], runs: int = 3) -> float:
    """Articles per second, median of ``runs`` passes."""
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for item in items:
            fn(item)
        rates.append(len(items) / (time.perf_counter() - start))
    return statistics.median(rates)


def print_misses(misses: dict[str, list[str]]) -> None:
    for kind, examples in sorted(misses.items(), key=lambda kv: -len(kv[1])):
        print(f"  {kind}: {len(examples)}")
        for example in examples[:EXAMPLES]:
            print(f"      {example}")


def dateline_layout(stories: list[Story]) -> None:
    n = len(stories)
    place_ok = date_ok = 0
    misses: dict[str, list[str]] = defaultdict(list)
    for story in stories:
        gold_city, gold_md = gold_fields(story.gold)
        parsed = parse_dateline(story.dateline_copy())
        place = parsed.place if parsed else None
        month_day = (parsed.month, parsed.day) if parsed and parsed.month else None
        place_hit = (place or "").lower() == gold_city.lower()
        date_hit = month_day == gold_md
        place_ok += place_hit
        date_ok += date_hit
        if not (place_hit and date_hit):
            got = f"{place!r} {month_day}" if parsed else "None"
            misses[miss_kind(gold_city, gold_md, parsed)].append(f"{story.gold!r} -> {got}")
    print(f"Dateline layout (parse_dateline), stories with a dateline: {n}")
    print(f"place exact match:  {place_ok / n:.2%} ({n - place_ok} misses)")
    print(f"month/day match:    {date_ok / n:.2%} ({n - date_ok} misses)")
    print_misses(misses)


def headline_layout(stories: list[Story], name: str, separator: str) -> None:
    n = len(stories)
    place_ok = date_ok = dated = 0
    misses: dict[str, list[str]] = defaultdict(list)
    for story in stories:
        gold_city, gold_md = gold_fields(story.gold)
        article = parse_copy(story.headline_copy(separator), today=story.filed)[0]
        published = article.published
        month_day = (published.month, published.day) if published else None
        place_hit = (article.place or "").lower() == gold_city.lower()
        date_hit = gold_md is None or month_day == gold_md
        place_ok += place_hit
        dated += gold_md is not None
        date_ok += gold_md is not None and date_hit
        if not (place_hit and date_hit):
            kind = "other place" if not place_hit else "other month/day"
            if article.place is None:
                kind = "no place" + ("" if gold_md else " (gold has no date)")
            misses[kind].append(
                f"{story.title[:60]!r} / {story.gold!r} -> {article.place!r} {month_day}"
                f" (headline {article.headline[:40]!r})"
            )
    print(f"\nHeadline-line layout, headline + {name} (parse_copy), stories with a dateline: {n}")
    print(f"place exact match:  {place_ok / n:.2%} ({n - place_ok} misses)")
    print(f"month/day match:    {date_ok / dated:.2%} ({dated - date_ok} misses of {dated} dated)")
    print_misses(misses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    stories = load(args.corpus)
    dateline_layout(stories)
    for name, separator in SEPARATORS.items():
        headline_layout(stories, name, separator)

    print()
    dateline_copies = [story.dateline_copy() for story in stories]
    headline_copies = [story.headline_copy(SEPARATORS["blank line"]) for story in stories]
    print(f"parse_dateline:                 {throughput(parse_dateline, dateline_copies):,.0f} articles/s")
    print(f"parse_copy, dateline layout:    {throughput(parse_copy, dateline_copies):,.0f} articles/s")
    print(f"parse_copy, headline layout:    {throughput(parse_copy, headline_copies):,.0f} articles/s")
    print("(each the median of 3 passes)")


if __name__ == "__main__":
    main()
