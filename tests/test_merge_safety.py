"""Merges with a safety net: the merge page warns when the selection mixes outlets, dates more than
a few days apart, languages or stories, and then merges only with "merge anyway" ticked; it says
which article is kept and why, and shows each other article beside it, texts compared word by word."""

import datetime

import pytest
from django.utils.html import escape

from articles.models import Article, Outlet, Story
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "Not merged: these articles may not be copies of one article"


def merge_page(editor, articles, **data):
    return action(editor, "merge_articles", articles, **data)


def warnings(page) -> list[str]:
    return page.context.get("warnings") or []


def is_merged(article: Article) -> bool:
    article.refresh_from_db()
    return article.status == Article.Status.MERGED


def refused_then_merged_anyway(editor, kept: Article, other: Article, warning: str) -> None:
    """The page warns; applying without "merge anyway" is refused, warnings shown; with it, merged."""
    page = merge_page(editor, [kept, other])
    assert page.status_code == 200 and warning in " ".join(warnings(page))
    assert escape(warning) in page.content.decode()

    refused = merge_page(editor, [kept, other], apply="1", target=kept.pk)
    html = refused.content.decode()
    assert refused.status_code == 200, "the page again, not a redirect"
    assert REFUSED in html and escape(warning) in html
    assert refused.context["form"].errors["merge_anyway"]
    assert not is_merged(other)

    done = merge_page(editor, [kept, other], apply="1", target=kept.pk, merge_anyway="on")
    assert done.status_code == 302 and is_merged(other)
    assert other.merged_into_id == kept.pk


def test_articles_from_different_outlets_merge_only_when_confirmed(editor):
    un_news, gaya = Article.objects.get(pk=4), Article.objects.get(pk=5)
    refused_then_merged_anyway(
        editor, un_news, gaya, "They come from different outlets: Gaya One (#5); UN News (#4)."
    )


def test_dates_more_than_a_few_days_apart_merge_only_when_confirmed(editor):
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=6)
    Article.objects.filter(pk=other.pk).update(published=datetime.date(2025, 12, 1))
    refused_then_merged_anyway(
        editor, kept, other, "Their dates are 11 days apart, more than 3: 2025-12-01 (#6) to 2025-12-12 (#4)."
    )


def test_dates_a_few_days_apart_are_no_warning(editor):
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=6)
    Article.objects.filter(pk=other.pk).update(published=kept.published + datetime.timedelta(days=3))
    page = merge_page(editor, [kept, other])
    assert warnings(page) == [] and "merge_anyway" not in page.context["form"].fields
    assert merge_page(editor, [kept, other], apply="1", target=kept.pk).status_code == 302
    assert is_merged(other)


def test_different_languages_merge_only_when_confirmed(editor):
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=6)
    Article.objects.filter(pk=other.pk).update(language="fr")
    refused_then_merged_anyway(editor, kept, other, "They are in different languages: en (#4); fr (#6).")


def test_different_stories_merge_only_when_confirmed(editor):
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=6)
    elsewhere = Story.objects.create(title="UNAMI staff leave Erbil")
    Article.objects.filter(pk=other.pk).update(story=elsewhere)
    story = Article.objects.get(pk=kept.pk).story
    assert story is not None, "the seed's UN articles are one story"
    warning = f"They belong to different stories: story “{story}” (#4); story “{elsewhere}” (#6)."
    refused_then_merged_anyway(editor, kept, other, warning)


def test_every_warning_at_once_is_listed(editor):
    ap, un_news = Article.objects.get(pk=2), Article.objects.get(pk=6)
    Article.objects.filter(pk=un_news.pk).update(published=datetime.date(2025, 1, 2), language="ar")
    page = merge_page(editor, [ap, un_news])
    found = warnings(page)
    assert len(found) == 3, found
    assert [w.split(":")[0] for w in found] == [
        "They come from different outlets",
        "Their dates are 345 days apart, more than 3",
        "They are in different languages",
    ]


def test_copies_of_one_article_merge_without_a_warning(editor):
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=6)  # UN News, one story, one undated
    page = merge_page(editor, [kept, other])
    assert warnings(page) == [] and "merge_anyway" not in page.context["form"].fields
    assert "Warning" not in page.content.decode()


def test_the_page_says_which_article_is_kept_and_why(editor):
    longer, shorter = Article.objects.get(pk=6), Article.objects.get(pk=4)
    words = len(longer.body.split())
    page = merge_page(editor, [shorter, longer])
    html = page.content.decode()
    assert page.context["form"]["target"].value() == longer.pk, "the suggestion is chosen at first"
    assert escape(f"Kept: #{longer.pk} “{longer.headline}”") in html
    assert f"because it has the fullest text ({words:,} words)" in html
    assert "The other one redirects to it for good" in html


def test_a_published_article_is_kept_over_a_draft_even_when_shorter(editor):
    published, draft = Article.objects.get(pk=4), Article.objects.get(pk=6)  # 6 has the longer text
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    page = merge_page(editor, [published, draft])
    assert page.context["kept"] == published
    assert page.context["kept_reason"].startswith("it is published (not every other one is)")


def test_the_original_of_flagged_copies_is_kept_and_an_editor_s_choice_is_said(editor):
    original, copy = Article.objects.get(pk=4), Article.objects.get(pk=6)
    Article.objects.filter(pk=copy.pk).update(duplicate_of=original, language="fr")
    page = merge_page(editor, [original, copy])
    assert page.context["kept"] == original
    assert "because the others are flagged as suspected copies of it" in page.content.decode()

    refused = merge_page(editor, [original, copy], apply="1", target=copy.pk)  # no "merge anyway"
    html = refused.content.decode()
    assert escape(f"Kept: #{copy.pk} “{copy.headline}”") in html
    assert f"because you chose it (the suggestion was #{original.pk}" in html


def test_the_articles_are_side_by_side_with_their_texts_compared_word_by_word(editor):
    kept, other = Article.objects.get(pk=4), Article.objects.get(pk=6)
    Article.objects.filter(pk=kept.pk).update(
        body="<p>UNAMI staff left Baghdad on Tuesday &amp; handed over the compound.</p>"
    )
    Article.objects.filter(pk=other.pk).update(
        body="<p>UNAMI staff left Baghdad on Monday &amp; handed over the &lt;b&gt;compound&lt;/b&gt;.</p>"
    )
    page = merge_page(editor, [kept, other], target=kept.pk)
    html = page.content.decode()
    assert page.context["kept"] == kept
    assert '<del><span class="visually-hidden">[only in the one merged away: </span>Monday' in html
    assert '<ins><span class="visually-hidden">[only in the one kept: </span>Tuesday' in html
    assert "&lt;b&gt;compound&lt;/b&gt;." in html and "<b>compound" not in html, "escaped, not markup"
    assert "Baghdad on " in html and " &amp; handed over the " in html, "the words in both, once a column"
    assert f"#{other.pk}, merged away" in html and f"#{kept.pk}, kept" in html
    assert "2 words only in #6, 2 only in #4." in html


def test_a_selection_of_several_outlets_names_each(editor):
    Outlet.objects.filter(pk=3).update(name="Gaya <One>")
    page = merge_page(
        editor, [Article.objects.get(pk=1), Article.objects.get(pk=4), Article.objects.get(pk=5)]
    )
    html = page.content.decode()
    assert "They come from different outlets: AP (#1); Gaya &lt;One&gt; (#5); UN News (#4)." in html
