"""Concurrent edits, deletes and searches against a real gunicorn with 2 worker processes: the index
loses nothing (0 lost updates, 0 ghosts) and no request fails (0 5xx).

The server runs on a free loopback port over a temporary data folder: a migrated SQLite database,
or the PostgreSQL test database when ``DATABASE_URL`` is set, holding the seed archive and some
probe articles. Editors, one login per client thread, edit probe articles through the admin's
change form (each article's edits in order, different articles at once), delete some, and
search meanwhile; then ``manage.py check_index`` compares index and database, and every probe
is looked up through the server's search. Bounded: a fixed number of requests, each with a timeout.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest

from tests.conftest import REPO, SEED_FIXTURE, process_env

pytestmark = pytest.mark.django_db(transaction=True)

GUNICORN_WORKERS = 2
CLIENT_THREADS = 6
PROBES = 24  # probe articles, each edited EDITS times
EDITS = 3
DELETED = 8  # of the probes, deleted after their edits
REQUEST_TIMEOUT = 60  # seconds, per request
QUEUE_DRAIN_SECONDS = 60
STARTUP_ATTEMPTS = 120  # x 0.5 s
PASSWORD = "concurrency-probe-password"
LOG_TAIL = 200  # lines of the server's log shown when a request failed

SETUP = """
import json, os
from django.contrib.auth import get_user_model
from articles.models import Article
from articles.roles import editors_group
password = os.environ["PROBE_PASSWORD"]
user = get_user_model().objects.create_user("probe-editor", password=password, is_staff=True)
user.groups.add(editors_group())
probes = range(int(os.environ["PROBES"]))
ids = [Article.objects.create(headline=f"Probe {n}", body=f"Probe body lamprey{n}q.").pk for n in probes]
print("PROBES " + json.dumps(ids))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    env: dict[str, str]
    log: Path
    probes: list[int] = field(default_factory=list)

    def log_tail(self) -> str:
        """The end of gunicorn's log (Django logs a failed request's traceback there)."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-LOG_TAIL:])

    def manage(self, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=check,
        )


@pytest.fixture
def server(tmp_path, transactional_db):
    env = process_env(tmp_path)
    port = _free_port()
    srv = Server(f"http://127.0.0.1:{port}", env, tmp_path / "gunicorn.log")
    srv.manage("migrate", "--noinput")
    srv.manage("loaddata", str(SEED_FIXTURE))
    shell = srv.manage(
        "shell", "--no-imports", "-c", SETUP, env={"PROBE_PASSWORD": PASSWORD, "PROBES": str(PROBES)}
    )
    srv.probes = json.loads(shell.stdout.split("PROBES ", 1)[1])
    srv.manage("rebuild_index", "--noinput")
    log = srv.log.open("w")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "newsarchive.wsgi",
            "--workers",
            str(GUNICORN_WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(  # the background jobs, as `make run` and systemd start them
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(STARTUP_ATTEMPTS):
            try:
                if Client(srv.url).get("/")[0] == 200:
                    break
            except URLError:
                pass
            assert process.poll() is None, srv.log.read_text()
            time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer: " + srv.log.read_text())
        yield srv
    finally:
        for child in (process, worker):
            child.terminate()
        for child in (process, worker):
            child.wait(timeout=60)
        log.close()


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One editor's browser: cookies, CSRF token, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base, self.jar = base, CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode({**data, "csrfmiddlewaretoken": self.csrf()}, doseq=True).encode() if data else None
        try:
            request = Request(self.base + path, data=body)  # noqa: S310 - our own loopback server
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        return self.request(path)

    def post(self, path: str, data: dict) -> tuple[int, str]:
        return self.request(path, data)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self) -> None:
        self.get("/admin/login/")
        status, _ = self.post(
            "/admin/login/?next=/admin/", {"username": "probe-editor", "password": PASSWORD}
        )
        assert status == 302, "login failed"


def token(pk: int, edit: int) -> str:
    return f"walrus{pk}v{edit}q"


def edit_form(pk: int, edit: int) -> dict:
    return {
        "headline": f"Probe {pk} edit {edit} {token(pk, edit)}",
        "slug": "probe",
        "status": "published",
        "body": f"Probe body lamprey{pk}q, edited {edit} times.",
        "language": "en",
        **{f"captions-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0}.items()},
        "captions-MAX_NUM_FORMS": 1000,
    }


@dataclass
class Tally:
    statuses: list[tuple[str, int]] = field(default_factory=list)

    def count(self, kind: str | None = None, server_error: bool = False) -> int:
        return sum(
            1
            for k, status in self.statuses
            if (kind is None or k == kind) and (not server_error or status >= 500)
        )


def probe_work(server: Server, pk: int, delete: bool, tally: Tally) -> None:
    """One article's life, in order: edits (each followed by searches), then maybe its deletion."""
    client = Client(server.url)
    client.login()
    for edit in range(1, EDITS + 1):
        status, body = client.post(f"/admin/articles/article/{pk}/change/", edit_form(pk, edit))
        tally.statuses.append(("edit", status))
        assert status == 302, f"edit {pk}/{edit}: HTTP {status}\n{body[:2000]}"
        for query in (token(pk, edit), "probe lamprey"):
            tally.statuses.append(("search", client.get("/?" + urlencode({"q": query}))[0]))
    if delete:
        status, body = client.post(f"/admin/articles/article/{pk}/delete/", {"post": "yes"})
        tally.statuses.append(("delete", status))
        assert status == 302, f"delete {pk}: HTTP {status}\n{body[:2000]}"


def found(client: Client, query: str) -> set[int]:
    status, html = client.get("/?" + urlencode({"q": query}))
    assert status == 200
    return {int(pk) for pk in re.findall(r'href="/articles/(\d+)/', html)}


def test_concurrent_edits_deletes_and_searches_lose_nothing(server: Server, capsys):
    deleted = set(server.probes[:: len(server.probes) // DELETED][:DELETED])
    tally = Tally()
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        futures = [pool.submit(probe_work, server, pk, pk in deleted, tally) for pk in server.probes]
        errors = [str(f.exception()) for f in futures if f.exception(timeout=600)]
    elapsed = time.perf_counter() - started

    # What a request could not apply (the writer was busy) the worker's job does, within moments.
    deadline = time.monotonic() + QUEUE_DRAIN_SECONDS
    while True:
        check = server.manage("check_index", check=False)
        if "queued changes not yet applied: 0" in check.stdout or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    drift = dict(
        re.findall(r"^(missing|stale|ghost|queued changes not yet applied): (\d+)", check.stdout, re.M)
    )
    reader = Client(server.url)
    lost = [pk for pk in server.probes if pk not in deleted and pk not in found(reader, token(pk, EDITS))]
    ghosts = [pk for pk in deleted if pk in found(reader, f"lamprey{pk}q")]
    figures = (
        f"gunicorn workers {GUNICORN_WORKERS}, client threads {CLIENT_THREADS}: "
        f"{tally.count('edit')} edits, {tally.count('delete')} deletes, {tally.count('search')} searches "
        f"in {elapsed:.1f} s; 5xx: {tally.count(server_error=True)}; lost updates: {len(lost)}; "
        f"ghosts: {len(ghosts)}; check_index: {drift}"
    )
    with capsys.disabled():
        print("\n" + figures)
    log = f"\ngunicorn log, last lines:\n{server.log_tail()}" if tally.count(server_error=True) else ""
    assert not errors, f"{errors}{log}"
    assert tally.count(server_error=True) == 0, figures + log
    assert tally.count("edit") == PROBES * EDITS and tally.count("delete") == DELETED
    assert (lost, ghosts) == ([], []), figures
    assert check.returncode == 0, check.stdout + check.stderr
    assert drift == {"missing": "0", "stale": "0", "ghost": "0", "queued changes not yet applied": "0"}
