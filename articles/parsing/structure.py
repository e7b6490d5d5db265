"""``parse_copy``: from raw copy to the stories in it.

The copy is cleaned and cut into paragraphs; each paragraph is classified (boilerplate.py) and
checked for a dateline. Datelines split glued stories; a breaking-news update marker turns the
story after it into an earlier version of the one before. Each story then gets its header
(masthead, date lines, headline, summary), body, captions, credits, outlet, date, language and
topics.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .boilerplate import Classified, Kind, classify, is_list_item, masthead_name, unique_captions
from .datelines import parse_dateline
from .dates import FoundDate, header_date, publication_date
from .gazetteer import title_case
from .language import detect_language, source_language
from .model import Caption, CopyError, Dateline, ParsedArticle
from .outlets import OutletTable, outlet_table
from .text import clean_copy, headline_from_text, headline_of_line, is_title_like, split_paragraphs
from .topics import Vocabulary, find_topics

# "... 7,519.8 Reuter": the 1980s wire sign-off at the end of the last paragraph.
_SIGN_OFF = re.compile(r"(?:^|(?<=[\s.!?\"”)\d]))\s*\b(?:Reuters?|REUTERS?)\s*$")
_SUMMARY_HEADLINE_MIN_WORDS = 5  # a headline after a summary is no two-word subhead


@dataclass
class _Para:
    text: str
    info: Classified
    dateline: Dateline | None = None

    @property
    def kind(self) -> Kind:
        return self.info.kind


@dataclass
class _Story:
    paras: list[_Para]
    earlier: list[list[_Para]] = field(default_factory=list)


@dataclass
class _Document:
    """What the copy says once for all its stories."""

    translated: bool = False
    translated_from: str | None = None
    outlet: str | None = None  # from a copyright line, site footer or provenance header


def parse_copy(
    text: str,
    *,
    today: datetime.date | None = None,
    topic_vocabulary: Mapping[str, Iterable[str]] | Vocabulary | None = None,
    outlet_aliases: Mapping[str, Iterable[str]] = {},
) -> list[ParsedArticle]:
    """The stories in ``text``: usually one; several when stories are glued together.

    ``today`` dates copy that prints no year; ``topic_vocabulary`` maps topic names to their
    keywords (or is their :class:`Vocabulary`, built once for many copies); ``outlet_aliases``
    maps outlet names to other names (on top of the built-in ones). Raises :class:`CopyError`
    when the copy holds no text.
    """
    outlets = outlet_table(outlet_aliases)
    paras = _classify(split_paragraphs(clean_copy(text)), outlets)
    if not any(p.kind is Kind.TEXT for p in paras):
        raise CopyError("the copy holds no story text")
    document = _document(paras, outlets)
    articles = [_article(story, document, outlets, today, topic_vocabulary) for story in _stories(paras)]
    articles = [a for a in articles if a is not None]
    if not articles:
        raise CopyError("the copy holds no story text")
    return articles


def _classify(paragraphs: list[str], outlets: OutletTable) -> list[_Para]:
    """Classify every paragraph; look for datelines leniently until the first dateline or
    prose paragraph, strictly after it (where a false one would split a story)."""
    paras: list[_Para] = []
    in_list, in_lead = False, True
    last = len(paragraphs) - 1
    for i, text in enumerate(paragraphs):
        if in_list and is_list_item(text):
            paras.append(_Para(text, Classified(Kind.DROP)))
            continue
        info = classify(text, outlets, last=i == last)
        in_list = info.kind is Kind.SOURCES_LIST
        para = _Para(text, info)
        if info.kind is Kind.TEXT:
            para.dateline = parse_dateline(text, strict=not in_lead)
            in_lead = (
                in_lead
                and para.dateline is None
                and (is_title_like(text, any_case=True) or header_date(text) is not None)
            )
        paras.append(para)
    return paras


def _document(paras: list[_Para], outlets: OutletTable) -> _Document:
    doc = _Document()
    for p in paras:
        if p.kind is Kind.TRANSLATION:
            doc.translated = True
            doc.translated_from = doc.translated_from or source_language(p.info.value)
        elif p.kind in (Kind.COPYRIGHT, Kind.FOOTER) and doc.outlet is None:
            doc.outlet = p.info.value
    if doc.outlet is None:
        sources = (outlets.canonical(p.info.value or "") for p in paras if p.kind is Kind.SOURCE)
        doc.outlet = next((s for s in sources if s), None)
    return doc


def _stories(paras: list[_Para]) -> list[_Story]:
    """Split at datelines (a headline and "By" line just before one go with it), then fold
    the story after an update marker into the story it updates."""
    starts = [i for i, p in enumerate(paras) if p.dateline is not None][1:]
    bounds = [0]
    for start in starts:
        begin = start
        if (
            begin - 1 > bounds[-1]
            and paras[begin - 1].kind is Kind.BYLINE
            and paras[begin - 1].text.startswith("By")
        ):
            begin -= 1
        if (
            begin - 1 > bounds[-1]
            and paras[begin - 1].kind is Kind.TEXT
            and is_title_like(paras[begin - 1].text)
        ):
            begin -= 1
        bounds.append(begin)
    segments = [paras[a:b] for a, b in zip(bounds, [*bounds[1:], len(paras)], strict=True)]

    stories: list[_Story] = []
    pending_update = False
    for segment in segments:
        if pending_update:
            stories[-1].earlier.append(segment)
        else:
            stories.append(_Story(segment))
        pending_update = _split_update(stories[-1], segment)
    return stories


def _split_update(story: _Story, segment: list[_Para]) -> bool:
    """Move what follows an update marker to the story's earlier versions; True when the
    marker ends the segment, so the next segment is the earlier story."""
    marker = next((i for i, p in enumerate(segment) if p.kind is Kind.UPDATE), None)
    if marker is None:
        return False
    rest = segment[marker + 1 :]
    if segment is story.paras:
        story.paras = segment[:marker]
    else:  # an earlier version that was itself an update
        story.earlier[-1] = segment[:marker]
    if any(p.kind is Kind.TEXT for p in rest):
        story.earlier.append(rest)
        return False
    return True


def _article(
    story: _Story,
    doc: _Document,
    outlets: OutletTable,
    today: datetime.date | None,
    vocabulary: Mapping[str, Iterable[str]] | Vocabulary,
) -> ParsedArticle | None:
    texts = [p for p in story.paras if p.kind is Kind.TEXT]
    head, body = _header(texts)
    if not body and not head.headline:
        return None
    dateline = body[0].dateline if body else None
    body_texts = _without_dateline(body)
    if len(body_texts) > 1 and not head.headline and _cut_from(body_texts[0], body_texts[1]):
        del body_texts[0]  # a title a web page cut from the lead, repeated above it
    signed_off = _sign_off(body_texts)
    lead = body_texts[0] if body_texts else ""
    if head.headline and _cut_from(head.headline, lead):
        head.headline = None  # no headline either: the archive supplies one, by its own rule
    headline = head.headline or headline_from_text(lead)  # supplied: the copy has none

    every = [*story.paras, *(p for version in story.earlier for p in version)]
    captions = unique_captions(
        Caption(p.info.value or "", p.info.extra or "") for p in every if p.kind is Kind.CAPTION
    )
    earlier = ["\n\n".join(_without_dateline([p for p in v if p.kind is Kind.TEXT])) for v in story.earlier]
    body_text = "\n\n".join(body_texts)
    story_text = "\n\n".join([body_text, *earlier])
    bylines = [p.info for p in every if p.kind is Kind.BYLINE]
    earlier_dateline = next((p.dateline for v in story.earlier for p in v if p.dateline is not None), None)

    return ParsedArticle(
        headline=headline,
        headline_supplied=not head.headline,
        outlet=_outlet(
            dateline or earlier_dateline,
            head.masthead,
            bylines,
            every,
            doc,
            outlets,
            story_text,
            "Reuters" if signed_off else None,
        ),
        place=dateline.place if dateline else None,
        country=dateline.country if dateline else None,
        published=publication_date(
            dateline=(dateline.month, dateline.day, dateline.year) if dateline and dateline.month else None,
            header=head.date,
            lead=lead,
            captions=[c.text for c in captions],
            text=story_text,
            today=today,
        ),
        byline=next((b.value for b in bylines if b.value), None),
        editor=next((b.extra for b in bylines if b.extra), None),
        language=detect_language(f"{headline}\n{body_text}"),
        translated=doc.translated,
        translated_from=doc.translated_from if doc.translated else None,
        topics=find_topics(headline, story_text, labels=head.labels, vocabulary=vocabulary),
        captions=captions,
        summary=head.summary,
        body=body_text,
        earlier_versions=[e for e in earlier if e],
        rights=next((p.text for p in every if p.kind is Kind.COPYRIGHT), ""),
    )


def _cut_from(line: str, text: str) -> bool:
    """``line`` is the start of ``text`` cut short with an ellipsis ("… to mark the end of the…"):
    a title a web page made from the lead."""
    line = line.rstrip()
    stem = line.removesuffix("…").removesuffix("...").rstrip()
    return stem != line and len(stem.split()) >= 3 and text.startswith(stem)


def _sign_off(texts: list[str]) -> bool:
    """Take a trailing "Reuter" sign-off off the last paragraph; True when there was one."""
    if not texts:
        return False
    tail_start = max(0, len(texts[-1]) - 12)
    m = _SIGN_OFF.search(texts[-1], tail_start)
    if m is None:
        return False
    texts[-1] = texts[-1][: m.start()].rstrip()
    if not texts[-1]:
        texts.pop()
    return True


def _without_dateline(paras: list[_Para]) -> list[str]:
    """Paragraph texts, the first without its dateline (the dateline is kept as fields)."""
    texts = [p.text for p in paras]
    if paras and paras[0].dateline is not None:
        texts[0] = texts[0][paras[0].dateline.end :].strip()
    return [t for t in texts if t]


@dataclass
class _Header:
    """What stands before a story's body."""

    headline: str | None = None
    summary: str = ""
    date: FoundDate | None = None
    labels: list[str] = field(default_factory=list)  # topic labels of the date line
    masthead: str | None = None  # the paper's name


def _header(texts: list[_Para]) -> tuple[_Header, list[_Para]]:
    """A story's header and its body paragraphs.

    Before the body may come a paper's masthead, date lines, a headline line (any short line
    just above the dateline), or a summary paragraph followed by a headline line (an aggregator
    page). The body starts at a dateline or at prose."""
    head = _Header()
    i = 0
    while i < len(texts) and texts[i].dateline is None:
        text = texts[i].text
        following = texts[i + 1] if i + 1 < len(texts) else None
        if found := header_date(text):
            if head.date is None:  # a later one ("Updated ...") is no headline either
                head.date, label = found
                head.labels += [label] if label else []
        elif (
            head.headline is None
            and head.masthead is None
            and (name := masthead_name(text))
            and _headline_follows(texts, i + 1)
        ):
            head.masthead = title_case(name) if name.isupper() else name
        elif (
            head.headline is None
            and following is not None
            and is_title_like(text, any_case=following.dateline is not None)
        ):
            head.headline = headline_of_line(text)
        elif (
            head.headline is None
            and not head.summary
            and following is not None
            and i + 2 < len(texts)
            and following.dateline is None
            and is_title_like(following.text)
            and len(following.text.split()) >= _SUMMARY_HEADLINE_MIN_WORDS
        ):
            head.summary, head.headline = text, following.text
            i += 1
        else:
            break
        i += 1
    return head, texts[i:]


def _headline_follows(texts: list[_Para], i: int) -> bool:
    """A headline line comes at ``i``, after any date lines, with more text after it."""
    while i < len(texts) and texts[i].dateline is None and header_date(texts[i].text):
        i += 1
    return i + 1 < len(texts) and texts[i].dateline is None and is_title_like(texts[i].text)


def _outlet(
    dateline: Dateline | None,
    masthead: str | None,
    bylines: list[Classified],
    every: list[_Para],
    doc: _Document,
    outlets: OutletTable,
    text: str,
    sign_off: str | None,
) -> str | None:
    """The outlet, strongest evidence first: the dateline credit; the paper's masthead; a
    copyright line or site footer; a byline's organisation; a provenance header naming an
    outlet; a "Reuter" sign-off; the text saying it spoke to one ("told UN News"); a lone
    credit line naming one."""
    if dateline and dateline.outlet:
        return outlets.normalise(dateline.outlet)
    own = [outlets.normalise(masthead)] if masthead else []
    own += [p.info.value for p in every if p.kind in (Kind.COPYRIGHT, Kind.FOOTER)]
    by_org = [b.outlet for b in bylines if b.outlet]
    if strong := next((c for c in (*own, *by_org, doc.outlet) if c), None):
        return strong
    credits = [p.info.value for p in every if p.kind is Kind.CREDIT and p.info.value]
    return sign_off or outlets.mentioned(text) or next(iter(credits), None)
