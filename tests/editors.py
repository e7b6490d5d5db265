"""Helpers for the editors' tests: an editor account made the way operators make one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command

PASSWORD = "correct horse battery staple"


def make_editor(username: str = "editor"):
    """A user in the Editors group with admin access (through ``manage.py make_editor``)."""
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    call_command("make_editor", username, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    user.refresh_from_db()
    return user


def action(client, name: str, articles, model: str = "article", **data):
    """POST a changelist bulk action on ``articles`` (objects or pks), like the admin's form does."""
    pks = [getattr(a, "pk", a) for a in articles]
    return client.post(
        f"/admin/articles/{model}/", {"action": name, "_selected_action": pks, "index": 0, **data}
    )
