"""The one forgiving query parser: what readers type, read into a tree and turned into haystack SQ.

    gaza "human rights" -hamas            words ANDed, a phrase, an exclusion
    iraq OR syria, NOT kurds, (a OR b) c  OR, NOT, groups
    outlet:AP place:Baghdad country:Iraq topic:"human rights" lang:fr
    published:2025-12-01..2025-12-31      also published:2025-12, published:2025, open ends
    yazid*                                a prefix
    +ISIL, +"Islamic State"               this name only, not its other names (aliases)

Curly quotes count as quotes. A query that cannot be read (an unbalanced quote or parenthesis, a
stray operator, an unknown field, a bad date) is searched as its plain words, and
:attr:`ParsedQuery.notes` says why. Nothing here knows the search engine: :func:`to_sq` builds
haystack ``SQ`` objects, with name variants from :mod:`articles.search.aliases`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from haystack.inputs import Clean, Exact
from haystack.query import SQ

# Field filters a reader may type: name -> index field (whole values) and how to read a value.
FIELDS = {
    "outlet": "outlet_exact",
    "place": "place_exact",
    "country": "country_exact",
    "topic": "topics_exact",
    "lang": "language_exact",
}
DATE_FIELD = "published"
OPERATORS = {"AND", "OR", "NOT"}
MAX_DEPTH = 20  # groups and NOTs within each other
MIN_PREFIX = 3  # letters before a *: "a*" would match a good part of the vocabulary
# The earliest date a search can name: the engines write dates with four-digit years.
FIRST_DATE = date(1000, 1, 1)
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<minus>-)(?=[^\s\-()])
    | (?P<plus>\+)(?=[^\s+()])
    | (?P<field>[A-Za-z]+):(?:"(?P<quoted>[^"]*)"|(?P<value>[^\s()"]+))
    | "(?P<phrase>[^"]*)"
    | (?P<quote>")
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_PLAIN_WORD = re.compile(r"\w+(?:[.'’\-&]\w+)*")
# "outlet: AP" is read as outlet:AP (the space a reader may type after a known field's colon).
_SPACED_FIELD = re.compile(rf"\b({'|'.join([*FIELDS, DATE_FIELD])}):\s+(?=[^\s()]|$)", re.IGNORECASE)
_QUOTED = re.compile(r'("[^"]*")')
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class QuerySyntaxError(ValueError):
    """The query cannot be read as written; the message says why, for the reader."""


# -- the tree ----------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False
    exact: bool = False  # +word: without the name's variants

    def read(self) -> str:
        return ("+" if self.exact else "") + self.text + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Phrase:
    text: str
    exact: bool = False  # +"a phrase": without the name's variants

    def read(self) -> str:
        return ("+" if self.exact else "") + f'"{self.text}"'


@dataclass(frozen=True)
class FieldFilter:
    name: str
    value: str

    def read(self) -> str:
        return f'{self.name}:"{self.value}"' if " " in self.value else f"{self.name}:{self.value}"


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None

    def read(self) -> str:
        return f"{DATE_FIELD}:{self.start or ''}..{self.end or ''}"


@dataclass(frozen=True)
class Not:
    node: Node

    def read(self) -> str:
        return "-" + _read_grouped(self.node)


@dataclass(frozen=True)
class Any:
    nodes: tuple[Node, ...]

    def read(self) -> str:
        return " OR ".join(_read_grouped(node) for node in self.nodes)


@dataclass(frozen=True)
class All:
    nodes: tuple[Node, ...]

    def read(self) -> str:
        return " ".join(_read_grouped(node) for node in self.nodes)


Node = Word | Phrase | FieldFilter | DateRange | Not | Any | All


def _read_grouped(node: Node) -> str:
    return f"({node.read()})" if isinstance(node, (Any, All)) else node.read()


@dataclass
class ParsedQuery:
    """A reader's query as read: the tree (None for an empty query) and notes on how it was read."""

    text: str
    node: Node | None
    notes: list[str] = field(default_factory=list)

    @property
    def read_as(self) -> str:
        return self.node.read() if self.node else ""

    @property
    def fallback(self) -> bool:
        """True when the query could not be read as written and was searched as plain words."""
        return bool(self.notes)

    def words(self) -> list[str]:
        """The free-text words searched for (not excluded, not field values): for spelling."""
        return [w for node in _positive_leaves(self.node) for w in _node_words(node)]

    def with_words(self, replacements: dict[str, str]) -> str:
        """The query as read with some words replaced (e.g. spelling corrections)."""
        return _replace_words(self.node, replacements).read() if self.node else ""

    def exact(self, name: str) -> str:
        """The query as read with ``name`` (a word, a phrase or a run of words of it, as a
        :class:`Translation`'s ``variants`` key it) searched without its variants: ``+ISIL``."""
        return _exact(self.node, name).read() if self.node else ""


def _positive_leaves(node: Node | None):
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, (Any, All)):
        for child in node.nodes:
            yield from _positive_leaves(child)
    else:
        yield node


def _node_words(node: Node) -> list[str]:
    if isinstance(node, Word) and not node.prefix:
        return [node.text]
    if isinstance(node, Phrase):
        return node.text.split()
    return []


def _replace_words(node: Node, replacements: dict[str, str]) -> Node:
    if isinstance(node, Word) and not node.prefix:
        return replace(node, text=replacements.get(node.text, node.text))
    if isinstance(node, Phrase):
        return replace(node, text=" ".join(replacements.get(w, w) for w in node.text.split()))
    if isinstance(node, (Any, All)):
        return type(node)(tuple(_replace_words(child, replacements) for child in node.nodes))
    if isinstance(node, Not):
        return Not(_replace_words(node.node, replacements))
    return node


def _plain(node: Node) -> bool:
    """A word that may be part of a multi-word name typed without quotes."""
    return isinstance(node, Word) and not node.prefix and not node.exact


def _exact(node: Node, name: str) -> Node:
    if isinstance(node, (Word, Phrase)) and not getattr(node, "prefix", False):
        return replace(node, exact=True) if node.text == name else node
    if isinstance(node, Not):
        return Not(_exact(node.node, name))
    if isinstance(node, Any):
        return Any(tuple(_exact(child, name) for child in node.nodes))
    if isinstance(node, All):
        size, nodes, i = len(name.split()), [], 0
        while i < len(node.nodes):
            run = node.nodes[i : i + size]
            if size > 1 and all(_plain(n) for n in run) and " ".join(n.text for n in run) == name:
                nodes.append(Phrase(name, exact=True))
                i += size
            else:
                nodes.append(_exact(node.nodes[i], name))
                i += 1
        return All(tuple(nodes))
    return node


# -- parsing -----------------------------------------------------------------


def parse(text: str) -> ParsedQuery:
    """Read a query; never raises. Unreadable queries become plain words, with a note saying why."""
    text = (text or "").translate(QUOTES).strip()
    try:
        return ParsedQuery(text, _Parser(_tokens(text)).parse())
    except QuerySyntaxError as error:
        words = tuple(Word(w) for w in _PLAIN_WORD.findall(text) if w.upper() not in OPERATORS)
        if not words:
            return ParsedQuery(text, None, [f"{error} The query has no words to search for."])
        node = words[0] if len(words) == 1 else All(words)
        return ParsedQuery(text, node, [f"{error} The query was searched as plain words."])


def _tokens(text: str) -> list[tuple[str, str | tuple[str, str]]]:
    tokens: list[tuple[str, str | tuple[str, str]]] = []
    # Outside quotes only: a quoted value ("Topic: with colon") is kept as typed.
    parts = _QUOTED.split(text)
    text = "".join(part if i % 2 else _SPACED_FIELD.sub(r"\1:", part) for i, part in enumerate(parts))
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", None):
            continue
        if kind in ("quoted", "value"):  # a field's value
            tokens.append(("field", (match["field"].lower(), match[kind])))
        elif kind == "quote":
            raise QuerySyntaxError("A quotation mark is not closed.")
        elif kind == "word" and match["word"] in OPERATORS:
            tokens.append((match["word"], match["word"]))
        else:
            tokens.append((kind, match[kind]))
    return tokens


class _Parser:
    """Recursive descent, OR binding tighter than AND, as web searches read it (``iraq OR syria
    oil`` is ``(iraq OR syria) oil``): all := either ([AND] either)*; either := unary (OR unary)*;
    unary := (NOT|-) unary | primary."""

    def __init__(self, tokens) -> None:
        self.tokens, self.pos, self.depth = tokens, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.all()
        if self.peek() == "close":
            raise QuerySyntaxError("A closing parenthesis has no opening one.")
        return node

    def all(self) -> Node:
        nodes: list[Node] = []
        while self.peek() not in (None, "close"):
            if self.peek() == "AND":
                self.take()
                if not nodes or self.peek() in (None, "close", "OR", "AND"):
                    raise QuerySyntaxError("AND needs something on both sides.")
                continue
            nodes.append(self.either())
        if not nodes:
            raise QuerySyntaxError("Parentheses need something inside.")
        return nodes[0] if len(nodes) == 1 else All(tuple(nodes))

    def nested(self, read: Callable[[], Node]) -> Node:
        """``read()`` one level deeper: a reader's query needs a few levels, not hundreds."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"The query nests more than {MAX_DEPTH} groups or NOTs deep.")
        node = read()
        self.depth -= 1
        return node

    def either(self) -> Node:
        nodes = [] if self.peek() == "OR" else [self.unary()]
        while self.peek() == "OR":
            self.take()
            if not nodes or self.peek() in (None, "close", "OR", "AND"):
                raise QuerySyntaxError("OR needs something on both sides.")
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else Any(tuple(nodes))

    def unary(self) -> Node:
        kind, value = self.take()
        if kind in ("NOT", "minus"):
            if self.peek() in (None, "close", "OR", "AND", "NOT"):
                raise QuerySyntaxError("NOT or - needs a word after it.")
            return Not(self.nested(self.unary))
        if kind == "open":
            node = self.nested(self.all)
            if self.peek() != "close":
                raise QuerySyntaxError("A parenthesis is not closed.")
            self.take()
            return node
        if kind == "close":
            raise QuerySyntaxError("A closing parenthesis has no opening one.")
        if kind == "plus":
            if self.peek() not in ("word", "phrase"):
                raise QuerySyntaxError('+ goes before a word or a quoted phrase (+ISIL, +"Islamic State").')
            return replace(self.unary(), exact=True)
        if kind == "phrase":
            words = " ".join(_PLAIN_WORD.findall(value))
            if not words:
                raise QuerySyntaxError("A quoted phrase is empty.")
            return Phrase(words)
        if kind == "field":
            return _field(*value)
        return _word(value)


def _word(raw: str) -> Word:
    if raw.endswith(":") and raw[:-1].lower() in (*FIELDS, DATE_FIELD):
        raise QuerySyntaxError(f'{raw} needs a value after it (outlet:Reuters, topic:"human rights").')
    prefix = raw.endswith("*")
    words = _PLAIN_WORD.findall(raw)
    if len(words) != 1 or "*" in raw.rstrip("*"):
        raise QuerySyntaxError(f"“{raw}” is not a word.")
    if prefix and len(words[0]) < MIN_PREFIX:
        raise QuerySyntaxError(f"“{raw}”: a prefix needs at least {MIN_PREFIX} letters (yaz*).")
    return Word(words[0], prefix=prefix)


def _field(name: str, value: str) -> Node:
    value = " ".join(value.split())
    if name == DATE_FIELD:
        return parse_date_range(value)
    if name not in FIELDS:
        known = ", ".join([*FIELDS, DATE_FIELD])
        raise QuerySyntaxError(f"There is no field “{name}” (fields: {known}).")
    if not value or "*" in value:
        raise QuerySyntaxError(f"{name}: needs a whole value.")
    return FieldFilter(name, value)


def parse_date_range(value: str) -> DateRange:
    """``2025-12-01..2025-12-31``, ``2025-12``, ``2025``, ``..2025-12-31``, ``2025-12-01..``."""
    first, sep, last = value.partition("..")
    start = _date_bound(first, end=False) if first else None
    end = _date_bound(last if sep else first, end=True) if (last or not sep) else None
    if start is None and end is None:
        raise QuerySyntaxError("published: needs a date, e.g. published:2025-12-01..2025-12-31.")
    if start and end and start > end:
        raise QuerySyntaxError("The date range ends before it starts.")
    return DateRange(start, end)


def _date_bound(value: str, end: bool) -> date:
    match = _DATE.match(value.strip())
    if not match:
        raise QuerySyntaxError(f"“{value}” is not a date (write 2025-12-31, 2025-12 or 2025).")
    year, month, day = int(match[1]), match[2], match[3]
    if year < FIRST_DATE.year:
        raise QuerySyntaxError(f"“{value}” is too early: dates start from the year {FIRST_DATE.year}.")
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last_day = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), last_day if end else 1)
        return date(year, int(month), int(day))
    except ValueError:
        raise QuerySyntaxError(f"“{value}” is not a date.") from None


# -- to haystack -------------------------------------------------------------

Variants = Callable[[str], list[str]]
Resolve = Callable[[str, str], str]


@dataclass
class Translation:
    """A parsed query as haystack SQ, and the name variants it also searched for."""

    sq: SQ | None
    variants: dict[str, list[str]] = field(default_factory=dict)


def to_sq(parsed: ParsedQuery, variants: Variants, resolve: Resolve) -> Translation:
    """The query as haystack SQ. ``variants(name)`` gives a name's other spellings (aliases);
    ``resolve(field, value)`` the stored form of a field value (e.g. its case)."""
    translation = Translation(None)
    if parsed.node is not None:
        translation.sq = _Builder(variants, resolve, translation.variants).build(parsed.node)
    return translation


# The longest run of words looked up as one multi-word name ("Islamic State").
MAX_NAME_WORDS = 6


class _Builder:
    def __init__(self, variants: Variants, resolve: Resolve, found: dict[str, list[str]]) -> None:
        self.variants, self.resolve, self.found = variants, resolve, found

    def build(self, node: Node) -> SQ:
        if isinstance(node, Word):
            if node.prefix:
                return SQ(content__startswith=Clean(node.text))
            sq = SQ(content=Clean(node.text))
            return sq if node.exact else self.name(node.text, sq)
        if isinstance(node, Phrase):
            sq = SQ(content=Exact(node.text))
            return sq if node.exact else self.name(node.text, sq)
        if isinstance(node, FieldFilter):
            return SQ(**{FIELDS[node.name]: Exact(self.resolve(node.name, node.value))})
        if isinstance(node, DateRange):
            bounds = {}
            if node.start:
                bounds[f"{DATE_FIELD}__gte"] = node.start
            if node.end:
                bounds[f"{DATE_FIELD}__lte"] = node.end
            return SQ(**bounds)
        if isinstance(node, Not):
            return ~self.build(node.node)
        if isinstance(node, Any):
            return _combine([self.build(child) for child in node.nodes], SQ.OR)
        return _combine(self.all(node.nodes), SQ.AND)

    def all(self, nodes: tuple[Node, ...]) -> list[SQ]:
        """AND's parts; runs of plain words that form a known multi-word name search as that name."""
        parts, i = [], 0
        while i < len(nodes):
            run = 0
            while i + run < len(nodes) and _plain(nodes[i + run]):
                run += 1
            for size in range(min(run, MAX_NAME_WORDS), 1, -1):
                name = " ".join(node.text for node in nodes[i : i + size])
                if self.variants(name):
                    parts.append(self.name(name, SQ(content=Exact(name))))
                    i += size
                    break
            else:
                parts.append(self.build(nodes[i]))
                i += 1
        return parts

    def name(self, text: str, sq: SQ) -> SQ:
        """``sq``, or any of the name's variants."""
        others = self.variants(text)
        if not others:
            return sq
        self.found[text] = others
        alternatives = [SQ(content=Exact(v)) if " " in v else SQ(content=Clean(v)) for v in others]
        return _combine([sq, *alternatives], SQ.OR)


def _combine(parts: list[SQ], connector: str) -> SQ:
    combined = parts[0]
    for part in parts[1:]:
        combined = combined | part if connector == SQ.OR else combined & part
    return combined
