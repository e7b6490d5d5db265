"""Topics: header labels and editors' vocabulary, on enough evidence, never invented."""

from __future__ import annotations

import random
import re
from collections import Counter

from articles.parsing import parse_copy
from articles.parsing.topics import Vocabulary, find_topics

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


def test_keywords_with_punctuation_match_as_written():
    vocabulary = {
        "United Nations": ["U.N.", "UN", "Secretary-General"],
        "Covid-19": ["covid-19"],
        "Peace and security": ["Da'esh"],
    }
    assert find_topics("U.N. envoy arrives", "", vocabulary=vocabulary) == ["United Nations"]
    assert find_topics("The U.N.-backed talks", "", vocabulary=vocabulary) == ["United Nations"]
    assert find_topics("COVID-19 cases rise", "", vocabulary=vocabulary) == ["Covid-19"]
    assert find_topics("Da'esh attack", "the Secretary-General said", vocabulary=vocabulary) == [
        "Peace and security"
    ]
    for other in (
        "UNESCO meets",
        "U.N.S. report",
        "covid-199 strain",
        "covid - 19",
        "Da ' esh",
        "Secretary General",
    ):
        assert find_topics(other, "", vocabulary=vocabulary) == [], other


def test_the_longest_keyword_at_a_place_wins_and_matches_do_not_overlap():
    vocabulary = {
        "Human rights": ["human rights"],
        "Rights councils": ["rights council"],
        "People": ["human"],
    }
    # "human rights" is found first: "rights council" would overlap it; "human" inside it counts.
    assert find_topics("Human rights council meets", "", vocabulary=vocabulary) == ["Human rights", "People"]
    assert find_topics("The rights council meets", "", vocabulary=vocabulary) == ["Rights councils"]
    assert find_topics("Human beings", "", vocabulary=vocabulary) == ["People"]


def test_spacing_inside_a_name_or_keyword_does_not_matter():
    vocabulary = {"Interest  rates": ["rate\tcut"], "Elections": ["voter  turnout"]}
    assert find_topics("Interest rates rise", "", vocabulary=vocabulary) == ["Interest  rates"]
    assert find_topics("A RATE CUT", "", vocabulary=vocabulary) == ["Interest  rates"]
    assert find_topics("Voter turnout high", "", vocabulary=vocabulary) == ["Elections"]


def _regex_mentions(vocabulary: dict[str, list[str]], text: str) -> Counter[str]:
    """Today's matcher, the reference: one regex alternation over every keyword, longest first."""
    topics_of: dict[str, list[str]] = {}
    for name, keywords in vocabulary.items():
        for keyword in {" ".join(k.split()).lower() for k in (name, *keywords) if k.strip()}:
            topics_of.setdefault(keyword, []).append(name)
    credited = {
        phrase: [t for other in topics_of if f" {other} " in f" {phrase} " for t in topics_of[other]]
        for phrase in topics_of
    }
    phrases = sorted(topics_of, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)
    return Counter(t for m in pattern.finditer(text) for t in credited[" ".join(m[0].lower().split())])


PIECES = ["un", "u.n.", "u.n", "covid-19", "19", "human", "rights", "council", "displaced", "état", "c++"]
PIECES += ["internally", "da'esh", "-", ".", "x", "a.b", ".net", "net", "b"]
GAPS = [" ", " ", " ", "  ", "\n", "\t", "", "-", ".", ",", "'", ": ", "+", "_"]


def test_the_matcher_counts_what_the_regex_alternation_counted():
    rng = random.Random(13)
    for _ in range(300):
        vocabulary = {
            f"Topic {n}": [
                " ".join(rng.sample(PIECES, k=rng.randint(1, 3))) for _ in range(rng.randint(0, 4))
            ]
            for n in range(rng.randint(1, 8))
        }
        words = [rng.choice(PIECES) for _ in range(rng.randint(5, 40))]
        words = [w.upper() if rng.random() < 0.2 else w.title() if rng.random() < 0.2 else w for w in words]
        text = "".join(word + rng.choice(GAPS) for word in words)
        expected = _regex_mentions(vocabulary, text)
        assert Vocabulary(tuple((n, tuple(k)) for n, k in vocabulary.items())).mentions(text) == expected, (
            vocabulary,
            text,
        )
