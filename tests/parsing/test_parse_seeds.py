"""The five seed documents: what the brief says of each, and the hand-curated gold fixture."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from pathlib import Path

import pytest

from articles.parsing import Caption, parse_copy

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
GOLD = REPO / "fixtures" / "seed_archive.json"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repo")


def _parse(prefix: str, **kwargs):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_copy(path.read_text(encoding="utf-8"), **kwargs)


def test_000_two_ap_stories_the_second_an_update():
    baghdad, vilnius = _parse("000")
    assert (baghdad.outlet, baghdad.place, baghdad.country, baghdad.published) == (
        "AP",
        "Baghdad",
        "Iraq",
        datetime.date(2025, 12, 13),
    )
    assert (vilnius.outlet, vilnius.place, vilnius.country, vilnius.published) == (
        "AP",
        "Vilnius",
        "Lithuania",
        datetime.date(2025, 12, 13),
    )
    assert baghdad.captions == [
        Caption(
            "Iraqi Foreign Minister Fouad Hussein, left, greets United Nations Secretary-General "
            "Antonio Guterres at Baghdad airport, Iraq, Saturday, Dec. 13, 2025.",
            "AP Photo/Hadi Mizban",
        )
    ]
    assert baghdad.earlier_versions == []
    assert len(vilnius.earlier_versions) == 1
    assert vilnius.earlier_versions[0].startswith("Belarus’ authoritarian leader")
    assert "BREAKING NEWS" not in vilnius.body + vilnius.earlier_versions[0]


def test_001_aggregator_page_with_summary():
    (article,) = _parse("001")
    assert (article.outlet, article.place, article.published) == (None, None, None)
    assert article.headline == "UN Closes 22-Year Political Mission in Iraq as Ties Shift to Normal Relations"
    assert article.summary.startswith("UN Secretary-General Antonio Guterres formally closed")
    assert article.body.startswith("UN Secretary-General Antonio Guterres on Saturday")
    assert "Background" in article.body.split("\n\n")


def test_002_translated_un_news():
    (article,) = _parse("002")
    assert (article.outlet, article.place, article.published) == (
        "UN News",
        None,
        datetime.date(2025, 12, 12),
    )
    assert (article.language, article.translated, article.translated_from) == ("en", True, "ru")
    assert article.topics == ["Peace and security"]
    paragraphs = article.body.split("\n\n")
    assert "UNAMI" not in paragraphs and "United Nations News Service" not in paragraphs
    assert "Success story" in paragraphs
    assert "MIL-OSI" not in article.body


def test_003_aggregator_with_editor_and_footer():
    (article,) = _parse("003")
    assert (article.outlet, article.published, article.editor) == (
        "Gaya One",
        datetime.date(2025, 12, 13),
        "Tatyana Hurynovich",
    )
    assert article.headline == (
        "UN Mission in Iraq Concludes 22-Year Chapter, Shifting Focus to Technical Cooperation"
    )
    for boilerplate in ("Views", "Sources", "Radio Ecclesia", "inaccuracy", "| Gaya One"):
        assert boilerplate not in article.body


def test_004_un_news_interview_without_a_year():
    # "31 December" and "December 2025" give no publication day: the first is the mission's
    # end, a body date without a year; the second has no day. So the date stays unknown.
    (article,) = _parse("004", today=datetime.date(2026, 1, 15))
    assert (article.outlet, article.place, article.published) == ("UN News", None, None)
    assert "Democratic progress" in article.body.split("\n\n")


def _gold() -> tuple[dict, dict]:
    by_model: dict[str, dict[int, dict]] = defaultdict(dict)
    for record in json.loads(GOLD.read_text(encoding="utf-8")):
        by_model[record["model"]][record["pk"]] = record["fields"]
    return by_model, {t["name"]: t["keywords"].splitlines() for t in by_model["articles.topic"].values()}


@pytest.mark.skipif(not GOLD.exists(), reason="the gold fixture is not written yet")
def test_matches_the_hand_curated_gold():
    by_model, vocabulary = _gold()
    outlets = by_model["articles.outlet"]
    aliases = {o["name"]: o["aliases"].splitlines() for o in outlets.values()}
    parsed: dict[str, list] = {}
    position: dict[str, int] = defaultdict(int)
    for pk, gold in sorted(by_model["articles.article"].items()):
        source = gold["source_file"]
        if source not in parsed:
            parsed[source] = parse_copy(
                (REPO.parent / "shared" / source).read_text(encoding="utf-8"),
                topic_vocabulary=vocabulary,
                outlet_aliases=aliases,
            )
        article = parsed[source][position[source]]
        position[source] += 1
        place = by_model["articles.place"].get(gold["place"], {})
        assert article.headline == gold["headline"]
        assert article.outlet == (outlets[gold["outlet"]]["name"] if gold["outlet"] else None)
        assert (article.place, article.country) == (place.get("city"), place.get("country"))
        assert article.published == (
            datetime.date.fromisoformat(gold["published"]) if gold["published"] else None
        )
        assert (article.byline or "", article.editor or "") == (gold["byline"], gold["editor"])
        assert (article.language, article.translated_from or "") == (
            gold["language"],
            gold["translated_from"],
        )
        assert (article.summary, article.body) == (gold["summary"], gold["body"])
        assert [(c.text, c.credit) for c in article.captions] == [
            (c["text"], c["credit"]) for c in by_model["articles.caption"].values() if c["article"] == pk
        ]
        assert article.earlier_versions == [
            v["body"] for v in by_model["articles.articleversion"].values() if v["article"] == pk
        ]
    assert {s: len(a) for s, a in parsed.items()} == dict(position)


@pytest.mark.skipif(not GOLD.exists(), reason="the gold fixture is not written yet")
def test_topics_found_for_the_gold_vocabulary():
    # The gold topics were chosen by hand; where an editor saw a topic in one mention
    # (e.g. "diplomatic" once) the parser, needing two, does not suggest it. Checked here:
    # every topic it suggests for these three articles is the editor's, and all of them.
    _, vocabulary = _gold()
    baghdad, vilnius = _parse("000", topic_vocabulary=vocabulary)
    (translated,) = _parse("002", topic_vocabulary=vocabulary)
    (interview,) = _parse("004", topic_vocabulary=vocabulary)
    assert sorted(vilnius.topics) == [
        "Diplomacy",
        "Human rights",
        "Political prisoners",
        "Sanctions",
    ]
    expected = [
        "Displaced people",
        "Elections",
        "Human rights",
        "Peace and security",
        "United Nations",
    ]
    assert sorted(translated.topics) == expected
    assert sorted(interview.topics) == expected
    assert sorted(baghdad.topics) == ["Displaced people", "Peace and security", "United Nations"]
