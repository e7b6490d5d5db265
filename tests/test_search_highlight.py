"""Marking the searched words: snippets of two passages around the first matches, escaped."""

from whoosh.analysis import StemmingAnalyzer

from articles.search.whoosh.highlight import _Marker


def marker() -> _Marker:
    return _Marker(StemmingAnalyzer())


def test_a_snippet_is_two_passages_around_the_first_matches_with_every_match_in_them_marked():
    filler = " ".join(["quiet"] * 80)
    text = f"Oil prices rose. {filler} Later the oil price fell & traders said so. {filler} oil again."
    snippet = marker().snippet(text, frozenset({"oil", "price"}))
    first, second = snippet.split(" … ")
    assert first.startswith("<mark>Oil</mark> <mark>prices</mark> rose.")
    assert "the <mark>oil</mark> <mark>price</mark> fell &amp; traders" in second
    assert "again" not in snippet  # a third match makes no third passage


def test_no_match_no_snippet_and_a_whole_headline_is_marked():
    assert marker().snippet("Nothing here.", frozenset({"oil"})) == ""
    assert marker().snippet("Oil.", frozenset()) == ""
    assert marker().whole("Crude <oil> price", frozenset({"oil"})) == "Crude &lt;<mark>oil</mark>&gt; price"
