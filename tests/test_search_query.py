"""The forgiving query parser: each query form read into a tree, broken ones read as plain words."""

from datetime import date

import pytest

from articles.search.query import All, Any, DateRange, FieldFilter, Not, Phrase, Word, parse, to_sq


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("gaza", Word("gaza")),
        ("gaza ceasefire", All((Word("gaza"), Word("ceasefire")))),
        ('"human rights"', Phrase("human rights")),
        ("“human rights” council", All((Phrase("human rights"), Word("council")))),
        ("iraq OR syria", Any((Word("iraq"), Word("syria")))),
        ("iraq -syria", All((Word("iraq"), Not(Word("syria"))))),
        ("iraq NOT syria", All((Word("iraq"), Not(Word("syria"))))),
        ("iraq AND syria", All((Word("iraq"), Word("syria")))),
        ("(iraq OR syria) kurds", All((Any((Word("iraq"), Word("syria"))), Word("kurds")))),
        # OR binds tighter than AND, as in web searches
        ("iraq OR syria kurds", All((Any((Word("iraq"), Word("syria"))), Word("kurds")))),
        ("kurds AND iraq OR syria", All((Word("kurds"), Any((Word("iraq"), Word("syria")))))),
        ("ISIS OR ISIL OR Daesh", Any((Word("ISIS"), Word("ISIL"), Word("Daesh")))),
        ("outlet: AP", FieldFilter("outlet", "AP")),
        ('Topic: "human rights"', FieldFilter("topic", "human rights")),
        ("yazid*", Word("yazid", prefix=True)),
        ("al-Sudani", Word("al-Sudani")),
        ("U.N. Da’esh", All((Word("U.N"), Word("Da’esh")))),
        ("outlet:AP", FieldFilter("outlet", "AP")),
        ('topic:"human rights"', FieldFilter("topic", "human rights")),
        ("Country:Iraq lang:fr", All((FieldFilter("country", "Iraq"), FieldFilter("lang", "fr")))),
        ("published:2025-12-01..2025-12-31", DateRange(date(2025, 12, 1), date(2025, 12, 31))),
        ("published:2025-02", DateRange(date(2025, 2, 1), date(2025, 2, 28))),
        ("published:2024", DateRange(date(2024, 1, 1), date(2024, 12, 31))),
        ("published:..2025-01-31", DateRange(None, date(2025, 1, 31))),
        ("published:2025-01-31..", DateRange(date(2025, 1, 31), None)),
    ],
)
def test_query_forms(text, node):
    parsed = parse(text)
    assert parsed.node == node
    assert not parsed.fallback


@pytest.mark.parametrize(
    ("text", "words", "why"),
    [
        ('"unbalanced quote', ["unbalanced", "quote"], "quotation mark"),
        ("(unclosed group", ["unclosed", "group"], "parenthesis"),
        ("closed) group", ["closed", "group"], "parenthesis"),
        ("gaza OR", ["gaza"], "OR"),
        ("gaza a*", ["gaza", "a"], "at least 3 letters"),
        ("(" * 30 + "gaza" + ")" * 30, ["gaza"], "more than 20"),
        ("NOT (" * 30 + "gaza" + ")" * 30, ["gaza"], "more than 20"),
        ("OR gaza", ["gaza"], "OR"),
        ("gaza outlet:", ["gaza", "outlet"], "outlet: needs a value"),
        ("gaza -", ["gaza"], "not a word"),
        ("title:Guterres", ["title", "Guterres"], "no field “title”"),
        ("outlet:AP*", ["outlet", "AP"], "whole value"),
        ("published:yesterday", ["published", "yesterday"], "not a date"),
        ("published:2025-02-30", ["published", "2025-02-30"], "not a date"),
        ("published:2025-12-31..2025-01-01", ["published", "2025-12-31", "2025-01-01"], "ends before"),
    ],
)
def test_broken_queries_fall_back_to_plain_words_and_say_why(text, words, why):
    parsed = parse(text)
    assert parsed.fallback and why in parsed.notes[0] and "plain words" in parsed.notes[0]
    assert parsed.words() == words
    assert parsed.read_as == " ".join(words)


@pytest.mark.parametrize(("text", "why"), [("AND OR NOT", "AND"), ("🙂", "not a word"), ("-", "not a word")])
def test_a_query_with_no_words_says_so(text, why):
    parsed = parse(text)
    assert parsed.node is None and why in parsed.notes[0] and "no words to search for" in parsed.notes[0]


@pytest.mark.parametrize("text", ["published:0001", "published:0999-12..2025", "published:..0500-01-01"])
def test_dates_before_the_year_1000_are_not_searched(text):
    parsed = parse(text)
    assert "dates start from the year 1000" in parsed.notes[0] and parsed.fallback


def test_empty_query_browses():
    assert parse("").node is None and parse("   ").read_as == ""


def test_read_as_is_canonical_and_round_trips():
    parsed = parse('  “human rights”   -hamas  (iraq OR syria) outlet:AP topic:"war crimes" gaz*')
    assert parsed.read_as == '"human rights" -hamas (iraq OR syria) outlet:AP topic:"war crimes" gaz*'
    assert parse(parsed.read_as).node == parsed.node


def test_words_are_the_positive_free_text_for_spelling():
    parsed = parse('goverment "budjet plan" -tax outlet:AP pre*')
    assert parsed.words() == ["goverment", "budjet", "plan"]
    assert parsed.with_words({"goverment": "government", "budjet": "budget"}) == (
        'government "budget plan" -tax outlet:AP pre*'
    )


def test_sq_uses_variants_and_resolved_values():
    variants = {"isis": ["ISIL", "Islamic State"], "islamic state": ["ISIS", "ISIL"]}
    translation = to_sq(
        parse("ISIS outlet:ap"),
        lambda name: variants.get(name.lower(), []),
        lambda field, value: value.upper(),
    )
    built = str(translation.sq)
    assert "ISIL" in built and "islamic state" in built.lower() and "outlet_exact" in built and "AP" in built
    assert translation.variants == {"ISIS": ["ISIL", "Islamic State"]}


def test_sq_finds_multi_word_names_typed_without_quotes():
    variants = {"islamic state": ["ISIS"]}
    translation = to_sq(parse("islamic state attack"), lambda n: variants.get(n.lower(), []), lambda f, v: v)
    assert translation.variants == {"islamic state": ["ISIS"]}
