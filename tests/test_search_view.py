"""The search page through Django's test client, on the seed archive in a real Whoosh index."""

import re

import pytest
from django.db.models import Count
from django.http import QueryDict

from articles.models import Article, Outlet
from articles.search.facets import timeline

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


# -- issue 4: query language, matching, facets, timeline, suggestions, grouping --------------


def totals(client, **params) -> int:
    return client.get("/", params).context["total"]


def test_query_forms_through_the_page(client, seeded):
    guterres = totals(client, q="Guterres")
    assert 0 < totals(client, q="Guterres outlet:AP") < guterres
    assert totals(client, q="Guterres outlet:ap") == totals(client, q="Guterres outlet:AP")  # case resolved
    assert totals(client, q="Guterres -Baghdad") + totals(client, q="Guterres Baghdad") == guterres
    assert totals(client, q="Guterres NOT Baghdad") == totals(client, q="Guterres -Baghdad")
    assert totals(client, q="Belarus OR Baghdad") == totals(client, q="Belarus") + totals(
        client, q="Baghdad"
    ) - (totals(client, q="Belarus Baghdad"))
    assert totals(client, q="“Assistance Mission”") == totals(client, q='"Assistance Mission"') > 0
    assert totals(client, q='"Mission Assistance"') == 0
    assert totals(client, q="Guter*") == guterres
    assert totals(client, q="country:Lithuania") == 1
    assert (
        totals(client, q='topic:"human rights"')
        == Article.objects.filter(topics__name="Human rights").count()
    )
    assert totals(client, q="published:2025-12-13") == Article.objects.filter(published="2025-12-13").count()
    assert (
        totals(client, q="published:2025-12-12..2025-12-13")
        == Article.objects.exclude(published=None).count()
    )
    assert totals(client, q="", **{"from": "2025-12-13", "to": "2025-12-13"}) == 3
    assert totals(client, q="lang:en Guterres") == guterres


def test_a_broken_query_is_read_as_plain_words_and_the_page_says_so(client, seeded):
    response = client.get("/", {"q": '"Guterres Baghdad'})
    html = response.content.decode()
    assert response.context["total"] == totals(client, q="Guterres Baghdad") > 0
    assert "quotation mark is not closed" in html and "searched as plain words" in html


@pytest.mark.parametrize("q", ["🙂", "AND OR NOT", "-"])
def test_a_query_with_nothing_to_search_finds_nothing_and_says_so(client, seeded, q):
    response = client.get("/", {"q": q})
    assert response.context["total"] == 0 and not response.context["results"]
    assert "no words to search for" in response.content.decode()


def test_a_long_query_is_cut_and_searched_and_kept_in_the_box(client, seeded):
    response = client.get("/", {"q": "Guterres " + "padding " * 80 + "\x00"})
    html = response.content.decode()
    assert response.context["query"].startswith("Guterres padding") and len(response.context["query"]) <= 500
    assert "longer than 500 characters" in html and not response.context["form"].errors


@pytest.mark.parametrize("q", ["(" * 500, "NOT (" * 100, "(a OR " * 80 + "Guterres"])
def test_deeply_nested_queries_are_read_as_words_not_failed(client, seeded, q):
    for url in ("/", "/api/search", "/search/feed/"):
        assert client.get(url, {"q": q}).status_code == 200, url
    assert "more than 20 groups" in client.get("/", {"q": q}).content.decode()


def test_only_the_first_filters_are_applied(client, seeded):
    topics = [f"topic {n}" for n in range(30)]
    response = client.get("/", {"q": "Guterres", "topic": topics})
    assert response.status_code == 200
    assert response.context["form"].filter_params().getlist("topic") == topics[:20]
    assert "Only the first 20 filters were applied." in response.content.decode()
    assert len(response.content) < 200_000  # each link repeats the filters: 30 would not be cut


@pytest.mark.parametrize("params", [{"from": "0001-01-01"}, {"to": "0099-01-01"}, {"q": "published:0001"}])
def test_dates_before_the_year_1000_are_refused_not_failed(client, seeded, params):
    response = client.get("/", params)
    assert response.status_code == 200 and "from the year 1000" in response.content.decode()
    if "q" not in params:  # the date is left out; a query's is searched as plain words
        assert response.context["total"] == Article.objects.count()
    assert client.get("/api/search", params).status_code in (200, 400)
    assert client.get("/search/feed/", params).status_code in (200, 400)


def test_an_invalid_date_is_named_by_its_label_and_not_put_back_in_the_date_box(client, seeded):
    html = client.get("/", {"from": "x", "page_size": "500"}).content.decode()
    assert "<li>From: Enter a valid date.</li>" in html and "<li>Page size:" in html
    assert 'name="from" id="id_from" value=""' in html


def test_a_page_beyond_the_last_says_where_the_results_end(client, demo):
    response = client.get("/", {"q": "said", "page": 999})
    pages = response.context["pages"]
    html = response.content.decode()
    assert not response.context["results"] and f"the results end on page {pages}" in html
    assert response.context["last_url"].endswith(f"page={pages}")
    assert response.context["previous_url"] == response.context["last_url"]
    assert "Page 999 of" not in html
    assert client.get("/", {"q": "said", "page": pages}).context["last_url"] is None


def test_ranking_headline_above_body_and_phrase_above_scattered(client, search_backend):
    body = Article.objects.create(headline="Weather report", body="A walrus was seen near the harbour.")
    headline = Article.objects.create(headline="Walrus spotted", body="An animal was seen near the harbour.")
    scattered = Article.objects.create(headline="Kettle", body="Black tea, then a kettle of green water.")
    phrase = Article.objects.create(headline="Kettle", body="We drank green tea by the water.")
    assert [r.pk for r in client.get("/", {"q": "walrus"}).context["results"]] == [
        str(headline.pk),
        str(body.pk),
    ]
    ranked = [r.pk for r in client.get("/", {"q": "green tea"}).context["results"]]
    assert ranked == [str(phrase.pk), str(scattered.pk)]


def test_facet_counts_equal_database_counts_for_the_same_filter(client, demo):
    response = client.get("/", {"outlet": "Wikinews", "year": ["2019", "2020"]})
    articles = Article.objects.filter(outlet__name="Wikinews", published__year__in=[2019, 2020])
    assert response.context["total"] == articles.count()
    facets = {g.param: {link.value: link.count for link in g.links} for g in response.context["facet_groups"]}
    months = articles.values_list("published", flat=True)
    expected = {}
    for day in months:
        expected[f"{day:%Y-%m}"] = expected.get(f"{day:%Y-%m}", 0) + 1
    top = dict(sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:12])
    assert facets["month"] == top
    # Disjunctive: the year facet still counts the other year, as the outlet filter allows.
    wikinews = Article.objects.filter(outlet__name="Wikinews")
    years = dict(
        wikinews.values_list("published__year").annotate(n=Count("pk")).values_list("published__year", "n")
    )
    assert facets["year"] == {str(y): n for y, n in years.items()}
    outlets = (
        Article.objects.filter(published__year__in=[2019, 2020])
        .values_list("outlet__name")
        .annotate(n=Count("pk"))
    )
    assert facets["outlet"] == dict(outlets)


def test_timeline_bars_link_to_their_period(client, demo):
    response = client.get("/", {"q": "said"})
    timeline = response.context["timeline"]
    assert timeline.unit == "year"  # 2019 to 2025 is a long span
    bar = max(timeline.bars, key=lambda b: b.count)
    narrowed = client.get("/" + bar.url)
    assert narrowed.context["total"] == bar.count
    months = narrowed.context["timeline"]
    assert months.unit == "month" and sum(b.count for b in months.bars) == bar.count
    html = narrowed.content.decode()
    assert 'class="timeline-bars"' in html and "result" in html


def test_timeline_over_centuries_draws_only_the_years_with_results():
    counts = {"month": [("0001-01", 1), ("2025-03", 5)], "year": [("1", 1), ("2025", 5)]}
    bars = timeline(counts, QueryDict()).bars
    assert [(bar.label, bar.count) for bar in bars] == [("1", 1), ("2025", 5)]


def test_timeline_bars_of_few_results_stay_visible_and_empty_periods_flat():
    counts = {"month": [("2025-01", 500), ("2025-02", 1), ("2025-04", 250)]}
    bars = timeline(counts, QueryDict()).bars
    assert [(bar.count, bar.percent) for bar in bars] == [(500, 100), (1, 4), (0, 0), (250, 50)]


def test_timeline_with_a_month_selected_spans_only_the_results(client, demo):
    month = client.get("/", {"q": "said"}).context["outcome"].facet_counts["month"][0][0]
    response = client.get("/", {"q": "said", "month": month})
    timeline = response.context["timeline"]
    assert [bar.count for bar in timeline.bars] == [response.context["total"]]


@pytest.mark.parametrize(
    ("q", "meant"),
    [
        ("goverment", "government"),
        ("Baghdadd", "baghdad"),
        ("Kyiv", None),
        ("Daesh", None),
        ("São Paulo", None),
    ],
)
def test_did_you_mean_corrects_near_misses_not_rare_names(client, demo, q, meant):
    # Two edits away from a short word is another word: Kyiv is not "kid", Daesh not "days".
    assert client.get("/", {"q": q}).context["outcome"].suggestion == meant


def test_did_you_mean_also_with_zero_hits(client, seeded):
    response = client.get("/", {"q": "Gutteres Baghdad"})
    assert response.context["total"] == 0
    assert response.context["outcome"].suggestion == "guterres Baghdad"
    assert totals(client, q="guterres Baghdad") > 0
    assert "Did you mean" in response.content.decode()
    assert client.get("/", {"q": "Guterres"}).context["outcome"].suggestion is None


def test_zero_results_suggest_removing_the_narrowest_filter(client, seeded):
    response = client.get("/", {"q": "Belarus", "outlet": "UN News", "place": "Vilnius"})
    assert response.context["total"] == 0
    narrowest = response.context["narrowest"]
    assert (narrowest["label"], narrowest["value"]) == ("Outlet", "UN News")
    assert totals(client, q="Belarus", place="Vilnius") == 1
    assert "Try removing the filter" in response.content.decode()


def test_zero_results_in_a_date_range_suggest_dropping_the_dates(client, seeded):
    response = client.get("/", {"q": "Belarus", "from": "1990-01-01", "to": "1990-12-31"})
    assert response.context["total"] == 0
    narrowest = response.context["narrowest"]
    assert (narrowest["label"], narrowest["value"]) == ("Dates", "1990-01-01 to 1990-12-31")
    assert client.get("/" + narrowest["url"]).context["total"] == totals(client, q="Belarus") > 0
    assert "Try removing the filter" in response.content.decode()


def test_page_size_parameter_and_page_n_of_m(client, demo):
    response = client.get("/", {"page_size": 50, "page": 2})
    total = response.context["total"]
    assert len(response.context["results"]) == 50 and response.context["pages"] == -(-total // 50)
    assert f"Page 2 of {-(-total // 50)}" in response.content.decode()
    assert "page_size=50" in response.context["next_url"]


def test_results_grouped_by_story(client, seeded):
    from articles.models import Story

    story = Story.objects.create(title="UN mission in Iraq ends")
    versions = Article.objects.filter(headline__icontains="Iraq")
    for article in versions:
        article.story, article.story_locked = story, True
        article.save()
    plain = client.get("/", {"q": "Iraq"}).context
    grouped = client.get("/", {"q": "Iraq", "group": "story"}).context
    in_story = sum(1 for r in plain["results"] if str(r.story) == str(story.pk))
    assert in_story >= 2
    assert grouped["total"] == plain["total"] - in_story + 1
    [first] = [r for r in grouped["results"] if str(r.story) == str(story.pk)]
    assert first.more_versions == in_story - 1
    assert grouped["outcome"].articles == plain["total"]  # what the facet counts count
    stories = grouped["total"]
    assert f"{stories} stories ({plain['total']} articles) for “Iraq”" in " ".join(
        client.get("/", {"q": "Iraq", "group": "story"}).content.decode().split()
    )


def test_grouped_pages_walk_every_story_once_with_snippets(client, demo, settings):
    settings.NEWSARCHIVE_PAGE_SIZE = 7  # the page offers 20, 50 and 100 (the API any size)
    first = client.get("/", {"q": "said", "group": "story"}).context
    groups, versions = [], 0
    for page in range(1, first["pages"] + 1):
        params = {"q": "said", "group": "story", "page": page}
        results = client.get("/", params).context["results"]
        assert all(r.highlighted for r in results)
        groups += [r.story or f"article {r.pk}" for r in results]
        versions += sum(1 + r.more_versions for r in results)
    assert len(groups) == len(set(groups)) == first["total"] > 7 * 3
    assert versions == totals(client, q="said") > len(groups)


def test_a_suspected_duplicate_is_found_through_its_original_only(client, seeded):
    story = Article.objects.get(pk=1).story
    before = client.get("/", {"q": "Iraq", "group": "story"}).context["results"]
    [first] = [r for r in before if str(r.story) == str(story.pk)]
    copy = Article.objects.get(pk=5)
    copy.duplicate_of = Article.objects.get(pk=1)
    copy.save()
    plain = client.get("/", {"q": "Iraq"}).context["results"]
    assert "5" not in {r.pk for r in plain}
    grouped = client.get("/", {"q": "Iraq", "group": "story"}).context["results"]
    [after] = [r for r in grouped if str(r.story) == str(story.pk)]
    assert after.more_versions == first.more_versions - 1
    copy.duplicate_of = None  # an editor says it is no copy: searchable again
    copy.save()
    assert "5" in {r.pk for r in client.get("/", {"q": "Iraq"}).context["results"]}


def test_every_page_links_an_opensearch_description(client, seeded):
    html = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in html
    description = client.get("/opensearch.xml")
    assert description["Content-Type"].startswith("application/opensearchdescription+xml")
    assert (
        b"{searchTerms}" in description.content
        and b"<ShortName>Newsarchive</ShortName>" in description.content
    )
