"""Roles: the Editors group's permissions, ``manage.py make_editor``, and who can reach which admin page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

CURATED = ["article", "caption", "articleversion", "topic", "aliasgroup", "outlet", "place", "story", "feed"]


VERBS = ("add", "change", "delete", "view")
EXPECTED = {("articles", f"{verb}_{model}") for model in CURATED for verb in VERBS}
EXPECTED |= {("articles", "view_articlechange"), ("articles", "view_job"), ("articles", "view_feedfetch")}


def _granted(group) -> set[tuple[str, str]]:
    return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}


def test_the_migration_creates_the_editors_group_with_exactly_the_editing_permissions():
    call_command("migrate", "articles", "0003", verbosity=0)
    assert not Group.objects.filter(name="Editors").exists()
    call_command("migrate", "articles", verbosity=0)
    assert _granted(Group.objects.get(name="Editors")) == EXPECTED


def test_make_editor_recreates_a_missing_group_with_the_same_permissions():
    Group.objects.filter(name="Editors").delete()
    make_editor()
    assert _granted(Group.objects.get(name="Editors")) == EXPECTED


def test_make_editor_makes_an_existing_user_staff_and_an_editor():
    user = get_user_model().objects.create_user("rosa", password=PASSWORD)
    out = io.StringIO()
    call_command("make_editor", "rosa", stdout=out)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.has_perm("articles.change_article") and not user.has_perm("auth.view_user")
    assert "rosa is an editor" in out.getvalue()


def test_make_editor_refuses_an_unknown_user_unless_told_to_create_it():
    with pytest.raises(CommandError, match="No user “ghost”"):
        call_command("make_editor", "ghost")
    call_command("make_editor", "ghost", "--create", stdout=io.StringIO())
    user = get_user_model().objects.get(username="ghost")
    assert user.is_staff and not user.has_usable_password()


def test_make_editor_remove_takes_the_role_away():
    user = make_editor("leaving")
    call_command("make_editor", "leaving", "--remove", stdout=io.StringIO())
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/review/",
        "/admin/articles/article/upload/",
    ],
)
def test_anonymous_cannot_reach_the_admin(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"])
def test_an_editor_cannot_reach_users_or_groups(client, url):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/topic/",
        "/admin/articles/outlet/",
        "/admin/articles/place/",
        "/admin/articles/caption/",
        "/admin/articles/article/review/",
        "/admin/articles/article/upload/",
    ],
)
def test_an_editor_reaches_what_editing_needs(client, seeded, url):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    assert client.get(url).status_code == 200


def test_admin_posts_need_the_csrf_token(seeded):
    make_editor()
    client = Client(enforce_csrf_checks=True)
    client.login(username="editor", password=PASSWORD)
    response = client.post("/admin/articles/article/", {"action": "publish", "_selected_action": [1]})
    assert response.status_code == 403
