"""Text plumbing: cleaning raw copy, paragraphs, sentences and the headline rule."""

from __future__ import annotations

import html
import re

from articles.sanitize import to_plain_text

# Copy is treated as HTML when it has a real HTML tag or an event handler; "<SRD>" ticker
# symbols in wire copy are text.
_HTML_HINT = re.compile(
    r"<\s*/?\s*(?:p|div|span|br|a|b|i|u|em|strong|h[1-6]|ul|ol|li|table|tr|td|th|blockquote|"
    r"html|head|body|meta|link|script|style|iframe|object|embed|img|svg|form|input|button|"
    r"figure|figcaption|article|section|header|footer|nav|template|noscript)\b|<!--"
    r"|<[^>]*\son\w+\s*=",
    re.I,
)
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


def clean_copy(text: str) -> str:
    """Plain text from raw copy: HTML (scripts, handlers and all) stripped with the project's
    sanitizer, entities decoded, invisible characters and runs of spaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(3):  # "&lt;script&gt;" decodes to markup: clean again
        if _HTML_HINT.search(text):
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
    width, mostly mid-sentence): then the lines of each blank-line-separated block are joined.
    """
    lines = [line for line in text.split("\n") if line]
    if not _hard_wrapped(lines):
        return lines
    blocks = re.split(r"\n{2,}", text)
    return [" ".join(line for line in b.split("\n") if line) for b in blocks if b.strip()]


def _hard_wrapped(lines: list[str]) -> bool:
    long_lines = [line for line in lines if len(line) >= 40]
    if len(long_lines) < 3 or max(len(line) for line in lines) > 100:
        return False
    open_ended = sum(not line.endswith(_SENTENCE_TERMINAL) for line in long_lines)
    return open_ended * 2 >= len(long_lines)


def first_sentence(text: str) -> str:
    """Text up to the first sentence-ending period that is not part of an abbreviation
    (U.S., U.N., Dec., Mr.), without that period; the whole text when there is none."""
    for m in _PERIOD.finditer(text):
        token = _LAST_TOKEN.search(text, max(0, m.start() - 40), m.start())[1]
        token = token.lstrip("(\"“‘'[")
        if token.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(token):
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


def is_title_like(paragraph: str) -> bool:
    """A line that reads as a headline or subhead: short, capitalised, no closing period."""
    words = paragraph.split()
    return (
        2 <= len(words) <= 25
        and len(paragraph) <= 200
        and paragraph[-1] not in ".,;:"
        and (paragraph[0].isupper() or paragraph[0].isdigit() or paragraph[0] in "‘'\"“")
    )
