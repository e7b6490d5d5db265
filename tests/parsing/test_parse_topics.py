"""Topics: header labels and editors' vocabulary, on enough evidence, never invented."""

from __future__ import annotations

from articles.parsing import parse_copy
from articles.parsing.topics import find_topics

VOCABULARY = {
    "Elections": ["election", "elections", "voter turnout"],
    "Displaced people": ["displaced", "internally displaced", "refugee"],
    "Sanctions": ["sanctions"],
}


def test_keyword_in_the_headline_is_enough():
    assert find_topics("Election day in Iraq", "Nothing else here.", vocabulary=VOCABULARY) == ["Elections"]


def test_one_body_mention_is_not_enough_two_are():
    assert find_topics("Iraq", "The election was held.", vocabulary=VOCABULARY) == []
    assert find_topics("Iraq", "The election was held. Voter turnout was high.", vocabulary=VOCABULARY) == [
        "Elections"
    ]


def test_whole_words_only_any_case():
    body = "Sanctionsfree trade. SANCTIONS were lifted. New sanctions came."
    assert find_topics("x", body, vocabulary=VOCABULARY) == ["Sanctions"]
    assert find_topics("x", "unsanctioned sanctionsy", vocabulary=VOCABULARY) == []


def test_a_phrase_counts_for_the_keywords_inside_it():
    body = "Over a million internally displaced persons remain."
    assert find_topics("x", body, vocabulary=VOCABULARY) == ["Displaced people"]


def test_phrases_match_across_line_breaks():
    assert find_topics("x", "high voter\nturnout and a fair election", vocabulary=VOCABULARY) == ["Elections"]


def test_header_labels_first_in_the_editors_spelling():
    vocabulary = {"Peace and security": ["ceasefire"], **VOCABULARY}
    assert find_topics("x", "", labels=["PEACE AND SECURITY"], vocabulary=vocabulary) == [
        "Peace and security"
    ]


def test_nothing_is_invented():
    assert find_topics("Markets rise", "Stocks rose on Tuesday.", vocabulary=VOCABULARY) == []
    assert parse_copy("Stocks rose on Tuesday.\nBonds fell.")[0].topics == []


def test_parse_copy_uses_header_label_and_vocabulary():
    text = (
        "December 12, 2025 Peace and security\n"
        "The mission helped hold elections and supported the election commission.\nMore."
    )
    (article,) = parse_copy(text, topic_vocabulary=VOCABULARY)
    assert article.topics == ["Peace and security", "Elections"]
