"""When two articles are "the same day": by the time of day when both have one, else by the date."""

import datetime

from articles.stories.assign import article_doc
from articles.stories.documents import make_doc
from articles.stories.similarity import SAME_DAY_HOURS, StoryIndex
from tests.stories.test_story_similarity import BODY, BUYER, OTHER, SELLER

SOLD_AT = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)  # the seller's report, 10:00 UTC
NEXT_MORNING = SOLD_AT + datetime.timedelta(hours=20)  # the buyer's, 06:00 the next day


def report(key: int, headline: str, body: str, when: datetime.datetime, *, timed: bool = True):
    """A doc dated ``when`` and, if ``timed``, with its time of day."""
    moment = int(when.timestamp()) if timed else None
    return make_doc(key, headline, body, day=when.date().toordinal(), moment=moment, outlet=1)


def sale(
    buyer_at: datetime.datetime, *, timed: bool = True, buyer_timed: bool = True
) -> dict[int, list[int]]:
    """The keys each doc of two unrelated stories and the sale's two accounts matches."""
    docs = [
        report(1, "BANK OF JAPAN INTERVENES", BODY, SOLD_AT - datetime.timedelta(days=5), timed=timed),
        report(2, "SAUDIS DROP CONDITION", OTHER, SOLD_AT - datetime.timedelta(days=5), timed=timed),
        report(3, "CONSOLIDATED HARBOUR TO SELL THORNBURY UNIT", SELLER, SOLD_AT, timed=timed),
        report(
            4, "MERIDIAN TO BUY THORNBURY FOR 84.5 MLN DLRS", BUYER, buyer_at, timed=timed and buyer_timed
        ),
    ]
    return {doc.key: [m.key for m in matches] for doc, matches, _ in StoryIndex().extend(docs)}


def test_two_reports_twenty_hours_apart_across_midnight_are_the_same_day_with_times():
    assert NEXT_MORNING.date() != SOLD_AT.date() and SAME_DAY_HOURS >= 20
    assert sale(NEXT_MORNING)[4] == [3], "one deal's two accounts, 20 hours apart: the same-day bar"


def test_the_same_two_reports_with_dates_only_are_a_day_apart():
    assert sale(NEXT_MORNING, timed=False)[4] == [], "a day apart by date: only a repeat would join"


def test_a_report_without_a_time_falls_back_to_its_date():
    assert sale(NEXT_MORNING, buyer_timed=False)[4] == [], (
        "the seller's time alone does not make it the same day"
    )
    assert sale(SOLD_AT + datetime.timedelta(hours=3), buyer_timed=False)[4] == [3], "the same date"


def test_reports_further_apart_than_the_window_are_a_day_apart_even_on_one_date():
    late = SOLD_AT.replace(hour=0) + datetime.timedelta(hours=SAME_DAY_HOURS + 1)
    assert late.date() == SOLD_AT.date() and late - SOLD_AT.replace(hour=0) > datetime.timedelta(
        hours=SAME_DAY_HOURS
    )
    docs = [
        report(1, "BANK OF JAPAN INTERVENES", BODY, late - datetime.timedelta(days=5)),
        report(2, "SAUDIS DROP CONDITION", OTHER, late - datetime.timedelta(days=5)),
        report(3, "CONSOLIDATED HARBOUR TO SELL THORNBURY UNIT", SELLER, SOLD_AT.replace(hour=0)),
        report(4, "MERIDIAN TO BUY THORNBURY FOR 84.5 MLN DLRS", BUYER, late),
    ]
    results = {doc.key: [m.key for m in matches] for doc, matches, _ in StoryIndex().extend(docs)}
    assert results[4] == []


def test_an_articles_doc_takes_its_moment_from_published_at():
    timed = article_doc(7, "HEADLINE", "<p>Text.</p>", SOLD_AT.date(), SOLD_AT, 1)
    dated = article_doc(8, "HEADLINE", "<p>Text.</p>", SOLD_AT.date(), None, 1)
    assert (timed.day, timed.moment) == (SOLD_AT.date().toordinal(), int(SOLD_AT.timestamp()))
    assert (dated.day, dated.moment) == (SOLD_AT.date().toordinal(), None)
