"""The learners run over the archive, and what they find stored for editors to review.

One pass over the published articles, in the order of their stories (so a story's versions
come together and are compared, then dropped), reading a chunk at a time: memory grows with
the distinct names found, not with the archive. The pairs found are stored as pending
suggestions, except those an editor decided already (a rejected pair is never offered again,
an accepted one is in the table) and those the name variants table holds in one group. A
pending suggestion found again gets its evidence refreshed; one not found any more (its
articles edited or gone) is dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.db import transaction

from articles.models import Article
from articles.sanitize import to_plain_text
from articles.search import aliases
from articles.stories.differences.model import Version

from . import decisions
from .acronyms import Acronyms
from .candidates import Candidate
from .models import VariantSuggestion
from .story_spellings import story_spellings
from .transliterations import Transliterations

CHUNK = 500  # articles read from the database at a time
NAME_LENGTH = VariantSuggestion._meta.get_field("first").max_length


@dataclass(frozen=True)
class Learned:
    found: int  # pairs the learners found
    new: int  # stored as new suggestions
    pending: int  # waiting for an editor after the scan

    def report(self) -> str:
        return (
            f"Found {self.found:,} pairs of name variants: {self.new:,} new, "
            f"{self.pending:,} waiting for an editor."
        )


def learn(progress=None) -> Learned:
    """Run the learners over the archive and store what they find (``progress``: articles)."""
    return store(find(progress))


def find(progress=None) -> list[Candidate]:
    """Every pair the learners find in the published articles, acronyms first."""
    articles = Article.objects.published()
    if progress:
        progress.set_total(articles.count())
    acronyms, people, spellings = Acronyms(), Transliterations(), []
    rows = (
        articles.order_by("story_id", "pk")
        .values_list("pk", "story_id", "headline", "body", "outlet__name")
        .iterator(chunk_size=CHUNK)
    )
    for story, versions in itertools.groupby(rows, key=lambda row: row[1]):
        read = []
        for pk, _, headline, body, outlet in versions:
            text = to_plain_text(body)
            acronyms.read(pk, f"{headline}.\n{text}")
            people.read(pk, headline, text)
            read.append(Version(pk, outlet or "", text))
            if progress:
                progress.advance()
        if story is not None:
            spellings += story_spellings(read, aliases.group_of)
    return acronyms.candidates() + spellings + people.candidates()


def _evidence(candidate: Candidate) -> dict:
    def side(seen):
        return [{"article": s.article, "sentence": s.sentence} for s in seen]

    return {"first": side(candidate.first_seen), "second": side(candidate.second_seen)}


@transaction.atomic
def store(candidates: list[Candidate]) -> Learned:
    """Store the candidates as pending suggestions (see the module's docstring)."""
    existing = {
        (first, second): (pk, status)
        for pk, first, second, status in VariantSuggestion.objects.select_for_update().values_list(
            "pk", "first_key", "second_key", "status"
        )
    }
    grouped = decisions.groups_by_name()
    found: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        a, b = candidate.key
        if max(len(candidate.first), len(candidate.second)) > NAME_LENGTH:
            continue
        if a in grouped and grouped[a] == grouped.get(b):
            continue  # one group already: search finds both
        found.setdefault(candidate.key, candidate)
    new, kept = [], set()
    for key, candidate in found.items():
        pk, status = existing.get(key, (None, None))
        if pk is None:
            new.append(
                VariantSuggestion(
                    first=candidate.first,
                    second=candidate.second,
                    first_key=key[0],
                    second_key=key[1],
                    kind=candidate.kind,
                    evidence=_evidence(candidate),
                    articles=len(candidate.articles),
                )
            )
        elif status == VariantSuggestion.Status.PENDING:
            kept.add(pk)
            VariantSuggestion.objects.filter(pk=pk).update(
                evidence=_evidence(candidate), articles=len(candidate.articles)
            )
    stale = [pk for pk, status in existing.values() if status == VariantSuggestion.Status.PENDING]
    VariantSuggestion.objects.filter(pk__in=set(stale) - kept).delete()
    VariantSuggestion.objects.bulk_create(new, batch_size=CHUNK)
    return Learned(len(found), len(new), VariantSuggestion.objects.pending().count())
