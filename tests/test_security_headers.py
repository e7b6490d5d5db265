"""Every page carries a strict Content-Security-Policy and a Permissions-Policy.

The public site runs no script at all; the admin runs only its own files from this origin. Neither
allows inline script or style, plug-ins, framing, other origins' forms or a <base> element.
"""

from __future__ import annotations

import pytest
from django.test import Client

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

# What both policies hold; the admin adds its own scripts and their requests (autocomplete).
STRICT = {
    "default-src": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
PUBLIC = {**STRICT, "script-src": ["'none'"]}
ADMIN = {**STRICT, "script-src": ["'self'"], "connect-src": ["'self'"]}
DENIED_FEATURES = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} twice in {header!r}"
        directives[name] = values
    return directives


def permissions(response) -> dict[str, str]:
    header = response.headers.get("Permissions-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Permissions-Policy header"
    return dict(item.strip().split("=", 1) for item in header.split(","))


def public_pages(seeded) -> dict[str, tuple[str, int]]:
    article = Article.objects.filter(story__isnull=False).first()
    return {
        "home": ("/", 200),
        "search": ("/?q=Guterres&outlet=UN+News", 200),
        "search with timeline": ("/?q=Iraq", 200),
        "article": (article.get_absolute_url(), 200),
        "story": (article.story.get_absolute_url(), 200),
        "feed": ("/search/feed/?q=Iraq", 200),
        "API": ("/api/search?q=Iraq", 200),
        "OpenSearch description": ("/opensearch.xml", 200),
        "not found": ("/no/such/page/", 404),
        "bad API request": ("/api/search?page=0", 400),
    }


def test_public_pages_allow_no_script_at_all(seeded):
    client = Client()
    for name, (url, status) in public_pages(seeded).items():
        response = client.get(url)
        assert response.status_code == status, (name, url, response.status_code)
        assert policy(response) == PUBLIC, f"{name} ({url})"


def test_admin_pages_allow_only_the_admins_own_scripts(seeded, admin_client):
    anonymous = Client()
    for name, client, url in [
        ("login", anonymous, "/admin/login/"),
        ("index", admin_client, "/admin/"),
        ("article list", admin_client, "/admin/articles/article/"),
        ("article form", admin_client, f"/admin/articles/article/{Article.objects.first().pk}/change/"),
        ("review queue", admin_client, "/admin/articles/article/review/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert policy(response) == ADMIN, f"{name} ({url})"


def test_no_policy_allows_inline_code_or_eval(seeded, admin_client):
    for response in (Client().get("/?q=Iraq"), admin_client.get("/admin/articles/article/")):
        header = response.headers["Content-Security-Policy"]
        for loophole in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "*", "http:", "https:"):
            assert loophole not in header.split(), (loophole, header)


def test_every_page_denies_powerful_browser_features(seeded, admin_client):
    for response in (
        Client().get("/"),
        Client().get("/api/search?q=Iraq"),
        Client().get("/no/such/page/"),
        Client().get("/admin/login/"),
        admin_client.get("/admin/articles/article/"),
    ):
        features = permissions(response)
        for feature in DENIED_FEATURES:
            assert features.get(feature) == "()", (response.request["PATH_INFO"], feature, features)
        assert "interest-cohort" not in features, "not a feature browsers know any more"


def test_the_search_page_has_no_inline_style(seeded):
    """style-src 'self' blocks style="" attributes: the timeline's bar heights are classes."""
    html = Client().get("/?q=Iraq").content.decode()
    assert 'class="timeline-bars"' in html
    assert "style=" not in html and "<style" not in html
