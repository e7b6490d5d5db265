"""Dates: finding them, years for dates printed without one, and the publication date."""

from __future__ import annotations

import datetime

import pytest

from articles.parsing import parse_copy
from articles.parsing.dates import find_dates, header_date, nearest_weekday, numeric_date, resolve_year

D = datetime.date


def test_find_dates_forms():
    found = find_dates(
        "On Saturday, Dec. 13, 2025, and on 19 August 2003, then Dec.13, 2025 and 31 December."
    )
    assert [(f.year, f.month, f.day, f.weekday) for f in found] == [
        (2025, 12, 13, 5),
        (2003, 8, 19, None),
        (2025, 12, 13, None),
        (None, 12, 31, None),
    ]


def test_find_dates_ignores_lowercase_months_and_month_years():
    assert find_dates("they may 3 times march 5 miles in December 2025") == []


def test_resolve_year_from_the_copys_other_dates():
    assert resolve_year(3, 3, refs=[D(1987, 2, 26)]) == D(1987, 3, 3)
    assert resolve_year(12, 30, refs=[D(2026, 1, 2)]) == D(2025, 12, 30)


def test_resolve_year_against_today_is_the_most_recent_not_after_it():
    assert resolve_year(3, 3, today=D(2025, 6, 1)) == D(2025, 3, 3)
    assert resolve_year(12, 31, today=D(2025, 6, 1)) == D(2024, 12, 31)


def test_resolve_year_unknown_without_anything_to_go_by():
    assert resolve_year(3, 3) is None


def test_resolve_year_prefers_a_year_the_weekday_fits():
    # Saturday, Dec. 13 is 2025 (Dec. 13, 2026 is a Sunday).
    assert resolve_year(12, 13, today=D(2027, 1, 1), weekday=5) == D(2025, 12, 13)


def test_nearest_weekday_looks_three_days_either_way():
    friday = D(2025, 12, 12)
    assert nearest_weekday(friday, 5) == D(2025, 12, 13)  # Saturday after
    assert nearest_weekday(friday, 2) == D(2025, 12, 10)  # Wednesday before


def test_header_date_lines():
    found, label = header_date("February 4, 2026 Economy")
    assert ((found.year, found.month, found.day), label) == ((2026, 2, 4), "Economy")
    found, label = header_date("December 12, 2025 Peace and security")
    assert label == "Peace and security"
    assert header_date("Published: 13 December 2025 10:30 GMT")[1] is None
    assert header_date("December 12, 2025, the council met and voted.") is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("14/10/2026 · 21:40", (2026, 10, 14)),
        ("14.10.2026, 21:40 CET", (2026, 10, 14)),
        ("Published 05/10/2026 at 9.15am", (2026, 10, 5)),
        ("10/14/2026 9:40 PM EDT", (2026, 10, 14)),
        ("Posted 14/10/2026 21:40 | Updated 15/10/2026 08:10", (2026, 10, 14)),
        ("Last updated on 14 October 2026 at 21:40 BST", (2026, 10, 14)),
        ("For immediate release: 15 October 2026", (2026, 10, 15)),
        ("FOR IMMEDIATE RELEASE – October 15, 2026", (2026, 10, 15)),
        ("Press release | 15 October 2026", (2026, 10, 15)),
        ("October 14, 2026 08:00 AM Eastern Daylight Time", (2026, 10, 14)),
        ("Tuesday, 14 October 2026 · 21:40", (2026, 10, 14)),
    ],
)
def test_header_date_lines_with_times_and_release_labels(line, date):
    found, label = header_date(line)
    assert ((found.year, found.month, found.day), label) == (date, None)


@pytest.mark.parametrize("line", ["3/4 of the vote went to him", "14/10/2026 the council met and voted."])
def test_no_header_date(line):
    assert header_date(line) is None


def test_numeric_dates_day_first_unless_only_month_first_is_a_date():
    assert numeric_date("05/10/2026").month == 10
    assert (numeric_date("10/14/2026").month, numeric_date("10/14/2026").day) == (10, 14)
    assert numeric_date("31/02/2026") is None
    assert numeric_date("x 14/10/2026") is None  # only at the start


def _published(text: str, **kwargs) -> datetime.date | None:
    return parse_copy(text, **kwargs)[0].published


def test_dateline_date_takes_the_year_of_today():
    text = "GENEVA, March 3 (Reuters) - The agency said it would meet again."
    assert _published(text, today=D(2025, 6, 1)) == D(2025, 3, 3)
    assert _published(text) is None  # no year anywhere


def test_dateline_date_takes_the_year_of_the_copys_other_dates():
    text = "LONDON, March 3 - The bank said profit rose in the year to Jan 31, 1987."
    assert _published(text, today=D(2025, 6, 1)) == D(1987, 3, 3)


def test_weekday_in_the_text_resolved_against_the_caption_date():
    text = (
        "VILNIUS, Lithuania (AP) — Belarus pardoned prisoners, the state agency said Saturday.\n"
        "The envoy met officials in Minsk.\n"
        "The envoy shakes hands in Minsk, Belarus, Friday, Dec. 12, 2025. (AP Photo/Jane Roe)"
    )
    assert _published(text) == D(2025, 12, 13)


def test_caption_date_alone():
    text = (
        "BAGHDAD (AP) — The mission closed.\n"
        "Guterres at Baghdad airport, Iraq, Saturday, Dec. 13, 2025. (AP Photo/Hadi Mizban)"
    )
    assert _published(text) == D(2025, 12, 13)


def test_file_photo_captions_do_not_date_the_story():
    text = (
        "BAGHDAD (AP) — The mission closed on Saturday.\n"
        "FILE - The U.N. headquarters after the bombing, Aug. 19, 2003. (AP Photo/John Doe)"
    )
    assert _published(text) is None


def test_weekday_dated_lead():
    text = "Headline here today\nOn Saturday, December 13, 2025, the mission closed.\nMore."
    assert _published(text) == D(2025, 12, 13)


def test_header_date_wins_over_dates_in_the_text():
    text = "December 12, 2025 Peace and security\nThe mission ends on December 31, 2025.\nMore."
    assert _published(text) == D(2025, 12, 12)


def test_weekday_without_an_anchor_is_no_date():
    assert _published("The council met on Saturday.\nIt voted.", today=D(2025, 6, 1)) is None


def test_body_dates_without_a_year_are_no_publication_date():
    text = "The mission ends its mandate on 31 December.\nIt began in August 2003."
    assert _published(text, today=D(2026, 1, 10)) is None
