"""The article admin's trash: a delete (the delete page, the bulk action) moves articles to the
trash (``editorial.trash``), the changelist leaves the trash out unless its status filter asks for
it (the Trash), whose actions restore them or purge them; only holders of
``articles.purge_article`` (not the Editors group; see :mod:`articles.roles`) purge."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles import editorial
from articles.models import Article

TRASH_PARAM = "status"


def trash_url() -> str:
    return reverse("admin:articles_article_changelist") + f"?{TRASH_PARAM}={Article.Status.TRASHED}"


class StatusFilter(admin.SimpleListFilter):
    """The status filter; without one the list leaves the trash out ("In the trash" shows it)."""

    title = "status"
    parameter_name = TRASH_PARAM

    def lookups(self, request, model_admin):
        return Article.Status.choices

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["selected"] and self.value() is None:
                choice["display"] = "All but the trash"
            yield choice

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset.exclude(status=Article.Status.TRASHED)


class TrashMixin:
    """The article admin's delete view, delete hooks and trash actions (confirmed and reported
    with the admin's ``_confirmed`` and ``_report``)."""

    @admin.action(description="Move selected articles to the trash…", permissions=["delete"])
    def delete_selected(self, request, queryset):
        if asked := self._confirmed(request, queryset, "Move to the trash", "delete_selected"):
            return asked
        count = editorial.trash(queryset, request.user)
        message = format_html(
            "Moved {} {} to the trash: off the site and out of search, their history kept. "
            '<a href="{}">The trash</a> restores them.',
            f"{count:,}",
            model_ngettext(Article._meta, count),
            trash_url(),
        )
        self.message_user(request, message, messages.SUCCESS)
        return None

    @admin.action(description="Restore selected articles from the trash", permissions=["change"])
    def restore_from_trash(self, request, queryset):
        selected = queryset.count()
        self._report(request, "Restored", editorial.untrash(queryset, request.user), selected)

    @admin.action(description="Purge selected articles from the trash (for good)…", permissions=["purge"])
    def purge(self, request, queryset):
        trashed = queryset.filter(status=Article.Status.TRASHED)
        if not trashed.exists():
            self.message_user(request, "Only articles in the trash can be purged.", messages.WARNING)
            return None
        if asked := self._confirmed(request, trashed, "Purge for good, history and all", "purge"):
            return asked
        selected = queryset.count()
        self._report(request, "Purged", editorial.purge(trashed), selected)
        return None

    def has_purge_permission(self, request) -> bool:
        return request.user.has_perm("articles.purge_article")

    def delete_model(self, request, obj: Article) -> None:
        editorial.trash(Article.objects.filter(pk=obj.pk), request.user)

    def delete_queryset(self, request, queryset) -> None:
        editorial.trash(queryset, request.user)

    def get_deleted_objects(self, objs, request):
        """What the confirmation lists: the articles, each with the merged duplicates that
        redirect to it (gone with it); nothing is deleted, so no other permission is needed."""
        listed = []
        for article in objs:
            listed.append(self._link(article))
            merged = [self._link(a) for a in article.merged_duplicates.all()]
            if merged:
                listed.append(merged)
        return listed, {"articles": len(objs)}, set(), []

    @staticmethod
    def _link(article: Article) -> str:
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('Article: <a href="{}">{}</a>', url, article)

    def response_delete(self, request, obj_display, obj_id):
        message = format_html(
            "“{}” is in the trash: off the site and out of search, its history kept. "
            '<a href="{}">Restore it from the trash</a>.',
            obj_display,
            trash_url(),
        )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
