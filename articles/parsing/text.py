"""Text plumbing: cleaning raw copy, paragraphs, sentences and the headline rule."""

from __future__ import annotations

import html
import re

from articles.sanitize import looks_like_html, to_plain_text

from .datelines import parse_dateline

_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});", re.I)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f\u3000\f\v]{2,}|[\t\u00a0\u2009\u202f\u3000\f\v]")
_SENTENCE_TERMINAL = (".", "!", "?", '"', "”", ":", "’", "'", ")")

HEADLINE_LIMIT = 110
_PERIOD = re.compile(r"\.(?P<close>[”\"’']?)(?=\s|$)")
_LAST_TOKEN = re.compile(r"(\S*)$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")  # U.S, U.N, D.C, a.m, an initial "J"
_ABBREVIATION_WORDS = (
    "mr mrs ms dr st jr sr gen gov sen rep lt col sgt capt maj cmdr adm prof rev mt ft inc "
    "corp co ltd bros no nos vs jan feb mar apr jun jul aug sep sept oct nov dec dept est fig "
    "univ ave blvd hon messrs mmes rt gens reps sens insp supt det"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_HEADLINE_TRAILING = " ,;:—–-"
_VERSION_SLUG = re.compile(r"^(?:(?:UPDATE\s*\d+|REFILE|CORRECTED|RPT|REPEAT)\s*-\s*)+(?=\S)")


def clean_copy(text: str) -> str:
    """Plain text from raw copy: HTML (scripts, handlers and all) stripped with the project's
    sanitizer, entities decoded, invisible characters and runs of spaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(3):  # "&lt;script&gt;" decodes to markup: clean again
        if looks_like_html(text):
            text = to_plain_text(text)
        elif _ENTITY.search(text):
            text = html.unescape(text)
        else:
            break
    else:
        text = text.replace("<", "‹")  # still markup after three rounds: defuse it
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    return "\n".join(line.strip() for line in text.split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of cleaned copy.

    Each non-empty line is a paragraph, unless the copy is hard-wrapped (lines cut at a fixed
    width, mostly mid-sentence): then the lines of each blank-line-separated block are joined,
    except that a line opening with a dateline starts a paragraph of its own (a headline line
    just above it stays apart).
    """
    lines = text.split("\n")
    if not _hard_wrapped(lines):
        return [line for line in lines if line]
    paragraphs: list[str] = []
    for block in re.split(r"\n{2,}", text):
        current: list[str] = []
        for line in block.split("\n"):
            if line and current and _opens_story(line, current):
                paragraphs.append(" ".join(current))
                current = []
            current += [line] if line else []
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of at most 100 characters, most long ones (40 or more) stopping mid-sentence and
    going on in the next line (a line before a blank one ends its paragraph: no wrap)."""
    long_lines = open_ended = 0
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if len(line) > 100:
            return False
        if len(line) >= 40:
            long_lines += 1
            open_ended += bool(following) and not line.endswith(_SENTENCE_TERMINAL)
    return long_lines >= 3 and open_ended * 2 >= long_lines


def _opens_story(line: str, before: list[str]) -> bool:
    """The line opens with a dateline: one in capitals or with a credit after any lines
    ``before`` it in its block, any one after a lone headline line."""
    after_headline = len(before) == 1 and is_title_like(before[0])
    return parse_dateline(line, strict=not after_headline) is not None


def first_sentence(text: str) -> str:
    """Text up to the first sentence-ending period that is not part of an abbreviation
    (U.S., U.N., Dec., Mr.), without that period; the whole text when there is none."""
    for m in _PERIOD.finditer(text):
        token = _LAST_TOKEN.search(text, max(0, m.start() - 40), m.start())[1]
        if _is_abbreviation(token):
            continue
        return text[: m.start()] + m["close"]
    return text.strip()


def headline_from_text(text: str) -> str:
    """The headline rule for copy without a headline line: the first sentence; when longer
    than 110 characters, cut at the last space within them, trailing punctuation dropped,
    and "…" appended."""
    sentence = first_sentence(text).strip()
    if len(sentence) <= HEADLINE_LIMIT:
        return sentence
    cut = sentence.rfind(" ", 0, HEADLINE_LIMIT)  # a space among the first 110 characters
    prefix = sentence[:cut] if cut > 0 else sentence[:HEADLINE_LIMIT]
    return prefix.rstrip(_HEADLINE_TRAILING) + "…"


def headline_of_line(line: str) -> str:
    """A headline line as the headline: without an agency's version slug ("UPDATE 1-",
    "REFILE-", "CORRECTED - ") and a stray closing period (an abbreviation's stays: "U.S.")."""
    line = _VERSION_SLUG.sub("", line)
    if line.endswith(".") and not _is_abbreviation(line.split()[-1][:-1]):
        line = line[:-1]
    return line


def is_title_like(paragraph: str, *, any_case: bool = False) -> bool:
    """A line that reads as a headline or subhead: short, capitalised (a ticker or a label in
    brackets may open it: "<TICKER> YEAR NET", "(CORRECTED) - ..."), and no closing period,
    but the one of an abbreviation a headline ends with ("... TALKS WITH U.S.", "... Deal With
    U.S.") or a stray one after a line in capitals. ``any_case`` takes a short line in any case
    ("venezuelan bank signs debt deal", "Taiwan to seek more exports to U.S."), as a line just
    above a dateline is."""
    words = paragraph.split()
    if not (2 <= len(words) <= 25 and len(paragraph) <= 200):
        return False
    first = paragraph.lstrip("<([")[:1]
    if not (any_case or first.isupper() or first.isdigit() or first in "‘'\"“"):
        return False
    last = paragraph[-1]
    if last == ".":
        return paragraph.upper() == paragraph != paragraph.lower() or (
            _is_abbreviation(words[-1][:-1])
            and (any_case or all(len(w) <= 3 or not w[0].islower() for w in words))
        )
    return last not in ",;:"


def _is_abbreviation(token: str) -> bool:
    """A word its period belongs to: "U.S", "T.E.A.M", "Inc", "QUOTAS--U.S"."""
    token = re.split(r"[-/]", token.lstrip("(\"“‘'["))[-1]
    return token.lower() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(token))
