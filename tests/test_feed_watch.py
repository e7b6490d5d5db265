"""Watched feeds: fetched with conditional requests from a real HTTP server on loopback, their items
ingested (new, updated, never duplicated), every fetch's outcome recorded, the fetch job scheduled
and run by the worker, the admin's pages and "Fetch now", and ``manage.py ingest URL``."""

from __future__ import annotations

import datetime
import re
import socket
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.jobs import fetch_feeds
from articles.jobs.models import Job
from articles.models import Article, Outlet
from articles.watch.fetch import USER_AGENT, download, fetch_feed
from articles.watch.models import Feed, FeedFetch
from tests.conftest import run_jobs
from tests.editors import action

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = """  <item>
    <title>{title}</title>
    <link>https://harbourview.example/news/{slug}</link>
    <guid isPermaLink="false">harbourview-{slug}</guid>
    <pubDate>{date}</pubDate>
    <dc:creator>{author}</dc:creator>
    <category>{category}</category>
    <description>{text}</description>
  </item>
"""

FERRY = {
    "title": "Ferry service to Kestrel Island resumes after storm repairs",
    "slug": "ferry-kestrel",
    "date": "Tue, 03 Mar 2026 07:40:00 +0000",
    "author": "Maren Holt",
    "category": "Transport",
    "text": "The morning ferry to Kestrel Island sailed on Tuesday for the first time in eleven days, "
    "after crews replaced the pier's damaged mooring posts. The operator said timetables would be "
    "back to normal by Friday.",
}
CYCLE_LANES = {
    "title": "Council approves cycle lanes on Mill Road",
    "slug": "mill-road-lanes",
    "date": "Tue, 03 Mar 2026 11:15:00 +0000",
    "author": "Idris Vale",
    "category": "Local government",
    "text": "Councillors voted 14 to 9 on Tuesday evening to build protected cycle lanes along Mill Road. "
    "Work is due to begin in June and to last about four months.",
}
CYCLE_LANES_CORRECTED = {
    **CYCLE_LANES,
    "text": "Councillors voted 15 to 8 on Tuesday evening to build protected cycle lanes along Mill Road, "
    "correcting the count first announced. Work is due to begin in June and to last about four months.",
}
CONDUCTOR = {
    "title": "Harbourview Philharmonic names Ana Ruiz as chief conductor",
    "slug": "philharmonic-conductor",
    "date": "Wed, 04 Mar 2026 09:00:00 +0000",
    "author": "Maren Holt",
    "category": "Culture",
    "text": "The Harbourview Philharmonic has named the Seville-born conductor Ana Ruiz as its chief "
    "conductor from next season, the orchestra said on Wednesday.",
}
LIBRARY = {
    "title": "Old harbour library to reopen as a reading room",
    "slug": "library-reopens",
    "date": "Thu, 05 Mar 2026 08:30:00 +0000",
    "author": "Idris Vale",
    "category": "Culture",
    "text": "The old harbour library, closed since a roof collapse two winters ago, will reopen in April "
    "as a reading room with a café, the trust that owns the building said on Thursday.",
}


def rss(*items: dict, title: str = "Harbourview Gazette") -> bytes:
    body = "".join(ITEM.format(**item) for item in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"  <title>{title}</title>\n  <link>https://harbourview.example/</link>\n"
        "  <description>News from the harbour town</description>\n  <language>en-gb</language>\n"
        f"{body}</channel>\n</rss>\n"
    ).encode()


@dataclass
class Page:
    body: bytes
    status: int = 200
    etag: str = ""
    modified: datetime.datetime | None = None


@dataclass
class Site:
    """What the loopback server serves (path -> Page) and the requests it received."""

    url: str = ""
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def publish(self, path: str, body: bytes, version: int) -> None:
        """A feed file at ``path``: its ETag and Last-Modified change with ``version``."""
        modified = datetime.datetime(2026, 3, 3, 12, version, tzinfo=datetime.UTC)
        self.pages[path] = Page(body, etag=f'"v{version}"', modified=modified)

    def fetched(self, path: str) -> list[dict[str, str]]:
        return [headers for got, headers in self.requests if got == path]


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            site.requests.append((self.path, dict(self.headers.items())))
            page = site.pages.get(self.path)
            if page is None or page.status != 200:
                self.send_error(page.status if page else 404)
                return
            last_modified = format_datetime(page.modified, usegmt=True) if page.modified else ""
            if (page.etag and self.headers.get("If-None-Match") == page.etag) or (
                last_modified and self.headers.get("If-Modified-Since") == last_modified
            ):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(page.body)))
            if page.etag:
                self.send_header("ETag", page.etag)
            if last_modified:
                self.send_header("Last-Modified", last_modified)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, format, *args):  # quiet
            pass

    return Handler


@pytest.fixture
def site():
    """A real HTTP server on 127.0.0.1 (a free port), serving ``site.pages`` in a thread."""
    served = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def feed(site, search_backend) -> Feed:
    site.publish("/feed.xml", rss(FERRY, CYCLE_LANES, CONDUCTOR), version=1)
    return Feed.objects.create(url=f"{site.url}/feed.xml", interval=30)


def _articles() -> dict[str, Article]:
    return {article.wire_id: article for article in Article.objects.filter(wire_format="rss")}


# --- fetching one feed -------------------------------------------------------------------------


def test_the_first_fetch_ingests_every_item_and_keeps_the_validators(site, feed):
    fetch = fetch_feed(feed)

    assert (fetch.status, fetch.items_new, fetch.items_updated, fetch.items_failed, fetch.error) == (
        200,
        3,
        0,
        0,
        "",
    )
    articles = _articles()
    assert sorted(articles) == [f"harbourview-{item['slug']}" for item in (FERRY, CYCLE_LANES, CONDUCTOR)]
    ferry = articles["harbourview-ferry-kestrel"]
    assert ferry.headline == FERRY["title"] and ferry.outlet.name == "Harbourview Gazette"
    assert "mooring posts" in ferry.body and ferry.source_file == feed.url
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_modified == "Tue, 03 Mar 2026 12:01:00 GMT"
    assert feed.last_fetched == fetch.started
    assert feed.next_fetch == fetch.started + datetime.timedelta(minutes=30)
    (request,) = site.fetched("/feed.xml")
    assert request["User-Agent"] == USER_AGENT and "Newsarchive" in USER_AGENT
    assert "If-None-Match" not in request and "If-Modified-Since" not in request


def test_an_unchanged_feed_answers_304_and_nothing_is_ingested(site, feed):
    fetch_feed(feed)
    before = {a.pk: a.updated for a in Article.objects.all()}

    fetch = fetch_feed(feed)

    assert (fetch.status, fetch.items_new, fetch.items_updated, fetch.error) == (304, 0, 0, "")
    second = site.fetched("/feed.xml")[1]
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Tue, 03 Mar 2026 12:01:00 GMT"
    assert {a.pk: a.updated for a in Article.objects.all()} == before
    assert list(feed.fetches.values_list("status", flat=True)) == [304, 200]


def test_a_changed_feed_updates_the_edited_item_and_adds_the_new_one_without_duplicates(site, feed):
    fetch_feed(feed)
    first = _articles()
    site.publish("/feed.xml", rss(FERRY, CYCLE_LANES_CORRECTED, CONDUCTOR, LIBRARY), version=2)

    fetch = fetch_feed(feed)

    assert (fetch.status, fetch.items_new, fetch.items_updated, fetch.error) == (200, 1, 1, "")
    articles = _articles()
    assert len(articles) == Article.objects.count() == 4
    lanes = articles["harbourview-mill-road-lanes"]
    assert lanes.pk == first["harbourview-mill-road-lanes"].pk and "15 to 8" in lanes.body
    assert [v.body for v in lanes.versions.all()] == [first["harbourview-mill-road-lanes"].body]
    assert articles["harbourview-library-reopens"].headline == LIBRARY["title"]
    feed.refresh_from_db()
    assert feed.etag == '"v2"'


def test_the_feeds_outlet_when_set_replaces_the_feeds_own_title(site, feed):
    feed.outlet = Outlet.objects.create(name="Harbourview Evening Gazette", slug="evening-gazette")
    feed.save()

    fetch_feed(feed)

    assert {a.outlet.name for a in Article.objects.all()} == {"Harbourview Evening Gazette"}
    assert not Outlet.objects.filter(name="Harbourview Gazette").exists()


@pytest.mark.parametrize("status", [404, 500])
def test_an_http_error_is_recorded_and_nothing_is_written(site, feed, status):
    site.pages["/feed.xml"].status = status
    feed.etag = '"v0"'
    feed.save()

    fetch = fetch_feed(feed)

    assert fetch.status == status and fetch.error.startswith(f"HTTP {status}")
    assert (fetch.items_new, fetch.items_updated) == (0, 0) and not Article.objects.exists()
    feed.refresh_from_db()
    assert feed.etag == '"v0"', "the validators stay those of the last feed read"
    assert feed.next_fetch == fetch.started + datetime.timedelta(minutes=30), "still scheduled"


def test_malformed_xml_is_recorded_and_nothing_is_written(site, feed):
    site.publish("/feed.xml", rss(FERRY, CYCLE_LANES).replace(b"</item>", b"</itme>", 1), version=3)

    fetch = fetch_feed(feed)

    assert fetch.status == 200 and "not well-formed" in fetch.error
    assert not Article.objects.exists()
    feed.refresh_from_db()
    assert feed.etag == "", "a feed that could not be read is fetched whole next time"


def test_a_feed_with_an_item_that_cannot_be_ingested_writes_none_of_its_items(site, feed):
    empty = '<item><guid isPermaLink="false">harbourview-empty</guid></item>'
    site.publish("/feed.xml", rss(FERRY, CONDUCTOR).replace(b"</channel>", empty.encode() + b"</channel>"), 2)

    fetch = fetch_feed(feed)

    assert fetch.status == 200 and "no headline and no text" in fetch.error
    assert (fetch.items_new, fetch.items_updated, fetch.items_failed) == (0, 0, 3)
    assert not Article.objects.exists()


def test_a_web_page_instead_of_a_feed_is_refused_not_taken_for_raw_copy(site, feed):
    page = f"<!DOCTYPE html><html><head><title>Ferry</title></head><body><article><h1>{FERRY['title']}</h1>"
    page += f"<p>{FERRY['text']}</p><p>{CYCLE_LANES['text']}</p></article></body></html>"
    site.pages["/feed.xml"] = Page(page.encode())

    fetch = fetch_feed(feed)

    assert fetch.status == 200
    assert fetch.error.startswith("not a feed: RSS or Atom expected, this reads as html")
    assert not Article.objects.exists()


def test_a_refused_connection_is_recorded_without_a_status(closed_port, search_backend):
    feed = Feed.objects.create(url=f"http://127.0.0.1:{closed_port}/feed.xml")

    fetch = fetch_feed(feed)

    assert fetch.status is None and "refused" in fetch.error.lower()
    assert FeedFetch.objects.get() == fetch and not Article.objects.exists()


def test_only_http_and_https_addresses_are_fetched(tmp_path):
    from articles.watch.fetch import FetchError

    (tmp_path / "feed.xml").write_bytes(rss(FERRY))
    for url in [f"file://{tmp_path}/feed.xml", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/"]:
        with pytest.raises(FetchError, match="only http and https"):
            download(url)


def test_a_feed_over_the_size_cap_is_refused(site, feed):
    from articles.watch.fetch import FetchError

    with pytest.raises(FetchError, match="larger than 100 bytes"):
        download(feed.url, max_bytes=100)


# --- the job and its schedule ------------------------------------------------------------------


def _waiting() -> list[Job]:
    return list(Job.objects.waiting().filter(kind=fetch_feeds.KIND))


def test_the_job_fetches_only_active_feeds_that_are_due_and_schedules_the_next_run(site, search_backend):
    for path in ("/due.xml", "/later.xml", "/inactive.xml"):
        site.publish(path, rss(FERRY), version=1)
    now = timezone.now()
    due = Feed.objects.create(url=f"{site.url}/due.xml", interval=15, next_fetch=now)
    later = Feed.objects.create(url=f"{site.url}/later.xml", next_fetch=now + datetime.timedelta(minutes=40))
    Feed.objects.create(url=f"{site.url}/inactive.xml", active=False, next_fetch=now)

    job = fetch_feeds.schedule()
    assert job is not None and _waiting() == [job]
    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.outcome == "Fetched 1 feed: 1 new, 0 updated, 0 failed."
    assert [path for path, _ in site.requests] == ["/due.xml"]
    due.refresh_from_db()
    assert due.next_fetch > now + datetime.timedelta(minutes=14) and due.fetches.count() == 1
    (following,) = _waiting()
    assert following.pk != job.pk
    assert fetch_feeds._due(following) == min(due.next_fetch, later.next_fetch)
    assert run_jobs() == 0, "the next job waits for its time"


def test_one_job_waits_however_often_it_is_scheduled_and_a_feed_due_sooner_moves_it(site, search_backend):
    now = timezone.now()
    Feed.objects.create(url=f"{site.url}/a.xml", next_fetch=now + datetime.timedelta(hours=1))
    first = fetch_feeds.schedule()
    assert fetch_feeds.schedule() == first and _waiting() == [first], "a worker restart finds it waiting"

    soon = Feed.objects.create(url=f"{site.url}/b.xml", next_fetch=now + datetime.timedelta(minutes=10))
    sooner = fetch_feeds.schedule()

    assert _waiting() == [sooner] and not Job.objects.filter(pk=first.pk).exists()
    assert fetch_feeds._due(sooner) == soon.next_fetch
    assert run_jobs() == 0, "the replaced job's task finds no job and does nothing"


def test_no_job_waits_when_no_feed_is_active(search_backend):
    Feed.objects.create(url="http://127.0.0.1:9/feed.xml", active=False)
    assert fetch_feeds.schedule() is None and not _waiting()


def test_a_failing_feed_does_not_fail_the_job_or_the_others(site, closed_port, search_backend):
    site.publish("/feed.xml", rss(FERRY, CONDUCTOR), version=1)
    Feed.objects.create(url=f"{site.url}/feed.xml")
    Feed.objects.create(url=f"http://127.0.0.1:{closed_port}/feed.xml")
    job = fetch_feeds.schedule()

    run_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.outcome == (
        "Fetched 2 feeds: 2 new, 0 updated, 0 failed; 1 feed could not be fetched or read (see its fetches)."
    )
    assert Article.objects.count() == 2 and len(_waiting()) == 1


def test_the_worker_queues_the_fetch_job_when_it_starts_and_runs_it(site, feed):
    assert not Job.objects.exists(), "a feed made outside the admin (a shell, a fixture) queues nothing"

    call_command("worker", "--batch", verbosity=0, stdout=StringIO(), stderr=StringIO())

    assert feed.fetches.get().items_new == 3
    assert len(_waiting()) == 1, "and the next one waits"


# --- the admin ---------------------------------------------------------------------------------


def test_the_feed_list_shows_each_feeds_schedule_and_last_outcome(site, feed, editor):
    fetch_feed(feed)
    fetch_feed(feed)

    page = editor.get("/admin/articles/feed/")

    assert page.status_code == 200
    html = page.content.decode()
    assert feed.url in html and "304: not modified" in html


def _column(html: str, name: str) -> list[str]:
    """The values of one column of the fetches' table, top to bottom."""
    return re.findall(rf'<td class="field-{name}">\s*<p>(.*?)</p>', html)


def test_the_feed_page_lists_its_recent_fetches_newest_first(site, feed, editor):
    fetch_feed(feed)
    site.pages["/feed.xml"].status = 500
    fetch_feed(feed)

    page = editor.get(f"/admin/articles/feed/{feed.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Recent fetches" in html
    assert _column(html, "status") == ["500", "200"]
    assert _column(html, "items_new") == ["0", "3"]
    assert _column(html, "error") == ["HTTP 500 Internal Server Error", "-"]


def test_the_feed_page_lists_only_the_latest_fetches(feed, editor):
    start = timezone.now() - datetime.timedelta(days=1)
    FeedFetch.objects.bulk_create(
        FeedFetch(feed=feed, started=start + datetime.timedelta(minutes=n), status=200, items_new=n)
        for n in range(25)
    )

    html = editor.get(f"/admin/articles/feed/{feed.pk}/change/").content.decode()

    assert _column(html, "items_new") == [str(n) for n in range(24, 4, -1)]


def test_fetch_now_queues_the_job_and_fetches_nothing_in_the_request(site, feed, editor):
    feed.next_fetch = timezone.now() + datetime.timedelta(hours=2)
    feed.save()
    fetch_feeds.schedule()

    response = action(editor, "fetch_now", [feed], model="feed")

    assert response.status_code == 302 and not site.requests
    (job,) = _waiting()
    assert job.created_by.username == "editor" and fetch_feeds._due(job) <= timezone.now()
    run_jobs()
    assert len(site.fetched("/feed.xml")) == 1 and Article.objects.filter(wire_format="rss").count() == 3


def test_an_editor_registers_a_feed_and_the_job_waits_for_it(site, editor):
    outlet = Outlet.objects.create(name="Harbourview Gazette", slug="harbourview-gazette")
    data = {"url": f"{site.url}/feed.xml", "outlet": outlet.pk, "interval": 20, "active": "on"}
    formset = {"fetches-TOTAL_FORMS": 0, "fetches-INITIAL_FORMS": 0}

    response = editor.post("/admin/articles/feed/add/", {**data, **formset})

    assert response.status_code == 302
    feed = Feed.objects.get()
    assert (feed.interval, feed.outlet) == (20, outlet) and len(_waiting()) == 1


def test_a_feed_given_another_url_is_fetched_afresh_and_a_new_interval_counts_from_the_last_fetch(
    site, feed, editor
):
    fetch_feed(feed)
    feed.refresh_from_db()
    change = {"outlet": "", "active": "on", "fetches-TOTAL_FORMS": 0, "fetches-INITIAL_FORMS": 0}

    editor.post(f"/admin/articles/feed/{feed.pk}/change/", {**change, "url": feed.url, "interval": 10})

    shorter = Feed.objects.get()
    assert shorter.next_fetch == feed.last_fetched + datetime.timedelta(minutes=10)
    assert shorter.etag == '"v1"'

    editor.post(
        f"/admin/articles/feed/{feed.pk}/change/", {**change, "url": f"{site.url}/new.xml", "interval": 10}
    )

    moved = Feed.objects.get()
    assert (moved.etag, moved.last_modified) == ("", "") and moved.next_fetch <= timezone.now()
    assert fetch_feeds._due(_waiting()[0]) <= timezone.now(), "the job waits for it no longer"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("url", "ftp://127.0.0.1/feed.xml", "only http and https"),
        ("interval", 2, "greater than or equal to 5"),
    ],
)
def test_the_feed_form_refuses_other_schemes_and_too_short_intervals(editor, field, value, error):
    data = {"url": "http://127.0.0.1:9/feed.xml", "interval": 60, "active": "on", field: value}
    formset = {"fetches-TOTAL_FORMS": 0, "fetches-INITIAL_FORMS": 0}

    response = editor.post("/admin/articles/feed/add/", {**data, **formset})

    assert response.status_code == 200 and error in response.content.decode()
    assert not Feed.objects.exists()


# --- manage.py ingest URL ----------------------------------------------------------------------


def test_ingest_a_feed_url_once(site, search_backend):
    site.publish("/feed.xml", rss(FERRY, CYCLE_LANES), version=1)
    out = StringIO()

    call_command("ingest", f"{site.url}/feed.xml", stdout=out, stderr=StringIO())

    assert f"{site.url}/feed.xml: 2 article(s): 2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Article.objects.filter(wire_format="rss").count() == 2 and not Feed.objects.exists()


def test_ingest_a_feed_url_that_fails_exits_1(closed_port, search_backend):
    out = StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("ingest", f"http://127.0.0.1:{closed_port}/feed.xml", stdout=out, stderr=StringIO())
    assert exit.value.code == 1 and "FAILED" in out.getvalue() and "refused" in out.getvalue().lower()


def test_ingest_watch_registers_the_feed_and_the_job_waits_for_it(site, search_backend):
    site.publish("/feed.xml", rss(FERRY), version=1)
    err = StringIO()

    call_command("ingest", f"{site.url}/feed.xml", "--watch", "30", stdout=StringIO(), stderr=err)

    feed = Feed.objects.get()
    assert (feed.url, feed.interval, feed.active) == (f"{site.url}/feed.xml", 30, True)
    assert feed.next_fetch > timezone.now() + datetime.timedelta(minutes=29)
    assert Article.objects.count() == 1 and len(_waiting()) == 1
    assert "watched, fetched every 30 minutes" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["feeds/", "--watch", "30"], "give at least one"),
        (["http://127.0.0.1:9/feed.xml", "--watch", "1"], "every 5 minutes at most"),
        (["http://127.0.0.1:9/feed.xml", "--watch", "30", "--dry-run"], "--dry-run"),
    ],
)
def test_ingest_watch_refuses_what_it_cannot_watch(search_backend, args, error):
    with pytest.raises(CommandError, match=error):
        call_command("ingest", *args, stdout=StringIO(), stderr=StringIO())
    assert not Feed.objects.exists()
