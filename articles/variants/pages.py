"""The review queue's pages for learned name variants: the pairs waiting for an editor, each
with the sentences writing each name (linked to their articles), accepted or rejected one at a
time or ticked and decided together, and the button that queues a new learning run. For
editors who may change the name variants table; :func:`articles.review_admin.urls` wires them in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from articles import posted
from articles.jobs import learn_variants
from articles.jobs.admin import tell_queued
from articles.search import aliases

from . import decisions
from .models import VariantSuggestion

PER_PAGE = 25
PERMISSION = "articles.change_aliasgroup"
PROBLEMS_SHOWN = 5


def urls(view) -> list:
    """The pages, each wrapped by ``view(func, post=...)`` of the review queue."""
    return [
        path("review/variants/", view(suggestions), name="articles_article_variants"),
        path("review/variants/decide/", view(decide, post=True), name="articles_article_variants_decide"),
        path("review/variants/learn/", view(learn, post=True), name="articles_article_variants_learn"),
    ]


def may_decide(request: HttpRequest) -> bool:
    return request.user.has_perm(PERMISSION)


def _check(request: HttpRequest) -> None:
    if not may_decide(request):
        raise PermissionDenied


def _marked(sentence: str, name: str) -> str:
    """The sentence, escaped, with the name in it marked."""
    at = sentence.find(name)
    if at < 0:
        return format_html("{}", sentence)
    return format_html("{}<mark>{}</mark>{}", sentence[:at], name, sentence[at + len(name) :])


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    return kind if kind in VariantSuggestion.Kind.values else ""


def suggestions(model_admin, request: HttpRequest) -> HttpResponse:
    """The pairs waiting for an editor, the most seen first, filtered by kind."""
    _check(request)
    kind = _kind(request)
    pending = VariantSuggestion.objects.pending()
    page = Paginator(pending.filter(kind=kind) if kind else pending, PER_PAGE).get_page(
        request.GET.get("page")
    )
    groups = decisions.groups_by_name()  # what accepting a pair would join
    for suggestion in page:
        held = (groups.get(aliases.normalize(name)) for name in (suggestion.first, suggestion.second))
        suggestion.groups = list(dict.fromkeys(group for group in held if group))
        suggestion.sides = [
            (name, [(s["article"], _marked(s["sentence"], name)) for s in suggestion.evidence.get(side, [])])
            for side, name in (("first", suggestion.first), ("second", suggestion.second))
        ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Name variants learned from the archive",
        "opts": model_admin.opts,
        "page": page,
        "kind": kind,
        "kinds": VariantSuggestion.Kind.choices,
        "query": urlencode({"kind": kind} if kind else {}),
        "last_run": learn_variants.last_run(),
    }
    return render(request, "admin/articles/article/variants.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    query = {key: request.POST[key] for key in ("kind", "page") if request.POST.get(key)}
    url = reverse("admin:articles_article_variants")
    return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)


def decide(model_admin, request: HttpRequest) -> HttpResponse:
    """Accept or reject one pair (``accept`` or ``reject`` = its id) or every ticked one
    (``decision`` = ``accept`` | ``reject``, ``ids``); back to the list."""
    _check(request)
    one = request.POST.get("accept") or request.POST.get("reject")
    if one:
        accepted, chosen = "accept" in request.POST, [one]
    elif request.POST.get("decision") in ("accept", "reject"):
        accepted, chosen = request.POST["decision"] == "accept", request.POST.getlist("ids")
    else:
        messages.error(request, "Choose “Accept” or “Reject”.")
        return _back(request)
    pks = sorted(set(posted.numbers(chosen)))
    if not pks:
        messages.warning(request, "No pair selected: tick the pairs to decide.")
        return _back(request)
    decided, problems = decisions.decide_many(pks, accepted, request.user)
    if decided:
        done = "Accepted into Name variants" if accepted else "Rejected (never offered again)"
        messages.success(request, f"{done}: {decided:,} pair{'' if decided == 1 else 's'}.")
    for problem in problems[:PROBLEMS_SHOWN]:
        messages.warning(request, problem)
    if len(problems) > PROBLEMS_SHOWN:
        messages.warning(request, f"… and {len(problems) - PROBLEMS_SHOWN:,} more not decided.")
    return _back(request)


def learn(model_admin, request: HttpRequest) -> HttpResponse:
    """Queue a learning run over the whole archive; back to the review overview."""
    _check(request)
    tell_queued(request, "Learning name variants", learn_variants.start_learning(request))
    return HttpResponseRedirect(reverse("admin:articles_article_review"))
