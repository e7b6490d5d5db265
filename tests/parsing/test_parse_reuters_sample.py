"""Dateline accuracy on a sample of Reuters-21578 (research use only; read, never copied)."""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

import pytest

from articles.parsing import parse_copy, parse_dateline

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpus/reuters21578.jsonl.gz"
SAMPLE = 2000


@pytest.fixture(scope="module")
def stories() -> list[tuple[str, str]]:
    if not CORPUS.exists():
        pytest.skip("the Reuters corpus is not beside the repo")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        records = (json.loads(line) for line in f)
        with_dateline = (r for r in records if r.get("dateline"))
        return [(r["dateline"], f"{r['dateline']} {r['body']}") for r in islice(with_dateline, SAMPLE)]


def test_place_found_for_nearly_every_dateline(stories):
    hits = 0
    for gold, raw in stories:
        city = gold.lstrip("*").split(",")[0].split(" -")[0].strip()
        parsed = parse_dateline(raw)
        hits += parsed is not None and (parsed.place or "").lower() == city.lower()
    assert hits / len(stories) >= 0.995


def test_parse_copy_reads_every_story(stories):
    for _, raw in stories[:300]:
        (article,) = parse_copy(raw)
        assert article.headline and article.body
