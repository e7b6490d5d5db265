"""The editors' admin: curation, bulk actions, merges, history, the review queue and the upload page.

The work itself is plain functions in :mod:`articles.editorial`, :mod:`articles.review` and
:mod:`articles.ingest`; this module wires them to admin pages. Every change reaches search
through the index queue (``articles.search.indexing``) when its transaction commits.
"""

from __future__ import annotations

import difflib
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from articles import editorial, review
from articles.admin_forms import (
    ArticleMergeForm,
    MergeForm,
    PlainLineBreaksForm,
    RetractForm,
    TopicForm,
    upload_page,
)
from articles.jobs import admin as jobs_admin  # noqa: F401  (the jobs page)
from articles.models import (
    AliasGroup,
    Article,
    ArticleChange,
    ArticleVersion,
    Caption,
    Outlet,
    Place,
    PossibleVersion,
    Topic,
)
from articles.sanitize import to_plain_text
from articles.stories import editing as story_editing

VERSIONS_PER_PAGE = 20  # possible versions on one page of the review queue
# ?order= on that page: (link text, ordering); the first is the default.
VERSION_ORDERS = {
    "likely": ("Most likely first", [F("evidence").desc(), F("pk").desc()]),
    "newest": (
        "Newest first",
        [Greatest("first__published", "second__published").desc(nulls_last=True), F("pk").desc()],
    ),
}
LEAD_WORDS = 60  # of each article's text shown beside it
SHOWN_SELECTED = 50  # of the selected objects listed on a bulk action's second step


def _count(n: int, opts=Article._meta) -> str:
    """“1 article”, “1,500 articles” (or of another model)."""
    return f"{n:,} {model_ngettext(opts, n)}"


class ArchiveModelAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def _second_step(modeladmin, request, queryset, form, title: str, action: str) -> TemplateResponse:
    """The page that asks what a bulk action needs (a note, a topic, which object to keep).

    Its form posts back to the changelist's URL (its filters and search included) with the same
    selection: the ticked ids (one page at most), or, when the editor chose all that match, the
    changelist's ``select_across`` flag instead of every id, so any selection fits a request.
    """
    select_across = request.POST.get("select_across") == "1"
    count = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "count": count,
        "shown": queryset[:SHOWN_SELECTED],
        "more": max(count - SHOWN_SELECTED, 0),
        "select_across": select_across,
        # Django acts on a confirmed action only with an id ticked; select_across then means all.
        "selected": queryset.values_list("pk", flat=True)[: 1 if select_across else None],
        "action": action,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/action_form.html", context)


def _merge_action(merge, noun: str, form_class=MergeForm):
    """A bulk action merging the selected objects into the one the editor keeps."""

    def action(modeladmin, request, queryset):
        if queryset.count() < 2:
            modeladmin.message_user(request, f"Select at least two {noun} to merge.", messages.WARNING)
            return None
        form = form_class(request.POST if "apply" in request.POST else None, queryset=queryset)
        if not form.fields["target"].queryset.exists():
            modeladmin.message_user(request, f"None of the selected {noun} can be kept.", messages.WARNING)
            return None
        if not form.is_valid():
            return _second_step(modeladmin, request, queryset, form, f"Merge {noun}", action.__name__)
        target = form.cleaned_data["target"]
        try:
            merged = merge(target, list(queryset.exclude(pk=target.pk)), request.user)
        except editorial.MergeError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        if merged:
            message = f"Merged {_count(merged, modeladmin.opts)} into “{target}”."
            modeladmin.message_user(request, message, messages.SUCCESS)
        else:
            modeladmin.message_user(request, f"Nothing to merge: the other {noun} are merged already.")
        return None

    action.__name__ = f"merge_{noun.replace(' ', '_')}"
    return admin.action(description=f"Merge selected {noun}…", permissions=["change", "delete"])(action)


@admin.register(Outlet)
class OutletAdmin(ArchiveModelAdmin):
    list_display = ["name", "kind", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [_merge_action(editorial.merge_outlets, "outlets")]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=models.Count("articles"))

    @admin.display(description="Articles", ordering="n_articles")
    def article_count(self, outlet: Outlet) -> int:
        return outlet.n_articles


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["city", "country"]
    list_filter = ["country"]
    search_fields = ["city", "country"]
    actions = [_merge_action(editorial.merge_places, "places")]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [_merge_action(editorial.merge_topics, "topics")]

    # Deleting a topic changes its articles: recorded in their history, and search updated.
    def delete_model(self, request, obj: Topic) -> None:
        editorial.delete_topics(Topic.objects.filter(pk=obj.pk), request.user)

    def delete_queryset(self, request, queryset) -> None:
        editorial.delete_topics(queryset, request.user)


class CaptionInline(admin.TabularInline):
    model = Caption
    form = PlainLineBreaksForm
    extra = 0


class CountryFilter(admin.SimpleListFilter):
    """The dateline's country, listed from the places (not from a scan of every article)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        countries = Place.objects.exclude(country="").order_by("country").values_list("country", flat=True)
        return [(country, country) for country in countries.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(place__country=self.value()) if self.value() else queryset


class TranslatedFilter(admin.SimpleListFilter):
    title = "translated"
    parameter_name = "translated"

    def lookups(self, request, model_admin):
        return [("yes", "Translated"), ("no", "Original language")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(translated_from="")
        if self.value() == "no":
            return queryset.filter(translated_from="")
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    """The review queue's rules as a changelist filter (the review page links here)."""

    title = "needs review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [(slug, title) for slug, (title, _) in review.RULES.items()]

    def queryset(self, request, queryset):
        if self.value() in review.RULES:
            return queryset.filter(pk__in=review.RULES[self.value()][1]().values("pk"))
        return queryset


@admin.register(Article)
class ArticleAdmin(ArchiveModelAdmin):
    form = PlainLineBreaksForm
    list_display = ["headline", "outlet", "place", "published", "status", "topic_names"]
    list_filter = [
        "status",
        "published",
        "outlet",
        CountryFilter,
        "topics",
        "language",
        TranslatedFilter,
        "wire_format",
        ReviewFilter,
    ]
    list_select_related = ["outlet", "place"]
    # The filters list outlets, countries and topics from their own tables: a filter listing only
    # the values articles use scans every article (half of the page's time at 100k articles), and
    # a list of every dateline place is too long to use: a place is searched for by its city. Dates
    # are filtered by recency (a date hierarchy reads every article's year on every page).
    search_fields = ["headline", "body", "byline", "place__city"]
    autocomplete_fields = ["outlet", "place", "topics", "translation_of"]
    inlines = [CaptionInline]
    readonly_fields = [
        "source_file",
        "content_hash",
        "raw_text",
        "created",
        "updated",
        "merged_into",
        "earlier_versions",
        "translation_list",
        "wire_format",
        "wire_id",
        "wire_version",
        "wire_status",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "status", "retraction_note", "outlet", "place", "published"]}),
        ("Text", {"fields": ["dek", "summary", "body", "byline", "editor", "trailer", "rights", "topics"]}),
        ("Language", {"fields": ["language", "translated_from", "translation_of", "translation_list"]}),
        (
            "Wire copy",
            {
                "classes": ["collapse"],
                "fields": [
                    "published_at",
                    "published_offset",
                    "released_at",
                    "wire_format",
                    "wire_id",
                    "wire_version",
                    "wire_status",
                    "slugline",
                ],
            },
        ),
        ("Earlier versions", {"fields": ["earlier_versions", "merged_into"]}),
        (
            "Provenance",
            {
                "classes": ["collapse"],
                "fields": [
                    "source_url",
                    "licence",
                    "source_file",
                    "content_hash",
                    "raw_text",
                    "created",
                    "updated",
                ],
            },
        ),
    ]
    prepopulated_fields = {"slug": ["headline"]}
    actions = [
        "publish",
        "unpublish",
        "retract",
        "add_topic",
        "remove_topic",
        _merge_action(editorial.merge_articles, "articles", ArticleMergeForm),
    ]
    change_list_template = "admin/articles/article/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="Topics")
    def topic_names(self, article: Article) -> str:
        return ", ".join(topic.name for topic in article.topics.all())

    @admin.display(description="Its translations")
    def translation_list(self, article: Article) -> str:
        found = list(article.translations.all()) if article.pk else []
        if not found:
            return "None"
        change = "admin:articles_article_change"
        return format_html_join(
            ", ", '<a href="{}">{}</a> ({})', ((reverse(change, args=[t.pk]), t, t.language) for t in found)
        )

    @admin.display(description="Earlier versions, compared with the current text")
    def earlier_versions(self, article: Article) -> str:
        versions = list(article.versions.all()) if article.pk else []
        if not versions:
            return "None"
        current = to_plain_text(article.body).splitlines()
        return format_html_join(
            "",
            '<details><summary>{} ({})</summary><pre class="diff">{}</pre></details>',
            (
                (
                    version.note or "Earlier version",
                    f"{version.created:%Y-%m-%d %H:%M}",
                    _diff(to_plain_text(version.body).splitlines(), current),
                )
                for version in versions
            ),
        )

    # -- history -----------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        request._article_before = editorial.start_edit(obj.pk if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_article_before", editorial.NO_STATE)
        editorial.finish_edit(form.instance, request.user, before, "edit" if change else "created")

    def history_view(self, request, object_id, extra_context=None):
        changes = ArticleChange.objects.filter(article_id=object_id).select_related("user")
        context = {"changes": changes, "can_restore": self.has_change_permission(request)}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def restore_view(self, request: HttpRequest, object_id: str, change_id: str) -> HttpResponse:
        change = get_object_or_404(ArticleChange, pk=change_id, article_id=object_id)
        if not self.has_change_permission(request, change.article):
            raise PermissionDenied
        if change.before:
            editorial.restore(change, request.user)
            message = f"Restored the article as it was before the change of {change.when:%Y-%m-%d %H:%M}."
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, "The state before this change was not recorded.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[object_id]))

    # -- bulk actions ------------------------------------------------------------------------

    def _report(self, request, done: str, count: int, selected: int) -> None:
        """“Published 3 articles.”, and how many of the selection were left as they were."""
        unchanged = selected - count
        message = f"{done} {_count(count)}." + (f" {_count(unchanged)} unchanged." if unchanged else "")
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        selected = queryset.count()  # before: the changelist's filter may be on status
        count = editorial.set_status(queryset, Article.Status.PUBLISHED, request.user)
        self._report(request, "Published", count, selected)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        selected = queryset.count()
        count = editorial.set_status(queryset, Article.Status.DRAFT, request.user)
        self._report(request, "Unpublished", count, selected)

    @admin.action(description="Retract selected articles…", permissions=["change"])
    def retract(self, request, queryset):
        form = RetractForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _second_step(self, request, queryset, form, "Retract articles", "retract")
        selected = queryset.count()
        count = editorial.set_status(
            queryset, Article.Status.RETRACTED, request.user, form.cleaned_data["retraction_note"]
        )
        self._report(request, "Retracted", count, selected)
        return None

    def _topic_action(self, request, queryset, name: str, title: str, done: str, change):
        form = TopicForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _second_step(self, request, queryset, form, title, name)
        topic, selected = form.cleaned_data["topic"], queryset.count()
        self._report(request, done.format(topic=topic), change(queryset, topic, request.user), selected)
        return None

    @admin.action(description="Add a topic to selected articles…", permissions=["change"])
    def add_topic(self, request, queryset):
        return self._topic_action(
            request, queryset, "add_topic", "Add topic", "Added “{topic}” to", editorial.add_topic
        )

    @admin.action(description="Remove a topic from selected articles…", permissions=["change"])
    def remove_topic(self, request, queryset):
        return self._topic_action(
            request,
            queryset,
            "remove_topic",
            "Remove topic",
            "Removed “{topic}” from",
            editorial.remove_topic,
        )

    # -- review queue and upload -------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("review/", wrap(self.review_view), name="articles_article_review"),
            path("review/versions/", wrap(self.possible_versions_view), name="articles_article_versions"),
            path(
                "review/versions/<int:pk>/",
                wrap(require_POST(self.decide_view)),
                name="articles_article_decide",
            ),
            path("upload/", wrap(self.upload_view), name="articles_article_upload"),
            path(
                "<path:object_id>/history/<int:change_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        rules = []
        for slug, (title, rule) in review.RULES.items():
            queryset = rule().select_related("outlet").order_by("-created", "-pk")
            rules.append({"slug": slug, "title": title, "count": queryset.count(), "articles": queryset[:20]})
        context = {
            **self.admin_site.each_context(request),
            "title": "Review queue",
            "opts": self.opts,
            "rules": rules,
            "possible_versions": PossibleVersion.objects.undecided().count(),
        }
        return render(request, "admin/articles/article/review.html", context)

    def possible_versions_view(self, request: HttpRequest) -> HttpResponse:
        """Pairs the story rule nearly joined, most likely (or newest) first, each with both leads."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        order = request.GET.get("order")
        order = order if order in VERSION_ORDERS else next(iter(VERSION_ORDERS))
        pairs = (
            PossibleVersion.objects.undecided()
            .select_related("first__outlet", "first__story", "second__outlet", "second__story")
            .order_by(*VERSION_ORDERS[order][1])
        )
        page = Paginator(pairs, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
        for pair in page:
            pair.articles = [pair.first, pair.second]
            for article in pair.articles:
                article.lead = Truncator(to_plain_text(article.body)).words(LEAD_WORDS)
        context = {
            **self.admin_site.each_context(request),
            "title": "Possible versions of one story",
            "opts": self.opts,
            "page": page,
            "order": order,
            "orders": [(key, label) for key, (label, _) in VERSION_ORDERS.items()],
        }
        return render(request, "admin/articles/article/possible_versions.html", context)

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """An editor's verdict on one pair: the same story, or not. A pair another editor decided
        meanwhile (or that needs no decision any more) is reported, not decided again."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        possible = get_object_or_404(PossibleVersion, pk=pk)
        verdict = request.POST.get("decision")
        if verdict not in (PossibleVersion.Decision.SAME, PossibleVersion.Decision.DIFFERENT):
            messages.error(request, "Choose “The same story” or “Not the same story”.")
        elif not possible.decision and not PossibleVersion.objects.undecided().filter(pk=pk).exists():
            messages.info(
                request, "This pair needs no decision any more: one story holds both, or one was merged."
            )
        else:  # undecided, or decided by another editor (which ``decide`` reports)
            try:
                story = story_editing.decide(possible, verdict == PossibleVersion.Decision.SAME, request.user)
            except story_editing.AlreadyDecided as decided:
                messages.warning(request, str(decided))
            else:
                messages.success(
                    request,
                    f"Both articles are now in the story “{story}”."
                    if story
                    else "Marked as not the same story; the pair will not be offered again.",
                )
        # Back to the same page in the same order (the list checks both; urlencode escapes them).
        query = urlencode({key: request.POST[key] for key in ("order", "page") if request.POST.get(key)})
        url = reverse("admin:articles_article_versions")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Upload raw copy", "opts": self.opts}
        return upload_page(request, context)


def _diff(old: list[str], new: list[str]) -> str:
    """A line diff (``-`` earlier, ``+`` current); escaped by the caller's format_html."""
    lines = difflib.unified_diff(old, new, "earlier", "current", lineterm="", n=1)
    return "\n".join(lines) or "(same text)"


@admin.register(Caption)
class CaptionAdmin(admin.ModelAdmin):
    list_display = ["text", "credit", "article"]
    list_select_related = ["article"]
    search_fields = ["text", "credit", "article__headline"]
    autocomplete_fields = ["article"]


@admin.register(ArticleVersion)
class ArticleVersionAdmin(admin.ModelAdmin):
    list_display = ["article", "headline", "note", "created"]
    list_select_related = ["article"]
    search_fields = ["headline", "body", "article__headline"]
    date_hierarchy = "created"
    autocomplete_fields = ["article"]


@admin.register(AliasGroup)
class AliasGroupAdmin(admin.ModelAdmin):
    """Name variants: a search for any name of a group also finds the others (no reindex needed)."""

    list_display = ["__str__", "note"]
    search_fields = ["names", "note"]


from articles.stories import admin as _story_admin  # noqa: E402, F401  (the stories' admin, built on ArticleAdmin)
