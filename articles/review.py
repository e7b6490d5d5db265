"""The review queue's rules: which articles an editor should look at, as querysets.

Merged duplicates only redirect, so no rule lists them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower, TruncDate
from django.utils import timezone

from articles.models import Article

# Two bodies at least this similar (difflib ratio over their words) are near-identical.
NEAR_IDENTICAL = 0.9
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
    """Articles with the same outlet and headline (any case) whose bodies are near-identical."""
    groups = (
        _queue()
        .exclude(outlet=None)
        .values("outlet", lowered=Lower("headline"))
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    found: set[int] = set()
    for group in groups:
        articles = list(
            _queue()
            .filter(outlet=group["outlet"], headline__iexact=group["lowered"])
            .values_list("pk", "body")[:50]
        )
        words = [(pk, _WORDS.findall(body.lower())) for pk, body in articles]
        for i, (pk, first) in enumerate(words):
            for other, second in words[i + 1 :]:
                if near_identical(first, second):
                    found.update((pk, other))
    return found


def near_identical(first: list[str], second: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    return matcher.real_quick_ratio() >= NEAR_IDENTICAL and matcher.ratio() >= NEAR_IDENTICAL


# slug -> (title, rule), in the order the review page shows them.
RULES: dict[str, tuple[str, Callable[[], QuerySet]]] = {
    "duplicates": ("Suspected duplicates", suspected_duplicates),
    "missing": ("Missing outlet, dateline or date", missing_facts),
    "dates": ("Date in the future or on the ingest day", suspicious_dates),
    "empty": ("Empty body", empty_bodies),
}
