"""The editors' admin: login required, every model usable, edits visible in search at once."""

import pytest
from django.db.models import Q
from haystack.query import SearchQuerySet

from articles.models import Article, Outlet
from articles.search import signals

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_needs_login(client):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", ["article", "outlet", "place", "topic", "caption", "articleversion"])
def test_every_model_has_a_working_changelist_and_form(admin_client, seeded, model):
    assert admin_client.get(f"/admin/articles/{model}/").status_code == 200
    assert admin_client.get(f"/admin/articles/{model}/", {"q": "a"}).status_code == 200
    assert admin_client.get(f"/admin/articles/{model}/1/change/").status_code == 200


def test_article_changelist_filters_by_date_and_outlet(admin_client, seeded):
    dates = {"published__gte": "2025-01-01", "published__lt": "2026-01-01"}
    response = admin_client.get("/admin/articles/article/", {**dates, "outlet__id__exact": "1"})
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


def test_an_outlet_save_reindexes_its_articles_only_when_its_name_changes(admin_client, seeded, monkeypatch):
    outlet = Outlet.objects.get(name="UN News")
    articles = set(outlet.articles.values_list("pk", flat=True))
    queued, schedule_sync = [], signals.schedule_sync

    def spy(ids):
        queued.extend(ids)
        schedule_sync(ids)

    monkeypatch.setattr(signals, "schedule_sync", spy)
    url = f"/admin/articles/outlet/{outlet.pk}/change/"
    form = {
        "name": outlet.name,
        "slug": outlet.slug,
        "kind": "official",
        "aliases": "UN News Centre",
        "url": "",
    }
    assert admin_client.post(url, form).status_code == 302
    assert queued == [], "search shows nothing of its kind or aliases"
    assert admin_client.post(url, {**form, "name": "UN News Service"}).status_code == 302
    assert set(queued) == articles
    assert "UN News Service" in dict(
        SearchQuerySet().all().facet("outlet").facet_counts()["fields"]["outlet"]
    )


def test_a_delete_in_the_admin_leaves_search(admin_client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    response = admin_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert SearchQuerySet().auto_query("Lukashenko").count() == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"translated": "yes"}, lambda qs: qs.exclude(translated_from="")),
        ({"translated": "no"}, lambda qs: qs.filter(translated_from="")),
        ({"country": "Iraq"}, lambda qs: qs.filter(place__country="Iraq")),
        ({"topics__id__exact": "7"}, lambda qs: qs.filter(topics=7)),
        ({"q": "Vilnius"}, lambda qs: qs.filter(Q(place__city="Vilnius") | Q(body__icontains="Vilnius"))),
        ({"status__exact": "published", "language__exact": "en"}, lambda qs: qs.published()),
    ],
)
def test_article_changelist_filters(admin_client, seeded, params, expected):
    Article.objects.filter(pk=5).update(translated_from="ar")
    response = admin_client.get("/admin/articles/article/", params)
    assert response.status_code == 200
    shown = {a.pk for a in response.context["cl"].result_list}
    assert shown == set(expected(Article.objects.all()).values_list("pk", flat=True))


def test_article_changelist_shows_topics_and_links_to_review_and_upload(admin_client, seeded):
    html = admin_client.get("/admin/articles/article/").content.decode()
    assert "Political prisoners" in html  # the topics column
    assert 'href="/admin/articles/article/review/"' in html
    assert 'href="/admin/articles/article/upload/"' in html


def test_topic_autocomplete(admin_client, seeded):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "sanc", "app_label": "articles", "model_name": "article", "field_name": "topics"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Sanctions"]


def test_provenance_is_read_only(admin_client, seeded):
    form = admin_client.get("/admin/articles/article/1/change/").context["adminform"].form
    assert not {"source_file", "raw_text", "created", "content_hash"} & set(form.fields)
