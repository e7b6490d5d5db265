"""The article page: a permanent URL, sanitized body, captions, topics, versions, attribution."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_article_page_shows_the_story(client, seeded):
    article = Article.objects.get(place__city="Vilnius")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{article.headline}</h1>" in html
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
    assert '<a href="https://example.org/story">' in html


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
