"""Language of the copy (a stopword count over the major European languages) and the language
a translation was made from."""

from __future__ import annotations

from collections import Counter

# The commonest function words of each language; shared ones ("de", "la") count for each.
_STOPWORDS = {
    "en": "the a an and of to in is that for it was on with as by at from this be are have has "
    "which said not but were will his her their they he she its would been who per",
    "fr": "le la les des du de une un est et dans que qui pour pas sur au aux avec ce cette sont "
    "par il elle ont été plus ses leur nous vous mais ou où être",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es an "
    "werden aus er hat dass sie nach bei wird wurde sind noch über",
    "es": "el la los las de del que y en un una es por con para se no su al lo como más pero sus "
    "ha fue este esta entre también sobre",
    "it": "il la di che e è un una per non con del della sono si le dei gli nel alla anche come "
    "più ha questo degli delle",
    "pt": "o a os as de do da dos das que e em um uma é para com não por se na no mais foi ao "
    "pelo pela como também são",
    "nl": "de het een en van in is dat op te zijn voor niet met die er aan ook als bij door wordt "
    "naar maar werd heeft",
    "sv": "och att det som en på är av för med till den har de inte om ett var sig från också",
    "pl": "i w na nie z się do to że jest o jak po co ale przez dla od są jego już",
}
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(code for code, words in _STOPWORDS.items() if word in words.split())
    for word in {w for words in _STOPWORDS.values() for w in words.split()}
}

_PUNCTUATION = ".,;:!?\"'()[]«»“”‘’"
_SAMPLE = 1500  # characters: plenty to tell these languages apart
_MIN_EVIDENCE = 3  # stopwords needed to leave the default (figures tables have almost none)

# What a translation header names (a region or a language) -> ISO 639-1 code.
_SOURCE_LANGUAGE = {
    "russian federation": "ru",
    "russia": "ru",
    "russian": "ru",
    "belarus": "ru",
    "france": "fr",
    "french": "fr",
    "germany": "de",
    "german": "de",
    "austria": "de",
    "spain": "es",
    "spanish": "es",
    "latin america": "es",
    "mexico": "es",
    "italy": "it",
    "italian": "it",
    "portugal": "pt",
    "brazil": "pt",
    "portuguese": "pt",
    "netherlands": "nl",
    "dutch": "nl",
    "sweden": "sv",
    "swedish": "sv",
    "poland": "pl",
    "polish": "pl",
    "ukraine": "uk",
    "ukrainian": "uk",
    "china": "zh",
    "chinese": "zh",
    "japan": "ja",
    "japanese": "ja",
    "korea": "ko",
    "korean": "ko",
    "arabic": "ar",
    "turkey": "tr",
    "turkish": "tr",
    "greece": "el",
    "greek": "el",
}


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the language with the most stopwords in ``text``; ``default`` when
    too few are found, or when the default has as many."""
    counts: Counter[str] = Counter()
    for word in text[:_SAMPLE].lower().split():
        for code in _LANGUAGES_OF.get(word) or _LANGUAGES_OF.get(word.strip(_PUNCTUATION), ()):
            counts[code] += 1
    if not counts:
        return default
    best, score = counts.most_common(1)[0]
    return best if score >= _MIN_EVIDENCE and score > counts[default] else default


def source_language(named: str | None) -> str | None:
    """The language a translation header's region or language name points to, if known."""
    if not named:
        return None
    return _SOURCE_LANGUAGE.get(" ".join(named.lower().split()))
