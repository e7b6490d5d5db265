"""The story page and the article page's link to it, through the test client."""

import pytest

from articles.models import Article, Story

pytestmark = pytest.mark.django_db(transaction=True)

UNAMI = {1, 3, 4, 5, 6}
BELARUS = 2


def test_story_page_lists_name_and_yazidi_differences(client, seeded):
    story = Article.objects.get(pk=1).story
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{story.title}</h1>" in html
    differences = html[html.index('id="differences"') :]
    assert "Al-Hassan / Al-Hussein" in differences and "/ Al Hassan" not in differences
    assert "nearly 100,000 Yazidis" in differences and "more than 100,000 Yazidis" in differences
    for pk in UNAMI:
        assert Article.objects.get(pk=pk).get_absolute_url() in html
    assert Article.objects.get(pk=BELARUS).get_absolute_url() not in html


def test_story_page_lists_each_quote_group_once_and_names_the_versions_without_it(client, seeded):
    story = Article.objects.get(pk=1).story
    response = client.get(story.get_absolute_url())
    comparison, html = response.context["comparison"], response.content.decode()
    differences = html[html.index('id="differences"') :]
    assert "Not in this version." not in differences
    assert len(comparison.quote_groups) < len(comparison.quotes)
    tables = [comparison.names, comparison.figures, comparison.dates, comparison.quote_groups]
    assert differences.count("<table>") == sum(len(t) for t in tables)
    assert differences.count('<p class="not-in">Not in: ') == sum(
        bool(d.missing) for d in comparison.names + comparison.figures + comparison.dates
    ) + len(comparison.quote_groups)


def test_story_page_shows_span_outlets_and_timeline(client, seeded):
    story = Article.objects.get(pk=1).story
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<time datetime="2025-12-12">12 December 2025</time> – <time datetime="2025-12-13">' in html
    assert "AP, Gaya One, UN News" in html
    assert "Who published when" in html and "Date unknown" in html


def test_wrong_slug_redirects_and_unknown_story_is_404(client, seeded):
    story = Article.objects.get(pk=1).story
    response = client.get(f"/stories/{story.pk}/old-title/")
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()
    assert client.get("/stories/999999/nothing/").status_code == 404


def test_article_page_links_the_other_versions(client, seeded):
    article = Article.objects.get(pk=4)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "4 other versions of this story" in html
    assert article.story.get_absolute_url() in html
    for pk in UNAMI - {4}:
        assert Article.objects.get(pk=pk).get_absolute_url() in html
    belarus = client.get(Article.objects.get(pk=BELARUS).get_absolute_url()).content.decode()
    assert "other version" not in belarus


def test_suspected_duplicates_are_not_shown_as_versions(client, seeded):
    article = Article.objects.get(pk=5)
    Article.objects.filter(pk=5).update(duplicate_of=Article.objects.get(pk=1))
    story = article.story
    html = client.get(story.get_absolute_url()).content.decode()
    assert article.get_absolute_url() not in html
    assert (
        "3 other versions of this story"
        in client.get(Article.objects.get(pk=4).get_absolute_url()).content.decode()
    )
    assert Story.objects.filter(pk=story.pk).exists()
