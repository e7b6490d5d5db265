"""Forms of the editors' admin pages: articles and captions, the second step of bulk actions,
and the upload page."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import normalize_newlines

from articles.ingest import MAX_UPLOAD_STORIES, FileReport, ingest_upload
from articles.models import Article, Topic
from articles.search.indexing import apply_once

UPLOAD_SUFFIXES = (".txt", ".text")
MAX_UPLOAD_FILES = 20
# All the files of one upload together: sized so that an upload ends well inside a web worker's
# timeout (gunicorn's default 30 s) whatever the copy holds; see README, "Upload".
MAX_UPLOAD_BYTES = 1024 * 1024


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

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset


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
    """Choose the article to keep: one not merged itself (its page must not redirect)."""

    target = ArticleChoiceField(queryset=None, label="Keep", widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, queryset, **kwargs) -> None:
        keepable = queryset.filter(merged_into=None).exclude(status=Article.Status.MERGED)
        super().__init__(*args, queryset=keepable.select_related("outlet", "story"), **kwargs)


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
        label="Raw copy files",
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ",".join(UPLOAD_SUFFIXES)}),
        help_text=(
            f"Plain text (.txt) raw copy as it came from the outlet: up to {MAX_UPLOAD_FILES} files, "
            f"{filesizeformat(MAX_UPLOAD_BYTES)} in all, {MAX_UPLOAD_STORIES} stories a file. "
            "Bigger loads go through manage.py ingest."
        ),
    )
    dry_run = forms.BooleanField(label="Dry run: show what would be ingested, write nothing", required=False)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(f"At most {MAX_UPLOAD_FILES} files at a time ({len(files)} chosen).")
        return files


def ingest_uploads(files: list[UploadedFile], *, dry_run: bool, user) -> list[FileReport]:
    """Ingest the files in order, each in its own transaction, and index them in one go at the end;
    a file refused (its type, or the upload's size limit) is reported with the reason, unread, and
    the others still go through."""
    reports, total = [], 0
    with apply_once():
        for upload in files:
            refusal = _refusal(upload, total)
            if refusal:
                reports.append(FileReport(path=upload.name, ok=False, error=refusal))
            else:
                total += upload.size
                reports.append(ingest_upload(upload.name, upload.read(), dry_run=dry_run, user=user))
    return reports


def _refusal(upload: UploadedFile, total: int) -> str | None:
    """Why this file is not ingested (``total``: the bytes of this upload's files before it), or None."""
    limit = filesizeformat(MAX_UPLOAD_BYTES)
    if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
        return "not a plain-text raw copy file: upload .txt files"
    if upload.size > MAX_UPLOAD_BYTES:
        return (
            f"{filesizeformat(upload.size)}: an upload takes at most {limit} (load it with manage.py ingest)"
        )
    if total + upload.size > MAX_UPLOAD_BYTES:
        return f"not ingested: the files before it took this upload's {limit}; upload it again"
    return None
