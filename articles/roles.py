"""Who may do what: the "Editors" group and exactly the permissions editing the archive needs.

Editors curate articles, captions, earlier versions, topics, name variants, outlets, places,
stories and watched feeds, and read the edit history, the feeds' fetches and the background jobs;
nothing of users, groups or the index queue. Migration 0004
creates the group; :func:`editors_group` recreates it if it went missing (e.g. after ``flush``).

Editors may delete an article: that moves it to the trash, from which it can be restored. Purging
it from the trash (deleting it for good, its history with it) takes ``articles.purge_article``,
which only superusers and the "Archive managers" group have (:func:`archive_managers_group`;
``manage.py make_editor USER --archive-manager`` adds an editor to it).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
ARCHIVE_MANAGERS = "Archive managers"
PURGE = "purge_article"
CURATED = ["article", "caption", "articleversion", "topic", "aliasgroup", "outlet", "place", "story", "feed"]
READ_ONLY = ["articlechange", "job", "feedfetch"]


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


def archive_managers_group() -> Group:
    """The Archive managers group: purging articles from the trash (its members edit as editors)."""
    group, _ = Group.objects.get_or_create(name=ARCHIVE_MANAGERS)
    group.permissions.set(Permission.objects.filter(content_type__app_label="articles", codename=PURGE))
    return group
