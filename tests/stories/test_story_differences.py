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


def test_sentences_do_not_end_at_a_title():
    assert sentences("It is a success, Mr. Sudani said. Dr. Ali agreed.") == [
        "It is a success, Mr. Sudani said.",
        "Dr. Ali agreed.",
    ]


def test_names_spelled_differently_are_one_difference_with_each_sentence():
    comparison = compare([A, B, C])
    (name,) = comparison.names
    assert name.summary == "Al-Hassan / Al-Hussein"  # Al Hassan folds to Al-Hassan: not a third
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
    assert figure.summary == "nearly 100,000 Yazidis / more than 100,000 Yazidis / about 100,000 Yazidis"
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


def _versions(*texts: str) -> list[Version]:
    return [Version(n, f"Outlet {n}", text) for n, text in enumerate(texts, start=1)]


def test_the_same_figure_is_no_difference():
    comparison = compare(
        _versions(
            "The quake left 3,000 people homeless. Officials said 25 people were hurt in Rotorua.",
            "The quake left 3,000 people homeless.",
        )
    )
    assert comparison.figures == []
    assert comparison.agreed_figures == ["3,000 people"]


def test_figures_in_units_that_differ():
    notices = _versions(
        "Mthly div 7.1 cts vs 7.1 cts prior\nPay March 31",
        "Mthly div 6.5 cts vs 6.8 cts prior\nPay March 31",
    )
    (dividend,) = compare(notices).figures  # once, though the sentence holds two figures
    assert dividend.summary == "7.1 cts / 6.5 cts"
    assert [c.sentence for c in dividend.cells] == [
        "Mthly div 7.1 cts vs 7.1 cts prior",
        "Mthly div 6.5 cts vs 6.8 cts prior",
    ]
    (sales,) = compare(_versions("Sales 58.7 mln vs 40.6 mln", "Sales 58.8 mln vs 40.6 mln")).figures
    assert sales.summary == "58.7 mln / 58.8 mln"


def test_figures_rounded_or_reordered_agree():
    rounded = _versions(
        "The gain was 1.5 mln dlrs in the quarter.", "The gain was 1,523,000 dlrs in the quarter."
    )
    reordered = _versions(
        "Holders will vote to raise authorized common to 20 mln from 15 mln shares.",
        "Holders will vote to raise authorized common to 20 mln shares from 15 mln.",
    )
    assert compare(rounded).figures == [] and compare(reordered).figures == []


def test_figures_of_different_things_are_not_compared():
    comparison = compare(
        _versions(
            "At least 2.2 million Iraqis were displaced as they fled the offensive.",
            "Roughly one million Iraqis remain internally displaced in camps.",
        )
    )
    assert comparison.figures == []


def test_a_qualifier_alone_differs_only_below_against_above():
    def figures(a: str, b: str) -> list[str]:
        return [d.summary for d in compare(_versions(a, b)).figures]

    assert (
        figures(
            "Over two decades, the mission advised Baghdad.",
            "For more than two decades, the mission advised Baghdad.",
        )
        == []
    )
    assert figures("It affects about 109,000 salaried workers.", "It affects 109,000 salaried workers.") == []
    assert figures("Nearly 500 troops stayed in Mosul.", "More than 500 troops stayed in Mosul.") == [
        "Nearly 500 troops / More than 500 troops"
    ]


def test_agreed_names_are_whole_names_without_boilerplate():
    comparison = compare(
        _versions(
            "Merrill Lynch Capital Markets Inc said on Tuesday it sold Acme Corp shares in New Zealand "
            "to the Bank of England's fund.\nShr 12 cts vs 10 cts\nNet 1.2 mln vs 1.0 mln\nPay March 31\n"
            "Analysts expect more. No changes were made. Reuter",
            "Acme Corp shares in New Zealand went to the Bank of England, Merrill Lynch Capital Markets Inc "
            "said in March.\nShr 12 cts vs 10 cts\nNet 1.2 mln vs 1.0 mln\nPay March 31\n"
            "Some analysts expect more. No changes were made. Reuter",
        )
    )
    assert comparison.agreed_names == [
        "Acme",
        "Bank of England",
        "Merrill Lynch Capital Markets",
        "New Zealand",
    ]


def test_quotes_are_grouped_by_the_versions_carrying_them():
    one = Version(
        1, "Wire", "“Iraq is a success story,” he said. “The mission has ended for good,” he added."
    )
    two = Version(2, "Agency", "Calling Iraq “a success story”, he said the mission has ended for good.")
    three = Version(3, "Paper", "The mission has ended.")
    comparison = compare([one, two, three])
    (group,) = comparison.quote_groups
    assert [v.label for v in group.carriers] == ["Wire", "Agency"]
    assert [v.label for v in group.missing] == ["Paper"]
    assert [q.summary for q in group.quotes] == [
        "Iraq is a success story,",
        "The mission has ended for good,",
    ]
    assert [c.sentence for c in group.quotes[1].said] == [
        "“The mission has ended for good,” he added.",
        "Calling Iraq “a success story”, he said the mission has ended for good.",
    ]


def test_two_quotes_in_one_sentence_are_one_row():
    one = Version(1, "Wire", "“We will stay the course,” he said, “and we will not leave the city.”")
    comparison = compare([one, Version(2, "Agency", "He spoke on Monday.")])
    assert len(comparison.quotes) == 2
    (group,) = comparison.quote_groups
    assert [q.summary for q in group.quotes] == ["We will stay the course,"]


def test_names_alike_once_folded_or_spelled_the_british_way_are_no_difference():
    comparison = compare(
        _versions(
            "President António Guterres met Da'esh victims. The United Nations Development Programme stays.",
            "President Antonio Guterres met Daesh victims. The United Nations Development Program stays.",
        )
    )
    assert comparison.names == []


def test_titles_and_words_written_in_lower_case_are_not_names():
    comparison = compare(
        _versions(
            "The Security Council met. The Assistance Mission for Iraq ends.",
            "The Security Counsel met. The Assistant Mission for Iraq ends, the mission said.",
        )
    )
    assert comparison.names == []


def test_names_an_editor_confirmed_are_no_difference():
    versions = _versions("President Zelensky spoke in Kyiv.", "President Zelenskyy spoke in Kyiv.")
    assert [d.summary for d in compare(versions).names] == ["Zelensky / Zelenskyy"]
    confirmed = {"zelensky": "zelensky", "zelenskyy": "zelensky"}
    assert compare(versions, lambda name: confirmed.get(name.lower())).names == []
