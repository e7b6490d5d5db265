"""The admin's list of stories: counted and dated as the story's public page does."""

import datetime

import pytest

from articles.models import Article, Story
from tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)

STORIES = "/admin/articles/story/"


@pytest.fixture
def desk(client):
    make_editor()
    client.login(username="editor", password=PASSWORD)
    return client


def story_of(title: str, days: list[datetime.date], merged: int = 0, duplicates: int = 0) -> Story:
    """A story with a public version on each of ``days``, and merged and suspected duplicates."""
    story = Story.objects.create(title=title)
    versions = [
        Article.objects.create(headline=f"{title} {n}", body="Text.", published=d) for n, d in enumerate(days)
    ]
    for n in range(merged):
        Article.objects.create(
            headline=f"{title} merged {n}", body="", status=Article.Status.MERGED, merged_into=versions[0]
        )
    for n in range(duplicates):
        Article.objects.create(headline=f"{title} copy {n}", body="Text.", duplicate_of=versions[0])
    Article.objects.filter(headline__startswith=title).update(story=story)
    return story


def rows(desk, **query) -> dict[str, tuple[int, datetime.date | None]]:
    page = desk.get(STORIES, query)
    assert page.status_code == 200
    return {story.title: (story.article_total, story.news_date) for story in page.context["cl"].result_list}


def test_stories_are_counted_as_their_page_counts_them(desk, client):
    days = [datetime.date(1987, 3, d) for d in (2, 3, 3, 4, 5)]
    story = story_of("Cocoa talks", days, merged=1, duplicates=1)
    assert rows(desk) == {"Cocoa talks": (5, datetime.date(1987, 3, 2))}
    public = client.get(story.get_absolute_url())
    assert len(public.context["versions"]) == 5, "the page lists the same five versions"
    listing = desk.get(STORIES).content.decode()
    assert '<td class="field-article_count">5</td>' in listing


def test_stories_drill_down_by_their_news_date(desk):
    story_of("Cocoa talks", [datetime.date(1987, 3, 2), datetime.date(1987, 4, 1)])
    story_of("Harbour strike", [datetime.date(1987, 4, 20)])
    story_of("Grain exports", [datetime.date(2024, 5, 6)])
    assert set(rows(desk)) == {"Cocoa talks", "Harbour strike", "Grain exports"}
    assert set(rows(desk, news="1987")) == {"Cocoa talks", "Harbour strike"}
    assert set(rows(desk, news="1987-04")) == {"Harbour strike"}, "by its earliest version's date"
    assert set(rows(desk, news="1987-03-02")) == {"Cocoa talks"}
    assert rows(desk, news="2025") == {}
    listing = desk.get(STORIES, {"news": "1987"}).content.decode()
    assert "?news=1987-03" in listing and "March 1987" in listing and "April 1987" in listing
    assert desk.get(STORIES, {"news": "1987-13"}).status_code == 200
    assert desk.get(STORIES, {"news": "nonsense"}).status_code == 200
