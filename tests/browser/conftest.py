"""Real headless-browser fixtures: Debian's chromium driven by Playwright, axe-core and the Nu checker.

Playwright never downloads a browser here: it launches the system ``chromium``. A
missing chromium, Java or node module is a failure with instructions, not a skip
(``make test-deps`` installs them; CI runs that).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API marks an asyncio event loop as running in this thread for as long
# as Playwright runs; Django then refuses ORM calls from it (SynchronousOnlyOperation).
# DJANGO_ALLOW_ASYNC_UNSAFE is the documented escape hatch, safe here because nothing else
# runs in this thread. It is set only while a browser runs (see `browser`), not at import:
# set for the whole session it leaks into subprocesses, e.g. `manage.py check --deploy`
# then fails with async.E001.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
TIMEOUT_MS = 15_000


def _chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Debian's chromium is not installed (no `chromium` on PATH, no /usr/bin/chromium). "
            "The browser tests need it: run `make test-deps` or `apt-get install chromium`. "
            "Do not run `playwright install`.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's chromium, one per test module (Playwright stops, and its event loop with it,
    before the next module's tests run)."""
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _launch() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev.txt pins it
        pytest.fail("playwright is not installed: pip install -r requirements-dev.txt", pytrace=False)
    executable = _chromium_path()
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
        except Exception as exc:
            pytest.fail(f"Could not launch {executable} through Playwright: {exc}", pytrace=False)
        yield browser
        browser.close()


# -- Content-Security-Policy -------------------------------------------------

# Chromium logs each violation to the console ("... violates the following Content Security Policy
# directive ..."), with JavaScript off too; the page's own securitypolicyviolation event says it once
# more, in words of our own. An init script is not itself subject to the page's policy.
CSP_MARK = "Content Security Policy"
CSP_LISTENER = f"""
document.addEventListener("securitypolicyviolation", event => console.error(
  `{CSP_MARK} violation: ${{event.violatedDirective}} blocked ${{event.blockedURI || "inline code"}}` +
  ` in ${{event.documentURI}} (${{event.sourceFile}}:${{event.lineNumber}})`));
"""


def watch_csp(context) -> list[str]:
    """Record every Content-Security-Policy violation in any page of ``context`` (a list that fills)."""
    violations: list[str] = []
    context.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        if message.type == "error" and CSP_MARK in message.text:
            violations.append(f"{message.location.get('url', '?')}: {message.text}")

    context.on("console", on_console)
    return violations


def assert_no_csp_violations(violations: list[str]) -> None:
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


def _new_page(browser, **context_options) -> Iterator:
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    violations = watch_csp(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    page.csp_violations = violations  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
    # Every page the test visited, whatever it asserted: no policy violation.
    assert_no_csp_violations(violations)


@pytest.fixture
def page(browser) -> Iterator:
    """A page in a fresh browser context (no cookies or cache shared between tests); fails the test
    when any page it showed violated the Content-Security-Policy."""
    yield from _new_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def page_no_js(browser) -> Iterator:
    """A page in a fresh context with JavaScript disabled (also checked for policy violations)."""
    yield from _new_page(browser, java_script_enabled=False, viewport={"width": 1280, "height": 900})


@pytest.fixture
def new_page(browser) -> Iterator:
    """``new_page(**context_options)``: another page in a context of its own (a second user), checked
    for Content-Security-Policy violations like ``page``."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append((context, watch_csp(context)))
        return context.new_page()

    yield make
    for context, violations in contexts:
        context.close()
        assert_no_csp_violations(violations)


# -- accessibility -----------------------------------------------------------


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; fail listing every violation."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in the repository root.", pytrace=False)
    # Not page.add_script_tag: an inline <script> is refused by the pages' policy (script-src 'none').
    # Playwright's evaluate runs in the page through the DevTools protocol, which the policy does not
    # govern, so axe runs on the page exactly as served.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    # No CSSOM preload: axe would rebuild a stylesheet that @imports another (the admin's forms.css
    # imports widgets.css) as an inline <style>, which the policy (style-src 'self') refuses: a
    # violation of axe's making. Only css-orientation-lock needs it (nothing here locks orientation).
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false})",
        AXE_TAGS,
    )
    violations = result["violations"]
    where = label or page.url
    assert not violations, f"axe found {len(violations)} violation(s) on {where}:\n" + _format_violations(
        violations
    )
    # Guard against a vacuous pass: axe must actually have checked something.
    assert result["passes"], f"axe reported no passing rules on {where}: did it run?"


# -- HTML validity -----------------------------------------------------------


def fetch_html(url: str) -> str:
    """The page exactly as the server sends it (not the browser's re-serialised DOM)."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own live server
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert response.headers.get_content_type() == "text/html", response.headers["Content-Type"]
        return response.read().decode(response.headers.get_content_charset() or "utf-8")


def validate_html(documents: Iterable[tuple[str, str]], tmp_path: Path) -> list[dict]:
    """Check (name, html) documents with the Nu HTML Checker in ONE JVM run; return its error messages.

    Each error dict gets a ``document`` key with the name it was given.
    """
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` in the repository root.", pytrace=False)
    java = shutil.which("java")
    if not java:
        pytest.fail("java is not installed (apt-get install default-jre-headless).", pytrace=False)
    files: dict[str, str] = {}  # file name -> document name
    for i, (name, html) in enumerate(documents):
        path = tmp_path / f"vnu-page{i}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    assert files, "no documents to validate"
    proc = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--exit-zero-always",
            "--stdout",
            "--html",
            *(str(tmp_path / f) for f in files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, f"vnu failed ({proc.returncode}):\n{proc.stderr}"
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not print JSON:\nstdout: {proc.stdout[:2000]}\nstderr: {proc.stderr[:2000]}")
    errors = []
    for message in report.get("messages", []):
        # "non-document-error" means vnu itself could not check the file: that is a failure too.
        if message.get("type") in ("error", "non-document-error"):
            url = message.get("url", "")
            errors.append({"document": files.get(url.rsplit("/", 1)[-1], url), **message})
    return errors


def format_html_errors(errors: list[dict]) -> str:
    return "\n".join(
        f"{e['document']}:{e.get('lastLine', '?')}:{e.get('firstColumn', e.get('lastColumn', '?'))}: "
        f"{e.get('subType', e['type'])}: {e.get('message')}\n    {e.get('extract', '').strip()!r}"
        for e in errors
    )


# -- the helpers as fixtures, so test modules need no imports from this file ----


@pytest.fixture
def axe_check():
    """``axe_check(page, label)``: assert axe-core finds no WCAG 2.x A/AA violations."""
    return assert_accessible


@pytest.fixture
def html_errors(tmp_path):
    """``html_errors([(name, html), ...])``: the Nu checker's errors for all documents, one JVM run."""
    return lambda documents: validate_html(documents, tmp_path)


@pytest.fixture
def served_html():
    """``served_html(url)``: the HTML the server sent for ``url`` (checked 200, text/html)."""
    return fetch_html
