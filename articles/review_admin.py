"""The review queue's admin pages: the overview, each rule's list (filtered, paginated, marked
reviewed singly or in bulk), the possible versions (filtered, decided singly or in bulk), and the
button that queues the near-identical scan. :class:`~articles.admin.ArticleAdmin` wires them in
(:func:`urls`); the rules themselves are :mod:`articles.review`.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from articles import posted, review
from articles.jobs import learn_variants, review_scan
from articles.jobs.admin import tell_queued
from articles.models import Article, Outlet, PossibleVersion
from articles.sanitize import to_plain_text
from articles.stories import editing as story_editing
from articles.variants import pages as variant_pages
from articles.variants.models import VariantSuggestion

SHOWN_ON_OVERVIEW = 5  # of each rule's articles on the overview
ARTICLES_PER_PAGE = 50  # of a rule's list
VERSIONS_PER_PAGE = 20  # possible versions on one page
# ?order= on the possible versions: (link text, ordering); the first is the default.
VERSION_ORDERS = {
    "likely": ("Most likely first", [F("evidence").desc(), F("pk").desc()]),
    "newest": (
        "Newest first",
        [Greatest("first__published", "second__published").desc(nulls_last=True), F("pk").desc()],
    ),
}
LEAD_WORDS = 60  # of each article's text shown beside it
RECENCY = [("", "any time"), ("1", "the last day"), ("7", "the last week"), ("30", "the last 30 days")]
EVIDENCE = [("", "any"), ("0.7", "0.70 and more"), ("0.6", "0.60 and more")]
WIRE_KINDS = [("", "any"), ("corrected", "CORRECTED- items"), ("repeat", "RPT- items")]


class _OutletChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(Outlet.objects.order_by("name"), required=False, empty_label="any outlet", **kwargs)


class _FilterForm(forms.Form):
    """A review list's filters, which the list's links and forms carry along."""

    def query(self) -> dict[str, str]:
        """The filters set, as query parameters (to keep them across pages and after a POST)."""
        if not self.is_valid():
            return {}
        return {name: self.data[name] for name in self.fields if self.data.get(name)}


class RuleFilterForm(_FilterForm):
    """A rule's list filtered: outlet, news date range, recency of ingest, reason, reviewed."""

    outlet = _OutletChoice()
    published_from = forms.DateField(
        required=False, label="Dated from", widget=forms.DateInput({"type": "date"})
    )
    published_to = forms.DateField(required=False, label="to", widget=forms.DateInput({"type": "date"}))
    added = forms.ChoiceField(choices=RECENCY, required=False, label="Ingested in")
    reason = forms.ChoiceField(required=False)
    reviewed = forms.BooleanField(required=False, label="Show the articles marked reviewed")

    def __init__(self, rule: review.Rule, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.fields["reason"].choices = [("", "any")] + [(s, r.label) for s, r in rule.reasons.items()]
        if not rule.reasons:
            del self.fields["reason"]

    def apply(self) -> QuerySet:
        """The rule's articles these filters keep (all its unreviewed ones if the filters are bad)."""
        data = self.cleaned_data if self.is_valid() else {}
        queryset = self.rule.listed(reviewed=bool(data.get("reviewed")))
        if data.get("outlet"):
            queryset = queryset.filter(outlet=data["outlet"])
        if data.get("published_from"):
            queryset = queryset.filter(published__gte=data["published_from"])
        if data.get("published_to"):
            queryset = queryset.filter(published__lte=data["published_to"])
        if data.get("added"):
            queryset = queryset.filter(
                created__gte=timezone.now() - datetime.timedelta(days=int(data["added"]))
            )
        if data.get("reason"):
            queryset = queryset.filter(self.rule.reasons[data["reason"]].where())
        return queryset


class VersionFilterForm(_FilterForm):
    """The possible versions filtered: a day (either article's date), an outlet (either's), the
    evidence, CORRECTED- or RPT- items."""

    day = forms.DateField(required=False, widget=forms.DateInput({"type": "date"}))
    outlet = _OutletChoice()
    evidence = forms.ChoiceField(choices=EVIDENCE, required=False)
    kind = forms.ChoiceField(choices=WIRE_KINDS, required=False, label="Items")

    def apply(self, pairs: QuerySet) -> QuerySet:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("day"):
            pairs = pairs.filter(Q(first__published=data["day"]) | Q(second__published=data["day"]))
        if data.get("outlet"):
            pairs = pairs.filter(Q(first__outlet=data["outlet"]) | Q(second__outlet=data["outlet"]))
        if data.get("evidence"):
            pairs = pairs.filter(evidence__gte=float(data["evidence"]))
        if data.get("kind"):
            pairs = pairs.filter(
                review.wire_prefix_q(data["kind"], "first__") | review.wire_prefix_q(data["kind"], "second__")
            )
        return pairs


class ReviewFilter(admin.SimpleListFilter):
    """The review queue's rules as a changelist filter (unreviewed articles only)."""

    title = "needs review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [(slug, rule.title) for slug, rule in review.RULES.items()]

    def queryset(self, request, queryset):
        if self.value() in review.RULES:
            return queryset.filter(pk__in=review.RULES[self.value()].listed().values("pk"))
        return queryset


def urls(model_admin) -> list:
    """The review pages of the article admin (``model_admin``)."""
    wrap = model_admin.admin_site.admin_view

    def view(func, post=False):
        def bound(request, *args, **kwargs):
            return func(model_admin, request, *args, **kwargs)

        return wrap(require_POST(bound) if post else bound)

    return [
        path("review/", view(overview), name="articles_article_review"),
        path("review/scan/", view(scan, post=True), name="articles_article_review_scan"),
        path("review/versions/", view(possible_versions), name="articles_article_versions"),
        path("review/versions/decide/", view(decide_many, post=True), name="articles_article_decide_many"),
        path("review/versions/<int:pk>/", view(decide, post=True), name="articles_article_decide"),
        *variant_pages.urls(view),
        path("review/<slug:rule>/", view(rule_list), name="articles_article_review_rule"),
        path("review/<slug:rule>/mark/", view(mark, post=True), name="articles_article_review_mark"),
    ]


def _context(model_admin, request: HttpRequest, title: str, **more) -> dict:
    return {**model_admin.admin_site.each_context(request), "title": title, "opts": model_admin.opts, **more}


def _rule(slug: str) -> review.Rule:
    if slug not in review.RULES:
        raise Http404("No such rule.")
    return review.RULES[slug]


def overview(model_admin, request: HttpRequest) -> HttpResponse:
    """Each rule's count of articles to review (and its latest few), the possible versions' count,
    and the near-identical scan: when it last ran, and a button to run it again."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    rules = []
    for slug, rule in review.RULES.items():
        queryset = rule.listed().select_related("outlet").defer("body", "raw_text").order_by("-pk")
        shown = list(queryset[:SHOWN_ON_OVERVIEW])
        count = len(shown) if len(shown) < SHOWN_ON_OVERVIEW else queryset.count()
        rules.append({"slug": slug, "title": rule.title, "count": count, "articles": shown})
    context = _context(
        model_admin,
        request,
        "Review queue",
        rules=rules,
        possible_versions=PossibleVersion.objects.undecided().count(),
        last_scan=review_scan.last_scan(),
        variant_suggestions=VariantSuggestion.objects.pending().count(),
        may_decide_variants=variant_pages.may_decide(request),
        last_learning=learn_variants.last_run(),
        can_change=model_admin.has_change_permission(request),
    )
    return render(request, "admin/articles/article/review.html", context)


def scan(model_admin, request: HttpRequest) -> HttpResponse:
    """Queue the near-identical scan of the whole archive; back to the overview."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    tell_queued(request, "Near-identical scan", review_scan.start_scan(request))
    return HttpResponseRedirect(reverse("admin:articles_article_review"))


def rule_list(model_admin, request: HttpRequest, rule: str) -> HttpResponse:
    """One rule's articles, newest first, a page at a time, filtered, each with its reasons."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    rule = _rule(rule)
    form = RuleFilterForm(rule, request.GET or None)
    queryset = form.apply().select_related("outlet", "place").defer("body", "raw_text").order_by("-pk")
    page = Paginator(queryset, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    ids = [article.pk for article in page]
    copied = set()
    if rule.slug == "duplicates":
        copied = set(
            Article.objects.filter(near_identical_to__in=ids).values_list("near_identical_to", flat=True)
        )
    for article in page:
        article.reasons = rule.reasons_of(article, copied)
        article.wire_kind = review.wire_prefix(article.headline)[0]
    query = form.query()
    context = _context(
        model_admin,
        request,
        rule.title,
        rule=rule,
        form=form,
        page=page,
        query=urlencode(query),
        filters=query,
        reviewed=bool(query.get("reviewed")),
        can_change=model_admin.has_change_permission(request),
    )
    return render(request, "admin/articles/article/review_rule.html", context)


def mark(model_admin, request: HttpRequest, rule: str) -> HttpResponse:
    """Mark the ticked articles (``mark=selected``) or every one the filters keep (``mark=all``)
    reviewed for the rule; ``undo=selected|all`` puts marked ones back on its list. Back to the
    list, its filters kept."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    rule = _rule(rule)
    undo = "undo" in request.POST
    data = request.POST.copy()
    data["reviewed"] = "on" if undo else ""  # undo acts on the marked articles, marking on the others
    form = RuleFilterForm(rule, data)
    if (request.POST.get("undo") or request.POST.get("mark")) == "all":
        ids = list(form.apply().values_list("pk", flat=True)) if form.is_valid() else []
    else:
        chosen = posted.numbers(request.POST.getlist("ids"))
        ids = list(rule.listed(reviewed=undo).filter(pk__in=chosen).values_list("pk", flat=True))
    if not ids:
        messages.warning(request, "No article selected: tick some, or choose all that match.")
    elif undo:
        count = review.unmark(rule.slug, ids)
        messages.success(request, f"{_articles(count)} back on the list “{rule.title}”.")
    else:
        count = review.mark_reviewed(rule.slug, ids, request.user)
        messages.success(request, f"Marked {_articles(count)} reviewed for “{rule.title}”.")
    query = urlencode(form.query())
    url = reverse("admin:articles_article_review_rule", args=[rule.slug])
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


# -- possible versions -----------------------------------------------------------------------


def possible_versions(model_admin, request: HttpRequest) -> HttpResponse:
    """Pairs the story rule nearly joined, most likely (or newest) first, each with both leads,
    filtered; decided one at a time or ticked and decided together."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    order = request.GET.get("order")
    order = order if order in VERSION_ORDERS else next(iter(VERSION_ORDERS))
    form = VersionFilterForm(request.GET or None)
    pairs = form.apply(
        PossibleVersion.objects.undecided()
        .select_related("first__outlet", "first__story", "second__outlet", "second__story")
        .defer("first__raw_text", "second__raw_text")
        .order_by(*VERSION_ORDERS[order][1])
    )
    page = Paginator(pairs, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    for pair in page:
        pair.articles = [pair.first, pair.second]
        for article in pair.articles:
            article.lead = Truncator(to_plain_text(article.body)).words(LEAD_WORDS)
            article.wire_kind = review.wire_prefix(article.headline)[0]
        pair.wire_evidence = review.wire_relation(pair.first.headline, pair.second.headline)
    filters = form.query()
    context = _context(
        model_admin,
        request,
        "Possible versions of one story",
        page=page,
        order=order,
        orders=[(key, label) for key, (label, _) in VERSION_ORDERS.items()],
        form=form,
        filters=filters,
        query=urlencode({"order": order, **filters}),
    )
    return render(request, "admin/articles/article/possible_versions.html", context)


def _back_to_versions(request: HttpRequest) -> HttpResponse:
    """Back to the possible versions in the same order, page and filters (urlencode escapes them;
    the list checks them)."""
    keys = ("order", "page", *VersionFilterForm.base_fields)
    query = urlencode({key: request.POST[key] for key in keys if request.POST.get(key)})
    url = reverse("admin:articles_article_versions")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _verdict(request: HttpRequest) -> str | None:
    verdict = request.POST.get("decision")
    if verdict not in (PossibleVersion.Decision.SAME, PossibleVersion.Decision.DIFFERENT):
        messages.error(request, "Choose “The same story” or “Not the same story”.")
        return None
    return verdict


def decide(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """An editor's verdict on one pair: the same story, or not. A pair another editor decided
    meanwhile (or that needs no decision any more) is reported, not decided again."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    possible = get_object_or_404(PossibleVersion, pk=pk)
    verdict = _verdict(request)
    if verdict is None:
        pass
    elif not possible.decision and not PossibleVersion.objects.undecided().filter(pk=pk).exists():
        messages.info(
            request, "This pair needs no decision any more: one story holds both, or one was merged."
        )
    else:  # undecided, or decided by another editor (which ``decide`` reports)
        try:
            story = story_editing.decide(possible, verdict == PossibleVersion.Decision.SAME, request.user)
        except story_editing.AlreadyDecided as decided:
            messages.warning(request, str(decided))
        else:
            messages.success(
                request,
                f"Both articles are now in the story “{story}”."
                if story
                else "Marked as not the same story; the pair will not be offered again.",
            )
    return _back_to_versions(request)


def decide_many(model_admin, request: HttpRequest) -> HttpResponse:
    """One verdict on every ticked pair still undecided; the others (decided meanwhile, or needing
    no decision any more) are counted, not decided again."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    verdict = _verdict(request)
    chosen = set(posted.numbers(request.POST.getlist("ids")))
    if verdict is None:
        return _back_to_versions(request)
    if not chosen:
        messages.warning(request, "No pair selected: tick the pairs to decide.")
        return _back_to_versions(request)
    decided = 0
    for possible in PossibleVersion.objects.undecided().filter(pk__in=chosen).order_by("pk"):
        try:
            story_editing.decide(possible, verdict == PossibleVersion.Decision.SAME, request.user)
        except story_editing.AlreadyDecided:
            continue
        decided += 1
    label = "the same story" if verdict == PossibleVersion.Decision.SAME else "not the same story"
    message = f"Decided {decided:,} pair{'' if decided == 1 else 's'}: {label}."
    if skipped := len(chosen) - decided:
        message += f" {skipped:,} needed no decision any more (decided meanwhile, or one story holds both)."
    messages.success(request, message)
    return _back_to_versions(request)
