"""Template helpers for stories: an article's other versions, a version's first paragraph."""

from __future__ import annotations

from django import template

from articles.models import Article
from articles.sanitize import to_plain_text

register = template.Library()


@register.simple_tag
def other_versions(article: Article) -> list[Article]:
    """The other public versions of the article's story (suspected duplicates left out)."""
    if article.story_id is None:
        return []
    from articles.stories.views import story_versions

    return [a for a in story_versions(article.story) if a.pk != article.pk]


@register.filter
def first_paragraph(body: str) -> str:
    """The first paragraph of an article body, as plain text."""
    return next((p for p in to_plain_text(body or "").split("\n\n") if p.strip()), "")
