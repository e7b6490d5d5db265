"""The seeds: the five UNAMI versions form one story, Belarus stays alone, no Wikinews article joins."""

import pytest

from articles.models import Article, Story

pytestmark = pytest.mark.django_db(transaction=True)

UNAMI = {1, 3, 4, 5, 6}
BELARUS = 2


def test_the_five_unami_versions_form_one_story_and_no_demo_article_joins(demo):
    unami = Article.objects.filter(pk__in=UNAMI)
    stories = set(unami.values_list("story", flat=True))
    assert len(stories) == 1 and None not in stories
    story = Story.objects.get(pk=stories.pop())
    assert set(story.articles.values_list("pk", flat=True)) == UNAMI
    # The earliest version with a headline of its own names the story, not a lede cut short.
    assert story.title == Article.objects.get(pk=5).headline
    belarus = Article.objects.get(pk=BELARUS)
    assert belarus.story_id is None or belarus.story_id != story.pk
    assert not Article.objects.filter(pk__gte=1000, story=story).exists()
    if belarus.story_id is not None:
        assert list(belarus.story.articles.values_list("pk", flat=True)) == [BELARUS]
    assert not unami.exclude(duplicate_of=None).exists(), "rewrites are versions, not duplicates"
