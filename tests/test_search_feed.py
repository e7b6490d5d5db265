"""The Atom feed of a search: valid per RFC 4287's required elements, parsed with lxml."""

import datetime

import pytest
from lxml import etree

pytestmark = pytest.mark.django_db(transaction=True)

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_of_a_search_has_every_required_atom_element(client, seeded):
    response = client.get("/search/feed/", {"q": "Iraq", "outlet": ["UN News", "Gaya One"]})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text.strip()
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Newsarchive"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    api = client.get("/api/search", {"q": "Iraq", "outlet": ["UN News", "Gaya One"], "sort": "newest"}).json()
    assert [e.find(f"{ATOM}title").text for e in entries] == [r["headline"] for r in api["results"]]
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text.strip(), name
        assert entry.find(f"{ATOM}author/{ATOM}name").text in {"UN News", "Gaya One"}
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/articles/")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids))


def test_search_page_links_its_feed(client, seeded):
    html = client.get("/", {"q": "Iraq"}).content.decode()
    assert 'type="application/atom+xml"' in html and "/search/feed/?q=Iraq" in html


def test_bad_feed_parameters_are_a_400_that_names_them(client, seeded):
    response = client.get("/search/feed/", {"page": "0", "sort": "sideways"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "page:" in text and "sort:" in text


def test_control_characters_in_copy_do_not_break_the_feed_or_the_page(client, search_backend):
    from articles.models import Article

    article = Article.objects.create(headline="Wire \x1bcopy", body="Stray\x1b escape in the \x07text.")
    response = client.get("/search/feed/", {"q": "wire"})
    assert response.status_code == 200
    (entry,) = etree.fromstring(response.content).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Wire copy"
    assert "\x1b" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("summary", "body"),
    [
        ("", "Quokka copy x &lt;img src=x onerror=alert(3)&gt; end."),
        ("<img src=x onerror=alert(6)>", "Quokka copy."),
    ],
)
def test_entry_summaries_are_escaped_html(client, search_backend, summary, body):
    from articles.models import Article

    Article.objects.create(headline="Quokka", summary=summary, body=body)
    (entry,) = etree.fromstring(client.get("/search/feed/", {"q": "quokka"}).content).findall(f"{ATOM}entry")
    summary_element = entry.find(f"{ATOM}summary")
    assert summary_element.get("type") == "html"  # readers render it: markup must arrive escaped
    assert "&lt;img src=x onerror=alert(" in summary_element.text and "<img" not in summary_element.text


def _feed(client, params) -> etree._Element:
    response = client.get("/search/feed/", params)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def test_the_feed_title_names_the_search_and_its_filters(client, seeded):
    title = _feed(client, {"q": "Iraq", "outlet": ["UN News", "AP"], "year": "2025", "lang": "en"}).find(
        f"{ATOM}title"
    )
    assert title.text == "Newsarchive: “Iraq” — outlet UN News or AP, language English, 2025"
    title = _feed(client, {"month": "2025-12", "from": "2025-12-01"}).find(f"{ATOM}title")
    assert title.text == "Newsarchive: latest articles — December 2025, from 2025-12-01"
    assert _feed(client, {}).find(f"{ATOM}title").text == "Newsarchive: latest articles"
    # A filter value holding a control character (XML 1.0 cannot carry it) is named without it.
    title = _feed(client, {"q": "Iraq", "outlet": "A\x1fP"}).find(f"{ATOM}title")
    assert title.text == "Newsarchive: “Iraq” — outlet AP"


def test_entries_carry_their_article_s_last_change_rights_and_bracketed_supplied_titles(client, seeded):
    from articles.models import Article

    changed = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    Article.objects.filter(place__city="Vilnius").update(updated=changed, rights="© The Associated Press")
    vilnius = Article.objects.get(place__city="Vilnius")
    entries = {e.find(f"{ATOM}id").text: e for e in _feed(client, {"outlet": "AP"}).findall(f"{ATOM}entry")}
    entry = entries[f"http://testserver{vilnius.get_absolute_url()}"]
    assert entry.find(f"{ATOM}updated").text == "2024-05-06T07:08:09+00:00"
    assert entry.find(f"{ATOM}rights").text == "© The Associated Press"
    assert entry.find(f"{ATOM}title").text == f"[{vilnius.headline}]"
    others = [e for key, e in entries.items() if e is not entry]
    assert others and all(e.find(f"{ATOM}rights").text == "Rights not stated" for e in others)


def test_a_feed_page_past_the_last_is_a_404(client, seeded):
    response = client.get("/search/feed/", {"q": "Iraq", "page": "40"})
    assert response.status_code == 404 and "the results end on page 1" in response.content.decode()
    assert client.get("/search/feed/", {"q": "nothingmatchesthis"}).status_code == 200
