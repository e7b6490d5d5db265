"""An Atom feed (RFC 4287) for any search: the search page's parameters, newest first by default.

Its title names the search and its filters; a page past the last is a 404. Each entry's ``updated``
is its article's last change, its ``rights`` the article's rights line; a headline the archive
supplied is in square brackets.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.cataloguing import catalogued_title, rights_line
from articles.forms import ArchiveSearchForm, SearchOutcome
from articles.models import Article
from articles.sanitize import to_plain_text, without_controls
from articles.search.facets import value_text


def _form(request: HttpRequest) -> ArchiveSearchForm:
    data = request.GET.copy()
    if not data.get("sort"):
        data["sort"] = "newest"  # a feed reader wants what is new
    return ArchiveSearchForm(data)


class SearchFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Newsarchive"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Bad parameters are a 400 that says which ones, like the API's; a page past the last
        a 404."""
        form = _form(request)
        if not form.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            return HttpResponseBadRequest(
                f"Bad search parameters. {problems}", content_type="text/plain; charset=utf-8"
            )
        outcome = form.execute()
        if outcome.page > outcome.pages:
            return HttpResponseNotFound(
                f"There is no page {outcome.page}: the results end on page {outcome.pages}.",
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, form=form, outcome=outcome, **kwargs)

    def get_object(
        self, request: HttpRequest, *args, form: ArchiveSearchForm, outcome: SearchOutcome, **kwargs
    ):
        """The search of a valid ``form`` and its ``outcome`` (both from :meth:`__call__`)."""
        self.request = request
        ids = [int(r.pk) for r in outcome.results]
        articles = Article.objects.select_related("outlet").in_bulk(ids)
        query = form.link_params()
        return {
            "query": outcome.parsed.read_as,
            "filters": _filters(form),
            "items": [articles[pk] for pk in ids if pk in articles],
            "link": reverse("articles:search") + ("?" + query.urlencode() if query else ""),
            "self": request.get_full_path(),
        }

    def title(self, obj) -> str:
        """ "Newsarchive: “flood” — outlet Reuters, 1987": the search and its filters."""
        title = f"Newsarchive: “{obj['query']}”" if obj["query"] else "Newsarchive: latest articles"
        # The reader's words and filter values, without the control characters XML cannot hold.
        return without_controls(f"{title} — {obj['filters']}" if obj["filters"] else title)

    def subtitle(self, obj) -> str:
        return "Articles matching a search of the Newsarchive."

    def link(self, obj) -> str:
        return obj["link"]

    def feed_url(self, obj) -> str:
        return obj["self"]

    def feed_guid(self, obj) -> str:
        return self.request.build_absolute_uri(obj["self"])

    def items(self, obj) -> list[Article]:
        return obj["items"]

    def item_title(self, item: Article) -> str:
        return catalogued_title(without_controls(item.headline), item.headline_supplied)

    def item_description(self, item: Article) -> str:
        """Plain text, escaped: the Atom summary is declared HTML (``type="html"``), and readers
        render it as such."""
        text = without_controls(item.summary) or " ".join(to_plain_text(item.body).split()[:60])
        return escape(text)

    def item_guid(self, item: Article) -> str:
        return self.request.build_absolute_uri(item.get_absolute_url())

    def item_author_name(self, item: Article) -> str:
        return without_controls(item.outlet.name) if item.outlet else "Unknown outlet"

    def item_pubdate(self, item: Article) -> datetime | None:
        if item.published is None:
            return None
        return datetime.combine(item.published, time(), tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, item: Article) -> datetime:
        """The article's own last change (not the time the feed was made)."""
        return item.updated

    def item_copyright(self, item: Article) -> str:
        return without_controls(rights_line(item.rights, item.licence))


def _filters(form: ArchiveSearchForm) -> str:
    """The filters a search applies, as a title reads them: "outlet Reuters or AP, 1987, from
    2025-01-01"; periods (years, months) by themselves, other facets after their label."""
    params = form.filter_params()
    parts = []
    for facet in form.facets:
        values = [value_text(facet.field, value) for value in params.getlist(facet.param)]
        if values:
            label = "" if facet.field in ("year", "month") else f"{facet.label.lower()} "
            parts.append(label + " or ".join(values))
    for name in ("from", "to"):
        if form.value(name):
            parts.append(f"{name} {form.value(name).isoformat()}")
    if form.value("undated"):
        parts.append("undated")
    return ", ".join(parts)
