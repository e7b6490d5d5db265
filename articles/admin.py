"""The editors' admin: curation, bulk actions, merges, history, the review queue and the upload page.

The work itself is plain functions in :mod:`articles.editorial`, :mod:`articles.review` and
:mod:`articles.ingest`; this module wires them to admin pages. Every change reaches search
through the index queue (``articles.search.indexing``) when its transaction commits.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from articles import admin_widgets, conflicts, diffs, editorial, review_admin, trash_admin
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
    Topic,
)
from articles.sanitize import to_plain_text

SHOWN_SELECTED = 50  # of the selected objects listed on a bulk action's second step
CONFIRM_OVER = 20  # a status action over more articles asks first


def _count(n: int, opts=Article._meta) -> str:
    """“1 article”, “1,500 articles” (or of another model)."""
    return f"{n:,} {model_ngettext(opts, n)}"


class ArchiveModelAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def _second_step(
    modeladmin,
    request,
    queryset,
    form,
    title: str,
    action: str,
    template: str = "",
    extra: dict | None = None,
) -> TemplateResponse:
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
        # The revisions the changelist showed, checked again when the action is applied.
        "revisions": [(k, v) for k, v in request.POST.items() if k.startswith(conflicts.SHOWN_PREFIX)],
        **(extra or {}),
    }
    return TemplateResponse(request, template or "admin/articles/action_form.html", context)


def _unless_changed(func):
    """A bulk action that leaves alone the articles saved since the changelist showed them (it
    says which, by whom): checked and applied in one transaction, the rows locked where the
    database can."""

    @functools.wraps(func)
    def action(modeladmin, request, queryset):
        with transaction.atomic():
            stale = conflicts.changed_since_shown(queryset, conflicts.shown_revisions(request.POST))
            if stale:
                modeladmin.message_user(request, conflicts.describe_stale(stale), messages.WARNING)
                queryset = queryset.exclude(pk__in=[article.pk for article, _ in stale])
                if not queryset.exists():
                    return None
            return func(modeladmin, request, queryset)

    return action


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
            title, name = f"Merge {noun}", action.__name__
            page = form.page_template, form.page_context()
            return _second_step(modeladmin, request, queryset, form, title, name, *page)
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
    formset = admin_widgets.LabelledInlineFormSet
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


class ArticleChangeList(ChangeList):
    """The article list reads no text: a page deep in 100k articles read every skipped row's body
    and raw copy (0.16 s of its 0.27 s on SQLite)."""

    TEXT = ("body", "raw_text", "summary", "retraction_note")

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*self.TEXT)


@admin.register(Article)
class ArticleAdmin(trash_admin.TrashMixin, admin_widgets.LabelledPickers, ArchiveModelAdmin):
    form = conflicts.ArticleForm
    list_display = ["headline", "outlet", "place", "published", "status", "topic_names"]
    list_filter = [
        trash_admin.StatusFilter,
        "published",
        "outlet",
        CountryFilter,
        "topics",
        "language",
        TranslatedFilter,
        "wire_format",
        review_admin.ReviewFilter,
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
        "story",
        "duplicate_of",
        "earlier_versions",
        "translation_list",
        "wire_format",
        "wire_id",
        "wire_version",
        "wire_status",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "headline_supplied",
                    "slug",
                    "status",
                    "retraction_note",
                    "outlet",
                    "place",
                    "country",
                    "published",
                    "story",
                    "duplicate_of",
                    conflicts.REVISION_FIELD,
                ]
            },
        ),
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
        "delete_selected",
        "restore_from_trash",
        "purge",
    ]
    change_list_template = "admin/articles/article/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["headline"].widget.attrs["class"] = "vLargeTextField"  # the whole headline
        form.base_fields[conflicts.REVISION_FIELD].widget = admin_widgets.UnlabelledHiddenInput()
        return form

    def changelist_view(self, request, extra_context=None):
        trashed = Article.objects.filter(status=Article.Status.TRASHED).count()
        context = {"trash_url": trash_admin.trash_url(), "trashed": trashed, **(extra_context or {})}
        return super().changelist_view(request, context)

    def action_checkbox(self, article: Article) -> str:
        """The row's checkbox (Django's markup, without rendering a widget template a row: a
        third of a list page's time), and the revision the row shows (see :func:`_unless_changed`)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">{}',
            admin.helpers.ACTION_CHECKBOX_NAME,
            article.pk,
            gettext("Select this object for an action - {}").format(article),
            conflicts.revision_input(article),
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {name: (_unless_changed(func), name, text) for name, (func, _, text) in actions.items()}

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
        current = to_plain_text(article.body)
        compared = []
        for version in versions:
            segments = diffs.word_diff(to_plain_text(version.body), current)
            compared.append((version, segments, *diffs.changed_words(segments)))
        return render_to_string("admin/articles/includes/earlier_versions.html", {"versions": compared})

    # -- history -----------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except conflicts.SavedMeanwhile:  # rolled back; this time the form sees the newer save
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        request._article_before = editorial.start_edit(obj.pk if change else None)
        opened = form.cleaned_data.get(conflicts.REVISION_FIELD)
        if change and form.has_changed():  # count the save, unless another one came first
            fresh = Article.objects.filter(pk=obj.pk, **({} if opened is None else {"revision": opened}))
            if not fresh.update(revision=F("revision") + 1):
                raise conflicts.SavedMeanwhile
            obj.revision = Article.objects.values_list("revision", flat=True).get(pk=obj.pk)
        in_trash = obj.status == Article.Status.TRASHED  # a status set in the form, like a delete
        obj.trashed = (obj.trashed or timezone.now()) if in_trash else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_article_before", editorial.NO_STATE)
        editorial.finish_edit(form.instance, request.user, before, "edit" if change else "created")

    def history_view(self, request, object_id, extra_context=None):
        changes = [
            (change, _compared(change))
            for change in ArticleChange.objects.filter(article_id=object_id).select_related("user")
        ]
        context = {"changes": changes, "can_restore": self.has_change_permission(request)}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def restore_view(self, request: HttpRequest, object_id: str, change_id: str) -> HttpResponse:
        """GET: what the restore would change (field: current → restored), to confirm; POST: restore."""
        change = get_object_or_404(ArticleChange, pk=change_id, article_id=object_id)
        if not self.has_change_permission(request, change.article):
            raise PermissionDenied
        history = reverse("admin:articles_article_history", args=[object_id])
        if not change.before:
            self.message_user(request, "The state before this change was not recorded.", messages.WARNING)
            return HttpResponseRedirect(history)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": "Restore as before this change?",
                "opts": self.opts,
                "object": change.article,
                "change": change,
                "preview": editorial.restore_preview(change),
                "history_url": history,
            }
            return TemplateResponse(request, "admin/articles/article/restore_confirmation.html", context)
        editorial.restore(change, request.user)
        message = f"Restored the article as it was before the change of {change.when:%Y-%m-%d %H:%M}."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(history)

    # -- bulk actions ------------------------------------------------------------------------

    def _report(self, request, done: str, count: int, selected: int) -> None:
        """“Published 3 articles.”, and how many of the selection were left as they were."""
        unchanged = selected - count
        message = f"{done} {_count(count)}." + (f" {_count(unchanged)} unchanged." if unchanged else "")
        self.message_user(request, message, messages.SUCCESS)

    def _confirmed(self, request, queryset, title: str, name: str, over: int = 0) -> TemplateResponse | None:
        """The page that asks before an action over more than ``over`` articles (None: go ahead)."""
        form = forms.Form(request.POST if "apply" in request.POST else None)
        if queryset.count() > over and not form.is_valid():
            return _second_step(self, request, queryset, form, title, name)
        return None

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        selected = queryset.count()  # before: the changelist's filter may be on status
        title = f"Publish {_count(selected)}"
        if asked := self._confirmed(request, queryset, title, "publish", CONFIRM_OVER):
            return asked
        count = editorial.set_status(queryset, Article.Status.PUBLISHED, request.user)
        self._report(request, "Published", count, selected)
        return None

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        selected = queryset.count()
        title = f"Unpublish {_count(selected)}"
        if asked := self._confirmed(request, queryset, title, "unpublish", CONFIRM_OVER):
            return asked
        count = editorial.set_status(queryset, Article.Status.DRAFT, request.user)
        self._report(request, "Unpublished", count, selected)
        return None

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

    # -- review queue (articles.review_admin) and upload ------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            *review_admin.urls(self),
            path("upload/", wrap(self.upload_view), name="articles_article_upload"),
            path(
                "<path:object_id>/history/<int:change_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Upload raw copy", "opts": self.opts}
        return upload_page(request, context)


def _compared(change: ArticleChange) -> list[tuple[str, list[diffs.Segment]]]:
    """Each field of a history's change, its old and new values compared word by word."""
    text = lambda value: "" if value is None else str(value)  # noqa: E731
    return [(name, diffs.word_diff(text(old), text(new))) for name, (old, new) in change.changes.items()]


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
from articles.watch import admin as _watch_admin  # noqa: E402, F401  (the watched feeds)
