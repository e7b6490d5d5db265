"""Failed admin logins are throttled (django-axes): per user name and per address, for a cool-off time.

Every request goes through the real login page with Django's test client; the cool-off passes by moving
axes's clock forward (no sleeping).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.editors import PASSWORD, make_editor

LOGIN = "/admin/login/?next=/admin/"
ATTACKER = "198.51.100.7"
ELSEWHERE = "203.0.113.20"


@pytest.fixture
def editors(db):
    make_editor("editor")
    make_editor("colleague")


def log_in(username: str, password: str, address: str, client: Client | None = None, **headers):
    client = client or Client()
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def signed_in(response) -> bool:
    """The login page redirects into the admin (and sets a session) only on success."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail_until_locked(username: str, address: str) -> list[int]:
    return [
        log_in(username, "wrong password", address).status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]


def test_wrong_passwords_lock_the_account_and_then_the_right_password_is_refused(editors):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit >= 3
    statuses = fail_until_locked("editor", ATTACKER)
    assert statuses == [200] * (limit - 1) + [429], "the last allowed failure answers the lockout page"

    refused = log_in("editor", PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session
    text = refused.content.decode()
    assert "Too many failed logins" in text
    # From another address too: the user name itself is locked (a distributed guesser gets no more tries).
    assert log_in("editor", PASSWORD, ELSEWHERE).status_code == 429


def test_the_lockout_page_says_why_for_how_long_and_what_to_do(editors):
    fail_until_locked("editor", ATTACKER)
    page = log_in("editor", PASSWORD, ATTACKER)
    assert page.status_code == 429
    assert page["Content-Type"].startswith("text/html")
    text = " ".join(page.content.decode().split())
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"after {settings.AXES_FAILURE_LIMIT} failed attempts" in text
    assert f"for {minutes} minutes" in text
    assert "manage.py axes_reset_username" in text
    assert "wrong password" not in text
    # In the admin's look, like the login page it replaces.
    assert 'id="site-name"' in text and "admin/css/base.css" in text
    assert "<h1>Too many failed logins</h1>" in text


def test_another_user_from_another_address_is_not_affected(editors):
    fail_until_locked("editor", ATTACKER)
    assert signed_in(log_in("colleague", PASSWORD, ELSEWHERE))


def test_one_address_trying_many_user_names_is_locked_out(editors):
    """Password spraying: one wrong password for each of many names, from one address."""
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [log_in(f"user{i}", "Winter2025!", ATTACKER).status_code for i in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    assert log_in("colleague", PASSWORD, ATTACKER).status_code == 429, "the address is locked"
    assert signed_in(log_in("colleague", PASSWORD, ELSEWHERE)), "the colleague is not"


def test_a_forwarded_for_header_does_not_change_the_address_by_default(editors):
    """Without a trusted proxy, X-Forwarded-For is the client's own word: never believed."""
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        log_in(f"user{i}", "x", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
        for i in range(limit)
    ]
    assert statuses[-1] == 429


def test_the_lockout_ends_after_the_cool_off(editors, monkeypatch):
    from axes.handlers import proxy

    fail_until_locked("editor", ATTACKER)
    cool_off = settings.AXES_COOLOFF_TIME

    def later(delta: timedelta):
        moment = timezone.now() + delta
        monkeypatch.setattr(proxy, "now", lambda: moment)

    later(cool_off - timedelta(minutes=1))
    assert log_in("editor", PASSWORD, ATTACKER).status_code == 429, "still locked a minute before the end"
    later(cool_off + timedelta(seconds=1))
    assert signed_in(log_in("editor", PASSWORD, ATTACKER))


def test_an_administrator_unlocks_a_user_at_once(editors):
    fail_until_locked("editor", ATTACKER)
    call_command("axes_reset_username", "editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert signed_in(log_in("editor", PASSWORD, ELSEWHERE))
    call_command("axes_reset_ip", ATTACKER, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert signed_in(log_in("editor", PASSWORD, ATTACKER))


def test_a_right_password_between_wrong_ones_does_not_reset_the_count(editors):
    """An attacker holding one account of their own must not earn fresh guesses by signing in with it."""
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert log_in("editor", "wrong password", ATTACKER).status_code == 200
    assert signed_in(log_in("colleague", PASSWORD, ATTACKER))
    assert log_in("editor", "wrong password", ATTACKER).status_code == 429


def test_signing_in_without_a_request_still_works(editors):
    """Django's test client (and scripts) call authenticate() without a request: nothing to throttle."""
    client = Client()
    assert client.login(username="editor", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert not Client().login(username="editor", password="wrong password")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.5"),
        (0, "203.0.113.9", "10.0.0.5"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # nginx appended what it saw
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # the client's own entry is not believed
        (2, "198.51.100.66, 203.0.113.9, 10.0.0.9", "203.0.113.9"),  # load balancer, then nginx
        (2, "203.0.113.9", "10.0.0.5"),  # fewer entries than proxies: misconfigured, the peer it is
        (1, None, "10.0.0.5"),
        (1, " , ", "10.0.0.5"),
    ],
)
def test_the_client_address_comes_from_the_proxy_header_only_when_configured(
    settings, proxies, forwarded, expected
):
    from newsarchive.security import client_ip

    settings.NEWSARCHIVE_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.5", **headers)
    assert client_ip(request) == expected


def test_user_model_is_the_default_one():
    """The throttle counts the login form's ``username`` field: the user model must name it so."""
    assert get_user_model().USERNAME_FIELD == "username"
