"""The story page: every version of one event, who published when, and where they differ."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize

from articles.models import Article, Story
from articles.sanitize import to_plain_text
from articles.search import aliases
from articles.stories.differences import Version, compare


def story_versions(story: Story):
    """The story's public versions, oldest first (undated last); suspected duplicates left out."""
    return (
        story.articles.filter(status__in=[Article.Status.PUBLISHED, Article.Status.RETRACTED])
        .filter(duplicate_of__isnull=True)
        .select_related("outlet", "place")
        .order_by("published", "pk")
    )


def story_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk)
    if slug != story.slug:
        return redirect(story, permanent=True)
    articles = sorted(story_versions(story), key=lambda a: (a.published is None, a.published, a.pk))
    versions = [_version(a) for a in articles]
    dated = [a.published for a in articles if a.published]
    comparison = compare(versions, aliases.group_of)  # names an editor confirmed are no difference
    outlets = sorted({str(a.outlet) for a in articles if a.outlet})
    context = {
        "story": story,
        "versions": list(zip(articles, versions, strict=True)),
        "outlets": outlets,
        "story_description": _description(len(articles), outlets),
        "first": min(dated, default=None),
        "last": max(dated, default=None),
        "comparison": comparison,
        "differences": [
            ("Names spelled differently", comparison.names),
            ("Figures that differ", comparison.figures),
            ("Dates that differ", comparison.dates),
        ],  # and the quotes, grouped by the versions carrying them: comparison.quote_groups
    }
    return render(request, "articles/story_detail.html", context)


def _version(article: Article) -> Version:
    label = str(article.outlet) if article.outlet else "Unknown outlet"
    label += f", {article.published:%-d %b %Y}" if article.published else ", undated"
    return Version(article.pk, label, to_plain_text(article.body))


def _description(versions: int, outlets: list[str]) -> str:
    """The page's description (its meta and Open Graph tags)."""
    source = f", from {', '.join(outlets)}" if outlets else ""
    told = f"{versions} version{pluralize(versions)} of one story{source}"
    return f"{told}: who published when, and where they differ."
