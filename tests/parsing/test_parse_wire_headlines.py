"""Wire copy written as a HEADLINE line, then "CITY, Month Day -" and the body (the Reuters
layout): the headline is the line, the dateline still gives place and date, whatever the
headline holds (tickers in angle brackets, a closing abbreviation, a bracketed label) and
whether a blank line or a single newline parts it from the dateline."""

from __future__ import annotations

import datetime

import pytest

from articles.parsing import parse_copy
from articles.parsing.text import clean_copy, is_title_like, split_paragraphs

FILED = datetime.date(1987, 3, 9)
BODY = "The company said the sale would be completed by the end of the month.\n\nIt gave no price."


def _one(text: str):
    (article,) = parse_copy(text, today=FILED)
    return article


@pytest.mark.parametrize("separator", ["\n\n", "\n"])
@pytest.mark.parametrize(
    ("headline", "dateline", "place"),
    [
        ("<HARBORSIDE FOODS LTD> SELLS BAKERY UNIT", "TORONTO, March 6 -", "Toronto"),
        ("KELVIN MOTOR <KMC> TO BUILD PLANT IN OHIO", "DETROIT, March 6 -", "Detroit"),
        ("<NORDSTERN AG> BUYS STAKE IN <ALPINE RE>", "ZURICH, March 6 -", "Zurich"),
        ("JAPAN TO RAISE TEXTILE QUOTA FOR U.S.", "TOKYO, March 6 -", "Tokyo"),
        ("Pacific Mills Widens Talks With U.S.", "MANILA, March 6 -", "Manila"),
        ("(CORRECTED) - <LAKEVIEW MINING LTD> YEAR NET", "Calgary, Alberta, March 6 -", "Calgary"),
        ("canadian bank begins signing debt accord", "Ottawa, march 6 -", "Ottawa"),
    ],
)
def test_headline_line_then_dateline(headline, dateline, place, separator):
    article = _one(f"{headline}{separator}{dateline} {BODY}")
    assert (article.headline, article.place) == (headline, place)
    assert article.published == datetime.date(1987, 3, 6)
    assert article.body.startswith("The company said the sale")


def test_a_stray_period_after_a_headline_in_capitals_is_dropped():
    article = _one(f"GRANITE BANCORP <GBC> SETS PAYOUT.\nBOSTON, March 6 - {BODY}")
    assert (article.headline, article.place) == ("GRANITE BANCORP <GBC> SETS PAYOUT", "Boston")


def test_tickers_spelt_like_html_tags_are_text():
    text = (
        "DELTA AIRWAYS <U> BIDS FOR <P.T. HARBOUR LINES>\n"
        "NEW YORK, March 6 - Delta Airways <U> said it bid for <P.T. Harbour Lines> and <EM>.\n"
        "The offer <I> values it at 20 dlrs a share."
    )
    article = _one(text)
    assert article.headline == "DELTA AIRWAYS <U> BIDS FOR <P.T. HARBOUR LINES>"
    assert (article.place, article.published) == ("New York", datetime.date(1987, 3, 6))
    assert article.body == (
        "Delta Airways <U> said it bid for <P.T. Harbour Lines> and <EM>.\n\n"
        "The offer <I> values it at 20 dlrs a share."
    )


def test_real_markup_is_still_markup():
    assert clean_copy("<P>One</P><P>Two</P>") == "One\n\nTwo"
    assert "script" not in clean_copy("Bid <SCRIPT>alert(1)</SCRIPT> made")
    assert "onload" not in clean_copy("Bid <SVG/ONLOAD=alert(1)> made")


def test_a_headline_with_an_attribution_dash_is_no_dateline():
    text = "PORT SUBSIDY TO END JULY 1 - MINISTER\n\nROTTERDAM, March 6 - The port subsidy ends.\n"
    article = _one(text)
    assert (article.headline, article.place) == ("PORT SUBSIDY TO END JULY 1 - MINISTER", "Rotterdam")
    assert article.published == datetime.date(1987, 3, 6)


def test_table_copy_with_a_headline_line_is_not_taken_for_hard_wrapped_text():
    text = (
        "FRANKLIN VALLEY INSURED FUND CUTS PAYOUT\n"
        "SAN MATEO, Calif., March 6 - Mthly div 6.5 cts vs 6.8 cts prior\n\n"
        "Pay March 31\n\n"
        "Record March 16\n\n"
        "NOTE: Franklin Valley Insured Tax-Free Income Fund"
    )
    article = _one(text)
    assert (article.headline, article.place) == ("FRANKLIN VALLEY INSURED FUND CUTS PAYOUT", "San Mateo")
    assert article.body.split("\n\n")[:2] == ["Mthly div 6.5 cts vs 6.8 cts prior", "Pay March 31"]


def test_hard_wrapped_copy_keeps_the_headline_line_apart_from_the_dateline():
    text = (
        "HARBOUR BOARD SEES HIGHER GRAIN TRAFFIC\n"
        "ROTTERDAM, March 6 - The port board said grain traffic should\n"
        "rise this year as new silos open on the north bank of the\n"
        "river, handling up to two mln tonnes.\n\n"
        "It said coal traffic would be steady, with imports from the\n"
        "United States and Australia making up most of the volume.\n"
    )
    article = _one(text)
    assert (article.headline, article.place) == ("HARBOUR BOARD SEES HIGHER GRAIN TRAFFIC", "Rotterdam")
    assert article.body.startswith("The port board said grain traffic should rise this year")
    assert len(article.body.split("\n\n")) == 2


def test_only_a_dateline_starts_a_paragraph_inside_a_wrapped_block():
    text = (
        "The port board said grain traffic should rise this year in\n"
        "Toronto, the board said - a rival port - as well as in other\n"
        "ports of the lakes, as new silos open on the north bank.\n"
    )
    assert len(split_paragraphs(clean_copy(text))) == 1


@pytest.mark.parametrize(
    "line",
    [
        "<HARBORSIDE FOODS LTD> SELLS BAKERY UNIT",
        "(CORRECTED) - LAKEVIEW MINING YEAR NET",
        "JAPAN TO RAISE TEXTILE QUOTA FOR U.S.",
        "Japan to Raise Textile Quota for U.S.",
        "MERRILL MANDATED FOR IEL NOTE.",
    ],
)
def test_title_like_headlines(line):
    assert is_title_like(line)


@pytest.mark.parametrize(
    "line",
    [
        "Prices rose sharply in the U.S.",  # a short lead in sentence case
        "The council met on Tuesday.",
        "<no capital here",
    ],
)
def test_not_title_like(line):
    assert not is_title_like(line)


def test_lower_case_line_above_a_dateline_only():
    assert is_title_like("canadian bank signs debt accord", any_case=True)
    assert is_title_like("Prices rose sharply in the U.S.", any_case=True)
    assert not is_title_like("The council met on Tuesday.", any_case=True)
