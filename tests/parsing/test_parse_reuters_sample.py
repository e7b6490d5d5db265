"""Dateline accuracy on a sample of Reuters-21578 (research use only; read, never copied)."""

from __future__ import annotations

import datetime
import gzip
import json
import re
from itertools import islice
from pathlib import Path

import pytest

from articles.parsing import parse_copy, parse_dateline

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpus/reuters21578.jsonl.gz"
SAMPLE = 2000
_GOLD_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ,]*(\d{1,2})(?!\d)", re.I
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    if not CORPUS.exists():
        pytest.skip("the Reuters corpus is not beside the repo")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = (json.loads(line) for line in f)
        return list(islice((r for r in lines if r.get("dateline")), SAMPLE))


@pytest.fixture(scope="module")
def stories(records) -> list[tuple[str, str]]:
    return [(r["dateline"], f"{r['dateline']} {r['body']}") for r in records]


def _gold_city(dateline: str) -> str:
    return dateline.lstrip("*").split(",")[0].split(" -")[0].strip()


def _gold_month_day(dateline: str) -> tuple[int, int] | None:
    m = _GOLD_DATE.search(dateline)
    return (_MONTHS.index(m[1].lower()) + 1, int(m[2])) if m else None


def test_place_found_for_nearly_every_dateline(stories):
    hits = 0
    for gold, raw in stories:
        parsed = parse_dateline(raw)
        hits += parsed is not None and (parsed.place or "").lower() == _gold_city(gold).lower()
    assert hits / len(stories) >= 0.995


def test_parse_copy_reads_every_story(stories):
    for _, raw in stories[:300]:
        (article,) = parse_copy(raw)
        assert article.headline and article.body


@pytest.mark.parametrize("separator", ["\n\n", "\n"])
def test_headline_line_layout_keeps_place_and_date(records, separator):
    """HEADLINE, then "CITY, Month Day -" and the body: the headline line (tickers in angle
    brackets, a closing "U.S." and all) costs neither the place nor the date."""
    place_hits = date_hits = dated = 0
    for r in records:
        copy = f"{r['title']}{separator}{r['dateline']} {r['body']}"
        article = parse_copy(copy, today=datetime.date.fromisoformat(r["published"][:10]))[0]
        place_hits += (article.place or "").lower() == _gold_city(r["dateline"]).lower()
        if (gold := _gold_month_day(r["dateline"])) is not None:
            dated += 1
            date_hits += (
                article.published is not None and (article.published.month, article.published.day) == gold
            )
    assert place_hits / len(records) >= 0.995
    assert date_hits / dated >= 0.995
