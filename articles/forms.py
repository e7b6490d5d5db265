"""One parameter contract for the search page, the JSON API and the Atom feed, and the search it runs.

Parameters: ``q``, ``page`` (from 1), ``page_size`` (default 20, at most 100), ``sort``
(relevance | newest | oldest), the facet filters of :data:`FACETS` (each repeatable), ``from`` and
``to`` (ISO dates), ``undated`` (``1``: only articles without a date) and ``group`` (``story``: one
result per story). Anything else is ignored.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.http import QueryDict
from django.urls import NoReverseMatch
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from haystack.query import SearchQuerySet

from articles.models import Article, Outlet, Place, Story, Topic
from articles.search import aliases
from articles.search.facets import FACETS, Facet
from articles.search.query import FIRST_DATE, ParsedQuery, parse, to_sq

SORTS = {"relevance": None, "newest": "-published", "oldest": "published"}
MAX_PAGE_SIZE = 100
PAGE_SIZES = (20, 50, 100)  # the search page's choice
SNIPPET_WORDS = 40  # a result without a highlighted passage shows its opening words
# A sentence ends here: its stop, and any closing quote or bracket after it.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# Grouping by story reads ranked hits in windows of at least this many until the page is full.
GROUP_CHUNK = 100
MAX_QUERY = 500
MAX_FILTERS = 20  # facet values in one search


class QueryField(forms.CharField):
    """The query as typed, made searchable rather than refused: NUL characters dropped, and a
    longer query (pasted text) cut after :data:`MAX_QUERY` characters, at a word's end."""

    def to_python(self, value) -> str:
        text = super().to_python((value or "").replace("\x00", ""))
        if len(text) <= MAX_QUERY:
            return text
        cut = text[:MAX_QUERY]
        if not text[MAX_QUERY].isspace() and " " in cut:  # not in the middle of a word
            cut = cut.rsplit(None, 1)[0]
        return cut


class ArchiveSearchForm(forms.Form):
    q = QueryField(required=False, label="Search the archive")
    sort = forms.ChoiceField(
        required=False,
        choices=[("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")],
    )
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    group = forms.ChoiceField(
        required=False, choices=[("", "Every version"), ("story", "One per story")], label="Show"
    )
    undated = forms.BooleanField(required=False, label="Undated only")  # the timeline's "N undated"

    def __init__(self, data: QueryDict, facets: tuple[Facet, ...] = FACETS):
        super().__init__(data)
        self.facets = facets
        # ``from`` is a Python keyword: these two fields cannot be declared as attributes.
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                required=False,
                input_formats=["%Y-%m-%d"],
                label=label,
                validators=[MinValueValidator(FIRST_DATE, f"Dates start from the year {FIRST_DATE.year}.")],
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from") and cleaned.get("to") and cleaned["from"] > cleaned["to"]:
            self.add_error("to", "The end date is before the start date.")
        return cleaned

    def value(self, name: str, default=None):
        """A parameter's cleaned value; its default when it is missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        found = self.cleaned_data.get(name)
        return default if found in (None, "") else found

    def filter_params(self) -> QueryDict:
        """The request's facet filters, whitelisted: unknown parameters never reach the engine;
        the first ``MAX_FILTERS`` values in all (each link on the page repeats them)."""
        params = QueryDict(mutable=True)
        left = MAX_FILTERS
        for facet in self.facets:
            kept = self._values(facet)[:left]
            params.setlist(facet.param, kept)
            left -= len(kept)
        return params

    def _values(self, facet: Facet) -> list[str]:
        values = [v.strip() for v in self.data.getlist(facet.param)]
        return [v for v in dict.fromkeys(values) if v]

    def _dropped_filters(self) -> bool:
        return sum(len(self._values(facet)) for facet in self.facets) > MAX_FILTERS

    def link_params(self) -> QueryDict:
        """The parameters links on the page keep (as typed, whitelisted), without ``page``."""
        params = self.filter_params()
        for name in ("q", "sort", "page_size", "from", "to", "group", "undated"):
            value = self.data.get(name, "").strip()
            if value and name not in self.errors:
                params[name] = value
        return params

    def sort_key(self) -> str:
        """The sort asked for; relevance (the default) means newest first when there is no query."""
        sort = self.value("sort", "relevance")
        if sort == "relevance" and not self.value("q", "").strip():
            return "newest"
        return sort

    def execute(self) -> SearchOutcome:
        """Run the search: one page of results, disjunctive facet counts, a spelling suggestion."""
        parsed = parse(self.value("q", ""))
        if len(self.data.get("q", "").strip()) > MAX_QUERY:
            parsed.notes.append(f"The query is longer than {MAX_QUERY} characters: its start was searched.")
        if self._dropped_filters():
            parsed.notes.append(f"Only the first {MAX_FILTERS} filters were applied.")
        page_size = self.value("page_size", settings.NEWSARCHIVE_PAGE_SIZE)
        page = self.value("page", 1)
        outcome = SearchOutcome(parsed=parsed, variants={}, page=page, page_size=page_size)
        if parsed.text and parsed.node is None:  # typed, but nothing in it can be searched for
            outcome.facet_counts = {facet.param: [] for facet in self.facets}
            return outcome
        translation, base, ranked = self._searched(parsed)
        params = self.filter_params()
        grouped = self.value("group") == "story"
        main = ranked
        for facet in self.facets:
            if not params.getlist(facet.param):
                main = main.facet(facet.field, limit=facet.most)
        if grouped:
            main = main.facet("story")
        if parsed.node is not None:
            main = main.highlight()
        words = [w for w in parsed.words() if w.isalpha()]
        if words:
            main = main.set_spelling_query(" ".join(words))

        start = (page - 1) * page_size
        outcome.variants = translation.variants
        if grouped:
            outcome.results, outcome.total = _grouped_page(ranked, main, start, page_size)
            outcome.articles = main.count()
        else:
            outcome.results = list(main[start : start + page_size])
            outcome.total = outcome.articles = main.count()
        counts = main.facet_counts().get("fields", {})
        for facet in self.facets:
            if params.getlist(facet.param):
                # Disjunctive: a facet's own selection does not narrow its counts, the others do.
                others = _ran(self._narrowed(base, params, skip=facet.param).facet(facet.field))
                counts = {**counts, facet.field: others.facet_counts()["fields"].get(facet.field, [])}
        outcome.facet_counts = {facet.param: counts.get(facet.field, []) for facet in self.facets}
        outcome.pages = max(math.ceil(outcome.total / page_size), 1)
        _attach_stories(outcome.results)
        attach_supplied(outcome.results)
        for result in outcome.results:
            result.snippet = snippet(result)
        self._suggest(outcome, main.spelling_suggestion() if words else None, words, params)
        return outcome

    def every_match(self) -> tuple[ParsedQuery, SearchQuerySet | None]:
        """The query as read, and the search's every matching article in its order, highlighted when
        there is a query: no page, no facets, no grouping (an export's). None when nothing in the
        query can be searched for."""
        parsed = parse(self.value("q", ""))
        if parsed.text and parsed.node is None:
            return parsed, None
        ranked = self._searched(parsed)[2]
        return parsed, ranked.highlight() if parsed.node is not None else ranked

    def _searched(self, parsed: ParsedQuery):
        """The query's translation; the search without the facet filters; and with them, in the
        order asked for."""
        translation = to_sq(parsed, aliases.variants, resolve_value)
        base = SearchQuerySet()
        if translation.sq is not None:
            base = base.filter(translation.sq)
        if self.value("from"):
            base = base.filter(published__gte=self.value("from"))
        if self.value("to"):
            base = base.filter(published__lte=self.value("to"))
        if self.value("undated"):
            base = base.exclude(published__gte=FIRST_DATE)
        ranked = self._narrowed(base, self.filter_params())
        order = SORTS[self.sort_key()]
        return translation, base, ranked.order_by(order) if order else ranked

    def _narrowed(self, sqs: SearchQuerySet, params: QueryDict, skip: str | None = None) -> SearchQuerySet:
        """``sqs`` filtered by the facets (values OR-ed within one, facets AND-ed), but ``skip``."""
        for facet in self.facets:
            values = params.getlist(facet.param)
            if values and facet.param != skip:
                sqs = sqs.filter(**{f"{facet.field}_exact__in": values})
        return sqs

    def _suggest(self, outcome: SearchOutcome, suggestion: str | None, words, params) -> None:
        """Keep a corrected query only when it has hits; on zero hits, name the narrowest filter."""
        if suggestion:
            replacements = {w: s for w, s in zip(words, suggestion.split(), strict=False) if w.lower() != s}
            corrected = outcome.parsed.with_words(replacements) if replacements else ""
            if corrected:
                sq = to_sq(parse(corrected), aliases.variants, resolve_value).sq
                if _ran(self._narrowed(SearchQuerySet().filter(sq), params)).count():
                    outcome.suggestion = corrected
        if outcome.total == 0:
            selected = [
                (dict(outcome.facet_counts[facet.param]).get(value, 0), facet.param, value)
                for facet in self.facets
                for value in params.getlist(facet.param)
            ]
            if selected:
                _, param, value = min(selected)
                outcome.narrowest_filter = (param, value)


class SearchPageForm(ArchiveSearchForm):
    """The search page's form: a page size the reader picks from :data:`PAGE_SIZES` (any other is
    left out, with a note); the API and the feed take any size up to :data:`MAX_PAGE_SIZE`."""

    page_size = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(n, str(n)) for n in PAGE_SIZES],
        label="Page size",
    )


@dataclass
class SearchOutcome:
    """One page of a search, as the page, the API and the feed show it."""

    parsed: ParsedQuery
    variants: dict[str, list[str]]
    page: int
    page_size: int
    results: list = field(default_factory=list)
    total: int = 0  # results: stories when grouped by story, else articles
    articles: int = 0  # the articles found (what the facet counts count)
    pages: int = 1
    facet_counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    narrowest_filter: tuple[str, str] | None = None

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1


def resolve_value(name: str, value: str) -> str:
    """A field filter's value as the archive spells it (``outlet:ap`` -> ``AP``); else as typed."""
    lookups = {
        "outlet": lambda: Outlet.objects.filter(name__iexact=value).values_list("name", flat=True),
        "place": lambda: Place.objects.filter(city__iexact=value).values_list("city", flat=True),
        "country": lambda: Place.objects.filter(country__iexact=value).values_list("country", flat=True),
        "topic": lambda: Topic.objects.filter(name__iexact=value).values_list("name", flat=True),
    }
    if name == "lang":
        return value.lower()
    return next(iter(lookups[name]()[:1]), value) if name in lookups else value


def _ran(sqs: SearchQuerySet) -> SearchQuerySet:
    """``sqs`` run for its count and facets only, loading no hit (a bare ``count()`` makes haystack
    ask the engine for every hit)."""
    sqs[0:0]
    return sqs


def _grouped_page(ranked: SearchQuerySet, main: SearchQuerySet, start: int, size: int) -> tuple[list, int]:
    """One result per story (its best-ranked version), with ``more_versions``; and the group count.

    The stories' first versions are found in ``ranked`` (the bare query: no facets, no
    highlighting), read in windows that double until the page is full; only the page's own
    stretch of the ranking is then read from ``main``, highlighted.
    """
    _ran(main)
    per_story = dict(main.facet_counts()["fields"].get("story", []))
    total = main.count()
    groups = len(per_story) + total - sum(per_story.values())
    seen: set[str] = set()
    firsts: list[tuple[int, str | None]] = []  # (rank, story) of each group's best version
    offset, window = 0, max(GROUP_CHUNK, 2 * (start + size))
    while len(firsts) < start + size and offset < total:
        for rank, result in enumerate(ranked[offset : offset + window], offset):
            story = getattr(result, "story", None)
            story = None if story in (None, "") else str(story)  # the engine may give back a number
            if story is not None:
                if story in seen:
                    continue
                seen.add(story)
            firsts.append((rank, story))
        offset, window = offset + window, window * 2
    page = firsts[start : start + size]
    if not page:
        return [], groups
    stretch = main[page[0][0] : page[-1][0] + 1]
    results = []
    for rank, story in page:
        result = stretch[rank - page[0][0]]
        result.more_versions = per_story.get(story, 1) - 1 if story else 0
        results.append(result)
    return results, groups


def snippet(result) -> SafeString:
    """A result's snippet, as HTML: the highlighted passage, "…" where it cuts a sentence, else (a
    match in the headline or a field only) the article's opening ``SNIPPET_WORDS`` words, escaped.

    Only our Whoosh backend's highlights (a dict of escaped passages) are trusted as HTML; other
    engines' (a list of unescaped fragments) give the opening words."""
    highlighted = getattr(result, "highlighted", None)
    passage = (highlighted.get("body") or [""])[0] if isinstance(highlighted, dict) else ""
    if not passage:
        return escape(Truncator(result.body or "").words(SNIPPET_WORDS))
    return mark_safe(_mark_cuts(passage, result.body or ""))  # noqa: S308


def _mark_cuts(passage: str, body: str) -> str:
    """``passage`` (highlighted HTML, its pieces joined by " … ") with "…" where it cuts ``body``
    mid-sentence: before it unless it opens the body or a sentence, after it unless it ends one."""
    pieces = [" ".join(html.unescape(strip_tags(piece)).split()) for piece in passage.split(" … ")]
    text = " ".join(body.split())
    first, last = pieces[0], pieces[-1]
    at = text.find(first) if first else -1
    # Not found as it is (an engine of another kind): its first letter tells.
    opens = (at == 0 or bool(SENTENCE_END.search(text[:at].rstrip()))) if at >= 0 else first[:1].isupper()
    ends = bool(SENTENCE_END.search(last)) or (bool(last) and text.endswith(last))
    return f"{'' if opens else '… '}{passage}{'' if ends else ' …'}"


def attach_supplied(results: list) -> list:
    """Give each search result ``headline_supplied``: stored in the index; for the documents of an
    index written before it was (one query for them all); the results are returned."""
    unknown = [r for r in results if getattr(r, "headline_supplied", None) is None]
    if unknown:
        ids = [int(r.pk) for r in unknown]
        supplied = set(
            Article.objects.filter(pk__in=ids, headline_supplied=True).values_list("pk", flat=True)
        )
        for result in unknown:
            result.headline_supplied = int(result.pk) in supplied
    return results


def _attach_stories(results: list) -> None:
    """Give each result with a story its ``story_url`` (one query for the page)."""
    ids = {int(r.story) for r in results if getattr(r, "story", None)}
    stories = Story.objects.in_bulk(ids) if ids else {}
    for result in results:
        story = stories.get(int(result.story)) if getattr(result, "story", None) else None
        try:
            result.story_url = story.get_absolute_url() if story else None
        except NoReverseMatch:  # the story page is not routed (yet)
            result.story_url = None
