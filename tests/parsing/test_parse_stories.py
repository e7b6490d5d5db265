"""Story structure: glued stories, breaking-news updates, HTML in the copy."""

from __future__ import annotations

import pytest

from articles.parsing import CopyError, parse_copy

CAPTION = "The envoy in Minsk, Belarus, Friday, Dec. 12, 2025. (AP Photo/Jane Roe)"


def test_glued_stories_become_several_articles():
    text = (
        "SAO PAULO, Feb 26 - Brazil's coffee exports rose in January.\n\n"
        "The institute gave no reason.\n\n"
        "NEW YORK, Feb 27 - Shares of Texaco fell sharply, traders said.\n\n"
        "Volume was heavy.\n"
    )
    first, second = parse_copy(text)
    assert (first.place, first.body) == (
        "Sao Paulo",
        "Brazil's coffee exports rose in January.\n\nThe institute gave no reason.",
    )
    assert (second.place, second.body) == (
        "New York",
        "Shares of Texaco fell sharply, traders said.\n\nVolume was heavy.",
    )


def test_headline_of_a_glued_story_goes_with_it():
    text = (
        "KYIV, Ukraine (AP) — Drones hit the grid.\nRepairs began.\n"
        "Belarus Frees Prisoners\nVILNIUS, Lithuania (AP) — Belarus freed prisoners.\nMore."
    )
    first, second = parse_copy(text)
    assert first.body == "Drones hit the grid.\n\nRepairs began."
    assert (second.headline, second.place) == ("Belarus Frees Prisoners", "Vilnius")


def test_a_mixed_case_phrase_mid_story_does_not_split_it():
    text = "LONDON, March 3 - Sterling rose.\n\nToronto, March 3 - a note in the text.\n"
    assert len(parse_copy(text)) == 1


def test_breaking_news_update_keeps_the_earlier_story():
    text = "\n".join(
        [
            "VILNIUS, Lithuania (AP) — Belarus has released two opposition figures.",
            "The release follows talks with Washington.",
            "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below.",
            "VILNIUS, Lithuania (AP) — Belarus pardoned 123 prisoners, Belta said Saturday.",
            "The envoy met Lukashenko on Friday.",
            CAPTION,
        ]
    )
    (article,) = parse_copy(text)
    assert article.body == (
        "Belarus has released two opposition figures.\n\nThe release follows talks with Washington."
    )
    assert article.earlier_versions == [
        "Belarus pardoned 123 prisoners, Belta said Saturday.\n\nThe envoy met Lukashenko on Friday."
    ]
    assert article.captions[0].credit == "AP Photo/Jane Roe"
    assert str(article.published) == "2025-12-13"


def test_update_marker_inside_a_story_without_a_second_dateline():
    text = "Big news breaks.\nTHIS IS A BREAKING NEWS UPDATE.\nThe earlier text.\nMore of it."
    (article,) = parse_copy(text)
    assert article.body == "Big news breaks."
    assert article.earlier_versions == ["The earlier text.\n\nMore of it."]


def test_html_and_scripts_are_stripped():
    html = (
        "<h1>Council Agrees Budget</h1><p>The council <b>agreed</b> a budget.</p>"
        '<script>alert("x")</script><p onclick="steal()">It was close.</p>'
        '<img src=x onerror="steal()">'
    )
    (article,) = parse_copy(html)
    assert (article.headline, article.body) == (
        "Council Agrees Budget",
        "The council agreed a budget.\n\nIt was close.",
    )
    for field in (article.headline, article.body):
        assert "<" not in field and "alert" not in field and "steal" not in field


def test_escaped_markup_is_not_let_through():
    (article,) = parse_copy("The council met.\n&lt;script&gt;alert(1)&lt;/script&gt; Done.")
    assert "script" not in article.body and "alert" not in article.body


def test_ticker_symbols_are_text_not_markup():
    (article,) = parse_copy("NEW YORK, March 3 - Texaco Inc <TX> said profit rose.")
    assert article.body == "Texaco Inc <TX> said profit rose."


@pytest.mark.parametrize("text", ["", "   \n\n  ", "<p></p><script>x()</script>", "2 Views"])
def test_copy_without_text_is_an_error(text):
    with pytest.raises(CopyError):
        parse_copy(text)


def test_windows_line_endings_and_hard_wrapped_lines():
    text = (
        "LONDON, March 3 - The Bank of England left its key interest rate\r\n"
        "unchanged on Thursday, as policymakers weighed signs that\r\n"
        "inflation was slowing across the economy.\r\n\r\n"
        "Markets had expected the decision, which was taken by a\r\n"
        "majority of the committee after a long debate.\r\n"
    )
    (article,) = parse_copy(text)
    assert article.body.split("\n\n")[1] == (
        "Markets had expected the decision, which was "
        "taken by a majority of the committee after a long "
        "debate."
    )
