"""Fetching a watched feed: one conditional HTTP request, its items through the one ingest path.

:func:`download` is the HTTP part (stdlib ``urllib``): only ``http`` and ``https`` addresses
(redirects included), a timeout, a size cap (a file's, 5 MB), a User-Agent naming Newsarchive, and
the validators the server gave last time sent back (``If-None-Match``, ``If-Modified-Since``).
Every way it can fail (refused, timed out, an HTTP error status, too large) is a
:class:`FetchError` with a line saying why.

:func:`fetch_feed` fetches one :class:`~articles.watch.models.Feed` and records a
:class:`~articles.watch.models.FeedFetch` whatever happens, then schedules the feed's next fetch:

- 304 Not Modified: nothing is ingested;
- 200: the body must read as RSS or Atom (:func:`read_feed`: malformed XML, a web page or plain
  text is refused before anything is written), then it is ingested by
  :func:`articles.ingest.ingest_upload`: one transaction, all of it or nothing (when it fails, each
  of its items counts as failed); each item known by its guid, so a changed item updates its
  article and an unchanged one changes nothing; the feed's outlet, when set, instead of the one the
  feed's title names. The new validators are kept only when the ingest succeeded (else the next
  fetch would get a 304 and never take the items that failed);
- an error: its status (when the server answered) and reason are recorded; nothing is written.

:func:`fetch_once` is ``manage.py ingest URL``: one unconditional fetch, reported like a file.
"""

from __future__ import annotations

import datetime
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from articles.ingest import MAX_COPY_BYTES, FileReport, ingest_upload
from articles.parsing import CopyError
from articles.parsing.formats import WireDocument, read_wire
from articles.watch.models import Feed, FeedFetch

SCHEMES = ("http", "https")
FEED_FORMATS = ("rss", "atom")  # what read_wire calls them
MAX_URL = 500  # Feed.url's length
MIN_INTERVAL = 5  # minutes: no watched feed is fetched more often
USER_AGENT = "Newsarchive/1.0 (feed watcher)"
TIMEOUT = 30.0  # seconds: to connect, and between reads
MAX_BYTES = MAX_COPY_BYTES  # a feed is ingested as one file, so it has a file's limit (5 MB)
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


class FetchError(Exception):
    """A fetch that brought no feed: ``status`` is the HTTP status when the server answered."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to ``http`` and ``https`` addresses only (urllib's own also allows ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise FetchError(f"redirected to {newurl[:200]}: only http and https addresses are fetched", code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_HttpOnlyRedirects)


def check_url(url: str) -> str:
    """The URL, when it is one this fetches (``http`` or ``https`` with a host); else FetchError."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FetchError(f"{url[:200]}: only http and https addresses are fetched")
    if len(url) > MAX_URL:
        raise FetchError(f"{url[:200]}…: a feed URL has at most {MAX_URL} characters")
    return url


def download(
    url: str,
    etag: str = "",
    last_modified: str = "",
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> Response:
    """GET the URL, conditionally when validators are given: a 200 with its body, or a 304."""
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    request = urllib.request.Request(check_url(url), headers=headers)  # noqa: S310  (http and https only)
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with _opener.open(request, timeout=timeout) as answer:
            body = answer.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"the feed is larger than {max_bytes:,} bytes", answer.status)
            return Response(
                answer.status, body, answer.headers.get("ETag", ""), answer.headers.get("Last-Modified", "")
            )
    except urllib.error.HTTPError as error:  # urllib raises for every status it does not follow
        error.close()
        if error.code == 304:
            return Response(304)
        raise FetchError(f"HTTP {error.code} {error.reason}", error.code) from None
    except urllib.error.URLError as error:
        raise FetchError(_reason(error.reason)) from None
    except TimeoutError:
        raise FetchError(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as error:  # a connection reset mid-body, a malformed answer
        raise FetchError(_reason(error)) from None


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "no answer in time (timed out)"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def fetch_once(url: str, *, dry_run: bool = False) -> FileReport:
    """Fetch a feed URL once, unconditionally, and ingest it (``manage.py ingest URL``: not
    registered, nothing recorded but its articles); a fetch that fails is reported like a bad file."""
    try:
        response = download(url)
        read_feed(url, response.body)
    except (FetchError, CopyError) as error:
        return FileReport(path=url, ok=False, error=str(error))
    return ingest_upload(url, response.body, dry_run=dry_run)


def fetch_feed(feed: Feed, *, now: datetime.datetime | None = None, timeout: float = TIMEOUT) -> FeedFetch:
    """Fetch the feed once, ingest what it brings, record the fetch and schedule the next one."""
    started = now or timezone.now()
    fetch = FeedFetch(feed=feed, started=started)
    try:
        response = download(feed.url, feed.etag, feed.last_modified, timeout=timeout)
    except FetchError as error:
        fetch.status, fetch.error = error.status, str(error)
    else:
        fetch.status = response.status
        if response.status != 304:
            _ingest(feed, fetch, response)
    feed.last_fetched = started
    feed.schedule_next(started)
    with transaction.atomic():
        feed.save(update_fields=["etag", "last_modified", "last_fetched", "next_fetch"])
        fetch.save()
    return fetch


def _ingest(feed: Feed, fetch: FeedFetch, response: Response) -> None:
    """Ingest a 200's body into ``fetch``'s counts; keep its validators only when that worked."""
    try:
        items = len(read_feed(feed.url, response.body).articles)
    except CopyError as error:
        fetch.error = str(error)
        return
    outlet = feed.outlet.name if feed.outlet_id else ""
    report = ingest_upload(feed.url, response.body, outlet=outlet)
    if not report.ok:  # a feed is ingested whole or not at all: each of its items failed
        fetch.error, fetch.items_failed = report.error or "the feed could not be ingested", items
        return
    fetch.items_new, fetch.items_updated = report.created, report.updated
    feed.etag, feed.last_modified = response.etag[:500], response.last_modified[:100]


def read_feed(url: str, body: bytes) -> WireDocument:
    """The fetched document read as the ingest reads it, before anything is written: an RSS or Atom
    feed, else :class:`CopyError` (malformed XML, a web page, raw text: the ingest would take those
    for an article)."""
    document = read_wire(body, url)
    if document is None or document.format not in FEED_FORMATS:
        kind = "raw text" if document is None else f"{document.format} (a web page?)"
        raise CopyError(f"not a feed: RSS or Atom expected, this reads as {kind}")
    return document
