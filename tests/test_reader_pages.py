"""What a reader sees on the public pages, through Django's test client: source addresses, the sort
box, snippets' cuts, short article addresses, skip links, facet labels, paging, the timeline."""

import html as html_lib
import re

import pytest
from django.http import QueryDict
from haystack.models import SearchResult

from articles.forms import attach_supplied
from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_source_address_is_shown_decoded_and_linked_as_given(client, db):
    url = (
        "https://en.wikinews.org/wiki/%27Earth-based_life%27:_Dr_Seager_tells_Wikinews_%E2%80%94_Z%C3%BCrich"
    )
    article = Article.objects.create(headline="Sourced", body="Text.", source_url=url)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{url}"' in html
    assert (
        ">https://en.wikinews.org/wiki/&#x27;Earth-based_life&#x27;:_Dr_Seager_tells_Wikinews_—_Zürich</a>"
        in html
    )


def test_an_undecodable_source_address_is_shown_as_given(client, db):
    article = Article.objects.create(
        headline="Sourced", body="Text.", source_url="https://example.org/%FF%FE"
    )
    assert ">https://example.org/%FF%FE</a>" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("prefix", ["articles", "stories"])
def test_an_address_without_its_slug_redirects_permanently(client, seeded, prefix):
    article = Article.objects.get(pk=1)
    target = article if prefix == "articles" else article.story
    response = client.get(f"/{prefix}/{target.pk}/")
    assert response.status_code == 301 and response["Location"] == target.get_absolute_url()
    assert client.get(f"/{prefix}/999999/").status_code == 404


def _selected_sort(html: str) -> list[str]:
    select = re.search(r'<select name="sort".*?</select>', html, re.S).group()
    return re.findall(r'<option value="(\w+)" selected>', select)


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, "newest"),
        ({"sort": "relevance"}, "newest"),  # nothing to rank by: newest first is what was applied
        ({"q": "Guterres"}, "relevance"),
        ({"q": "Guterres", "sort": "oldest"}, "oldest"),
        ({"sort": "oldest"}, "oldest"),
    ],
)
def test_the_sort_box_shows_the_order_applied(client, seeded, params, shown):
    assert _selected_sort(client.get("/", params).content.decode()) == [shown]


def test_snippets_cut_mid_sentence_carry_an_ellipsis(client, demo):
    response = client.get("/", {"q": "said", "page_size": 100})
    snippets = [str(r.snippet) for r in response.context["results"]]
    assert snippets
    for result, snippet in zip(response.context["results"], snippets, strict=True):
        text = " ".join(re.sub(r"<[^>]+>", "", snippet).split())
        body = " ".join(result.body.split())
        if not text.startswith("…"):
            start = body.find(text[:40].replace("&amp;", "&"))
            assert start <= 0 or re.search(r"[.!?][\"'”’)]*$", body[:start].rstrip()), (text[:80], start)
        if not text.endswith("…"):
            assert re.search(r"[.!?][\"'”’)]*$", text) or body.endswith(text[-40:]), text[-80:]
    assert any(s.startswith("… ") for s in snippets) and any(s.endswith(" …") for s in snippets)


def test_search_pages_offer_skip_links_to_results_and_filters(client, seeded):
    html = client.get("/", {"q": "Guterres"}).content.decode()
    assert '<a class="skip-link" href="#results">Skip to results</a>' in html
    assert '<a class="skip-link" href="#refine">Skip to filters</a>' in html
    assert 'id="results"' in html and 'id="refine"' in html
    html = client.get("/", {"q": "zzyzxquux"}).content.decode()
    assert "Skip to results" not in html


def _group(response, param: str):
    return next(g for g in response.context["facet_groups"] if g.param == param)


def test_the_language_facet_and_filters_read_language_names(client, seeded):
    Article.objects.filter(pk=2).update(language="ru")
    Article.objects.get(pk=2).save()  # re-indexed
    response = client.get("/")
    links = {link.value: link.text for link in _group(response, "lang").links}
    assert links == {"en": "English", "ru": "Russian"}
    html = response.content.decode()
    assert '>English <span class="count">' in html and ">en <span" not in html
    filtered = client.get("/", {"lang": "ru"}).content.decode()
    assert "Language: Russian" in filtered and 'name="lang" value="ru"' in filtered


def test_a_translation_names_its_original_language(client, seeded):
    article = Article.objects.get(pk=2)
    Article.objects.filter(pk=2).update(translated_from="ru")
    assert "Translated from Russian" in client.get(article.get_absolute_url()).content.decode()


def test_months_read_as_names_in_date_order_with_a_show_all_link(client, demo):
    response = client.get("/")
    months = _group(response, "month")
    assert months.total > len(months.links) == 12, months.total
    values = [link.value for link in months.links]
    assert values == sorted(values)
    assert all(
        re.fullmatch(
            r"(January|February|March|April|May|June|July|August|September|October"
            r"|November|December) \d{4}",
            link.text,
        )
        for link in months.links
    )
    html = response.content.decode()
    assert f"Show all {months.total}" in html and months.more_url.endswith("#facet-month")
    expanded = client.get("/" + months.more_url.split("#")[0])
    whole = _group(expanded, "month")
    assert len(whole.links) == months.total and whole.less_url and not whole.more_url
    assert [link.value for link in whole.links] == sorted(link.value for link in whole.links)
    assert _group(expanded, "outlet").links == _group(response, "outlet").links  # the others as they were
    assert client.get("/", {"more": ["bogus", "month"]}).status_code == 200


def _pages(html: str) -> list[str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group()
    return re.findall(r"<li[^>]*>(?:<a[^>]*>)?([^<]+)", nav)


def test_numbered_pages_with_the_first_and_the_last(client, demo):
    total = client.get("/").context["total"]
    last = -(-total // 20)
    assert last >= 10
    assert _pages(client.get("/").content.decode()) == ["1", "2", "3", "…", str(last), "Next"]
    middle = client.get("/", {"page": 6}).content.decode()
    assert _pages(middle) == ["Previous", "1", "…", "4", "5", "6", "7", "8", "…", str(last), "Next"]
    assert 'aria-current="page">6</a>' in middle and "Page 6 of" in middle
    link = re.search(r'<a href="([^"]+)" aria-label="Page 8">', middle).group(1).replace("&amp;", "&")
    assert client.get("/" + link).context["page"] == 8
    assert _pages(client.get("/", {"page": last}).content.decode())[-2:] == [str(last - 1), str(last)]
    assert client.get("/", {"q": "Bialiatski"}).context["page_links"] == []  # one page: no numbers


@pytest.mark.parametrize(("size", "applied"), [("20", 20), ("50", 50), ("100", 100), ("10", 20), ("99", 20)])
def test_the_page_size_is_one_of_20_50_or_100(client, demo, size, applied):
    response = client.get("/", {"page_size": size})
    assert response.context["outcome"].page_size == applied
    assert len(response.context["results"]) == applied
    html = response.content.decode()
    assert f'<option value="{applied}" selected>{applied}</option>' in html
    if size != str(applied):
        assert "<li>Page size:" in html  # named among the settings left out
        assert "page_size" not in response.context["next_url"]
    else:
        assert f"page_size={size}" in response.context["next_url"]
    assert client.get("/api/search", {"page_size": 10}).json()["page_size"] == 10  # the API takes any


def test_the_timeline_says_how_many_are_undated_and_links_to_them(client, seeded):
    response = client.get("/", {"q": "Guterres"})
    line = response.context["timeline"]
    undated = Article.objects.filter(published__isnull=True, body__icontains="Guterres").count()
    assert line.undated == undated == 2
    assert sum(bar.count for bar in line.bars) + line.undated == response.context["total"]
    html = response.content.decode()
    assert f">{undated} undated</a>" in html
    them = client.get("/" + line.undated_url)
    assert them.context["total"] == undated and all(r.published is None for r in them.context["results"])
    assert them.context["timeline"] is None
    them_html = them.content.decode()
    assert 'aria-label="Remove filter Undated only"' in them_html
    assert client.get("/" + them.context["undated_remove_url"]).context["total"] == response.context["total"]
    # A date filter leaves the undated out: nothing to say.
    assert client.get("/", {"q": "Guterres", "year": "2025"}).context["timeline"].undated == 0


def test_the_timeline_has_a_labelled_axis_and_a_table_alternative(client, demo):
    response = client.get("/")
    line = response.context["timeline"]
    assert line.unit == "year" and all(bar.tick == bar.label for bar in line.bars)  # few years: all
    html = response.content.decode()
    assert html.count('<span class="tick">') == len(line.bars)
    table = re.search(r'<details class="timeline-table">.*?</details>', html, re.S).group()
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]+">(\d{4})</a></th><td>(\d+)</td></tr>', table)
    assert [(label, int(n)) for label, n in rows] == [(b.label, b.count) for b in line.bars if b.url]
    months = client.get("/", {"year": "2020"}).context["timeline"]
    assert months.unit == "month" and months.bars[0].tick == months.bars[0].label
    ticks = [bar.tick for bar in months.bars if bar.tick]
    assert 1 < len(ticks) <= 8 and ticks == [bar.label for bar in months.bars[:: -(-len(months.bars) // 8)]]
    assert months.tallest == max(bar.count for bar in months.bars)


def _result_links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)">', html)


def test_a_result_leads_to_its_article_and_back_to_the_same_search(client, demo):
    params = {
        "q": "said",
        "outlet": "Wikinews",
        "year": "2019",
        "sort": "oldest",
        "page_size": "20",
        "page": "2",
    }
    html = client.get("/", params).content.decode()
    link = html_lib.unescape(_result_links(html)[0])
    path, query = link.split("?", 1)
    back = QueryDict(QueryDict(query)["from"])
    assert {name: back[name] for name in params} == params  # the query, filters, sort and page
    article_page = client.get(path, {"from": QueryDict(query)["from"]}).content.decode()
    href = html_lib.unescape(re.search(r'<p class="back-link"><a href="([^"]+)">', article_page)[1])
    assert href.startswith("/?") and QueryDict(href[2:]).dict() == params


@pytest.mark.parametrize(
    "sent",
    ["https://evil.example/", "//evil.example/?q=x", "/admin/?q=x", "javascript:alert(1)", "bogus=1", ""],
)
def test_the_back_link_never_leads_anywhere_but_the_search_page(client, seeded, sent):
    article = Article.objects.get(pk=1)
    html = client.get(article.get_absolute_url(), {"from": sent}).content.decode()
    assert 'class="back-link"' not in html and "evil.example" not in html


def test_the_back_link_keeps_only_search_parameters(client, seeded):
    article = Article.objects.get(pk=1)
    sent = "q=Iraq&topic=Peace+and+security&next=https://evil.example/&page=3&page_size=7"
    html = client.get(article.get_absolute_url(), {"from": sent}).content.decode()
    href = html_lib.unescape(re.search(r'<p class="back-link"><a href="([^"]+)">', html)[1])
    assert href == "/?topic=Peace+and+security&q=Iraq&page=3"  # an unknown page size is left out


def test_supplied_headlines_are_in_brackets_among_the_results(client, seeded):
    html = client.get("/", {"q": "Belarusian authorities"}).content.decode()
    vilnius = Article.objects.get(place__city="Vilnius")
    assert vilnius.headline_supplied
    assert '<span class="supplied" title="Title supplied by the archive">[' in html
    assert "(title supplied by the archive)</span></a></h3>" in html
    vilnius.headline_supplied = False  # an editor confirmed it
    vilnius.save()
    html = client.get("/", {"q": "Belarusian authorities"}).content.decode()
    assert "supplied by the archive" not in html.split('id="results"')[1]


def test_the_search_page_names_its_canonical_address(client, seeded):
    html = client.get("/", {"q": "Iraq", "outlet": "AP", "more": "month", "bogus": "1"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/?outlet=AP&amp;q=Iraq">' in html
    html = client.get("/").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_story_pages_have_a_canonical_address_a_description_and_open_graph(client, seeded):
    story = Article.objects.get(place__city="Baghdad").story
    html = client.get(story.get_absolute_url()).content.decode()
    url = f"http://testserver{story.get_absolute_url()}"
    assert (
        f'<link rel="canonical" href="{url}">' in html and f'<meta property="og:url" content="{url}">' in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="' in html
    assert re.search(r'<meta name="description" content="\d+ versions of one story, from ', html)


def test_results_from_an_index_that_does_not_store_supplied_headlines_ask_the_database(seeded):
    vilnius = Article.objects.get(place__city="Vilnius")
    titled = Article.objects.filter(headline_supplied=False).first()
    # Documents indexed before the index stored the flag have no such field.
    results = [SearchResult("articles", "article", str(a.pk), 1.0) for a in (vilnius, titled)]
    attach_supplied(results)
    assert [result.headline_supplied for result in results] == [True, False]
