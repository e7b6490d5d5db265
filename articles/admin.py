"""The editors' admin: every archive model, with list columns, filters and search.

Saves and deletes reach search through the on-commit signal processor
(``articles.search.signals``); nothing here writes to the index directly.
"""

from django.contrib import admin
from django.db import models

from articles.models import Article, ArticleVersion, Caption, Outlet, Place, Topic


class ArchiveModelAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Outlet)
class OutletAdmin(ArchiveModelAdmin):
    list_display = ["name", "kind", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Articles")
    def article_count(self, outlet: Outlet) -> int:
        return outlet.articles.count()


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["city", "country"]
    list_filter = ["country"]
    search_fields = ["city", "country"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "keywords"]
    prepopulated_fields = {"slug": ["name"]}


class CaptionInline(admin.TabularInline):
    model = Caption
    extra = 0


class ArticleVersionInline(admin.StackedInline):
    model = ArticleVersion
    extra = 0
    readonly_fields = ["created"]


@admin.register(Article)
class ArticleAdmin(ArchiveModelAdmin):
    list_display = ["headline", "outlet", "place", "published", "status", "language"]
    list_filter = ["status", "outlet", "language", "topics", "place__country"]
    list_select_related = ["outlet", "place"]
    search_fields = ["headline", "body", "byline"]
    date_hierarchy = "published"
    autocomplete_fields = ["outlet", "place", "topics"]
    inlines = [CaptionInline, ArticleVersionInline]
    readonly_fields = ["source_file", "content_hash", "raw_text", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "status", "outlet", "place", "published"]}),
        ("Text", {"fields": ["summary", "body", "byline", "editor", "topics"]}),
        ("Language", {"fields": ["language", "translated_from"]}),
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
