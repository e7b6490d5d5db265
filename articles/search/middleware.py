"""Web requests do bounded index work (:func:`articles.search.indexing.bounded`).

A request applies at most ``REQUEST_BATCH`` queued index changes after its commits, with no writer
processes of its own, and leaves the rest queued for the next requests and ``manage.py
apply_index_queue``: renaming an outlet of 17,000 articles cannot run into the web worker's timeout.
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
                f"({budget.failed}). {budget.queued:,} article(s) wait for search; they are applied "
                "once the index can be written again (an operator can run manage.py apply_index_queue).",
                fail_silently=True,
            )
        elif budget.queued:
            messages.info(
                request,
                f"Search is updated in batches: {budget.queued:,} article(s) will show their "
                "latest changes in search shortly.",
                fail_silently=True,
            )
        return response
