"""The facet value an entity is indexed under: one name per alias group, with its variants.

A name in an editors' alias group (:class:`articles.models.AliasGroup`) is indexed under the
group's **main name** and its variants, ``"Islamic State (ISIS, ISIL, Da'esh)"``, so every
spelling of it counts towards one facet value. The main name is the group's first name that is
not an acronym (the first name when all are); the variants shown are the other names, without
those that normalize like one shown already (``Daesh``: ``Da'esh``) or that hold one shown
already (``Islamic State of Iraq``: ``Islamic State``), at most :data:`SHOWN_VARIANTS`. A person
found under a full name whose surname is in a group is indexed with the main spelling of the
surname (``Muammar Qaddafi`` -> ``Muammar Gaddafi``). A name in no group stays as extracted.

Labels are read once per :data:`aliases.TTL` like the alias table itself: after an editor
changes a group, ``manage.py rebuild_index`` brings the facet values in line (accepting a learned
name variant queues the articles it relabels: :mod:`articles.variants.reindex`).
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import AliasGroup
from articles.search import aliases

SHOWN_VARIANTS = 4
_lock = threading.Lock()
_cache: dict = {"labels": None, "loaded": 0.0}


def build(groups) -> dict[str, tuple[str, str]]:
    """Normalized name -> (its group's main name, the group's label), for ``groups`` (each a list
    of names); a name in two groups keeps the first."""
    labels: dict[str, tuple[str, str]] = {}
    for names in groups:
        names = [name for name in names if aliases.normalize(name)]
        if len(names) < 2:
            continue
        main = next((name for name in names if not name.replace(".", "").isupper()), names[0])
        shown: list[str] = []
        seen = {aliases.normalize(main)}
        for name in names:
            key = aliases.normalize(name)
            if key in seen or any(f" {aliases.normalize(s)} " in f" {key} " for s in [main, *shown]):
                continue
            seen.add(key)
            shown.append(name)
        label = f"{main} ({', '.join(shown[:SHOWN_VARIANTS])})" if shown else main
        for name in names:
            labels.setdefault(aliases.normalize(name), (main, label))
    return labels


def _labels() -> dict[str, tuple[str, str]]:
    with _lock:
        if _cache["labels"] is None or time.monotonic() - _cache["loaded"] > aliases.TTL:
            groups = (
                AliasGroup(names=n).name_list() for n in AliasGroup.objects.values_list("names", flat=True)
            )
            _cache.update(labels=build(groups), loaded=time.monotonic())
        return _cache["labels"]


def _lookup(name: str) -> tuple[str, str] | None:
    key = aliases.normalize(name)
    if not key or (aliases.ordinary(key) and not name.isupper()):
        return None
    return _labels().get(key)


def canonical(name: str) -> str:
    """The facet value for an organisation's or a place's name."""
    found = _lookup(name)
    return found[1] if found else name


def canonical_person(name: str) -> str:
    """The facet value for a person's name: the group's label for a whole name in a group, else
    the name with its surname (its last word, or last two: ``bin Laden``) spelled as its group's
    main name."""
    found = _lookup(name)
    if found:
        return found[1]
    words = name.split()
    for size in (2, 1):
        if len(words) > size and (found := _lookup(" ".join(words[-size:]))):
            return " ".join([*words[:-size], found[0]])
    return name


def invalidate() -> None:
    with _lock:
        _cache["labels"] = None


@receiver(post_save, sender=AliasGroup, dispatch_uid="entity-names-saved")
@receiver(post_delete, sender=AliasGroup, dispatch_uid="entity-names-deleted")
def _alias_group_changed(sender, **kwargs) -> None:
    invalidate()
