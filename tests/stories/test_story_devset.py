"""The invented multi-outlet dev set (bench/story_devset/) loads, and its seed cases hold through the
real rule: one event told by several outlets in their own words is one story, template look-alikes
and briefs that only share names stay apart, the panel keeps the dead and the missing apart."""

import datetime as dt
import importlib.util
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from articles.models import Article
from articles.stories.differences import Version, compare
from articles.stories.documents import fold, make_doc
from articles.stories.similarity import StoryIndex

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_story_devset.py"


@pytest.fixture(scope="module")
def devset():
    spec = importlib.util.spec_from_file_location("bench_story_devset", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows(devset):
    return devset.load_articles()


@pytest.fixture(scope="module")
def story(devset, rows):
    by_id = {r["id"]: r["key"] for r in rows}
    placed = devset.group(rows)
    return lambda article_id: placed[by_id[article_id]]


def test_the_dev_set_holds_what_the_guideline_promises(devset, rows):
    assert all(r["id"] and r["outlet"] and r["headline"] and r["body"] and r["published"] for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    events = defaultdict(list)
    for r in rows:
        if r["event"]:
            events[r["event"]].append(r)
    told = {e: members for e, members in events.items() if len(members) > 1}
    assert len(told) >= 12
    for members in told.values():
        assert 3 <= len(members) <= 5
        assert len({m["outlet"] for m in members}) >= 2
        days = sorted(dt.date.fromisoformat(m["published"][:10]) for m in members)
        assert (days[-1] - days[0]).days <= 2  # one to three days
    look_alikes = Counter(e.removesuffix("b") for e in events if e.startswith("L"))
    assert sum(1 for n in look_alikes.values() if n == 2) >= 6
    assert sum(1 for r in rows if r["event"] is None) >= 10
    expected = devset.load_expected()
    assert {e["event"] for e in expected} <= set(told)
    assert all(e["kind"] in {"name", "figure", "date"} and len(e["forms"]) >= 2 for e in expected)


def test_one_event_told_by_four_outlets_in_their_own_words_is_one_story(story):
    ferry = {story(f"e01-{v}") for v in "abcd"}  # wire, rival wire, broadcaster, next day's update
    assert len(ferry) == 1 and None not in ferry
    quake = {story(f"e02-{v}") for v in "abcd"}  # with a machine translation and an aggregator
    assert len(quake) == 1 and None not in quake


def test_template_look_alikes_of_one_day_stay_apart(story):
    for pair in ("l01", "l02", "l03", "l04", "l05", "l06"):
        first, second = story(f"{pair}-a"), story(f"{pair}-b")
        assert first is None or first != second, pair


def test_briefs_sharing_names_with_an_event_are_not_it(story, rows):
    events = {story(r["id"]) for r in rows if r["event"] and r["event"].startswith("E")} - {None}
    for brief in (r["id"] for r in rows if r["event"] is None):
        assert story(brief) not in events, brief


def test_the_panel_keeps_the_dead_and_the_missing_apart_and_shows_rounded_figures(rows):
    def panel(event):
        return compare([Version(r["key"], r["outlet"], r["body"]) for r in rows if r["event"] == event])

    figures = [d.summary for d in panel("E01").figures]
    assert any("21 people" in f and "38" not in f for f in figures)  # the dead
    assert any("38 others" in f and "21" not in f for f in figures)  # the missing
    assert any("886" in d.summary and "nearly 900" in d.summary for d in panel("E02").figures)
    assert "al-Wazir / el-Wazir" in [d.summary for d in panel("E09").names]


def _interview(name: str, party: str, answer: str) -> tuple[str, str]:
    headline = f"Wikinews interviews {name}, {party} candidate for 2020 Groom by-election"
    body = (
        f"Wikinews interviewed {name}, the {party} candidate in the by-election for the Australian "
        f"federal seat of Groom in Queensland, to be held on Saturday after the resignation of John "
        f"McVeigh. Wikinews asked about the Toowoomba economy, water and the New England Highway. "
        f"{answer} The by-election in Groom is one of several in Queensland this year, and voters "
        "in Toowoomba will choose between the candidates on Saturday."
    )
    return headline, body


def test_two_interviews_of_one_template_are_not_one_story():
    """The demo's false story: two candidates' interviews, same outlet, same day, same template."""
    day = dt.date(2020, 11, 27).toordinal()
    first = make_doc(
        1, *_interview("Craig Farquharson", "Liberal Democrat", "Farquharson spoke of tax."), day=day
    )
    second = make_doc(
        2, *_interview("Sandra Jephcott", "Sustainable Australia", "Jephcott spoke of water."), day=day
    )
    index = StoryIndex()
    (_, _, _), (_, matches, possible) = index.extend([first, second])
    assert matches == [] and possible == []
    # The same interview repeated is still one story.
    again = make_doc(
        3, *_interview("Craig Farquharson", "Liberal Democrat", "Farquharson spoke of tax."), day=day
    )
    assert [m.key for m in index.compare(again)[0]] == [1]


def test_letters_without_a_decomposition_fold_too():
    assert fold("Łódź") == "lodz" and fold("Ørsted") == "orsted"


@pytest.mark.django_db(transaction=True)
def test_the_demo_joins_no_two_by_election_interviews(demo):
    interviews = Article.objects.filter(headline__startswith="Wikinews interviews", story__isnull=False)
    joined = Counter(interviews.values_list("story", flat=True))
    assert all(count == 1 or _same_person(story_id) for story_id, count in joined.items())


def _same_person(story_id: int) -> bool:
    """All the story's interviews are of one person (the headline's name before the comma)."""
    heads = Article.objects.filter(story=story_id).values_list("headline", flat=True)
    return len({h.split(",")[0] for h in heads}) == 1
