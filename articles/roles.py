"""Who may do what: the "Editors" group and exactly the permissions editing the archive needs.

Editors curate articles, captions, earlier versions, topics, name variants, outlets, places and
stories, and read the edit history and the background jobs; nothing of users, groups or the index
queue. Migration 0004
creates the group; :func:`editors_group` recreates it if it went missing (e.g. after ``flush``).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
CURATED = ["article", "caption", "articleversion", "topic", "aliasgroup", "outlet", "place", "story"]
READ_ONLY = ["articlechange", "job"]


def editor_codenames() -> list[str]:
    curated = [f"{verb}_{model}" for model in CURATED for verb in ("add", "change", "delete", "view")]
    return curated + [f"view_{model}" for model in READ_ONLY]


def editors_group() -> Group:
    """The Editors group, with exactly the editing permissions."""
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=editor_codenames())
    )
    return group
