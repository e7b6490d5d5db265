"""``manage.py load_demo`` (``make run``): the demo into an empty archive, never over one in use."""

import io

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def run() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_an_empty_archive_gets_the_demo_searchable_at_once(search_backend):
    run()
    assert Article.objects.count() == 297
    assert SearchQuerySet().auto_query("Guterres").count() > 0


def test_an_archive_in_use_is_left_as_the_editors_left_it(search_backend):
    run()
    article = Article.objects.get(pk=1)
    article.headline, article.status = "Corrected by an editor", Article.Status.RETRACTED
    article.save()
    assert "not loaded" in run()
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Corrected by an editor", Article.Status.RETRACTED)
