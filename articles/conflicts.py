"""Two editors, one article: optimistic locking, so that no save overwrites another silently.

Every write counts in ``Article.revision`` (:mod:`articles.editorial` and the article form). The
article form carries the revision it was opened at; a save over a newer one is refused and the
form comes back merged: the other editor's values in the fields they changed (read from the
history since that revision), the editor's own changes kept in the others, and a field both
changed flagged with the other value. Saving again then saves the merge.

The changelist carries each row's revision the same way: a bulk action leaves alone the articles
changed since the list was shown, and says who changed them.
"""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.text import normalize_newlines

from articles import posted
from articles.admin_forms import PlainLineBreaksForm
from articles.models import Article, ArticleChange

REVISION_FIELD = "opened_revision"
SHOWN_PREFIX = "revision-"  # the changelist's hidden input of a row: revision-<pk>


class SavedMeanwhile(Exception):
    """Another save committed between the form's check and its own write (rolled back)."""


def changes_since(article_id: int, revision: int) -> list[ArticleChange]:
    """The article's recorded changes from ``revision`` on, oldest first."""
    return list(
        ArticleChange.objects.filter(article_id=article_id, before__revision__gte=revision)
        .select_related("user")
        .order_by("when", "pk")
    )


def _who(change: ArticleChange) -> str:
    return change.user.get_username() if change.user else "an automatic update"


def _when(change: ArticleChange) -> str:
    return f"{change.when:%Y-%m-%d %H:%M}"


def describe(changes: list[ArticleChange]) -> str:
    """“anna changed byline, status (2026-12-05 10:31)”, one clause per change."""
    if not changes:
        return "a change its history does not record (its captions, or an update of the copy)"
    return "; ".join(f"{_who(c)} changed {', '.join(c.changes)} ({_when(c)})" for c in changes)


class ArticleForm(PlainLineBreaksForm):
    """The admin's article form, carrying the revision it was opened at (a form without one, such
    as a script's, is not checked)."""

    opened_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial[REVISION_FIELD] = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get(REVISION_FIELD)
        if self.instance.pk and opened is not None and opened != self.instance.revision:
            raise forms.ValidationError(self._merge(opened), code="conflict")
        return cleaned

    def _merge(self, opened: int) -> str:
        """Re-fill the form as the merge of the editor's values and the other changes since
        ``opened``; flag the fields both changed; return the message that says so."""
        changes = changes_since(self.instance.pk, opened)
        base = changes[0].before if changes else {}  # the fields as the form showed them
        theirs = {name: change for change in changes for name in change.changes}  # the latest
        data, both = self.data.copy(), []
        for name, change in theirs.items():
            if name not in self.fields or name not in base:
                continue
            field, posted = self.fields[name], self[name].data
            if not _differs(field, posted, _initial(name, base[name])):  # the editor left it as it was
                _fill(data, name, field.prepare_value(self.initial.get(name)))
            elif _differs(field, posted, self.initial.get(name)):
                both.append((name, change))
        data[REVISION_FIELD] = str(self.instance.revision)  # saving again saves the merge
        self.data = data
        for name, change in both:
            self.add_error(
                name,
                f"{_who(change)} also changed this ({_when(change)}), to “{change.changes[name][1]}”. "
                "Your value is kept here: save again to keep it, or change it.",
            )
        return (
            f"Another save reached this article after you opened it: {describe(changes)}. Nothing "
            "of yours was saved yet. The form now shows their values in the fields they changed and "
            "keeps your changes to the other fields"
            + (", and flags the fields you both changed" if both else "")
            + ": check it and save again."
        )


def _initial(name: str, raw):
    """A raw value of the history (ids, ISO dates) as the form's initial data."""
    if name == "published" and raw:
        return datetime.date.fromisoformat(raw)
    return raw


def _differs(field: forms.Field, data, initial) -> bool:
    """Whether the posted ``data`` differs from ``initial`` (text compared as the form saves it)."""
    if isinstance(field, forms.CharField):
        try:
            value = field.to_python(data)
        except forms.ValidationError:
            return True
        return normalize_newlines(value or "") != (initial or "")
    return field.has_changed(initial, data)


def _fill(data: QueryDict, name: str, value) -> None:
    """Put a value into form data as a browser would post it."""
    if isinstance(value, list | tuple):
        data.setlist(name, [str(v) for v in value])
    elif isinstance(value, bool):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    else:
        data[name] = "" if value is None else str(value)


# -- the changelist ---------------------------------------------------------------------------


def revision_input(article: Article) -> str:
    """The hidden input a changelist row carries beside its checkbox."""
    return format_html(
        '<input type="hidden" name="{}{}" value="{}">', SHOWN_PREFIX, article.pk, article.revision
    )


def shown_revisions(post: QueryDict) -> dict[int, int]:
    """{article id: revision} the changelist showed (what a bulk action posts back)."""
    shown = {}
    for key, value in post.items():
        pk, revision = posted.number(key.removeprefix(SHOWN_PREFIX)), posted.number(value)
        if key.startswith(SHOWN_PREFIX) and pk is not None and revision is not None:
            shown[pk] = revision
    return shown


def changed_since_shown(queryset, shown: dict[int, int]) -> list[tuple[Article, list[ArticleChange]]]:
    """The selected articles saved since the list showed them, each with its changes since
    (locked until the transaction ends, where the database locks rows)."""
    ids = list(queryset.filter(pk__in=shown).values_list("pk", flat=True))
    current = Article.objects.select_for_update().filter(pk__in=ids).only("pk", "headline", "revision")
    return [(a, changes_since(a.pk, shown[a.pk])) for a in current if a.revision != shown[a.pk]]


def describe_stale(stale: list[tuple[Article, list[ArticleChange]]]) -> str:
    listed = "; ".join(f"#{a.pk} “{a.headline}”: {describe(changes)}" for a, changes in stale)
    return f"Left alone, changed since the list was shown (reload it and select them again): {listed}."
