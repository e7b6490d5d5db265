"""Name variants from the editors' AliasGroup table, applied when a query is read.

A search for any name of a group (ISIS, ISIL, Da'esh, Islamic State) also searches for the
others, so an edit in the admin takes effect at once: no code change, no reindex. The table is
read once and cached; a save or delete in this process drops the cache, and other processes
re-read it after ``TTL`` seconds.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import AliasGroup

TTL = 30.0
_lock = threading.Lock()
_cache: dict = {"groups": None, "loaded": 0.0}


def normalize(name: str) -> str:
    """The form two spellings of a name share: case, accents, dots and apostrophes, spacing."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[.'’]", "", folded)
    return " ".join(re.findall(r"\w+", folded))


def _groups() -> dict[str, tuple[str, ...]]:
    """Normalized name -> every name of its group, as editors wrote them."""
    with _lock:
        groups = _cache["groups"]
        if groups is None or time.monotonic() - _cache["loaded"] > TTL:
            groups = {}
            for names in AliasGroup.objects.values_list("names", flat=True):
                group = tuple(AliasGroup(names=names).name_list())
                for name in group:
                    groups.setdefault(normalize(name), group)
            _cache.update(groups=groups, loaded=time.monotonic())
        return groups


def variants(name: str) -> list[str]:
    """The other names of ``name``'s group (none when it has no group)."""
    key = normalize(name)
    if not key:
        return []
    group = _groups().get(key, ())
    return [other for other in group if normalize(other) != key]


def invalidate() -> None:
    with _lock:
        _cache["groups"] = None


@receiver(post_save, sender=AliasGroup, dispatch_uid="aliases-saved")
@receiver(post_delete, sender=AliasGroup, dispatch_uid="aliases-deleted")
def _alias_group_changed(sender, **kwargs) -> None:
    invalidate()
