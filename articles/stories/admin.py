"""The stories' admin: the article actions that move articles between stories, and the story
pages (merge, delete keeping the articles, rebuild every story as a job)."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from articles.admin import ArticleAdmin, _count
from articles.jobs import stories as story_jobs
from articles.jobs.admin import tell_queued
from articles.models import Article, Story
from articles.stories import editing as story_editing


@admin.action(description="Put selected articles in one story", permissions=["change"])
def move_into_one_story(modeladmin, request, queryset):
    story = story_editing.move_together(queryset, request.user)
    modeladmin.message_user(request, f"{_count(queryset.count())} now in “{story}”.", messages.SUCCESS)


@admin.action(description="Split selected articles into a new story", permissions=["change"])
def split_into_new_story(modeladmin, request, queryset):
    story = story_editing.split_off(queryset, request.user)
    modeladmin.message_user(request, f"New story “{story}”.", messages.SUCCESS)


@admin.action(description="Take selected articles out of their story", permissions=["change"])
def take_out_of_story(modeladmin, request, queryset):
    count = story_editing.take_out(queryset, request.user)
    modeladmin.message_user(request, f"{_count(count)} taken out of their story.", messages.SUCCESS)


ArticleAdmin.actions = [*ArticleAdmin.actions, move_into_one_story, split_into_new_story, take_out_of_story]


class StoryArticleInline(admin.TabularInline):
    model = Article
    fk_name = "story"
    fields = ["headline", "outlet", "published", "status", "story_locked", "duplicate_of"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


def _public_versions():
    """The articles a story's page lists (``articles.stories.views.story_versions``), for the
    counts and dates below: not merged ones, nor suspected duplicates."""
    return Article.objects.filter(
        status__in=[Article.Status.PUBLISHED, Article.Status.RETRACTED], duplicate_of__isnull=True
    )


def _of_each_story(value) -> Subquery:
    """``value`` (an aggregate) over the story's public versions, as a subquery."""
    versions = _public_versions().filter(story=OuterRef("pk")).order_by().values("story")
    return Subquery(versions.annotate(value=value).values("value")[:1])


class NewsDateFilter(admin.SimpleListFilter):
    """Drill down by the story's news date (its earliest version's): year, then month, then day."""

    title = "news date"
    parameter_name = "news"

    def _chosen(self) -> tuple[int, ...]:
        try:
            return tuple(int(part) for part in (self.value() or "").split("-") if part)[:3]
        except ValueError:
            return ()

    def lookups(self, request, model_admin):
        chosen = self._chosen()
        dates = (
            _public_versions()
            .filter(story__isnull=False)
            .order_by()
            .values("story")
            .annotate(first=Min("published"))
            .values_list("first", flat=True)
        )
        found = sorted(
            {day for day in dates if day and (day.year, day.month, day.day)[: len(chosen)] == chosen}
        )
        if not chosen:
            return [(str(year), str(year)) for year in sorted({day.year for day in found})]
        if len(chosen) == 1:
            months = sorted({day.month for day in found})
            return [(self.value(), str(chosen[0]))] + [
                (f"{chosen[0]}-{month:02d}", f"{calendar.month_name[month]} {chosen[0]}") for month in months
            ]
        days = sorted({day for day in found})
        return [(self.value(), self.value())] + [(f"{day:%Y-%m-%d}", f"{day:%-d %B %Y}") for day in days]

    def queryset(self, request, queryset):
        chosen = self._chosen()
        if not chosen:
            return queryset
        try:
            start = datetime.date(*chosen, *(1,) * (3 - len(chosen)))
        except ValueError:
            return queryset.none()
        if len(chosen) == 1:
            end = start.replace(year=start.year + 1)
        elif len(chosen) == 2:
            end = (start + datetime.timedelta(days=31)).replace(day=1)
        else:
            end = start + datetime.timedelta(days=1)
        return queryset.filter(news_date__gte=start, news_date__lt=end)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "article_count", "news_date", "created"]
    list_filter = [NewsDateFilter]
    search_fields = ["title", "articles__headline"]
    inlines = [StoryArticleInline]
    actions = ["merge", "delete_selected"]

    def get_queryset(self, request):
        """Counted and dated as the story's page does: its public versions, not merged or
        suspected duplicates."""
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=_of_each_story(Count("pk")), news_date=_of_each_story(Min("published")))
        )

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, story: Story) -> int:
        return story.article_total or 0

    @admin.display(description="News date", ordering="news_date")
    def news_date(self, story: Story) -> datetime.date | None:
        return story.news_date

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # stories come from articles: use the article actions

    def get_urls(self):
        view = self.admin_site.admin_view(self.rebuild_view)
        return [path("rebuild/", view, name="articles_story_rebuild"), *super().get_urls()]

    @method_decorator(require_POST)
    def rebuild_view(self, request: HttpRequest) -> HttpResponse:
        """Queue the rebuild of every story as a job; back to the list, with a link to the job."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        tell_queued(request, "Story rebuild", story_jobs.start_rebuild(request))
        return HttpResponseRedirect(reverse("admin:articles_story_changelist"))

    @admin.action(description="Merge selected stories", permissions=["change"])
    def merge(self, request, queryset):
        target = story_editing.merge_stories(queryset, request.user)
        self.message_user(request, f"Merged into “{target}”.", messages.SUCCESS)

    # Deleting a story keeps its articles, in no story: the confirmation says how many, their
    # history records it and search stops grouping them under it.
    def render_delete_form(self, request, context):
        context["losing_story"] = context["object"].articles.count()
        return super().render_delete_form(request, context)

    @admin.action(description="Delete selected stories", permissions=["delete"])
    def delete_selected(self, request, queryset):
        response = admin_actions.delete_selected(self, request, queryset)
        if response is not None:  # the confirmation page
            response.context_data["losing_story"] = Article.objects.filter(story__in=queryset).count()
        return response

    def delete_model(self, request, obj: Story) -> None:
        story_editing.delete_stories(Story.objects.filter(pk=obj.pk), request.user)

    def delete_queryset(self, request, queryset) -> None:
        story_editing.delete_stories(queryset, request.user)
