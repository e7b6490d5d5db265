"""Where the versions of one story differ, and what they all agree on. Plain Python, no Django.

Deterministic text processing, no models:
- **names** spelled differently: capitalised name words that no single version writes both
  ways, close in spelling and used next to the same other name (``Mohamed Al-Hassan`` /
  ``Mohamed Al-Hussein``). Not a difference (:mod:`articles.stories.spellings`): spellings
  alike once accents and punctuation are dropped (``Al-Hassan`` / ``Al Hassan``), British and
  American spellings (``Programme`` / ``Program``), names an editor confirmed as one (the name
  variants table), words that are not names (titles such as ``Council``, words written in
  lower case elsewhere in the story), and short forms (``Brig`` / ``Brigadier``). The article
  ``al-``/``el-`` aside, names are compared as transliterated (``al-Wazir`` / ``el-Wazir``,
  ``Abdulqader al-Murtada`` / ``Abdul Qader al-Murtadha``);
- **figures** that differ for the same thing: a number with its qualifier and the word it
  counts or its unit (``nearly 100,000 Yazidis`` / ``more than 100,000 Yazidis``, ``6.5 cts`` /
  ``7.1 cts``), in sentences sharing other words too. The same number only differs when one
  version puts it below and another above (``nearly`` / ``more than``; ``over`` / ``more
  than`` and ``about`` / no qualifier agree), or one rounds what another gives exactly
  (``about 120,000`` / ``118,500``). Tolls count one thing each: the dead, the missing, the
  injured, the displaced, prisoners (``killing 21 people``, ``38 others still unaccounted for``);
- a date in a dateline (``MWANZA, May 4 (MNA) -``) is when a version was filed, not a difference;
- **dates** that differ in sentences that otherwise say the same thing;
- **quotes** that only some versions carry.

Each difference lists, for every version, what it says and the sentence it says it in.
What all versions agree on: whole names (``New Zealand``, ``Bank of England``) every version
writes, leaving out boilerplate (agency, corporate suffix, month and weekday, table labels such
as ``Shr``, ordinary words written in lower case elsewhere), and figures every version gives.
"""

from __future__ import annotations

from articles.stories.spellings import Confirmed

from .dates import date_differences
from .figures import figure_differences
from .model import Cell, Comparison, Difference, QuoteGroup, Version, sentences
from .names import agreed_names, name_differences
from .quotes import quote_differences

__all__ = ["Cell", "Comparison", "Difference", "QuoteGroup", "Version", "compare", "sentences"]


def compare(versions: list[Version], confirmed: Confirmed | None = None) -> Comparison:
    """Every difference between the versions, and the names and figures all of them report.
    ``confirmed(word)`` names the group of names an editor confirmed the word is in (or None)."""
    split = {v.key: sentences(v.text) for v in versions}
    if len(versions) < 2:
        return Comparison([], [], [])
    names = name_differences(versions, split, confirmed)
    figures, agreed_figures = figure_differences(versions, split)
    return Comparison(
        differences=names + figures + date_differences(versions, split) + quote_differences(versions, split),
        agreed_names=agreed_names(versions, split),
        agreed_figures=agreed_figures,
    )
