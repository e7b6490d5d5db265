"""``/articles/<id>/<slug>/cite/?style=S``: an article's citation; and the article page's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from articles.citations import STYLES, TEXT, Cited, cite, csl_item
from articles.models import Article

DEFAULT_STYLE = "apa"


def cite_article(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The citation in ``?style=`` (APA without one): prose as text, data formats as a download.

    An unknown id is a 404, an unknown style a 400, an article in the trash a 410; a merged
    duplicate's citation redirects to the canonical article's, an old slug to the current one (as
    the article page does)."""
    article = get_object_or_404(visible_articles(request).select_related("outlet", "merged_into"), pk=pk)
    if Article.Status.TRASHED in (article.status, article.merged_into and article.merged_into.status):
        return HttpResponse("This article is no longer in the archive.\n", status=410, content_type=TEXT)
    if article.merged_into_id or slug != article.slug:
        target = article.merged_into if article.merged_into_id else article
        query = request.GET.urlencode()
        return redirect(cite_url(target) + (f"?{query}" if query else ""), permanent=True)
    key = request.GET.get("style") or DEFAULT_STYLE
    style = STYLES.get(key)
    if style is None:
        return HttpResponseBadRequest(
            f"Unknown citation style {key[:50]!r}: use one of {', '.join(STYLES)}.\n", content_type=TEXT
        )
    response = HttpResponse(cite(item_for(request, article), key), content_type=style.content_type)
    if style.extension:
        response["Content-Disposition"] = f'attachment; filename="newsarchive-{article.pk}.{style.extension}"'
    return response


def visible_articles(request: HttpRequest):
    """The articles ``request`` may see: drafts only for staff."""
    if request.user.is_staff:
        return Article.objects.all()
    return Article.objects.exclude(status=Article.Status.DRAFT)


def cite_url(article: Article) -> str:
    return reverse("articles:cite", kwargs={"pk": article.pk, "slug": article.slug})


def item_for(request: HttpRequest, article: Article) -> dict:
    """The article's CSL-JSON item, pinned to the version shown, cited today."""
    permalink = request.build_absolute_uri(reverse("articles:detail_short", kwargs={"pk": article.pk}))
    return csl_item(
        Cited(
            pk=article.pk,
            headline=article.headline,
            headline_supplied=article.headline_supplied,
            url=permalink,
            changed=article.updated,
            accessed=timezone.now().date(),
            outlet=article.outlet.name if article.outlet else "",
            byline=article.byline,
            published=article.published,
            language=article.language,
        )
    )


def page_citations(request: HttpRequest, article: Article) -> dict:
    """What the article page's "Cite this article" shows: the permalink and the version it pins,
    and a link to every style. The styles' texts are not rendered on the page: citeproc-py takes
    some 12 ms a style, four times all the rest of an article page (the cite link renders one)."""
    url = cite_url(article)
    return {
        "permalink": request.build_absolute_uri(reverse("articles:detail_short", kwargs={"pk": article.pk})),
        "version": article.updated,
        "links": [{"label": style.label, "url": f"{url}?style={key}"} for key, style in STYLES.items()],
    }
