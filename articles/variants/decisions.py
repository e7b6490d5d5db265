"""An editor's decision on a learned pair of names: accepted into the name variants table, or
rejected (and remembered: a rescan never offers it again).

Accepting adds the pair to the group holding either name, or to a new group whose note says it
was learned and from what; search reads the table anew at once, and the articles whose entity
facets the group's new label changes are queued for the search index (:mod:`.reindex`). A pair
whose names are in two different groups is not accepted: merging two groups is the editor's to
do in *Name variants*.
Nor is an acronym whose group has it stand for another long form already (``EPA`` =
``Environmental Protection Agency``, offered with ``Economic Planning Agency``): two bodies, it
seems, that accepting would silently make one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from articles.models import AliasGroup
from articles.search import aliases, entity_names
from articles.search.indexing import schedule_sync

from . import acronyms, reindex
from .models import VariantSuggestion

NOTE_LENGTH = AliasGroup._meta.get_field("note").max_length
ARTICLES_IN_NOTE = 5


class NotDecided(Exception):
    """The pair was not decided; the message says why."""


def groups_by_name() -> dict[str, AliasGroup]:
    """Each name of the name variants table (normalized) and its group."""
    return {
        aliases.normalize(name): group
        for group in AliasGroup.objects.order_by("pk")
        for name in group.name_list()
    }


def _note(suggestion: VariantSuggestion) -> str:
    articles = sorted({s["article"] for side in suggestion.evidence.values() for s in side})
    listed = ", ".join(f"#{pk}" for pk in articles[:ARTICLES_IN_NOTE])
    note = f"Learned from the archive ({suggestion.get_kind_display().lower()}): articles {listed}"
    note += ", …" if len(articles) > ARTICLES_IN_NOTE else "."
    return note[:NOTE_LENGTH]


def _pending(pk: int) -> VariantSuggestion:
    suggestion = VariantSuggestion.objects.select_for_update().filter(pk=pk).first()
    if suggestion is None:
        raise NotDecided("That suggestion is gone (a rescan no longer finds it).")
    if suggestion.status != VariantSuggestion.Status.PENDING:
        by = f" by {suggestion.decided_by}" if suggestion.decided_by else ""
        raise NotDecided(f"“{suggestion}” was {suggestion.get_status_display().lower()}{by} already.")
    return suggestion


def _decided(suggestion: VariantSuggestion, status: str, user) -> None:
    suggestion.status, suggestion.decided_by, suggestion.decided = status, user, timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided"])


def _acronym_pair(suggestion: VariantSuggestion) -> tuple[str, str] | None:
    """``(acronym, long form)`` of an acronym pair, else None."""
    if suggestion.kind != VariantSuggestion.Kind.ACRONYM:
        return None
    for short, long in ((suggestion.second, suggestion.first), (suggestion.first, suggestion.second)):
        if " " not in short.strip() and acronyms.letters(short):
            return short, long
    return None


def _check_one_body(suggestion: VariantSuggestion, group: AliasGroup) -> None:
    """Refuse an acronym pair when ``group`` holds the acronym, not the suggested long form, but
    another name the acronym stands for (see the module's docstring)."""
    pair = _acronym_pair(suggestion)
    if pair is None:
        return
    short, long = pair
    names = group.name_list()
    held = {aliases.normalize(name) for name in names}
    if aliases.normalize(short) not in held or aliases.normalize(long) in held:
        return
    other = next((name for name in names if acronyms.stands_for(name, short)), None)
    if other:
        raise NotDecided(
            f"“{short}” already stands for “{other}” in the group “{group}”, not for “{long}”: "
            "two bodies, it seems. If they really are one, add the name to that group in Name "
            "variants by hand."
        )


@transaction.atomic
def accept(pk: int, user) -> AliasGroup:
    """Add the pair to the name variants table; the group it is in now."""
    suggestion = _pending(pk)
    wanted = {
        aliases.normalize(suggestion.first): suggestion.first,
        aliases.normalize(suggestion.second): suggestion.second,
    }
    holding = [
        group
        for group in AliasGroup.objects.select_for_update().order_by("pk")
        if wanted.keys() & {aliases.normalize(name) for name in group.name_list()}
    ]
    if len(holding) > 1:
        raise NotDecided(
            f"“{suggestion.first}” and “{suggestion.second}” are in two groups already: "
            "merge them in Name variants if they are one."
        )
    if holding:
        group = holding[0]
        _check_one_body(suggestion, group)
        held = {aliases.normalize(name) for name in group.name_list()}
        group.names = "\n".join([*group.name_list(), *(n for k, n in wanted.items() if k not in held)])
    else:
        group = AliasGroup(names=f"{suggestion.first}\n{suggestion.second}", note=_note(suggestion))
    relabelled = reindex.affected(suggestion, group.name_list())  # searched before any write
    group.save()
    _decided(suggestion, VariantSuggestion.Status.ACCEPTED, user)
    transaction.on_commit(_tables_changed)  # before the index applies the articles queued next
    schedule_sync(relabelled)
    return group


def _tables_changed() -> None:
    """Search and the facet labels read the name variants table anew (this process's threads may
    have read it while the group was saved but not committed)."""
    aliases.invalidate()
    entity_names.invalidate()


@transaction.atomic
def reject(pk: int, user) -> None:
    """Remember that the pair is not one name."""
    _decided(_pending(pk), VariantSuggestion.Status.REJECTED, user)


def decide_many(pks: list[int], accepted: bool, user) -> tuple[int, list[str]]:
    """One decision on many pairs, each in its own transaction: (how many decided, why the
    others were not)."""
    decided, problems = 0, []
    for pk in pks:
        try:
            accept(pk, user) if accepted else reject(pk, user)
        except NotDecided as error:
            problems.append(str(error))
        else:
            decided += 1
    return decided, problems
