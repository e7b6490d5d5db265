"""Forms of the editors' admin pages: articles and captions, the second step of bulk actions,
and the upload page."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import normalize_newlines

from articles.ingest import MAX_COPY_BYTES
from articles.models import Article, Topic

UPLOAD_SUFFIXES = (".txt", ".text")
MAX_UPLOAD_FILES = 20


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
            f"Plain text (.txt) raw copy as it came from the outlet, up to {MAX_UPLOAD_FILES} files of "
            f"at most {filesizeformat(MAX_COPY_BYTES)} each."
        ),
    )
    dry_run = forms.BooleanField(label="Dry run: show what would be ingested, write nothing", required=False)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(f"At most {MAX_UPLOAD_FILES} files at a time ({len(files)} chosen).")
        errors = []
        for upload in files:
            if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
                errors.append(f"“{upload.name}” is not a plain-text raw copy file: upload .txt files.")
            elif upload.size > MAX_COPY_BYTES:
                errors.append(
                    f"“{upload.name}” is {filesizeformat(upload.size)}: "
                    f"the limit is {filesizeformat(MAX_COPY_BYTES)} a file."
                )
        if errors:
            raise forms.ValidationError(errors)
        return files
