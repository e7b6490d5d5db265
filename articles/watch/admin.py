"""The watched feeds in the admin: each feed's schedule and last outcome, its recent fetches, and
"Fetch now", which queues the fetch job (the request never fetches)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.utils import timezone

from articles.jobs import fetch_feeds
from articles.jobs.admin import tell_queued
from articles.watch.fetch import MIN_INTERVAL, FetchError, check_url
from articles.watch.models import Feed, FeedFetch

RECENT_FETCHES = 20  # the fetches a feed's page lists
_LAST = ("status", "items_new", "items_updated", "items_failed", "error", "started")


def describe_fetch(status: int | None, new: int, updated: int, failed: int, error: str) -> str:
    """``200: 3 new, 1 updated, 0 failed``, ``304: not modified``, ``HTTP 500 Internal Server
    Error``, ``no answer: Connection refused``, ``200: not a feed: …``."""
    head = str(status) if status else "no answer"
    if error:
        return error if error.startswith("HTTP ") else f"{head}: {error}"
    if status == 304:
        return f"{head}: not modified"
    return f"{head}: {new:,} new, {updated:,} updated, {failed:,} failed"


class FeedForm(forms.ModelForm):
    class Meta:
        model = Feed
        fields = ["url", "outlet", "interval", "active"]

    url = forms.URLField(label="Feed URL", max_length=500, assume_scheme="https")
    interval = forms.IntegerField(
        label="Interval (minutes)",
        min_value=MIN_INTERVAL,
        initial=60,
        help_text=f"How often the feed is fetched (every {MIN_INTERVAL} minutes at most).",
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            return check_url(url)
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None


class RecentFetches(forms.BaseInlineFormSet):
    """A feed's fetches, the most recent ``RECENT_FETCHES`` only (a feed fetched every five
    minutes has hundreds a day)."""

    def get_queryset(self) -> QuerySet:
        if not hasattr(self, "_queryset"):
            self._queryset = self.queryset.order_by("-started", "-pk")[:RECENT_FETCHES]
        return self._queryset


class FeedFetchInline(admin.TabularInline):
    """A feed's most recent fetches, newest first (read-only: the fetch job writes them)."""

    model = FeedFetch
    formset = RecentFetches
    verbose_name_plural = f"Recent fetches (newest first, the last {RECENT_FETCHES})"
    fields = ["started", "status", "items_new", "items_updated", "items_failed", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    form = FeedForm
    list_display = ["url", "outlet", "interval", "active", "last_fetched", "last_outcome", "next_fetch"]
    list_filter = ["active", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["url", "outlet__name"]
    autocomplete_fields = ["outlet"]
    readonly_fields = ["last_fetched", "next_fetch", "etag", "last_modified", "created"]
    fieldsets = [
        (None, {"fields": ["url", "outlet", "interval", "active"]}),
        ("Schedule", {"fields": ["last_fetched", "next_fetch", "etag", "last_modified", "created"]}),
    ]
    inlines = [FeedFetchInline]
    actions = ["fetch_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        latest = FeedFetch.objects.filter(feed=OuterRef("pk")).order_by("-started", "-pk")
        last = {f"last_{name}": Subquery(latest.values(name)[:1]) for name in _LAST}
        return super().get_queryset(request).annotate(**last)

    @admin.display(description="last outcome")
    def last_outcome(self, feed: Feed) -> str:
        if feed.last_started is None:
            return "-"
        return describe_fetch(*(getattr(feed, f"last_{name}") for name in _LAST[:-1]))

    def save_model(self, request: HttpRequest, obj: Feed, form, change: bool) -> None:
        """Save, then keep the fetch job waiting for the earliest due feed. A new feed, or one given
        another URL (whose validators no longer apply), is due now; a new interval counts from the
        last fetch."""
        if "url" in form.changed_data:
            obj.etag = obj.last_modified = ""
            obj.next_fetch = timezone.now()
        elif "interval" in form.changed_data and obj.last_fetched:
            obj.schedule_next(obj.last_fetched)
        super().save_model(request, obj, form, change)
        fetch_feeds.schedule()

    @admin.action(description="Fetch the selected feeds now", permissions=["change"])
    def fetch_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Make the selected active feeds due now and queue the fetch job for them."""
        with transaction.atomic():
            due = queryset.filter(active=True).update(next_fetch=timezone.now())
            job = fetch_feeds.schedule(user=request.user) if due else None
        inactive = queryset.count() - due
        if inactive:
            them = pluralize(inactive, "it,them")
            message = f"{inactive:,} inactive feed{pluralize(inactive)} left out: make {them} active first."
            self.message_user(request, message, messages.WARNING)
        if job is not None:
            tell_queued(request, f"{due:,} feed{pluralize(due)} to fetch", job)
