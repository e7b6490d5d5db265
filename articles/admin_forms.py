"""Forms of the editors' admin pages: articles and captions, the second step of bulk actions,
and the upload page."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import normalize_newlines

from articles import merge_safety
from articles.ingest import MAX_COPY_BYTES
from articles.jobs.admin import tell_queued
from articles.jobs.upload import SUFFIXES, describe_files, queue_upload
from articles.models import Article, Topic


class PlainLineBreaksForm(forms.ModelForm):
    """A model form that stores line breaks as ``\n``, as ingest does: browsers send a textarea's
    as ``\r\n``, which would make every save change (and log in History) the whole text."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalize_newlines(value)
        return cleaned


class RetractForm(forms.Form):
    retraction_note = forms.CharField(
        label="Retraction note",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text="Shown to readers on each retracted article's page, which stays reachable.",
    )


class TopicForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), label="Topic")


class MergeForm(forms.Form):
    """Choose which of the selected objects the others are merged into."""

    target = forms.ModelChoiceField(queryset=None, label="Keep", widget=forms.RadioSelect, empty_label=None)
    page_template = "admin/articles/action_form.html"  # the bulk action's second step

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset

    def page_context(self) -> dict:
        """What the second step's page shows besides the form."""
        return {}


class ArticleChoiceField(forms.ModelChoiceField):
    """Articles told apart by more than their headline (duplicates share it)."""

    def label_from_instance(self, article: Article) -> str:
        facts = [
            f"#{article.pk}",
            str(article.outlet or "no outlet"),
            str(article.published or "undated"),
            article.get_status_display().lower(),
            f"story “{article.story}”" if article.story else "in no story",
        ]
        if article.duplicate_of_id:
            facts.append(f"suspected duplicate of #{article.duplicate_of_id}")
        return f"{article.headline} ({', '.join(facts)})"


class ArticleMergeForm(MergeForm):
    """Choose the article to keep: one not merged itself (its page must not redirect); the one
    :func:`merge_safety.suggested` picks is chosen at first. A selection that may be more than
    copies of one article (:func:`merge_safety.warnings`) is merged only with "merge anyway" ticked."""

    target = ArticleChoiceField(queryset=None, label="Keep", widget=forms.RadioSelect, empty_label=None)
    merge_anyway = forms.BooleanField(required=False, label="Merge anyway, despite the warnings above")
    page_template = "admin/articles/article/merge.html"

    def __init__(self, *args, queryset, **kwargs) -> None:
        keepable = queryset.filter(merged_into=None).exclude(status=Article.Status.MERGED)
        super().__init__(*args, queryset=keepable.select_related("outlet", "story"), **kwargs)
        merging = queryset.exclude(status__in=[Article.Status.MERGED, Article.Status.TRASHED])
        self.merging = list(merging.select_related("outlet", "story").defer("raw_text"))
        self.warnings = merge_safety.warnings(self.merging)
        if not self.warnings:
            del self.fields["merge_anyway"]
        candidates = [a for a in self.merging if a.merged_into_id is None]
        self.suggestion = merge_safety.suggested(candidates) if candidates else None
        if self.suggestion:
            self.fields["target"].initial = self.suggestion[0].pk

    def clean(self):
        cleaned = super().clean()
        if self.warnings and not cleaned.get("merge_anyway"):
            self.add_error(
                "merge_anyway",
                "Not merged: these articles may not be copies of one article (see the warnings). "
                "Tick “Merge anyway” to merge them all the same, or go back and change the selection.",
            )
        return cleaned

    def page_context(self) -> dict:
        """The warnings, the article kept and why, and the others' texts compared with its text."""
        if not self.suggestion:
            return {}
        kept, reason = self.suggestion
        chosen = str(self["target"].value())
        if chosen != str(kept.pk):
            picked = next((a for a in self.fields["target"].queryset if str(a.pk) == chosen), None)
            if picked is not None:
                reason = f"you chose it (the suggestion was #{kept.pk}, as {reason})"
                kept = picked
        others = [a for a in self.merging if a.pk != kept.pk]
        return {
            "warnings": self.warnings,
            "kept": kept,
            "kept_reason": reason,
            "comparisons": merge_safety.compared(kept, others),
            "merged_away": len(others),
            "not_compared": max(len(others) - merge_safety.COMPARED, 0),
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files (Django's documented pattern); cleans to a list."""

    def clean(self, data, initial=None):
        if not data:
            raise forms.ValidationError("Choose at least one file.", code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


class UploadForm(forms.Form):
    files = MultipleFileField(
        allow_empty_file=True,  # ingest reports an empty file like any other bad file
        label="Files",
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ",".join(SUFFIXES)}),
    )
    dry_run = forms.BooleanField(label="Dry run: show what would be ingested, write nothing", required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            f"Plain text (.txt) raw copy as it came from the outlet, NITF and NewsML-G2 (.xml) or ninjs "
            f"(.json) wire files, or records files (.jsonl, .jsonl.gz: one JSON article a line) for a "
            f"large load: up to {filesizeformat(settings.UPLOAD_MAX_BYTES)} in all, "
            f"{filesizeformat(MAX_COPY_BYTES)} a copy file, {settings.UPLOAD_MAX_FILES:,} files. They are "
            "ingested in the background: follow the job on the Jobs page."
        )

    def clean_files(self):
        files = self.cleaned_data["files"]
        size = sum(upload.size for upload in files)
        if size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_large(size))
        return files


def too_large(size: int) -> str:
    return (
        f"These files take {filesizeformat(size)}: an upload takes at most "
        f"{filesizeformat(settings.UPLOAD_MAX_BYTES)}. Upload them in parts."
    )


def upload_page(request: HttpRequest, context: dict) -> HttpResponse:
    """The upload page (its permission checked by the caller): the files are stored and an
    ``ingest_upload`` job started; the editor goes back where they came from, told where to follow it."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > settings.UPLOAD_MAX_BYTES:
        form = UploadForm(initial={"next": _back(request, request.POST.get("next"))})
        form.errors["files"] = form.error_class([too_large(length)])  # shown; nothing is stored
        return render(request, "admin/articles/article/upload.html", {**context, "form": form}, status=413)
    if request.method != "POST":
        form = UploadForm(initial={"next": _back(request, request.GET.get("next") or _referer(request))})
        return render(request, "admin/articles/article/upload.html", {**context, "form": form})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "admin/articles/article/upload.html", {**context, "form": form})
    files, back = form.cleaned_data["files"], _back(request, form.cleaned_data["next"])
    job = queue_upload(files, dry_run=form.cleaned_data["dry_run"], user=request.user, return_url=back)
    what = "Dry run" if form.cleaned_data["dry_run"] else "Upload"
    tell_queued(request, f"{what} of {describe_files(len(files))}", job)
    return HttpResponseRedirect(back)


def _referer(request: HttpRequest) -> str:
    """The page the editor came from (its path and query), when it was on this site."""
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc != request.get_host():
        return ""
    return f"{referer.path}?{referer.query}" if referer.query else referer.path


def _back(request: HttpRequest, url: str | None) -> str:
    """Where to go once the upload is queued: ``url`` when it is a path in this site's admin, else
    the upload page."""
    admin = reverse("admin:index")
    if url and url.startswith(admin) and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return reverse("admin:articles_article_upload")
