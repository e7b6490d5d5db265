"""When two spellings of a capitalised word are not a disagreement between versions. Plain Python.

- they fold alike: case, accents and punctuation aside (``António`` / ``Antonio``, ``Da'esh`` /
  ``Daesh``, ``Al-Hassan`` / ``Al Hassan``);
- they are the British and American spellings of one word: ``-mme``/``-m`` (Programme /
  Program), ``-our``/``-or``, ``-ise``/``-ize`` (and ``-isation``), ``-yse``/``-yze``,
  ``-tre``/``-ter``, ``-ence``/``-ense`` (Defence / Defense);
- an editor has confirmed them as one name (the name variants table: Zelensky / Zelenskyy).

And which capitalised words are titles and words of office rather than names (``Council``,
``Assistance Mission``): their spellings are never compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from articles.stories.documents import fold

# A name's group in the editors' name variants table (None: in none).
Confirmed = Callable[[str], str | None]

_REGIONAL = [
    (re.compile(r"mme(s?)$"), r"m\1"),
    (re.compile(r"our(s?)$"), r"or\1"),
    (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"tre(s?)$"), r"ter\1"),
    (re.compile(r"ence$"), "ense"),
]
_TITLE_WORDS_TEXT = """council assembly committee commission mission assistance agency office
    organization organisation program programme fund bank court ministry minister department
    secretary general president prime chief head special representative union nations united
    state states republic kingdom federation party army forces government parliament national
    international security development affairs foreign deputy director chairman governor senator
    ambassador envoy spokesman spokeswoman king queen prince sheikh news"""
TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())


def core(word: str) -> str:
    """``Al-Hassan``, ``Al Hassan``, ``al-Hassan`` -> ``alhassan``; ``António`` -> ``antonio``."""
    return re.sub(r"[^a-z]", "", fold(word))


def regional(word_core: str) -> str:
    """One form for a word's British and American spellings: ``programme`` -> ``program``."""
    for pattern, replacement in _REGIONAL:
        word_core = pattern.sub(replacement, word_core)
    return word_core


def same_spelling(word: str, confirmed: Confirmed | None = None) -> str:
    """What two spellings share when they are one name: ``Programme`` and ``Program``, ``António``
    and ``Antonio``, or (``confirmed``) ``Zelensky`` and ``Zelenskyy``."""
    group = confirmed(word) if confirmed else None
    return f"={group}" if group else regional(core(word))


def title_word(word: str) -> bool:
    """A word of office or of an organisation's name (``Council``), not a name itself."""
    return core(word) in TITLE_WORDS
