"""``manage.py check_index``: drift between database and index (missing, stale, ghost), and ``--fix``."""

import io

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def check(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_index", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_an_index_in_step_reports_no_drift(seeded):
    status, out = check()
    assert status == 0
    assert "missing: 0\nstale: 0\nghost: 0\n" in out and "In step." in out


def test_drift_is_reported_and_fixed(seeded):
    baghdad, vilnius, iraq = (
        Article.objects.get(place__city="Baghdad"),
        Article.objects.get(place__city="Vilnius"),
        Article.objects.get(pk=3),
    )
    backend = connections["default"].get_backend()
    # Changes behind the index's back (QuerySet.update sends no signal, nothing is queued):
    backend.remove(f"articles.article.{baghdad.pk}")  # missing
    Article.objects.filter(pk=vilnius.pk).update(headline="Bialiatski freed, quietly renamed")  # stale
    Article.objects.filter(pk=iraq.pk).update(status=Article.Status.DRAFT)  # ghost

    status, out = check()
    assert status == 1
    assert f"missing: 1 ({baghdad.pk})" in out
    assert f"stale: 1 ({vilnius.pk})" in out
    assert f"ghost: 1 ({iraq.pk})" in out
    assert "The index has drifted." in out

    status, out = check("--fix")
    assert status == 0, out
    assert out.rstrip().endswith("In step.")
    assert [r.headline for r in SearchQuerySet().auto_query("quietly renamed")] == [
        "Bialiatski freed, quietly renamed"
    ]
    assert {int(r.pk) for r in SearchQuerySet().all()} == set(
        Article.objects.published().values_list("pk", flat=True)
    )
    assert check()[0] == 0
