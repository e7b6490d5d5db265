"""Alike reports of two occurrences stay apart: leads naming different dates, headlines naming two
companies by ticker. Invented samples; plain Python, no database."""

import datetime

from articles.stories.documents import make_doc
from articles.stories.occurrences import headline_company, lead_dates
from articles.stories.similarity import StoryIndex

DAY = datetime.date(2026, 4, 7).toordinal()

RATES = (
    "KORVALAN STATE BANK EXCHANGE RATES EFFECTIVE {date}, 2026 LEVS PER HUNDRED UNLESS STATED "
    "U.S. 63.60 (64.07) STG 102.56 (103.41) DMK 35.43 (35.24) DFL 31.20 (31.18) FFR 10.61 (10.58) "
    "SFR 42.11 (41.87) YEN (1,000) 4.36 (4.33) CAN 48.02 (48.20) AUS 44.95 (45.10) Korvalan state "
    "bank rates are set weekly against a basket of convertible currencies, the bank said."
)

POSTING = (
    "{company} said it raised the posted prices of its crude oils by 50 cts a barrel, effective "
    "today. The company said its new posting for West Texas Intermediate and West Texas Sour is 19 "
    "dlrs a barrel, while Light Louisiana Sweet is now 19.35 dlrs. The increase follows similar "
    "moves by other refiners after a week of firmer spot prices on the Gulf Coast."
)

SELLER = (
    "Halvard Foods Inc said it agreed to sell its Greystone bakery division to Penrose Brands Corp "
    "for 62 mln dlrs in cash. Halvard said Greystone, which bakes bread and rolls at four plants in "
    "Ohio, had 1986 sales of 140 mln dlrs, and that the sale completes its withdrawal from baking."
)
BUYER = (
    "Penrose Brands Corp said it agreed to buy the Greystone bakery division of Halvard Foods Inc for "
    "62 mln dlrs in cash. Penrose said Greystone's four Ohio plants, with 1986 sales of 140 mln dlrs, "
    "would be run by its own bakery unit, and that the purchase would be paid from bank lines."
)


def matched(*docs) -> dict[int, list[int]]:
    index = StoryIndex()
    return {doc.key: [m.key for m in matches] for doc, matches, _ in index.extend(list(docs))}


def test_lead_dates_name_the_calendar_dates_but_the_articles_own_day():
    assert lead_dates("RATES EFFECTIVE APRIL 1", "Filed 8-APR, as of Apr. 9.") == {"apr1", "apr8", "apr9"}
    assert lead_dates("X", "NEW YORK, April 7 - Renewed offer to April 24", DAY) == {"apr24"}
    assert lead_dates("CBT 11:20 EDT WHEAT", "MAY7 287 3/4 UP 1 1/2 JUL7 272 1/2 OFF 1/4 SEP 273") == set()


def test_headline_company_is_the_words_before_its_ticker():
    assert headline_company("MURPHY OIL <MUR> RAISES CRUDE POSTINGS") == (["MURPHY", "OIL"], {"$mur"})
    assert headline_company("OIL PRICES FIRM IN LONDON") == ([], frozenset())


def test_two_weeks_rate_tables_stay_apart_the_same_weeks_repeat_joins():
    first = make_doc(1, "", RATES.format(date="APRIL 1"), day=DAY, outlet=1)
    repeat = make_doc(2, "", RATES.format(date="APRIL 1"), day=DAY, outlet=2)
    next_week = make_doc(3, "", RATES.format(date="APRIL 8").replace("63.60", "63.85"), day=DAY, outlet=1)
    assert matched(first, repeat, next_week) == {1: [], 2: [1], 3: []}


def test_two_companies_moves_stay_apart_one_deals_two_sides_join():
    # each headline's slot is "Oil", which both name: only the companies tell them apart
    alder = make_doc(
        1, "ALDER OIL <ALDO> RAISES CRUDE POSTINGS", POSTING.format(company="Alder Oil Co"), day=DAY
    )
    brennan = make_doc(
        2, "BRENNAN OIL <BRNO> RAISES POSTINGS", POSTING.format(company="Brennan Oil Co"), day=DAY
    )
    seller = make_doc(3, "HALVARD FOODS <HLVD> TO SELL BAKERY UNIT", SELLER, day=DAY)
    buyer = make_doc(4, "PENROSE BRANDS <PNRS> TO BUY GREYSTONE BAKERIES", BUYER, day=DAY)
    assert matched(alder, brennan, seller, buyer) == {1: [], 2: [], 3: [], 4: [3]}
