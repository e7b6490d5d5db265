"""Where versions differ, on hand-made versions: plain Python, no database."""

from articles.stories.differences import Version, compare, sentences

A = Version(
    1,
    "Wire",
    "Mission head Mohamed Al-Hassan said nearly 100,000 Yazidis remain in camps. "
    "The mission closes on December 31. "
    "“Iraq is a success story,” Al-Hassan said. Guterres arrived in Baghdad on Saturday.",
)
B = Version(
    2,
    "Aggregator",
    "Mohamed Al-Hussein, head of the mission, said more than 100,000 Yazidis remain in camps. "
    "The mission closes on December 30. Guterres arrived in Baghdad on Saturday.",
)
C = Version(
    3,
    "Agency",
    "Mr. Mohamed Al Hassan said about 100,000 Yazidis remain in camps. "
    "The mission closes on 31 December. Guterres arrived in Baghdad.",
)


def test_sentences_split_on_terminal_punctuation_and_lines():
    assert sentences("One. Two? “Three.” Four\nFive") == ["One.", "Two?", "“Three.”", "Four", "Five"]


def test_names_spelled_differently_are_one_difference_with_each_sentence():
    comparison = compare([A, B, C])
    (name,) = comparison.names
    assert name.summary == "Al-Hassan / Al-Hussein / Al Hassan"
    assert [(c.version.key, c.wording) for c in name.cells] == [
        (1, "Al-Hassan"),
        (2, "Al-Hussein"),
        (3, "Al Hassan"),
    ]
    assert name.cells[1].sentence.startswith("Mohamed Al-Hussein, head of the mission")


def test_names_one_version_writes_both_ways_are_two_names():
    one = Version(1, "x", "Minister Mohammed Sudani met Mohamed Hassan and Mohammed Hassan yesterday.")
    two = Version(2, "y", "Minister Mohammed Sudani met Mohamed Hassan.")
    assert compare([one, two]).names == []


def test_figures_that_differ_for_the_same_thing():
    (figure,) = compare([A, B, C]).figures
    assert figure.summary == "yazidi"
    assert [c.wording for c in figure.cells] == [
        "nearly 100,000 Yazidis",
        "more than 100,000 Yazidis",
        "about 100,000 Yazidis",
    ]


def test_dates_that_differ_in_sentences_that_say_the_same():
    (date,) = compare([A, B, C]).dates
    assert [c.wording for c in date.cells] == ["December 31", "December 30", "31 December"]


def test_quotes_only_some_versions_carry():
    (quote,) = compare([A, B, C]).quotes
    assert quote.summary == "Iraq is a success story,"
    assert [bool(c.sentence) for c in quote.cells] == [True, False, False]


def test_what_every_version_agrees_on():
    comparison = compare([A, B, C])
    assert {"Baghdad", "Guterres", "Mohamed"} <= set(comparison.agreed_names)
    same = compare([B, Version(4, "copy", B.text)])
    assert same.differences == [] and "100,000 Yazidis" in " ".join(same.agreed_figures)


def test_one_version_has_nothing_to_compare():
    assert compare([A]).differences == []
