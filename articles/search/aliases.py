"""Name variants from the editors' AliasGroup table, applied when a query is read.

A search for any name of a group (ISIS, ISIL, Da'esh, Islamic State) also searches for the
others, so an edit in the admin takes effect at once: no code change, no reindex. The table is
read once into a dict (normalized name -> the other names to search for) and cached; a save or
delete in this process drops the cache, and other processes re-read it after ``TTL`` seconds.

The index folds case, so it cannot tell WHO from "who" or US from "us". A name that folds to an
ordinary word (:data:`ORDINARY_WORDS`) is therefore looked up only when typed in capitals
(``WHO``, ``U.S.``: ``who`` and ``us`` search for themselves only), and is never added to a
search for another name of its group (a search for "World Health Organization" does not also
search for every "who").
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import AliasGroup
from articles.search.name_forms import normalize

TTL = 30.0
# Ordinary words an acronym may spell once folded (WHO, US, AU: "au" in French text): such a
# name is only read as a name when typed in capitals. UN and EU are left out ("un" and "eu" are
# not English words): a search for "United Nations" also finds "UN".
_ORDINARY_TEXT = """a i am an and are as at be but by can do for go he hi if in is it me my no of oh ok on or
    our so to up us we who why you aid aids all art its may new now old one out own see she the
    top two war was way win yes au de la le"""
ORDINARY_WORDS = frozenset(_ORDINARY_TEXT.split())
_lock = threading.Lock()
_cache: dict = {"table": None, "loaded": 0.0}


@dataclass(frozen=True)
class Entry:
    """A name's group (its first name, normalized) and the other names a search adds."""

    group: str
    others: tuple[str, ...]


def ordinary(key: str) -> bool:
    """Whether a normalized name is also an ordinary word (``who``, ``us``)."""
    return key in ORDINARY_WORDS


def _table() -> dict[str, Entry]:
    """Normalized name -> its group and the other names of the group to search for, as editors
    wrote them (not those that normalize alike, nor those that are ordinary words)."""
    with _lock:
        table = _cache["table"]
        if table is None or time.monotonic() - _cache["loaded"] > TTL:
            table = build(
                AliasGroup(names=names).name_list()
                for names in AliasGroup.objects.values_list("names", flat=True)
            )
            _cache.update(table=table, loaded=time.monotonic())
        return table


def build(groups) -> dict[str, Entry]:
    """The lookup table of :func:`variants` for ``groups`` (each a list of names); a name in
    two groups keeps the first."""
    table: dict[str, Entry] = {}
    for group in groups:
        names: dict[str, str] = {}  # normalized -> the first name written so
        for name in group:
            names.setdefault(normalize(name), name)
        names.pop("", None)
        for key in names:
            if key not in table:
                table[key] = Entry(next(iter(names)), _searched(key, names))
    return table


def _searched(key: str, names: dict[str, str]) -> tuple[str, ...]:
    """The names to search for besides ``key``'s: not ordinary words, nor a name holding one
    searched already (a search for "Islamic State" finds "Islamic State of Iraq")."""
    others = [k for k in names if k != key and not ordinary(k)]
    return tuple(
        names[k] for k in others if not any(_holds(k, shorter) for shorter in (key, *others) if shorter != k)
    )


def _holds(name: str, part: str) -> bool:
    return f" {part} " in f" {name} "


def variants(name: str) -> list[str]:
    """The other names of ``name``'s group to search for (none when it has no group)."""
    entry = _entry(name)
    return list(entry.others) if entry else []


def group_of(name: str) -> str | None:
    """The group ``name`` belongs to (two names of one group give the same), or None."""
    entry = _entry(name)
    return entry.group if entry else None


def _entry(name: str) -> Entry | None:
    key = normalize(name)
    if not key or (ordinary(key) and not name.isupper()):
        return None
    return _table().get(key)


def invalidate() -> None:
    with _lock:
        _cache["table"] = None


@receiver(post_save, sender=AliasGroup, dispatch_uid="aliases-saved")
@receiver(post_delete, sender=AliasGroup, dispatch_uid="aliases-deleted")
def _alias_group_changed(sender, **kwargs) -> None:
    invalidate()
