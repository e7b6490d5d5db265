"""The editors' admin: login required, every model usable, edits visible in search at once."""

import pytest
from haystack.query import SearchQuerySet

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_needs_login(client):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", ["article", "outlet", "place", "topic", "caption", "articleversion"])
def test_every_model_has_a_working_changelist_and_form(admin_client, seeded, model):
    assert admin_client.get(f"/admin/articles/{model}/").status_code == 200
    assert admin_client.get(f"/admin/articles/{model}/", {"q": "a"}).status_code == 200
    assert admin_client.get(f"/admin/articles/{model}/1/change/").status_code == 200


def test_article_changelist_filters_and_date_hierarchy(admin_client, seeded):
    response = admin_client.get(
        "/admin/articles/article/", {"published__year": "2025", "outlet__id__exact": "1"}
    )
    assert response.status_code == 200
    assert (
        response.context["cl"].result_count
        == Article.objects.filter(outlet_id=1, published__year=2025).count()
    )


def test_an_edit_in_the_admin_shows_in_search_after_commit(admin_client, seeded):
    article = Article.objects.get(place__city="Baghdad")
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "topics"}
    data.update(
        headline="Guterres bids valediction to UNAMI in Baghdad",
        topics=[t.pk for t in article.topics.all()],
        outlet=article.outlet_id,
        place=article.place_id,
        published="2025-12-13",
        **{
            "captions-TOTAL_FORMS": "0",
            "captions-INITIAL_FORMS": "0",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [r.headline for r in SearchQuerySet().auto_query("valediction")] == [
        "Guterres bids valediction to UNAMI in Baghdad"
    ]


def test_a_delete_in_the_admin_leaves_search(admin_client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    response = admin_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert SearchQuerySet().auto_query("Lukashenko").count() == 0
