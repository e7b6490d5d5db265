"""People, organisations and places mentioned: facets with counts on the search page and in the
API, alias variants merged into one canonical value, and each value's own page."""

import pytest
from django.urls import reverse

from articles.models import AliasGroup, Article, Story

pytestmark = pytest.mark.django_db(transaction=True)

ISLAMIC_STATE = "Islamic State (ISIS, ISIL, Da'esh)"


def _article(headline: str, body: str, **fields) -> Article:
    return Article.objects.create(headline=headline, body=f"<p>{body}</p>", **fields)


@pytest.fixture
def mentions(search_backend):
    AliasGroup.objects.create(names="ISIS\nISIL\nIslamic State\nDa'esh\nDaesh\nIslamic State of Iraq")
    AliasGroup.objects.create(names="Gaddafi\nQaddafi")
    story = Story.objects.create(title="Ministers meet on grain")
    return [
        _article(
            "Grain talks open in Nairobi",
            "Agriculture Minister Wanjiru Kamau said the World Grain Council would meet in Nairobi.",
            published="2019-03-02",
            story=story,
        ),
        _article(
            "Council meets again",
            "The World Grain Council met in Nairobi, said Wanjiru Kamau, and Colonel Muammar Qaddafi.",
            published="2020-05-06",
            story=story,
        ),
        _article("Fighters advance", "ISIL fighters advanced on the town, officials in Mosul said."),
        _article("Claim of attack", "The Islamic State claimed the attack; ISIS named no one."),
    ]


def _facet(response, param: str) -> dict[str, int]:
    return {value["value"]: value["count"] for value in response.json()["facets"][param]}


def test_the_api_counts_people_organisations_and_places(client, mentions):
    response = client.get(reverse("articles:search_api"))
    assert _facet(response, "person") == {"Wanjiru Kamau": 2, "Muammar Gaddafi": 1}
    assert _facet(response, "organisation") == {"World Grain Council": 2, ISLAMIC_STATE: 2}
    assert _facet(response, "mentioned") == {"Nairobi": 2, "Mosul": 1}
    first = next(r for r in response.json()["results"] if r["headline"] == "Council meets again")
    assert first["people"] == ["Muammar Gaddafi", "Wanjiru Kamau"]
    assert (first["organisations"], first["places"]) == (["World Grain Council"], ["Nairobi"])


def test_variants_of_an_alias_group_are_one_value_and_filter_together(client, mentions):
    response = client.get(reverse("articles:search_api"), {"organisation": ISLAMIC_STATE})
    assert sorted(r["headline"] for r in response.json()["results"]) == [
        "Claim of attack",
        "Fighters advance",
    ]


def test_the_search_page_shows_the_facets_with_a_link_to_each_page(client, mentions):
    response = client.get(reverse("articles:search"), {"q": "council"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="facet-person">People</h2>' in page
    assert 'Wanjiru Kamau <span class="count">(2)</span>' in page
    assert f'href="{reverse("articles:entity", args=["people", "Wanjiru Kamau"])}"' in page
    assert "?mentioned=Nairobi&amp;q=council" in page


def test_an_entity_page_lists_its_articles_newest_first_its_stories_and_years(client, mentions):
    response = client.get(reverse("articles:entity", args=["people", "Wanjiru Kamau"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Council meets again") < page.index("Grain talks open in Nairobi")
    assert "Ministers meet on grain" in page and "(2 articles)" in page
    assert ">2020</a></th><td>1</td>" in page and ">2019</a></th><td>1</td>" in page
    assert "Fighters advance" not in page


def test_an_alias_groups_page_holds_every_variant(client, mentions):
    response = client.get(reverse("articles:entity", args=["organisations", ISLAMIC_STATE]))
    assert response.status_code == 200
    assert "Fighters advance" in response.content.decode() and "Claim of attack" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "name", "query"),
    [("people", "Nobody Known", {}), ("planets", "Nairobi", {}), ("places", "Nairobi", {"page": "9"})],
)
def test_an_unknown_name_kind_or_page_is_not_found(client, mentions, kind, name, query):
    assert client.get(reverse("articles:entity", args=[kind, name]), query).status_code == 404


def test_a_facet_asks_for_its_most_frequent_values_only(mentions):
    from haystack.query import SearchQuerySet

    counts = SearchQuerySet().facet("people", limit=1).facet_counts()["fields"]["people"]
    assert counts == [("Wanjiru Kamau", 2)]


def test_a_groups_label_is_its_first_name_not_an_acronym_with_the_distinct_variants():
    from articles.search.entity_names import build

    labels = build(
        [
            ["ISIS", "ISIL", "Islamic State", "Islamic State of Iraq and Syria", "Da'esh", "Daesh"],
            ["U.S.", "US", "United States", "USA", "United States of America"],
            ["Gaddafi", "Qaddafi", "Kadhafi", "Gadhafi", "Qadhafi", "Kaddafi"],
        ]
    )
    assert labels["daesh"] == ("Islamic State", ISLAMIC_STATE)
    assert labels["us"] == ("United States", "United States (U.S., USA)")
    assert labels["kaddafi"][1] == "Gaddafi (Qaddafi, Kadhafi, Gadhafi, Qadhafi)"  # four variants at most


def test_a_post_is_no_organisation_and_a_leading_the_makes_no_second_value(client, search_backend):
    _article(
        "Mission ends",
        "Mohamed Al-Hassan, the Head of Mission, thanked The World Grain Council and the Chairman of "
        "Harbour Freight Corp.",
    )
    _article("Council meets", "Delegates of the World Grain Council met in Nairobi on Monday.")
    response = client.get(reverse("articles:search_api"))
    assert _facet(response, "organisation") == {"World Grain Council": 2, "Harbour Freight": 1}
