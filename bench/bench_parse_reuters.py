"""Dateline accuracy and parse speed on Reuters-21578 (Distribution 1.0, research use only).

For every story with a gold dateline the raw copy is rebuilt as ``dateline + " " + body`` and
read back with ``parse_dateline``; ``parse_copy`` is timed on the same copy.

    python bench/bench_parse_reuters.py [--corpus ../shared/corpus/reuters21578.jsonl.gz]

Gold city = the gold dateline up to its first comma (or its date, or its dash), with wire junk
("****", "RPT --") taken off the front; compared case-insensitively with the parsed place.
Gold month/day = the first "Month day" / "day Month" in the gold dateline, else none.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.parsing import parse_copy, parse_dateline

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_GOLD_DATE = re.compile(rf"\b{_MONTH}\.?[ ,]*(\d{{1,2}})(?!\d)|\b(\d{{1,2}})\s+{_MONTH}\b", re.I)
_GOLD_JUNK = re.compile(r"^[\s*]*(?:RPT\s*-+\s*)?(?:[a-z0-9]\s+(?=[A-Z]{2}))?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "../shared/corpus/reuters21578.jsonl.gz"


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


def load(path: Path) -> list[tuple[str, str]]:
    """(gold dateline, raw copy) for every story that has a dateline."""
    stories = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record.get("dateline"):
                stories.append((record["dateline"], f"{record['dateline']} {record['body']}"))
    return stories


def miss_kind(gold_city: str, gold_md: tuple[int, int] | None, parsed) -> str:
    if parsed is None:
        return "no dateline found" + ("" if gold_md else " (gold has no date)")
    if (parsed.place or "").lower() != gold_city.lower():
        return "other place"
    return "other month/day"


def throughput(fn, items: list[str], runs: int = 3) -> float:
    """Articles per second, median of ``runs`` passes."""
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for item in items:
            fn(item)
        rates.append(len(items) / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    stories = load(args.corpus)
    n = len(stories)
    place_ok = date_ok = 0
    misses: dict[str, list[str]] = defaultdict(list)
    for gold, raw in stories:
        gold_city, gold_md = gold_fields(gold)
        parsed = parse_dateline(raw)
        place = parsed.place if parsed else None
        month_day = (parsed.month, parsed.day) if parsed and parsed.month else None
        place_hit = (place or "").lower() == gold_city.lower()
        date_hit = month_day == gold_md
        place_ok += place_hit
        date_ok += date_hit
        if not (place_hit and date_hit):
            got = f"{place!r} {month_day}" if parsed else "None"
            misses[miss_kind(gold_city, gold_md, parsed)].append(f"{gold!r} -> {got}")

    print(f"Reuters-21578 stories with a dateline: {n}")
    print(f"place exact match:  {place_ok / n:.2%} ({n - place_ok} misses)")
    print(f"month/day match:    {date_ok / n:.2%} ({n - date_ok} misses)")
    for kind, examples in sorted(misses.items(), key=lambda kv: -len(kv[1])):
        print(f"  {kind}: {len(examples)}")
        for example in examples[:6]:
            print(f"      {example}")
    raws = [raw for _, raw in stories]
    print(f"parse_dateline: {throughput(parse_dateline, raws):,.0f} articles/s (median of 3)")
    print(f"parse_copy:     {throughput(parse_copy, raws):,.0f} articles/s (median of 3)")


if __name__ == "__main__":
    main()
