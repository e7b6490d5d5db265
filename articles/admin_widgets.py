"""The article form's pickers and inputs as axe (WCAG 2.1 AA) and the Nu HTML checker want them.

Django's autocomplete pickers (select2) leave an empty picker without a name, an empty ``<option>``
without a label, and, in a multiple picker, a "clear all" ``<span>`` inside the list of choices; the
search box select2 draws is named by ``static/js/admin_pickers.js``. A tabular inline's inputs are
named by their column header only, which is no label: each gets its own. :class:`LabelledPickers`
puts the pickers on a model admin's autocomplete fields.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet

PICKERS_JS = "js/admin_pickers.js"


class _Labelled:
    """An autocomplete picker that names its empty state and labels its empty option."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = "None (type to search)"  # select2 shows it, and names the picker by it
        if self.allow_multiple_selected:
            attrs["data-allow-clear"] = "false"  # each choice keeps its own ×
        return attrs

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "":
            option["attrs"]["label"] = "None"  # HTML: an empty <option> needs a label
        return option


class LabelledAutocompleteSelect(_Labelled, AutocompleteSelect):
    pass


class LabelledAutocompleteSelectMultiple(_Labelled, AutocompleteSelectMultiple):
    pass


class UnlabelledHiddenInput(forms.HiddenInput):
    """A hidden input the admin's fieldset labels anyway: its label points at nothing (HTML: a
    label's ``for`` names a visible control)."""

    def id_for_label(self, id_):
        return ""


class LabelledInlineFormSet(BaseInlineFormSet):
    """An inline formset shown as a table whose inputs each carry a label: their column and row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f"{self.model._meta.verbose_name} {index + 1}" if index is not None else "new"
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{field.label or name.capitalize()} ({row})"


class LabelledPickers(admin.ModelAdmin):
    """A model admin whose autocomplete fields use the labelled pickers, their search boxes named."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = LabelledAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = LabelledAutocompleteSelectMultiple(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @property
    def media(self):
        return super().media + forms.Media(js=[PICKERS_JS])
