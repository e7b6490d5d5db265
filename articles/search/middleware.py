"""Web requests do bounded index work (:func:`articles.search.indexing.bounded`).

A request applies its own index changes after its commits (at most ``REQUEST_BATCH`` articles),
with no writer processes of its own, and leaves the rest to the ``apply_index`` job: renaming an
outlet of 17,000 articles cannot run into the web worker's timeout.
The editor is told how many articles still wait for search, and warned when the index could not be
written at all (a full disk, a read-only folder): the change is saved, and stays queued until it can.
"""

from __future__ import annotations

from django.contrib import messages

from articles.search.indexing import bounded


class BoundedIndexingMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with bounded() as budget:
            response = self.get_response(request)
        if budget.failed:
            messages.warning(
                request,
                f"The change is saved but not yet searchable: the search index could not be written "
                f"({budget.failed}). {budget.queued:,} article(s) wait for search; a background job "
                "applies them once the index can be written again.",
                fail_silently=True,
            )
        elif budget.queued:
            messages.info(
                request,
                f"Search is updated in the background: {budget.queued:,} article(s) will show "
                "their latest changes in search shortly.",
                fail_silently=True,
            )
        return response
