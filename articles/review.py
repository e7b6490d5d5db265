"""The review queue's rules: which articles an editor should look at, as querysets.

Merged duplicates only redirect, so no rule lists them.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from articles.models import Article

# Two bodies at least this similar (difflib ratio over their words) are near-identical.
NEAR_IDENTICAL = 0.9
GROUP_LIMIT = 50  # articles of one outlet and headline compared with each other, at most
CHUNK = 500  # bodies read a query
_WORDS = re.compile(r"\w+")


def _queue() -> QuerySet:
    return Article.objects.exclude(status=Article.Status.MERGED)


def missing_facts() -> QuerySet:
    """No outlet, no dateline place or no date."""
    return _queue().filter(Q(outlet__isnull=True) | Q(place__isnull=True) | Q(published__isnull=True))


def suspicious_dates() -> QuerySet:
    """Dated in the future, or on the very day it was ingested (often the parser's fallback)."""
    today = timezone.now().date()
    return (
        _queue()
        .annotate(ingested=TruncDate("created"))
        .filter(Q(published__gt=today) | Q(published=F("ingested")))
    )


def empty_bodies() -> QuerySet:
    """Bodies with no text: empty, blank, or only markup."""
    return _queue().filter(body__regex=r"^(\s|<[^>]*>|&nbsp;)*$")


def suspected_duplicates() -> QuerySet:
    """Flagged (``duplicate_of``), or sharing outlet and headline with a near-identical body."""
    return _queue().filter(Q(duplicate_of__isnull=False) | Q(pk__in=_near_identical_ids()))


def _near_identical_ids() -> set[int]:
    """Articles with the same outlet and headline (any case) whose bodies are near-identical.

    One query reads every article's outlet and headline, the groups are made here, and the bodies
    of the groups' articles (at most ``GROUP_LIMIT`` a group) are read in chunks: a query per group
    scanned the whole table each time (51 s for the review page at 100k articles).
    """
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, outlet, headline in (
        _queue().exclude(outlet=None).order_by("pk").values_list("pk", "outlet", "headline")
    ):
        groups[outlet, headline.lower()].append(pk)
    candidates = [pks[:GROUP_LIMIT] for pks in groups.values() if len(pks) > 1]
    wanted = [pk for pks in candidates for pk in pks]
    words: dict[int, list[str]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = _queue().filter(pk__in=wanted[start : start + CHUNK]).values_list("pk", "body")
        words.update((pk, _WORDS.findall(body.lower())) for pk, body in chunk)
    found: set[int] = set()
    for pks in candidates:
        for i, pk in enumerate(pks):
            for other in pks[i + 1 :]:
                if near_identical(words[pk], words[other]):
                    found.update((pk, other))
    return found


def near_identical(first: list[str], second: list[str]) -> bool:
    """Whether two bodies' words are at least ``NEAR_IDENTICAL`` alike (difflib's ratio; its two
    cheap upper bounds first)."""
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    return (
        matcher.real_quick_ratio() >= NEAR_IDENTICAL
        and matcher.quick_ratio() >= NEAR_IDENTICAL
        and matcher.ratio() >= NEAR_IDENTICAL
    )


# slug -> (title, rule), in the order the review page shows them.
RULES: dict[str, tuple[str, Callable[[], QuerySet]]] = {
    "duplicates": ("Suspected duplicates", suspected_duplicates),
    "missing": ("Missing outlet, dateline or date", missing_facts),
    "dates": ("Date in the future or on the ingest day", suspicious_dates),
    "empty": ("Empty body", empty_bodies),
}
