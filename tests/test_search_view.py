"""The search page through Django's test client, on the seed archive in a real Whoosh index."""

import re

import pytest
from django.db.models import Count

from articles.models import Article, Outlet

pytestmark = pytest.mark.django_db(transaction=True)


def result_headlines(html: str) -> list[str]:
    return re.findall(r'<li class="result">\s*<h3><a href="[^"]+">(.*?)</a>', html, re.S)


def test_empty_query_browses_everything_newest_first_with_facets(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["total"] == Article.objects.count() == 6
    dates = [r.published for r in response.context["results"] if r.published]
    assert dates == sorted(dates, reverse=True)
    groups = {g.label: {link.value: link.count for link in g.links} for g in response.context["facet_groups"]}
    in_db = dict(Outlet.objects.annotate(n=Count("articles")).values_list("name", "n"))
    assert groups["Outlet"] == in_db
    assert groups["Dateline"] == {"Baghdad": 1, "Vilnius": 1}
    assert groups["Year"] == {"2025": 4}


def test_query_shows_highlighted_snippets_and_outlet_facets(client, seeded):
    response = client.get("/", {"q": "Yazidi"})
    html = response.content.decode()
    assert response.context["total"] == 3
    assert "<mark" in html and re.search(r"<mark[^>]*>Yazidis?</mark>", html)
    outlet_links = next(g for g in response.context["facet_groups"] if g.param == "outlet").links
    assert {link.value: link.count for link in outlet_links} == {"UN News": 2, "AP": 1}


def test_facet_filter_narrows_and_can_be_removed(client, seeded):
    response = client.get("/", {"q": "Guterres", "outlet": "UN News"})
    assert response.context["total"] == 2
    assert {r.outlet for r in response.context["results"]} == {"UN News"}
    [active] = response.context["active_filters"]
    assert (
        active.value == "UN News" and "outlet=" not in active.remove_url and "q=Guterres" in active.remove_url
    )
    assert client.get("/" + active.remove_url).context["total"] == 5


def test_values_within_a_facet_are_ored_and_facets_anded(client, seeded):
    both = client.get("/", {"outlet": ["AP", "Gaya One"]})
    assert both.context["total"] == 3
    narrowed = client.get("/", {"outlet": ["AP", "Gaya One"], "place": "Vilnius"})
    assert [r.headline for r in narrowed.context["results"]] == [
        Article.objects.get(place__city="Vilnius").headline
    ]


def test_topic_filter_and_sorting(client, seeded):
    response = client.get("/", {"topic": "Sanctions", "sort": "oldest"})
    assert [r.place for r in response.context["results"]] == ["Vilnius"]
    oldest = client.get("/", {"q": "Iraq", "sort": "oldest"}).context["results"]
    dated = [r.published for r in oldest if r.published]
    assert dated == sorted(dated)


def test_pagination_walks_every_result_once(client, demo, settings):
    settings.NEWSARCHIVE_PAGE_SIZE = 7
    first = client.get("/", {"q": "said"})
    total, pages = first.context["total"], first.context["pages"]
    assert total > 30 and pages == -(-total // 7)
    seen = []
    for page in range(1, pages + 1):
        seen += [r.pk for r in client.get("/", {"q": "said", "page": page}).context["results"]]
    assert len(seen) == total == len(set(seen))
    assert f"Page 2 of {pages}" in client.get("/", {"q": "said", "page": 2}).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999"},
        {"sort": "sideways"},
        {"q": '"unbalanced (quote'},
        {"q": "AND OR NOT"},
        {"q": "x" * 600},
        {"outlet": 'A"P'},
        {"bogus_field": "1", "selected_facets": "django_ct:auth.user"},
        {"q": "title:Guterres outlet:AP*"},
    ],
)
def test_bad_parameters_never_fail(client, seeded, params):
    response = client.get("/", params)
    assert response.status_code == 200


def test_unknown_parameters_are_not_filters(client, seeded):
    response = client.get("/", {"bogus": "AP"})
    assert response.context["total"] == 6 and response.context["active_filters"] == []


def test_user_text_is_escaped(client, seeded):
    Article.objects.create(
        headline="<script>alert('h')</script> Walrus", body="<b onmouseover=x()>walrus</b> & co"
    )
    html = client.get("/", {"q": "walrus <script>"}).content.decode()
    assert "<script>alert" not in html and "onmouseover" not in html
    assert "&lt;script&gt;" in html


def test_relevance_is_the_default_for_a_query_and_newest_for_browsing(client, seeded):
    browse = client.get("/")
    assert browse.context["form"].sort_key() == "newest"
    assert '<option value="relevance" selected>' not in browse.content.decode()
    typed = client.get("/", {"q": "Guterres", "sort": ""})
    assert typed.context["form"].sort_key() == "relevance"
    undated_last = [r.published for r in browse.context["results"]]
    assert undated_last[-2:] == [None, None]
