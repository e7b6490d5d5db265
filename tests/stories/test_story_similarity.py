"""The similarity layer on its own: plain Python, no database."""

from articles.stories.documents import make_doc, names, terms
from articles.stories.grouping import Grouper, NewStory
from articles.stories.similarity import Match, StoryIndex

BODY = (
    "The Bank of Japan bought a small amount of dollars shortly after the opening at around 145.30 "
    "yen, dealers said. The central bank intervened as a medium-sized trading house sold dollars, "
    "putting pressure on the currency, they said. Dealers in Tokyo said Governor Satoshi Sumita had "
    "warned markets on Monday that the bank would act with other major nations to keep the dollar "
    "stable, and traders in Osaka and Nagoya expected more intervention before the Washington meeting "
    "of finance ministers from the Group of Seven industrial nations later this week."
)
OTHER = (
    "Brazil's state oil company Petrobras cancelled a 40 mln dlr crude oil purchase from Saudi Arabia "
    "after the Saudis refused to accept credit guarantees from the Bank of Brazil, a Petrobras "
    "official said. Export director Carlos Santana told a press conference in Rio de Janeiro that "
    "the cargo of two mln barrels would be bought elsewhere, possibly from Venezuela or Mexico, and "
    "that talks with Saudi Arabia on later shipments were suspended until the guarantees were settled."
)

# One sale told by the seller and by the buyer on the same day, and the regulator's approval of
# it the next day: a later development, a new event of the same matter.
SELLER = (
    "Consolidated Harbour Industries said it agreed to sell its Thornbury rail car unit to Meridian "
    "Transport Holdings for 84.5 mln dlrs in cash. Consolidated Harbour chairman Walter Pryce said the "
    "sale of Thornbury, which builds freight wagons at plants in Ohio and Kentucky and employs 1,250 "
    "people, completes the company's withdrawal from transport equipment. The sale is expected to close "
    "by the end of June, subject to regulatory approval, Pryce said."
)
BUYER = (
    "Meridian Transport Holdings said it agreed to buy the Thornbury rail car unit of Consolidated "
    "Harbour Industries for 84.5 mln dlrs in cash, adding Thornbury's freight wagon plants in Ohio and "
    "Kentucky to its leasing business. Meridian president Anne Koval said Thornbury's 1,250 workers "
    "would keep their jobs and the purchase would be paid from existing bank lines. The sale is expected "
    "to close by the end of June, subject to regulatory approval, Koval said."
)
APPROVAL = (
    "The Interstate Commerce Commission approved Meridian Transport Holdings' purchase of Thornbury from "
    "Consolidated Harbour Industries, clearing the way for the deal to close this week. The commission "
    "rejected objections from two competing wagon lessors, who had argued Meridian would control a third "
    "of the freight wagon leasing market in Ohio and Kentucky. Meridian president Anne Koval welcomed the "
    "decision and said integration would begin at once."
)


def test_terms_fold_stem_and_keep_numbers():
    counts = terms("Yazidis in camps: nearly 100,000 Yazidi people, António said")
    assert counts["yazidi"] == 2 and counts["#100000"] == 1 and counts["antonio"] == 1
    assert "in" not in counts and "said" not in counts


def test_names_skip_sentence_openers_and_keep_tickers():
    found = names("The dealers said Sumita spoke. Tokyo traders agreed with <BOJ> officials.")
    assert {"sumita", "$boj"} <= found and "the" not in found and "tokyo" not in found


def test_a_repeat_matches_and_an_unrelated_story_does_not():
    index = StoryIndex()
    docs = [
        make_doc(1, "BANK OF JAPAN INTERVENES", BODY, day=700_000, outlet="Reuters"),
        make_doc(2, "SAUDIS DROP CONDITION", OTHER, day=700_000, outlet="Reuters"),
        make_doc(3, "BANK OF JAPAN INTERVENES SOON AFTER OPENING", BODY, day=700_001, outlet="Reuters"),
    ]
    results = {doc.key: matches for doc, matches, _ in index.extend(docs)}
    assert results[1] == [] and results[2] == []
    assert [m.key for m in results[3]] == [1]
    assert results[3][0].duplicate, "same outlet, same text: a duplicate"


def test_the_time_window_keeps_apart_what_is_months_apart():
    index = StoryIndex()
    docs = [make_doc(1, "A", BODY, day=700_000), make_doc(2, "B", BODY + " More.", day=700_090)]
    assert [matches for _, matches, _ in index.extend(docs)] == [[], []]


def deal(approval_day: int = 700_011) -> list:
    """Two unrelated stories, then the sale told by seller and buyer one day, and its approval."""
    return [
        make_doc(1, "BANK OF JAPAN INTERVENES", BODY, day=700_000, outlet=1),
        make_doc(2, "SAUDIS DROP CONDITION", OTHER, day=700_000, outlet=1),
        make_doc(3, "CONSOLIDATED HARBOUR TO SELL THORNBURY UNIT", SELLER, day=700_010, outlet=1),
        make_doc(4, "MERIDIAN TO BUY THORNBURY FOR 84.5 MLN DLRS", BUYER, day=700_010, outlet=1),
        make_doc(5, "ICC APPROVES MERIDIAN PURCHASE OF THORNBURY", APPROVAL, day=approval_day, outlet=1),
    ]


def test_one_days_reports_of_one_deal_join_and_the_next_days_development_does_not():
    index = StoryIndex()
    results = {doc.key: [m.key for m in matches] for doc, matches, _ in index.extend(deal())}
    assert results[4] == [3], "other words, but the same names and figures on the same day"
    assert results[5] == [], "the approval a day later is the next event, not another version"


def test_a_near_miss_a_day_later_is_a_possible_version_and_two_days_later_is_not():
    def possible(approval_day: int) -> dict[int, list[int]]:
        index = StoryIndex()
        found = {doc.key: (matches, possible) for doc, matches, possible in index.extend(deal(approval_day))}
        assert found[5][0] == [], "never joined"
        assert all(0.5 <= m.score < 0.76 for _, offered in found.values() for m in offered)
        return {key: [m.key for m in offered] for key, (_, offered) in found.items() if offered}

    assert possible(700_011) == {5: [4]}, "the next day's approval: for an editor to decide"
    assert possible(700_012) == {}, "two days later: not offered"


def test_a_separate_deal_told_in_the_same_words_does_not_join():
    index = StoryIndex()
    rewritten = BUYER.replace("84.5", "61.2").replace("1,250", "980").replace("Thornbury", "Ashdown")
    docs = [
        make_doc(1, "BANK OF JAPAN INTERVENES", BODY, day=700_000, outlet=1),
        make_doc(2, "SAUDIS DROP CONDITION", OTHER, day=700_000, outlet=1),
        make_doc(3, "CONSOLIDATED HARBOUR TO SELL THORNBURY UNIT", SELLER, day=700_010, outlet=1),
        make_doc(4, "MERIDIAN TO BUY ASHDOWN", rewritten, day=700_010, outlet=1),
    ]
    results = {doc.key: [m.key for m in matches] for doc, matches, _ in index.extend(docs)}
    assert results[4] == [], "another unit at another price: a separate deal in the same words"


def test_a_routine_text_on_another_day_is_a_repeat_only_with_the_same_figures():
    routine = (
        "The Federal Reserve entered the government securities market to arrange {amount} billion "
        "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said federal funds were "
        "trading at {rate} pct when the Fed began its temporary and indirect supply of reserves to the "
        "banking system, and they expected the Fed to add more reserves later in the statement week."
    )
    index = StoryIndex()
    headline = "FED ADDS RESERVES VIA CUSTOMER REPURCHASES"
    docs = [
        make_doc(1, "BANK OF JAPAN INTERVENES", BODY, day=700_000, outlet=1),
        make_doc(2, "SAUDIS DROP CONDITION", OTHER, day=700_000, outlet=1),
        make_doc(3, headline, routine.format(amount="two", rate="6.06"), day=700_010, outlet=1),
        make_doc(4, headline, routine.format(amount="1.5", rate="6.12"), day=700_011, outlet=1),
        make_doc(5, "RPT - " + headline, routine.format(amount="1.5", rate="6.12"), day=700_012, outlet=1),
    ]
    found = {doc.key: (matches, possible) for doc, matches, possible in index.extend(docs)}
    results = {key: [m.key for m in matches] for key, (matches, _) in found.items()}
    assert results[4] == [], "the next day's operation, in the same words with new figures"
    assert found[4][1] == [], "... not even a possible version"
    assert results[5] == [4], "a repeat carries the same figures"


def test_short_texts_join_only_as_same_day_exact_copies():
    index = StoryIndex()
    brief = "FED SETS 1.5 BILLION DLR CUSTOMER REPURCHASE"
    docs = [
        make_doc(1, brief, "", day=700_000, outlet=1),
        make_doc(2, brief, "", day=700_001, outlet=1),  # the next day: another operation
        make_doc(3, brief, "", day=700_001, outlet=1),  # the same day, same text: a copy
        make_doc(4, "FED SETS TWO BILLION DLR REPURCHASE", "Fed sets repurchase.", day=700_001, outlet=1),
    ]
    results = {doc.key: [m.key for m in matches] for doc, matches, _ in index.extend(docs)}
    assert results == {1: [], 2: [], 3: [2], 4: []}


def test_grouper_joins_the_best_story_and_respects_locks():
    grouper = Grouper(story={1: 10, 2: None, 3: None}, locked={3})
    grouper.place(4, [Match(1, 0.9, False), Match(2, 0.8, False), Match(3, 0.7, False)])
    assert grouper.story == {1: 10, 2: 10, 3: None, 4: 10}
    grouper.place(5, [Match(3, 0.9, False)])
    assert grouper.story.get(5) is None, "a locked article without a story pulls no one in"
    grouper.place(6, [Match(7, 0.9, True)])
    assert isinstance(grouper.story[6], NewStory) and grouper.story[7] == grouper.story[6]
    assert grouper.duplicate_of[6] == 7
