"""Datelines of the major conventions, read by ``parse_dateline``."""

from __future__ import annotations

import pytest

from articles.parsing import Dateline, parse_dateline


@pytest.mark.parametrize(
    ("text", "place", "country", "outlet", "month", "day"),
    [
        ("KYIV, Ukraine (AP) — Russia launched", "Kyiv", "Ukraine", "AP", None, None),
        ("BAGHDAD (AP) — United Nations", "Baghdad", "Iraq", "AP", None, None),
        ("GENEVA, March 3 (Reuters) - The WHO", "Geneva", "Switzerland", "Reuters", 3, 3),
        ("NAIROBI (AFP) - Police fired", "Nairobi", "Kenya", "AFP", None, None),
        ("SALVADOR, Feb 26 - Showers continued", "Salvador", "Brazil", None, 2, 26),
        ("NEW YORK, March 3 - Shares fell", "New York", "United States", None, 3, 3),
        ("SAO PAULO, Feb 26 - Coffee exports", "Sao Paulo", "Brazil", None, 2, 26),
        ("WASHINGTON, March 2 - The Senate", "Washington", "United States", None, 3, 2),
        ("ST. LOUIS, Mo., March 3 - Ralston", "St. Louis", "United States", None, 3, 3),
        ("RIO DE JANEIRO, Jan 5 - Brazil's", "Rio de Janeiro", "Brazil", None, 1, 5),
        ("PORT-AU-PRINCE, Sept 9 - Haiti's", "Port-au-Prince", "Haiti", None, 9, 9),
        ("LONDON, Dec. 1 - Sterling rose", "London", "United Kingdom", None, 12, 1),
        ("PARIS, April 14 (AFP) - France", "Paris", "France", "AFP", 4, 14),
        ("AMSTERDAM, 2 March - The Dutch", "Amsterdam", "Netherlands", None, 3, 2),
        ("PORTLAND, Ore., Feb 26 - Brown", "Portland", "United States", None, 2, 26),
        ("CALGARY, Alberta, March 3 - Oil", "Calgary", "Canada", None, 3, 3),
        ("ARNHEM, the Netherlands, April 1 - Enka", "Arnhem", "Netherlands", None, 4, 1),
        (
            "WASHINGTON, March 12, Reuter - Treasury",
            "Washington",
            "United States",
            "Reuters",
            3,
            12,
        ),
        ("des moines, april 7 - Hog prices", "Des Moines", "United States", None, 4, 7),
        ("TOKYO - The Bank of Japan", "Tokyo", "Japan", None, None, None),
        ("PRINCETON, N.J. - A drugmaker", "Princeton", "United States", None, None, None),
        ("UNITED NATIONS (AP) — The Security Council", "United Nations", None, "AP", None, None),
    ],
)
def test_conventions(text, place, country, outlet, month, day):
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.country, dateline.outlet, dateline.month, dateline.day) == (
        place,
        country,
        outlet,
        month,
        day,
    )


def test_end_is_where_the_story_starts():
    text = "KYIV, Ukraine (AP) — Russia launched drones."
    dateline = parse_dateline(text)
    assert text[dateline.end :] == "Russia launched drones."


def test_returns_a_dateline_record():
    assert parse_dateline("GENEVA, March 3 (Reuters) - x") == Dateline(
        "Geneva", "Switzerland", "Reuters", 3, 3, 28
    )


@pytest.mark.parametrize(
    "text",
    [
        "WHEAT - No Two Soft Red Winter 129.50",  # a commodity table, not a place
        "Gould Inc (GLD) - Offering of two mln shares",  # a ticker, not a credit
        "The company, which makes widgets - and gadgets - said",
        "Shares rose, March 3 - a gain of 5 pct",
        '"Iraq is now a normal country," Guterres said — to applause',
        "Iraqi Foreign Minister Fouad Hussein, left, greets Guterres",
        "PORT SUBSIDY TO END JULY 1 - MINISTER",  # a headline's attribution
        "U.S., ARGENTINA SETTLE SOYMEAL CASE - YEUTTER",
        "",
    ],
)
def test_rejects_what_is_not_a_dateline(text):
    assert parse_dateline(text) is None


def test_misspelt_month_still_gives_the_place():
    dateline = parse_dateline("NEW YORK, Narch 2 - Texaco said")
    assert (dateline.place, dateline.month) == ("New York", None)


def test_month_read_by_its_first_letters():
    assert parse_dateline("ATLANTA, Apri 13 - Coca-Cola").month == 4


def test_dash_after_state_then_date():
    dateline = parse_dateline("CHEVY CHASE, Md., - March 4 - Geico Corp said")
    assert (dateline.place, dateline.month, dateline.day) == ("Chevy Chase", 3, 4)


def test_strict_mode_wants_capitals_or_a_credit():
    assert parse_dateline("Toronto, Feb 26 - Bank", strict=True) is None
    assert parse_dateline("TORONTO, Feb 26 - Bank", strict=True).place == "Toronto"
    assert parse_dateline("Kyiv, Ukraine (AP) — x", strict=True).place == "Kyiv"


def test_year_hint_drops_a_day_that_does_not_exist():
    dateline = parse_dateline("LONDON, Feb 29 - Gilts", year_hint=1987)
    assert (dateline.place, dateline.month, dateline.day) == ("London", None, None)
    assert parse_dateline("LONDON, Feb 29 - Gilts", year_hint=1988).day == 29


@pytest.mark.parametrize(
    ("text", "place", "outlet", "date"),
    [
        ("PARIS, Oct 13, 2026 (AFP) - France", "Paris", "AFP", (2026, 10, 13)),
        ("NIMES, France, 13 October 2026 (AFP) - Floods", "Nimes", "AFP", (2026, 10, 13)),
        ("KYIV, Ukraine, Oct. 13, 2026 (AP) — Drones", "Kyiv", "AP", (2026, 10, 13)),
        ("Leeds, 15 October 2026 – The Trust", "Leeds", None, (2026, 10, 15)),
        ("LEEDS, 15/10/2026 - The Trust", "Leeds", None, (2026, 10, 15)),
        ("NEW YORK, 10/14/2026 - Acme", "New York", None, (2026, 10, 14)),
        (
            "NEW YORK, Oct. 14, 2026 /PRNewswire/ -- Acme Inc. today",
            "New York",
            "PR Newswire",
            (2026, 10, 14),
        ),
        ("SAN FRANCISCO--(BUSINESS WIRE)--Brightline Inc. today", "San Francisco", "Business Wire", None),
    ],
)
def test_datelines_with_a_year_and_press_release_forms(text, place, outlet, date):
    dateline = parse_dateline(text)
    assert (dateline.place, dateline.outlet) == (place, outlet)
    year, month, day = date or (None, None, None)
    assert (dateline.year, dateline.month, dateline.day) == (year, month, day)


def test_a_printed_year_checks_the_day():
    assert parse_dateline("LONDON, Feb 29, 2026 - Gilts").month is None
    assert parse_dateline("LONDON, Feb 29, 2028 - Gilts").day == 29


def test_the_year_is_none_when_not_printed():
    assert parse_dateline("GENEVA, March 3 (Reuters) - The WHO").year is None
