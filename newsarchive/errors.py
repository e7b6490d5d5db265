"""The server-error page, which tells a busy database apart from a fault.

A write that waited for the database longer than its busy timeout (SQLite's one writer busy with a
bulk load; a PostgreSQL row lock held past ``lock_timeout``) is not a fault of the page: the reader
or editor gets a 503 "busy, try again" page with ``Retry-After``, never gunicorn's bare 500 (the
busy timeouts are below gunicorn's worker timeout, so the page is always answered). Nothing of the
request was saved: its transaction rolled back.
"""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5
# What SQLite and PostgreSQL say when a lock was not granted in time.
_BUSY = ("database is locked", "lock timeout", "could not obtain lock")


def is_busy(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError) and any(text in str(error).lower() for text in _BUSY)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception, so it can see which it is."""
    if is_busy(sys.exc_info()[1]):
        body = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
