"""The article page: a permanent URL, sanitized body, captions, topics, versions, attribution."""

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from articles import editorial
from articles.models import Article
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)


def test_article_page_shows_the_story(client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert article.headline_supplied  # AP's copy has no headline: the archive made one
    assert (
        f'<h1><span class="supplied" title="Title supplied by the archive">[{article.headline}]</span>'
        in html
    )
    assert '<span class="visually-hidden"> (title supplied by the archive)</span></h1>' in html
    assert "Vilnius, Lithuania" in html and "13 December 2025" in html and ">AP<" in html
    assert "Belarusian Presidential Press Service via AP" in html  # caption credit
    assert "Earlier version" in html and "pardoned 123 prisoners" in html
    assert '/?topic=Political%20prisoners"' in html


def test_wrong_slug_redirects_permanently(client, seeded):
    article = Article.objects.get(place__city="Baghdad")
    response = client.get(f"/articles/{article.pk}/old-slug/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


def test_drafts_are_hidden_from_readers_and_retractions_stay_reachable(client, seeded, admin_client):
    article = Article.objects.get(place__city="Baghdad")
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert admin_client.get(article.get_absolute_url()).status_code == 200
    article.status = Article.Status.RETRACTED
    article.save()
    assert "has been retracted" in client.get(article.get_absolute_url()).content.decode()


def test_body_html_is_sanitized(client, db):
    article = Article.objects.create(
        headline="Hostile copy",
        body='<p>Fine <em>text</em></p><script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">link</a>',
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Fine <em>text</em></p>" in html
    assert "alert(" not in html and "onerror" not in html and "javascript:" not in html


def test_a_source_address_links_only_over_http(client, db):
    article = Article.objects.create(headline="Sourced", body="Text.", source_url="javascript:alert(1)")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in html and "Original: javascript:alert(1)" in html
    Article.objects.filter(pk=article.pk).update(source_url="https://example.org/story")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/story" class="address">' in html


def test_wikinews_articles_carry_their_attribution(client, demo):
    article = Article.objects.filter(outlet__name="Wikinews").first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Wikinews contributors" in html and article.source_url in html


def test_missing_article_is_404(client, db):
    assert client.get("/articles/999999/nothing/").status_code == 404


def test_related_articles_leave_out_the_story_s_own_versions(client, seeded):
    article = Article.objects.get(place__city="Baghdad")
    versions = set(article.story.articles.values_list("pk", flat=True)) - {article.pk}
    related = client.get(article.get_absolute_url()).context["related"]
    assert versions and related and not versions & {int(r.pk) for r in related}


def test_errors_are_pages_of_the_site(client, seeded):
    response = client.get("/articles/999999/nothing/")
    html = response.content.decode()
    assert response.status_code == 404 and "<h1>Not found</h1>" in html and 'class="site-header"' in html


def test_related_articles_build_only_the_hits_shown(client, demo, monkeypatch):
    """The page shows RELATED articles: only those become search results, however many match
    (haystack passes "more like this" no page bounds; every match used to be built)."""
    from articles.search.whoosh import NewsWhooshBackend
    from articles.views import RELATED

    built = []
    result = NewsWhooshBackend._result

    def counted(self, *args, **kwargs):
        built.append(args[1])
        return result(self, *args, **kwargs)

    monkeypatch.setattr(NewsWhooshBackend, "_result", counted)
    article = Article.objects.get(place__city="Baghdad")
    related = client.get(article.get_absolute_url()).context["related"]
    assert len(related) == RELATED
    assert len(built) == RELATED
    assert article.pk not in {int(r.pk) for r in related}


def test_an_article_page_reads_the_article_in_two_queries_and_one_more_for_each_kind_it_has(
    client, db, django_assert_num_queries
):
    """The article with whether it has captions and earlier versions, then its topics; captions and
    versions are read only for an article that has them, and topics in one query however many."""
    from articles.models import ArticleVersion, Caption, Topic

    article = Article.objects.create(headline="Harbour reopens", body="The harbour reopened on Monday.")
    names = ("Ports", "Trade", "Weather")
    article.topics.set(Topic.objects.create(name=name, slug=name.lower()) for name in names)
    with django_assert_num_queries(2):
        html = client.get(article.get_absolute_url()).content.decode()
    assert all(f">{name}</a>" in html for name in names)
    Caption.objects.create(article=article, text="Cranes at dawn.")
    ArticleVersion.objects.create(article=article, body="The harbour may reopen.", note="First take")
    with django_assert_num_queries(4):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "Cranes at dawn." in html and "First take" in html


def _ingest(*paths) -> None:
    call_command("ingest", *map(str, paths), stdout=StringIO(), stderr=StringIO())


def _paragraphs(article: Article) -> list[str]:
    return article.body.split("\n\n")


def test_seed_copy_without_a_headline_gets_a_supplied_title_through_ingest(client, search_backend, tmp_path):
    for prefix in ("000", "001", "004"):
        shutil.copy(next(SEEDS.glob(f"{prefix}_*.txt")), tmp_path)
    _ingest(tmp_path)
    baghdad = Article.objects.get(place__city="Baghdad")  # AP, 000: the typo is the copy's own
    un_news = Article.objects.get(source_file__endswith="004_cbe40b273dbc3f4e.txt")
    titled = Article.objects.get(source_file__endswith="001_664add8a6e55531b.txt")
    assert baghdad.headline == (
        "United National Secretary-General Antonio Guterres was in Baghdad on Saturday to mark the end "
        "of the…"
    )
    assert un_news.headline.endswith(" against ISIL…")  # cut after a whole word, "…" marking the cut
    assert baghdad.headline_supplied and un_news.headline_supplied and not titled.headline_supplied
    for article in (baghdad, un_news):
        lead = _paragraphs(article)[0]
        assert lead.startswith(article.headline.removesuffix("…")) and lead != article.headline
        html = client.get(article.get_absolute_url()).content.decode()
        assert f"[{article.headline}]" in html and "(title supplied by the archive)" in html
        assert f"<title>[{article.headline}] – Newsarchive</title>" in html
        assert f"<p>{article.headline}</p>" not in html  # the cut title is no paragraph of the body
    html = client.get(titled.get_absolute_url()).content.decode()
    assert f"<h1>{titled.headline}</h1>" in html and f"<title>{titled.headline} – Newsarchive" in html


def test_wire_items_and_records_without_a_headline_get_a_supplied_one(search_backend, tmp_path):
    lead = (
        "Floodwater cut the islands of Lagos off from the mainland early Friday after the lagoon burst "
        "its banks following a night of torrential rain."
    )
    item = {"uri": "urn:example:lagos-1", "version": "1", "body_text": f"{lead}\n\nMore rain is due."}
    (tmp_path / "lagos.json").write_text(json.dumps(item))
    records = [
        {"id": "r1", "body": "Harbour cranes stood idle in Valparaíso on Monday. Unions met."},
        {"id": "r2", "title": "Cranes Idle", "body": "Harbour cranes stood idle in Valparaíso on Monday."},
    ]
    (tmp_path / "port.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    _ingest(tmp_path)
    wire = Article.objects.get(wire_id="urn:example:lagos-1")
    assert wire.headline_supplied and wire.headline.endswith("…") and len(wire.headline) <= 111
    assert lead.startswith(wire.headline.removesuffix("…")) and _paragraphs(wire)[0] == lead
    untitled, titled = Article.objects.filter(source_file__startswith="port.jsonl#").order_by("source_file")
    assert (untitled.headline, untitled.headline_supplied) == (
        "Harbour cranes stood idle in Valparaíso on Monday",
        True,
    )
    assert (titled.headline, titled.headline_supplied) == ("Cranes Idle", False)


def test_editors_see_the_supplied_box_and_a_headline_they_confirm_stays(
    admin_client, search_backend, tmp_path
):
    copy = tmp_path / "port.txt"
    copy.write_text(
        "Harbour cranes stood idle in Valparaíso on Monday. Unions met.\n\nTalks resume on Friday.\n"
    )
    _ingest(copy)
    article = Article.objects.get()
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    box = re.search(r'<input [^>]*name="headline_supplied"[^>]*>', page)
    assert box and " checked" in box.group()
    before = editorial.start_edit(article.pk)
    article.headline, article.headline_supplied = "Valparaíso Port Idle", False
    article.save()
    editorial.finish_edit(article, None, before)
    copy.write_text(copy.read_text() + "\nUnions said the strike would go on.\n")  # a corrected copy
    _ingest(copy)
    article.refresh_from_db()
    assert (article.headline, article.headline_supplied) == ("Valparaíso Port Idle", False)
    assert "strike would go on" in article.body


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"rights": "© The Associated Press", "licence": ""}, "© The Associated Press"),
        (
            {
                "rights": "",
                "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); attribution: X",
            },
            'CC BY 4.0 (<a href="https://creativecommons.org/licenses/by/4.0/" class="address">'
            "https://creativecommons.org/licenses/by/4.0/</a>); attribution: X",
        ),
        (
            {"rights": "", "licence": "Free to use, see javascript:alert(1)"},
            "Free to use, see javascript:alert(1)",
        ),
        ({"rights": "", "licence": ""}, "Rights not stated"),
    ],
)
def test_every_article_has_a_rights_line(client, db, fields, shown):
    article = Article.objects.create(headline="Rights", body="Text.", **fields)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<dt>Rights</dt><dd class="rights">{shown}</dd>' in html
    assert 'href="javascript:' not in html


def test_the_licence_is_listed_beside_a_copyright_line(client, db):
    article = Article.objects.create(
        headline="Both", body="Text.", rights="© Example News", licence="See https://example.org/terms."
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<dd class="rights">© Example News</dd>' in html
    assert (
        'Licence: See <a href="https://example.org/terms" class="address">https://example.org/terms</a>.'
        in html
    )


def test_article_pages_have_a_canonical_address_a_description_and_open_graph(client, seeded):
    article = Article.objects.get(place__city="Baghdad")
    html = client.get(article.get_absolute_url(), {"from": "q=Iraq"}).content.decode()
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html  # without the ?from= it was reached by
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="[{article.headline}]">' in html
    assert '<meta name="description" content="United National Secretary-General Antonio Guterres was' in html
    assert '<meta property="og:description" content="United National Secretary-General' in html


def test_internal_links_are_absolute_for_print_and_the_print_stylesheet_is_served(client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="http://testserver/?topic=Political%20prisoners"' in html
    baghdad = Article.objects.get(place__city="Baghdad")
    html = client.get(baghdad.get_absolute_url()).content.decode()
    assert f'href="http://testserver{baghdad.story.get_absolute_url()}"' in html
    css = Path(finders.find("css/site.css")).read_text()
    printed = css[css.index("@media print") :]
    for hidden in (".skip-link", ".site-search", ".facets", ".pagination", ".back-link"):
        assert hidden in printed.split("{ display: none; }")[0]
    assert 'a[href^="http"]:not(.address)::after { content: " (" attr(href) ")";' in printed
    assert ".article > .cite { order: 1;" in printed  # the citation prints last


def test_related_articles_are_kept_until_the_index_changes(client, demo, monkeypatch):
    """A page read again gets its related articles from the searcher's keeping; a change to the
    archive (a related article retracted) is shown at once, the kept lists being the old index's."""
    from articles.search.whoosh import NewsWhooshBackend

    worked_out = []
    most_like = NewsWhooshBackend._most_like
    monkeypatch.setattr(
        NewsWhooshBackend, "_most_like", lambda self, *a: worked_out.append(a[1]) or most_like(self, *a)
    )
    article = Article.objects.filter(status=Article.Status.PUBLISHED, story=None).order_by("pk")[40]
    first = [int(r.pk) for r in client.get(article.get_absolute_url()).context["related"]]
    again = [int(r.pk) for r in client.get(article.get_absolute_url()).context["related"]]
    assert first and again == first and len(worked_out) == 1

    gone = Article.objects.get(pk=first[0])
    gone.status = Article.Status.RETRACTED
    gone.save()
    after = [int(r.pk) for r in client.get(article.get_absolute_url()).context["related"]]
    assert len(worked_out) == 2 and gone.pk not in after and after[0] == first[1]
