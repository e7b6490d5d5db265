"""The review queue's rules: which articles an editor should look at, as querysets, and why.

Merged duplicates only redirect and trashed articles are gone, so no rule lists them; an article
an editor marked reviewed for a rule (:class:`~articles.review_marks.ReviewMark`) leaves that
rule's list. Near-identical copies (same outlet and headline, near-identical body) are found when
a batch is ingested (:func:`mark_near_identical`) or by the ``review_scan`` job for the whole
archive (:func:`scan_near_identical`) and stored in ``Article.near_identical_to``: the duplicates
rule is then a plain indexed query, not a comparison of bodies on every page view.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Left, TruncDate
from django.utils import timezone

from articles.models import Article
from articles.review_marks import ReviewMark

# Two bodies at least this similar (difflib ratio over their words) are near-identical.
NEAR_IDENTICAL = 0.9
GROUP_LIMIT = 50  # earlier articles of one outlet and headline an article is compared with, at most
CHUNK = 500  # bodies read a query
_WORDS = re.compile(r"\w+")
_GONE = (Article.Status.MERGED, Article.Status.TRASHED)


def _queue() -> QuerySet:
    return Article.objects.exclude(status__in=_GONE)


# -- the rules -------------------------------------------------------------------------------


def missing_facts() -> QuerySet:
    """No outlet, no dateline place or no date."""
    return _queue().filter(Q(outlet__isnull=True) | Q(place__isnull=True) | Q(published__isnull=True))


def _today() -> datetime.date:
    return timezone.now().date()


def _first_ingest_day() -> datetime.date | None:
    """The day the archive's first article was ingested (by id: the primary key, not a scan)."""
    first = Article.objects.order_by("pk").values_list("created", flat=True).first()
    return timezone.localdate(first) if first else None


def _ids(queryset: QuerySet) -> QuerySet:
    return queryset.values("pk")


def suspicious_dates() -> QuerySet:
    """Dated in the future, or on the very day it was ingested (often the parser's fallback).

    Each as an id subquery on the date's index: an article dated on its ingest day is dated
    between the archive's first ingest day and today, so only those are compared."""
    today, first = _today(), _first_ingest_day() or _today()
    ingest_day = (
        Article.objects.filter(published__gte=first, published__lte=today)
        .annotate(ingested=TruncDate("created"))
        .filter(published=F("ingested"))
    )
    future = Article.objects.filter(published__gt=today)
    return _queue().filter(Q(pk__in=_ids(future)) | Q(pk__in=_ids(ingest_day)))


# What a body with no text begins with (nothing, a space, a tag, an entity): only those bodies are
# matched with the regular expression, which on SQLite is a Python call for every row (half the time).
_EMPTY_STARTS = ["", "<", "&", *(c for c in map(chr, range(0x3001)) if c.isspace())]


def empty_bodies() -> QuerySet:
    """Bodies with no text: empty, blank, or only markup."""
    return (
        _queue()
        .annotate(body_start=Left("body", 1))
        .filter(body_start__in=_EMPTY_STARTS)
        .filter(body__regex=r"^(\s|<[^>]*>|&nbsp;)*$")
    )


def _copied() -> QuerySet:
    """The ids of the articles a later one is a near-identical copy of."""
    return Article.objects.filter(near_identical_to__gt=0).values("near_identical_to")


def suspected_duplicates() -> QuerySet:
    """Flagged (``duplicate_of``), or sharing outlet and headline with a near-identical body: the
    later copy (``near_identical_to``) and the article it copies. Id subqueries on the two
    columns' indexes (``> 0``: an index range, where ``IS NOT NULL`` made SQLite scan the table)."""
    flagged = Article.objects.filter(duplicate_of__gt=0)
    copies = Article.objects.filter(near_identical_to__gt=0)
    return _queue().filter(Q(pk__in=_ids(flagged)) | Q(pk__in=_ids(copies)) | Q(pk__in=_copied()))


@dataclass(frozen=True)
class Reason:
    """Why a rule lists an article: a filter of its list (``where``) and the same test of one
    article (``applies(article, copied)``; ``copied``: ids of articles a later one copies)."""

    label: str
    where: Callable[[], Q]
    applies: Callable[[Article, set[int]], bool]


@dataclass(frozen=True)
class Rule:
    """One rule of the queue: its title, its articles, and the reasons it lists them (slug ->
    :class:`Reason`)."""

    slug: str
    title: str
    articles: Callable[[], QuerySet]
    reasons: dict[str, Reason] = field(default_factory=dict)

    def listed(self, reviewed: bool = False) -> QuerySet:
        """The rule's articles not marked reviewed for it (``reviewed=True``: those marked)."""
        marked = Q(review_marks__rule=self.slug)
        queryset = self.articles()
        return queryset.filter(marked) if reviewed else queryset.exclude(marked)

    def reasons_of(self, article: Article, copied: set[int] = frozenset()) -> list[str]:
        """The labels of the reasons ``article`` is listed."""
        return [reason.label for reason in self.reasons.values() if reason.applies(article, copied)]


def _ingest_day(article: Article, _copied: set[int]) -> bool:
    return article.published is not None and article.published == timezone.localdate(article.created)


# slug -> rule, in the order the review page shows them.
RULES: dict[str, Rule] = {
    rule.slug: rule
    for rule in [
        Rule(
            "duplicates",
            "Suspected duplicates",
            suspected_duplicates,
            {
                "flagged": Reason(
                    "flagged as a duplicate",
                    lambda: Q(duplicate_of__gt=0),
                    lambda article, _: article.duplicate_of_id is not None,
                ),
                "copy": Reason(
                    "near-identical copy of an earlier article",
                    lambda: Q(near_identical_to__gt=0),
                    lambda article, _: article.near_identical_to_id is not None,
                ),
                "copied": Reason(
                    "a later article copies it",
                    lambda: Q(pk__in=_copied()),
                    lambda article, copied: article.pk in copied,
                ),
            },
        ),
        Rule(
            "missing",
            "Missing outlet, dateline or date",
            missing_facts,
            {
                "outlet": Reason(
                    "no outlet", lambda: Q(outlet__isnull=True), lambda a, _: a.outlet_id is None
                ),
                "dateline": Reason(
                    "no dateline", lambda: Q(place__isnull=True), lambda a, _: a.place_id is None
                ),
                "date": Reason(
                    "no date", lambda: Q(published__isnull=True), lambda a, _: a.published is None
                ),
            },
        ),
        Rule(
            "dates",
            "Date in the future or on the ingest day",
            suspicious_dates,
            {
                "future": Reason(
                    "dated in the future",
                    lambda: Q(published__gt=_today()),
                    lambda a, _: a.published is not None and a.published > _today(),
                ),
                "ingest-day": Reason(  # of this rule's articles, those not in the future
                    "dated on the ingest day", lambda: Q(published__lte=_today()), _ingest_day
                ),
            },
        ),
        Rule("empty", "Empty body", empty_bodies),
    ]
}


# -- CORRECTED- and RPT- items -----------------------------------------------------------------

# Reuters' conventions: "CORRECTED-<headline>" corrects an earlier item, "RPT-<headline>" repeats one.
WIRE_PREFIXES = {"corrected": "CORRECTED", "repeat": "RPT"}
_WIRE_PREFIX = re.compile(r"^\s*(CORRECTED|RPT)\s*-\s*", re.IGNORECASE)


def wire_prefix(headline: str) -> tuple[str | None, str]:
    """(``"corrected"``, ``"repeat"`` or None, the headline without that prefix)."""
    match = _WIRE_PREFIX.match(headline)
    if not match:
        return None, headline
    kind = next(k for k, word in WIRE_PREFIXES.items() if word == match.group(1).upper())
    return kind, headline[match.end() :]


def wire_prefix_q(kind: str, prefix: str = "") -> Q:
    """Articles (through the relation ``prefix``, e.g. ``"first__"``) whose headline has ``kind``'s
    prefix (written with or without spaces around its hyphen)."""
    word = WIRE_PREFIXES[kind]
    return Q(**{f"{prefix}headline__istartswith": f"{word}-"}) | Q(
        **{f"{prefix}headline__istartswith": f"{word} -"}
    )


def wire_relation(first: str, second: str) -> str:
    """What two headlines' CORRECTED- and RPT- prefixes say of the pair, or ``""``."""
    kinds = [wire_prefix(first), wire_prefix(second)]
    rests = [" ".join(rest.lower().split()) for _, rest in kinds]
    verbs = {"corrected": "corrects", "repeat": "repeats"}
    for (kind, _), other in ((kinds[0], "second"), (kinds[1], "first")):
        if kind and rests[0] == rests[1]:
            return f"{WIRE_PREFIXES[kind]}- item: {verbs[kind]} the {other} article's headline word for word"
    found = [WIRE_PREFIXES[kind] for kind, _ in kinds if kind]
    return " and ".join(f"{word}- item" for word in found) if found else ""


# -- marks -----------------------------------------------------------------------------------


def mark_reviewed(rule: str, article_ids: Iterable[int], user) -> int:
    """Mark the articles reviewed for ``rule`` (those marked already stay as they were); how many
    were newly marked."""
    marks = ReviewMark.objects.filter(rule=rule)
    before = marks.count()
    new = (ReviewMark(article_id=pk, rule=rule, reviewed_by=user) for pk in sorted(set(article_ids)))
    ReviewMark.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
    return marks.count() - before


def unmark(rule: str, article_ids: Iterable[int]) -> int:
    """Put the articles back on ``rule``'s list; how many marks were removed."""
    ids, removed = sorted(set(article_ids)), 0
    for start in range(0, len(ids), CHUNK):
        removed += ReviewMark.objects.filter(rule=rule, article_id__in=ids[start : start + CHUNK]).delete()[0]
    return removed


# -- near-identical copies -------------------------------------------------------------------


def near_identical(first: list[str], second: list[str]) -> bool:
    """Whether two bodies' words are at least ``NEAR_IDENTICAL`` alike (difflib's ratio; its two
    cheap upper bounds first)."""
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    return (
        matcher.real_quick_ratio() >= NEAR_IDENTICAL
        and matcher.quick_ratio() >= NEAR_IDENTICAL
        and matcher.ratio() >= NEAR_IDENTICAL
    )


def _words(body: str) -> list[str]:
    return _WORDS.findall(body.lower())


def _candidates() -> QuerySet:
    return _queue().exclude(outlet=None)


def _earlier_copy(pk: int, group: list[int], words: Callable[[int], list[str]]) -> int | None:
    """The first of the earlier articles of ``pk``'s group (ids in order) whose body is
    near-identical to its own (at most ``GROUP_LIMIT`` compared), or None."""
    for other in [other for other in group if other < pk][:GROUP_LIMIT]:
        if near_identical(words(other), words(pk)):
            return other
    return None


def _save(changes: dict[int, int | None]) -> int:
    """Store ``near_identical_to`` (article id -> its copy's original, or None); how many."""
    rows = [Article(pk=pk, near_identical_to_id=original) for pk, original in changes.items()]
    Article.objects.bulk_update(rows, ["near_identical_to"], batch_size=CHUNK)
    return len(rows)


def mark_near_identical(articles: Sequence[Article]) -> int:
    """Set ``near_identical_to`` of articles an ingest batch created or updated, and of the later
    articles that pointed at an updated one; how many changed.

    Candidates are found by the headline's slug (``Article.slug`` is indexed and a new article is
    published under its headline's slug; an editor's own slug, or one kept from an earlier
    headline, is not found here: the scan job finds those) and kept when outlet and headline (any
    case) are the same. Bodies are read only for groups of two or more, so a batch of new
    headlines costs two indexed queries.
    """
    if not articles:
        return 0
    mine = {article.pk: article for article in articles}
    later = Article.objects.filter(near_identical_to__in=list(mine)).exclude(pk__in=list(mine))
    mine |= {
        article.pk: article for article in later.only("pk", "outlet", "headline", "body", "near_identical_to")
    }
    slugs = {Article.slug_for(article.headline) for article in mine.values() if article.outlet_id}
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    if slugs:
        rows = _candidates().filter(slug__in=slugs).order_by("pk").values_list("pk", "outlet_id", "headline")
        for pk, outlet, headline in rows:
            groups[outlet, headline.lower()].append(pk)
    shared = {}  # article id -> its group, for those with an earlier article of the same group
    for pk, article in mine.items():
        group = groups.get((article.outlet_id, article.headline.lower()), [])
        if pk in group and group[0] < pk:
            shared[pk] = group
    wanted = {
        other for pk, group in shared.items() for other in [pk, *[o for o in group if o < pk][:GROUP_LIMIT]]
    }
    bodies = {pk: _words(mine[pk].body) for pk in wanted if pk in mine}
    bodies |= _read_words(wanted - bodies.keys())
    changes = {}
    for pk, article in mine.items():
        original = _earlier_copy(pk, shared[pk], bodies.__getitem__) if pk in shared else None
        if original != article.near_identical_to_id:
            changes[pk] = article.near_identical_to_id = original
    return _save(changes)


def _read_words(pks: Iterable[int]) -> dict[int, list[str]]:
    pks, found = sorted(pks), {}
    for start in range(0, len(pks), CHUNK):
        chunk = Article.objects.filter(pk__in=pks[start : start + CHUNK]).values_list("pk", "body")
        found.update((pk, _words(body)) for pk, body in chunk)
    return found


def scan_near_identical(progress=None) -> tuple[int, int]:
    """(Re)compute ``near_identical_to`` for the whole archive (for an archive ingested before it
    was kept, or after editors' edits); (copies found, articles changed).

    One query reads every article's outlet and headline, the groups of two or more are made here,
    and their bodies are read a chunk of groups at a time; ``progress`` counts the articles compared.
    """
    current = dict(
        Article.objects.filter(near_identical_to__isnull=False).values_list("pk", "near_identical_to")
    )
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, outlet, headline in _candidates().order_by("pk").values_list("pk", "outlet_id", "headline"):
        groups[outlet, headline.lower()].append(pk)
    shared = [pks for pks in groups.values() if len(pks) > 1]
    if progress:
        progress.set_total(sum(len(pks) for pks in shared))
    found: dict[int, int] = {}
    for start in range(0, len(shared), CHUNK // 10):
        part = shared[start : start + CHUNK // 10]
        bodies = _read_words(pk for pks in part for pk in pks)
        for pks in part:
            for pk in pks:
                if (original := _earlier_copy(pk, pks, bodies.__getitem__)) is not None:
                    found[pk] = original
            if progress:
                progress.advance(len(pks))
    changes = {pk: found.get(pk) for pk in current.keys() | found.keys() if current.get(pk) != found.get(pk)}
    return len(found), _save(changes)
