"""The records of a large archive made from Reuters-21578: the real stories, then for each story a
few variants as other outlets would have told it (bench/bench_scale.py).

A variant keeps its story's topics and dateline place, so facets and stories stay realistic, and
differs the way another outlet's copy does: another outlet (each variant of a story its own, never
"Reuters", so no variant is a same-outlet duplicate), a date shifted by a few days (most within the
story window, some weeks later), the headline in the outlet's style, words replaced by synonyms, a
sentence dropped, paragraphs swapped, no "Reuter" sign-off. Everything is drawn from random
generators seeded with ``seed`` and the story's id: the same arguments give the same file.

Reuters-21578, Distribution 1.0: research use only. It is read here and the records are written to
a temporary folder only, never into the repository.
"""

from __future__ import annotations

import datetime
import gzip
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

OUTLETS = [
    "Meridian Wire",
    "Harbour Financial Times",
    "The Daily Ledger",
    "Pacific Business Journal",
    "Continental Press Service",
    "Northgate Herald",
    "Atlas News Agency",
    "The Market Observer",
    "Riverside Gazette",
    "Capital Dispatch",
]
UPPER_CASE_HEADLINES = {"Meridian Wire", "Continental Press Service", "Atlas News Agency"}  # wires
LICENCE = "Synthetic variant of a Reuters-21578 story (Distribution 1.0: research use only), for benchmarks"
SYNONYMS = {
    "rose": "climbed", "fell": "dropped", "increased": "grew", "decreased": "declined",
    "expected": "forecast", "announced": "disclosed", "agreed": "consented", "purchase": "acquisition",
    "buy": "acquire", "sell": "divest", "profit": "earnings", "loss": "shortfall",
    "talks": "negotiations", "officials": "authorities", "government": "administration",
    "statement": "announcement", "reported": "posted", "about": "around", "major": "leading",
    "big": "large", "higher": "greater", "lower": "reduced", "strong": "robust",
    "weak": "soft", "sharply": "steeply", "total": "overall", "however": "but", "meeting": "session",
    "output": "production", "shipments": "deliveries", "company": "firm", "firm": "company",
    "market": "marketplace", "prices": "rates", "shares": "stock", "said": "stated",
    "current": "present", "sales": "turnover", "quarterly": "three-month",
}  # fmt: skip
SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"}
_WORD = re.compile(r"[A-Za-z]+")
_TICKER = re.compile(r"\s*<[^>]*>")
_SIGN_OFF = re.compile(r"\s*\bReuters?\s*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_DATELINE_DATE = re.compile(r"(,\s*)([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(\s*-\s*)$")


def read_corpus(path: Path, stories: int | None = None) -> list[dict]:
    """The corpus's records (the first ``stories`` of them when given), as read."""
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
                if stories and len(records) >= stories:
                    break
    return records


def records_for(originals: list[dict], size: int, seed: int) -> Iterator[dict]:
    """``size`` records: the first ``size`` originals when that is all, else every original, each
    followed by its variants, spread evenly (a seeded choice of the stories that get one more)."""
    if size <= len(originals):
        yield from originals[:size]
        return
    each, extra = divmod(size - len(originals), len(originals))
    more = set(random.Random(f"{seed}:spread").sample(range(len(originals)), extra))
    for position, original in enumerate(originals):
        yield original
        count = each + (position in more)
        rng = random.Random(f"{seed}:{original['id']}")
        outlets = (
            rng.sample(OUTLETS, count)
            if count <= len(OUTLETS)
            else [OUTLETS[i % len(OUTLETS)] for i in range(count)]
        )
        for number, outlet in enumerate(outlets, start=1):
            yield variant(original, number, outlet, random.Random(f"{seed}:{original['id']}:{number}"))


def write_records(path: Path, records: Iterator[dict]) -> int:
    """Write the records as JSONL (what ``manage.py ingest`` reads); how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def variant(original: dict, number: int, outlet: str, rng: random.Random) -> dict:
    """Variant ``number`` of a story: the same topics and place, another outlet, date and wording."""
    share = rng.uniform(0.3, 0.7)  # of the words with a synonym, those replaced
    published, dateline = original.get("published"), original.get("dateline")
    if published:
        when = datetime.datetime.fromisoformat(published) + shift(rng)
        published = when.isoformat()
        if dateline:
            dateline = _DATELINE_DATE.sub(lambda m: _dateline_date(m, when), dateline)
    return {
        "id": f"{original['id']}-v{number}",
        "title": headline(original.get("title") or "", outlet, share, rng),
        "body": body(original.get("body") or "", share, rng),
        "published": published,
        "outlet": outlet,
        "url": None,
        "categories": original.get("categories") or [],
        "licence": LICENCE,
        "dateline": dateline,
    }


def shift(rng: random.Random) -> datetime.timedelta:
    """How much later (or earlier) another outlet dates the story: mostly the same day or within
    the story window of 3 days, one in ten weeks apart (a follow-up, not the same story)."""
    draw = rng.random()
    days = 0 if draw < 0.45 else rng.choice([-1, 1]) if draw < 0.75 else rng.randint(2, 3)
    if draw >= 0.9:
        days = rng.randint(4, 45)
    return datetime.timedelta(days=days, minutes=rng.randint(0, 600))


def _dateline_date(match: re.Match, when: datetime.datetime) -> str:
    month = f"{when:%B}" if len(match[2]) > 3 else f"{when:%b}"
    return f"{match[1]}{month} {when.day}{match[4]}"


def reword(text: str, share: float, rng: random.Random) -> str:
    """The text with ``share`` of the words that have a synonym replaced, their case kept."""

    def replace(match: re.Match) -> str:
        word = match[0]
        other = SYNONYMS.get(word.lower())
        if other is None or rng.random() >= share:
            return word
        if word.isupper() and len(word) > 1:
            return other.upper()
        return other.capitalize() if word[0].isupper() else other

    return _WORD.sub(replace, text)


def headline(title: str, outlet: str, share: float, rng: random.Random) -> str:
    """The headline reworded, in the outlet's style: a wire's upper case, or a paper's title case
    without ticker symbols."""
    title = reword(title, share, rng)
    if outlet in UPPER_CASE_HEADLINES:
        return title
    words = _TICKER.sub("", title).split()
    return " ".join(
        w.lower() if i and w.lower() in SMALL_WORDS else w.capitalize() for i, w in enumerate(words)
    )


def body(text: str, share: float, rng: random.Random) -> str:
    """The body reworded without the sign-off, a sentence (or a paragraph) after the lead dropped
    and two paragraphs after the lead swapped, each at random; the lead stays first."""
    paragraphs = [p for p in _SIGN_OFF.sub("", text).split("\n\n") if p.strip()]
    if len(paragraphs) >= 3 and rng.random() < 0.6:
        i = rng.randrange(1, len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    if len(paragraphs) >= 2 and rng.random() < 0.7:
        i = rng.randrange(1, len(paragraphs))
        sentences = _SENTENCE.split(paragraphs[i])
        if len(sentences) > 1:
            del sentences[rng.randrange(len(sentences))]
            paragraphs[i] = " ".join(sentences)
        elif len(paragraphs) >= 4:
            del paragraphs[i]
    return reword("\n\n".join(paragraphs), share, rng)
