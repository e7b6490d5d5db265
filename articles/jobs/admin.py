"""The jobs page of the admin: running and recent jobs, their progress, outcome and errors.

Read-only: jobs are started by the pages and commands that need them, and run by the worker.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from articles.jobs import upload
from articles.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "state", "progress", "created_by", "created"]
    list_filter = ["state"]
    search_fields = ["label", "outcome", "error"]
    date_hierarchy = "created"
    fields = [
        "label",
        "kind",
        "state",
        "progress",
        "outcome",
        "error",
        "attempts",
        "retry_at",
        "created_by",
        "created",
        "started",
        "heartbeat",
        "finished",
        "worker",
        "return_url",
    ]
    readonly_fields = [*fields, "report"]

    def get_fields(self, request: HttpRequest, obj: Job | None = None) -> list[str]:
        """Its fields, and the report after the error for kinds that keep one (an upload's files)."""
        if obj is None or obj.kind != upload.KIND:
            return self.fields
        at = self.fields.index("error") + 1
        return [*self.fields[:at], "report", *self.fields[at:]]

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        return job.progress_text()

    @admin.display(description="report")
    def report(self, job: Job) -> str:
        """An upload's report per file, rendered by a template (escaped)."""
        return upload.report_html(job) or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and (obj is None or not obj.is_active)


def tell_queued(request: HttpRequest, what: str, job: Job) -> None:
    """Tell the editor that ``what`` ("Upload of 3 files") is queued, with a link to its job."""
    link = reverse("admin:articles_job_change", args=[job.pk])
    messages.success(
        request, format_html('{} queued: follow it on the <a href="{}">Jobs page</a>.', what, link)
    )
