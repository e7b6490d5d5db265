"""The reader's search form: query, whitelisted facet filters, sort."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import QueryDict
from haystack.query import SearchQuerySet

SORTS = {"relevance": None, "newest": "-published", "oldest": "published"}


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=500, label="Search the archive")
    sort = forms.ChoiceField(
        required=False,
        choices=[("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")],
    )

    def __init__(self, data: QueryDict, facets=None):
        super().__init__(data)
        self.facets = facets if facets is not None else settings.NEWSARCHIVE_FACETS

    def filter_params(self) -> QueryDict:
        """The request's facet filters, whitelisted: unknown parameters never reach the engine."""
        params = QueryDict(mutable=True)
        for facet in self.facets:
            values = [v.strip() for v in self.data.getlist(facet["param"])]
            params.setlist(facet["param"], [v for v in dict.fromkeys(values) if v and '"' not in v])
        return params

    def sort_key(self) -> str:
        """The sort asked for; relevance (the default) means newest first when there is no query."""
        if not self.is_valid():
            return "newest"
        sort = self.cleaned_data.get("sort") or "relevance"
        if sort == "relevance" and not self.cleaned_data.get("q", "").strip():
            return "newest"
        return sort

    def search(self) -> SearchQuerySet:
        """The query, filtered (values OR-ed within a facet, facets AND-ed), faceted and sorted."""
        q = self.cleaned_data.get("q", "").strip() if self.is_valid() else ""
        sqs = SearchQuerySet().auto_query(q).highlight() if q else SearchQuerySet().all()
        params = self.filter_params()
        for facet in self.facets:
            values = params.getlist(facet["param"])
            if values:
                sqs = sqs.filter(**{f"{facet['field']}_exact__in": values})
            sqs = sqs.facet(facet["field"])
        order = SORTS[self.sort_key()]
        return sqs.order_by(order) if order else sqs

    def facet_counts(self, sqs: SearchQuerySet) -> dict[str, list[tuple[str, int]]]:
        """Facet counts of a search from :meth:`search`, keyed by the configured field."""
        fields = sqs.facet_counts().get("fields", {})
        return {facet["field"]: fields.get(facet["field"], []) for facet in self.facets}
