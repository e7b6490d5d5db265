"""A request that waits too long for a database lock gets a "busy, try again" page (503 with
Retry-After), never a bare 500; the wait is always shorter than the web worker's timeout."""

import pytest
from django.db import OperationalError

from articles.models import Article
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def locked(monkeypatch):
    """Every article save fails as SQLite does when its write lock stayed busy past the timeout."""

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Article, "save", busy)


def test_an_edit_that_cannot_get_the_lock_gets_the_busy_page(admin_client, seeded, locked):
    article = Article.objects.get(place__city="Vilnius")
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data |= {"headline": "Changed", "topics": []}
    for inline in ("captions", "versions"):
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    admin_client.raise_request_exception = False

    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 503 and response["Retry-After"] == "5"
    html = response.content.decode()
    assert "The archive is busy" in html and "try again in 5 seconds" in html
    assert Article.objects.get(pk=article.pk).headline != "Changed"


def test_other_errors_still_get_the_error_page(client, seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: articles_article")

    monkeypatch.setattr("articles.views.get_object_or_404", broken)
    client.raise_request_exception = False
    article = Article.objects.first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


def test_the_lock_wait_must_be_shorter_than_the_worker_timeout(tmp_path):
    result = run_manage(
        "check", NEWSARCHIVE_DATA_DIR=str(tmp_path), DATABASE_BUSY_TIMEOUT="30", WEB_TIMEOUT="30"
    )
    assert result.returncode != 0 and "must be above 0 and below WEB_TIMEOUT" in result.stderr
    assert run_manage("check", NEWSARCHIVE_DATA_DIR=str(tmp_path), DATABASE_BUSY_TIMEOUT="20").returncode == 0
