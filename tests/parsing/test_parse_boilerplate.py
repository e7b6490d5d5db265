"""Boilerplate out of the body: captions (kept as captions), credits, translation headers and
disclaimers, counters, source lists, footers; subheads stay. Bylines and editors recorded."""

from __future__ import annotations

from articles.parsing import Caption, parse_copy
from articles.parsing.boilerplate import Kind, classify, unique_captions
from articles.parsing.outlets import outlet_table

LEAD = "BAGHDAD (AP) — The mission closed on Saturday after 22 years."
MORE = "Officials praised its work in a long ceremony."


def _parse(*paragraphs: str):
    return parse_copy("\n".join(paragraphs))[0]


def _kind(paragraph: str) -> Kind:
    return classify(paragraph, outlet_table()).kind


def test_photo_caption_kept_as_caption_not_body():
    caption = (
        "Iraqi Foreign Minister Fouad Hussein, left, greets Antonio Guterres at Baghdad "
        "airport, Iraq, Saturday, Dec. 13, 2025. (AP Photo/Hadi Mizban)"
    )
    article = _parse(LEAD, MORE, caption)
    assert article.captions == [
        Caption(
            "Iraqi Foreign Minister Fouad Hussein, left, greets Antonio Guterres at Baghdad "
            "airport, Iraq, Saturday, Dec. 13, 2025.",
            "AP Photo/Hadi Mizban",
        )
    ]
    assert article.body == f"{LEAD.split('— ')[1]}\n\n{MORE}"


def test_via_credit_caption():
    article = _parse(
        LEAD,
        "Lukashenko and the envoy shake hands in Minsk, Belarus, Friday, "
        "Dec. 12, 2025. (Belarusian Presidential Press Service via AP)",
    )
    assert article.captions[0].credit == "Belarusian Presidential Press Service via AP"


def test_parenthesis_that_is_no_photo_credit_stays_text():
    assert _kind("The mission was set up after the invasion (see our earlier report)") is Kind.TEXT


def test_near_duplicate_captions_count_once_and_the_first_is_kept():
    first = Caption("Hussein, left, greets Guterres at the airport, Saturday, Dec. 13, 2025.", "AP")
    spaced = Caption("Hussein, left, greets Guterres, right, at the airport, Saturday, Dec.13, 2025.", "AP")
    other = Caption("Guterres speaks at the closing ceremony in Baghdad, Saturday.", "AP")
    assert unique_captions([first, spaced, spaced, other]) == [first, other]


def test_translation_headers_and_disclaimers_dropped():
    article = _parse(
        "Translation. Region: Russian Federation –",
        "Source: United Nations – United Nations –",
        "An important disclaimer is at the bottom of this article.",
        LEAD,
        "Please note: This information is raw content obtained directly from the source. It "
        "represents an accurate account of the source's assertions and does not necessarily "
        "reflect the position of MIL-OSI or its clients.",
    )
    assert article.body == LEAD.split("— ")[1]
    assert (article.translated, article.translated_from) == (True, "ru")


def test_views_sources_list_error_footer_and_site_footer_dropped():
    article = _parse(
        "Mission Concludes 22-Year Chapter",
        "Edited by: Tatyana Hurynovich",
        LEAD,
        MORE,
        "2 Views",
        "Sources",
        "  • Radio Ecclesia",
        "  • UN News",
        "  • Reuters",
        "Did you find an error or inaccuracy?",
        "We will consider your comments as soon as possible.",
        "Mission Concludes 22-Year Chap... | Gaya One",
    )
    assert article.body == f"{LEAD.split('— ')[1]}\n\n{MORE}"
    assert (article.editor, article.outlet) == ("Tatyana Hurynovich", "AP")


def test_copyright_line_dropped():
    article = _parse(LEAD, "© 2025 The Associated Press. All rights reserved.")
    assert article.body == LEAD.split("— ")[1]


def test_standalone_photo_credit_lines_dropped_but_subheads_stay():
    article = _parse(
        "The mission will complete its work on December 31.",
        "United Nations News Service",
        "Elections were the fairest yet.",
        "UNAMI",
        "Background",
        "Democratic progress",
        "UN Photo/Loey Felipe",
        "It was set up in 2003.",
    )
    assert article.body.split("\n\n") == [
        "The mission will complete its work on December 31.",
        "Elections were the fairest yet.",
        "Background",
        "Democratic progress",
        "It was set up in 2003.",
    ]


def test_by_line_recorded_out_of_the_body():
    article = _parse("Headline of the Story Here", "By JIM HEINTZ and YURAS KARMANAU", LEAD, MORE)
    assert article.byline == "Jim Heintz and Yuras Karmanau"
    assert "HEINTZ" not in article.body


def test_reuters_trailer_gives_byline_and_editor():
    article = _parse(
        "GENEVA, March 3 (Reuters) - The WHO said the outbreak ended.",
        "(Reporting by Emma Farge; Additional reporting by John Doe; Editing by Alex Richardson)",
    )
    assert (article.byline, article.editor, article.body) == (
        "Emma Farge",
        "Alex Richardson",
        "The WHO said the outbreak ended.",
    )


def test_a_sentence_starting_with_by_is_no_byline():
    assert _kind("By December the mission will have closed its offices.") is Kind.TEXT
    assert _kind("By the end of the year, it closed.") is Kind.TEXT
    assert _kind("Writing by hand is slow, editing by ear is worse.") is Kind.TEXT


def test_reuter_sign_off_removed():
    article = parse_copy("LONDON, March 3 - Net profit rose 5 pct. Reuter")[0]
    assert (article.body, article.outlet) == ("Net profit rose 5 pct.", "Reuters")
