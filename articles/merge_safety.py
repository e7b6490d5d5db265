"""What merging duplicate articles risks, for the merge page to show before it asks.

Plain functions over the selected articles (no queries beyond what they were loaded with: select
``outlet`` and ``story``): the warnings (the selection mixes outlets, dates more than a few days
apart, languages or stories: likely not copies of one article), which article to keep and why, and
each other article's text compared word by word with the kept one's (:mod:`articles.diffs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from articles.diffs import Segment, changed_words, word_diff
from articles.models import Article
from articles.sanitize import to_plain_text

MAX_DAYS_APART = 3  # copies of one article are dated within a few days of each other
COMPARED = 5  # of the articles merged away, those whose text the page compares with the kept one


def _ids(articles: Sequence[Article]) -> str:
    return ", ".join(f"#{a.pk}" for a in articles)


def _grouped(articles: Sequence[Article], key) -> dict[str, list[Article]]:
    """The articles by ``key`` (a readable value), leaving out those that have none."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        if value := key(article):
            groups.setdefault(value, []).append(article)
    return groups


def _mixed(articles: Sequence[Article], key, what: str) -> str | None:
    groups = _grouped(articles, key)
    if len(groups) < 2:
        return None
    listed = "; ".join(f"{value} ({_ids(members)})" for value, members in sorted(groups.items()))
    return f"They {what}: {listed}."


def warnings(articles: Sequence[Article]) -> list[str]:
    """Why these articles may not be copies of one article (none: nothing stands out). A value an
    article lacks (no outlet, undated, in no story) is no warning."""
    found = [
        _mixed(articles, lambda a: a.outlet and a.outlet.name, "come from different outlets"),
        _mixed(articles, lambda a: a.language, "are in different languages"),
        _mixed(articles, lambda a: a.story_id and f"story “{a.story}”", "belong to different stories"),
    ]
    dated = sorted((a for a in articles if a.published), key=lambda a: a.published)
    if dated and (apart := (dated[-1].published - dated[0].published).days) > MAX_DAYS_APART:
        found.insert(
            1,
            f"Their dates are {apart} days apart, more than {MAX_DAYS_APART}: "
            f"{dated[0].published:%Y-%m-%d} (#{dated[0].pk}) to {dated[-1].published:%Y-%m-%d} "
            f"(#{dated[-1].pk}).",
        )
    return [warning for warning in found if warning]


def words(article: Article) -> int:
    return len(to_plain_text(article.body).split())


def suggested(articles: Sequence[Article]) -> tuple[Article, str]:
    """The article to keep among ``articles`` (those that can be kept) and why: the original the
    others are flagged as copies of; else, among the published ones when not all are, the fullest
    text; of texts as long, the one ingested first."""
    for article in articles:
        if any(other.duplicate_of_id == article.pk for other in articles if other.pk != article.pk):
            return article, "the others are flagged as suspected copies of it"
    published = [a for a in articles if a.status == Article.Status.PUBLISHED]
    pool = published if published and len(published) < len(articles) else list(articles)
    reasons = ["it is published (not every other one is)"] if pool is published else []
    counted = {a.pk: words(a) for a in pool}
    most = max(counted.values())
    fullest = sorted((a for a in pool if counted[a.pk] == most), key=lambda a: (a.created, a.pk))
    if len(fullest) < len(pool):
        reasons.append(f"it has the fullest text ({most:,} words)")
    if len(fullest) > 1:
        reasons.append("it was ingested first of those with texts as long")
    return fullest[0], " and ".join(reasons) or "it is the only one that can be kept"


@dataclass
class Comparison:
    """One article merged away, its text compared with the kept one's."""

    kept: Article
    other: Article
    segments: list[Segment]
    only_other: int  # words only in the article merged away (struck through)
    only_kept: int  # words only in the kept one (underlined)

    @property
    def old_label(self) -> str:
        return f"#{self.other.pk}, merged away"

    @property
    def new_label(self) -> str:
        return f"#{self.kept.pk}, kept"


def compared(kept: Article, others: Sequence[Article]) -> list[Comparison]:
    """The first :data:`COMPARED` others' texts, each compared word by word with ``kept``'s."""
    kept_text = to_plain_text(kept.body)
    comparisons = []
    for other in others[:COMPARED]:
        segments = word_diff(to_plain_text(other.body), kept_text)
        comparisons.append(Comparison(kept, other, segments, *changed_words(segments)))
    return comparisons
