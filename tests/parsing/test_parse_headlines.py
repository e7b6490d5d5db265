"""Headlines: a headline line when the copy has one, else the exact first-sentence rule."""

from __future__ import annotations

from articles.parsing import parse_copy
from articles.parsing.text import first_sentence, headline_from_text


def test_first_sentence_skips_abbreviations():
    text = "The U.S. envoy met Mr. Smith on Dec. 12 in Washington, D.C. after talks. Then he left."
    assert first_sentence(text) == "The U.S. envoy met Mr. Smith on Dec. 12 in Washington, D.C. after talks"


def test_first_sentence_keeps_a_closing_quote():
    assert first_sentence("He called it “a new chapter.” Others agreed.") == "He called it “a new chapter”"


def test_first_sentence_without_a_period_is_the_whole_text():
    assert first_sentence("Breaking: markets fall") == "Breaking: markets fall"


def test_short_sentence_is_the_headline_without_its_period():
    assert (
        headline_from_text("Markets fell sharply on Tuesday. Traders were nervous.")
        == "Markets fell sharply on Tuesday"
    )


def test_long_sentence_cut_at_the_last_space_within_110_characters():
    sentence = (
        "United National Secretary-General Antonio Guterres was in Baghdad on Saturday "
        "to mark the end of the political mission set up in 2003."
    )
    assert headline_from_text(sentence) == (
        "United National Secretary-General Antonio Guterres was in Baghdad on Saturday "
        "to mark the end of the…"
    )


def test_cut_strips_trailing_punctuation_before_the_ellipsis():
    sentence = "x" * 100 + " alpha, beta gamma."  # the last space within 110 follows "alpha,"
    assert headline_from_text(sentence) == "x" * 100 + " alpha…"
    assert headline_from_text("y" * 100 + " alpha — beta gamma.") == "y" * 100 + " alpha…"


def test_a_space_at_character_111_is_past_the_limit():
    # Characters 1-110 end in "after its"; the space after them is character 111.
    sentence = (
        "United Nations Assistance Mission for Iraq (UNAMI) will complete its work On "
        "December 31, 2025, 22 years after its establishment, Mission Head spoke."
    )
    assert headline_from_text(sentence) == (
        "United Nations Assistance Mission for Iraq (UNAMI) will complete its work On "
        "December 31, 2025, 22 years…"
    )


def test_headline_rule_applies_after_the_dateline():
    article = parse_copy("GENEVA, March 3 (Reuters) - The WHO said the outbreak ended. More.")[0]
    assert article.headline == "The WHO said the outbreak ended"


def test_headline_line_first():
    article = parse_copy("Markets Slide as Rates Rise\n\nStocks fell on Tuesday.\nMore text.")[0]
    assert (article.headline, article.body) == (
        "Markets Slide as Rates Rise",
        "Stocks fell on Tuesday.\n\nMore text.",
    )


def test_headline_line_before_a_dateline():
    article = parse_copy("Drone attack hits power grid\nKYIV, Ukraine (AP) — A drone hit.")[0]
    assert (article.headline, article.place, article.body) == (
        "Drone attack hits power grid",
        "Kyiv",
        "A drone hit.",
    )


def test_headline_after_a_summary_paragraph():
    text = (
        "The UN closed its mission in Iraq after 22 years. Relations become normal.\n"
        "UN Closes 22-Year Political Mission in Iraq\n\n"
        "The Secretary-General presided over the closure.\nMore."
    )
    article = parse_copy(text)[0]
    assert article.summary == "The UN closed its mission in Iraq after 22 years. Relations become normal."
    assert article.headline == "UN Closes 22-Year Political Mission in Iraq"
    assert article.body.startswith("The Secretary-General presided")


def test_headline_after_a_date_and_topic_header():
    text = "February 4, 2026 Economy\nPrices Rise Again in January\nInflation rose.\nMore."
    article = parse_copy(text)[0]
    assert (article.headline, article.topics) == ("Prices Rise Again in January", ["Economy"])


def test_a_subhead_after_the_lead_is_no_summary_headline():
    text = "The mission closed on Saturday after 22 years.\nBackground\nIt was set up in 2003."
    article = parse_copy(text)[0]
    assert (article.summary, article.headline) == (
        "",
        "The mission closed on Saturday after 22 years",
    )
    assert "Background" in article.body.split("\n\n")


def test_a_headline_made_from_the_first_sentence_is_marked_supplied():
    (given,) = parse_copy(
        "Storm Closes Ports\n\nHeavy rain closed the ports of Valparaíso on Monday. More followed."
    )
    (made,) = parse_copy("Heavy rain closed the ports of Valparaíso on Monday. More rain is expected.")
    assert (given.headline, given.headline_supplied) == ("Storm Closes Ports", False)
    assert (made.headline, made.headline_supplied) == (
        "Heavy rain closed the ports of Valparaíso on Monday",
        True,
    )
    assert made.body.startswith("Heavy rain closed the ports")  # the lead stays whole in the body


def test_a_cut_title_repeating_the_lead_is_not_kept_as_a_paragraph():
    lead = (
        "Heavy rain closed the ports of Valparaíso and San Antonio on Monday as the regional "
        "government declared an emergency across the coast, officials said."
    )
    for cut in (lead[:90].rsplit(" ", 1)[0], lead[:150].rsplit(" ", 1)[0]):  # a title line, a paragraph
        (article,) = parse_copy(f"{cut}…\n\n{lead}\n\nMore rain is expected on Tuesday.")
        assert article.headline_supplied
        assert article.headline == headline_from_text(lead)
        assert article.body.split("\n\n") == [lead, "More rain is expected on Tuesday."]


def test_a_copyright_line_is_the_rights_line():
    (article,) = parse_copy(
        "Heavy rain closed the ports of Valparaíso on Monday.\n\nMore is expected.\n\n"
        "Copyright 2026 The Associated Press. All rights reserved."
    )
    assert article.rights == "Copyright 2026 The Associated Press. All rights reserved."
    assert "Copyright" not in article.body
