"""Web requests do bounded index work (:func:`articles.search.indexing.bounded`).

A request applies at most ``REQUEST_BATCH`` queued index changes after its commits, with no writer
processes of its own, and leaves the rest queued for the next requests and ``manage.py
apply_index_queue``: renaming an outlet of 17,000 articles cannot run into the web worker's timeout.
The editor is told how many articles still wait for search.
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
        if budget.queued:
            messages.info(
                request,
                f"Search is updated in batches: {budget.queued:,} article(s) will show their "
                "latest changes in search shortly.",
                fail_silently=True,
            )
        return response
