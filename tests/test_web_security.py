"""The web app's security: a hostile article renders inert, ids and static paths cannot traverse, oversized
requests are refused, every answer carries the security headers, writes need the token, and `serve` binds
loopback unless told otherwise.

The store is built by a real ingest (real spaCy) of a JSONL article whose text and metadata carry scripts,
event handlers and javascript: URLs; the pages are served by uvicorn on 127.0.0.1 and opened in headless
Chromium (as tests/test_web.py), where a dialog handler and a window flag prove no script ran.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[test]'")

from fastapi.testclient import TestClient  # noqa: E402

TEXT = ("Syrian government forces attacked rebels in Aleppo on 3 May 2016 "
        "<script>window.__xss=1;alert('text')</script>. "
        "The Free Syrian Army said <img src=x onerror=\"window.__xss=2;alert(2)\"> it shelled Damascus on 4 May 2016. "
        "Turkey condemned the strike, see <a href=\"javascript:window.__xss=3\">here</a> "
        "<svg onload=window.__xss=4></svg>.")
HOSTILE = {"id": "hostile-1", "title": "<script>window.__xss=5</script>Evil <img src=x onerror=window.__xss=6>",
           "url": "javascript:window.__xss=7;alert(7)", "outlet": "<b onmouseover=window.__xss=8>Outlet</b>",
           "author": "\"><script>window.__xss=9</script>", "published": "2016-05-05", "text": TEXT}
PLAIN = {"id": "plain-1", "title": "Plain report", "url": "https://example.org/news/1", "outlet": "Example",
         "published": "2016-05-06", "text": "Turkish troops shelled Kurdish fighters near Afrin on 5 May 2016."}
PAYLOADS = ["<script>window.__xss", "<img src=x", "<svg onload", "<b onmouseover", "\"><script>"]
TOKEN = "a-long-enough-test-token-1234567890"


def _ingest(path: Path) -> Path:
    from click.testing import CliRunner

    from newsgraph.cli import main

    source = path.parent / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in (HOSTILE, PLAIN)), encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(source), "--db", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    return _ingest(tmp_path_factory.mktemp("hostile-store") / "hostile.db")


@pytest.fixture(scope="module")
def app(hostile_db):
    from newsgraph.web import create_app

    return create_app(str(hostile_db))


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


def _serve(app):
    """The app served by uvicorn on a free 127.0.0.1 port, in a thread: (base URL, stop)."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=sock.getsockname()[1], log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)

    def stop() -> None:
        srv.should_exit = True
        thread.join(10)
        sock.close()

    return f"http://127.0.0.1:{sock.getsockname()[1]}", stop


@pytest.fixture(scope="module")
def server(app):
    base, stop = _serve(app)
    yield base
    stop()


def _raw(base: str, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, dict, str]:
    """One request exactly as written (http.client does not normalise ../ or %2e%2e like httpx does)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if isinstance(body, bytes):
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
        elif body is not None:  # an iterable of chunks, sent chunked with no Content-Length
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for chunk in body:
                conn.send(f"{len(chunk):X}\r\n".encode() + chunk + b"\r\n")
            conn.send(b"0\r\n\r\n")
        else:
            conn.endheaders()
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _pages(client) -> list[str]:
    """Every page that shows the hostile article's text or metadata."""
    events = client.get("/events", params={"hedged": "1", "negated": "1"}).text
    event_pages = sorted(set(re.findall(r'href="(/events/[^"]+)"', events)))
    docs = sorted({d for p in event_pages for d in re.findall(r'href="(/documents/[^"#]+)', client.get(p).text)})
    assert len(event_pages) >= 3 and len(docs) >= 2, (event_pages, docs)
    return ["/", "/events?hedged=1&negated=1", "/search?q=window", "/search?q=Aleppo", "/map?hedged=1",
            *event_pages, *[d.replace("&amp;", "&") for d in docs], "/actors/SYR_GOV", "/actors/SYR_GOV/brief",
            "/actors?name=%3Cscript%3Ewindow.__xss%3D10%3C%2Fscript%3E",
            "/events?from=%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D11%3E"]


# ---------------------------------------------------------------- escaping, over HTTP


def test_hostile_article_is_stored_verbatim_so_the_pages_must_escape_it(hostile_db):
    with sqlite3.connect(hostile_db) as db:
        title, url, text = db.execute("SELECT title, url, text FROM documents WHERE key = 'hostile-1'").fetchone()
    assert title == HOSTILE["title"] and url == HOSTILE["url"] and "<script>window.__xss=1" in text


def test_article_text_and_metadata_are_escaped_on_every_page(client):
    seen_escaped = 0
    for path in _pages(client):
        r = client.get(path)
        assert r.status_code in (200, 400), (path, r.status_code)
        for payload in PAYLOADS:
            assert payload not in r.text, f"{path} shows {payload!r} unescaped"
        assert not re.search(r"<[a-z]+[^>]*\son(error|load|mouseover)=", r.text, re.I), path
        seen_escaped += r.text.count("&lt;script&gt;window.__xss")
    assert seen_escaped >= 5  # the payloads are shown, as text


def test_only_http_links_become_links(client):
    events = client.get("/events", params={"hedged": "1", "negated": "1"}).text
    hrefs, shown = [], 0
    for path in sorted(set(re.findall(r'href="(/(?:events|documents)/[^"#]+)', events))):
        html = client.get(path.replace("&amp;", "&")).text
        hrefs += re.findall(r'<a [^>]*href="([^"]*)"', html)
        if "hostile-1" in html:  # the hostile article's URL is shown as text, not as a link
            assert re.search(r'<span class="[^"]*url"[^>]*>javascript:window.__xss=7;alert\(7\)</span>', html), path
            shown += 1
    assert shown >= 3
    assert not [h for h in hrefs if re.match(r"\s*(javascript|data|vbscript):", h, re.I)]
    assert "https://example.org/news/1" in hrefs  # the plain article's http(s) URL is still a link


@pytest.mark.parametrize("url, link", [
    ("https://example.org/a?b=1", True), ("http://example.org", True), ("HTTPS://EXAMPLE.ORG/", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False), ("java\nscript:alert(1)", False), ("data:text/html,<script>", False),
    ("vbscript:msgbox", False), ("//evil.example/x", False), ("/relative", False), ("https:evil", False),
    ("http://[::1", False), ("", False), (None, False),
])
def test_http_url_keeps_only_absolute_http_links(url, link):
    from newsgraph.web.security import http_url

    assert (http_url(url) is not None) is link


# ---------------------------------------------------------------- headers


def test_every_answer_carries_the_security_headers(server):
    for path in ["/", "/events", "/api/map", "/static/app.js", "/no/such/page", "/actors/nobody",
                 "/events?from=2016-13", "/?q=" + "x" * 5000, "/actors/SYR_GOV/brief"]:
        status, headers, _ = _raw(server, "GET", path)
        csp = headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (path, status, csp)
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "no-referrer", path
        assert headers.get("x-frame-options") == "DENY", path


def test_the_brief_style_carries_this_requests_nonce(client):
    first, second = client.get("/actors/SYR_GOV/brief"), client.get("/actors/SYR_GOV/brief")
    nonces = []
    for r in (first, second):
        nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"])[1]
        assert f'<style nonce="{nonce}">' in r.text
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_templates_hold_no_inline_script_style_or_javascript_urls():
    templates = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "web" / "templates"
    for path in templates.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)
        assert not scripts, f"{path.name}: inline script {scripts}"
        assert not re.search(r"\sstyle=|\son[a-z]+=|javascript:", html, re.I), path.name


# ---------------------------------------------------------------- paths and sizes


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/%2E%2E/%2E%2E/cli/serve.py", "/static/..%2fapp.py",
    "/static/vendor/../../app.py", "/static/%2e%2e%2f%2e%2e%2f..%2fpyproject.toml", "/static/app.css%00.py",
    "/static/%00", "/documents/..%2f..%2f..%2fetc%2fpasswd", "/documents/../../../etc/passwd",
    "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/documents/hostile-1%00", "/actors/..%2fSYR_GOV",
    "/actors/SYR_GOV%00", "/events/..%2f..%2f", "/events/%2e%2e", "/search?q=%00",
])
def test_ids_and_static_paths_do_not_traverse(server, path):
    status, _, body = _raw(server, "GET", path)
    assert status in (400, 404), (path, status, body[:200])
    for secret in ("def create_app", "root:x:0", "[project]", "import click"):
        assert secret not in body, path


def test_document_by_key_and_static_files_still_answer(server):
    assert _raw(server, "GET", "/documents/hostile-1")[0] == 200
    assert _raw(server, "GET", "/static/app.css")[0] == 200


def test_long_urls_are_refused_with_414(server):
    status, _, body = _raw(server, "GET", "/search?q=" + "a" * 5000)
    assert status == 414 and "NEWSGRAPH_WEB_MAX_URL" in body
    assert _raw(server, "GET", "/actors/" + "A" * 5000)[0] == 414
    assert _raw(server, "GET", "/search?q=" + "a" * 3000)[0] == 200  # under the limit


def test_large_bodies_are_refused_with_413_with_or_without_content_length(server):
    declared = {"Content-Type": "application/json", "Content-Length": "70000"}
    status, _, body = _raw(server, "POST", "/api/actors/merge", headers=declared)  # refused before the body
    assert status == 413 and "NEWSGRAPH_WEB_MAX_BODY" in body
    chunks = (b"x" * 8192 for _ in range(12))
    assert _raw(server, "POST", "/api/actors/merge", chunks, {"Content-Type": "application/json"})[0] == 413


def test_limits_come_from_the_environment(hostile_db, monkeypatch):
    from newsgraph.web import create_app

    monkeypatch.setenv("NEWSGRAPH_WEB_MAX_URL", "64")
    with TestClient(create_app(str(hostile_db))) as c:
        assert c.get("/search", params={"q": "a" * 40}).status_code == 200
        assert c.get("/search", params={"q": "a" * 80}).status_code == 414
    monkeypatch.setenv("NEWSGRAPH_WEB_MAX_URL", "lots")
    with pytest.raises(ValueError, match="NEWSGRAPH_WEB_MAX_URL must be a whole number"):
        create_app(str(hostile_db))


# ---------------------------------------------------------------- writes


def _counts(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as db:
        return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("entities", "aliases", "actor_overrides", "events"))


def test_read_only_app_cannot_write(app, client, hostile_db):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    before = _counts(hostile_db)
    r = client.post("/api/actors/merge", json={"a": "Syrian government", "b": "Turkey"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "--token" in r.json()["error"]
    assert client.post("/api/actors/alias", json={"actor": "TUR", "name": "Ankara"}).status_code == 403
    assert client.get("/api/actors/merge").status_code == 405
    assert app.state.writer is None
    with pytest.raises(OperationalError, match="readonly|read-only"), app.state.engine.connect() as conn:
        conn.execute(text("DELETE FROM events"))
    assert _counts(hostile_db) == before


def test_writes_need_the_configured_token(hostile_db, tmp_path):
    from newsgraph.web import create_app

    path = tmp_path / "copy.db"
    shutil.copy(hostile_db, path)
    before = _counts(path)
    with TestClient(create_app(str(path), token=TOKEN)) as c:
        merge = {"a": "Syrian government", "b": "Turkey", "note": "test"}
        for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token-0000"}, {"Authorization": TOKEN},
                        {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"}):
            r = c.post("/api/actors/merge", json=merge, headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", headers
        assert _counts(path) == before
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert c.post("/api/actors/merge", content=b"not json", headers={**auth, "Content-Type": "application/json"}
                      ).status_code == 400
        assert c.post("/api/actors/merge", json={"a": "Syrian government"}, headers=auth).status_code == 400
        assert c.post("/api/actors/merge", data={"a": "x", "b": "y"}, headers=auth).status_code == 400
        assert c.post("/api/actors/merge", json={"a": "Nobody Known", "b": "Turkey"}, headers=auth).status_code == 404
        assert _counts(path) == before
        r = c.post("/api/actors/alias", json={"actor": "TUR", "name": "Ankara government"}, headers=auth)
        assert r.status_code == 200 and r.json()["target"]["id"] == "TUR"
        r = c.post("/api/actors/merge", json=merge, headers=auth)
        assert r.status_code == 200 and r.json()["source"]["id"] == "TUR", r.text
        assert c.get("/actors/TUR").status_code == 404  # the read side sees the merge at once
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM actor_overrides").fetchone()[0] == before[2] + 2
        assert db.execute("SELECT count(*) FROM entities WHERE id = 'TUR'").fetchone()[0] == 0


def test_token_comparison_accepts_only_the_exact_bearer_token():
    from newsgraph.web.security import token_matches

    assert token_matches(TOKEN, f"Bearer {TOKEN}") and token_matches(TOKEN, f"bearer  {TOKEN} ")
    assert not token_matches(TOKEN, None) and not token_matches(None, f"Bearer {TOKEN}")
    assert not token_matches(TOKEN, f"Bearer {TOKEN[:-1]}") and not token_matches(TOKEN, "Bearer ")
    assert not token_matches(TOKEN, f"Bearer {TOKEN}é")


# ---------------------------------------------------------------- newsgraph serve: where it listens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, *args: str, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    command = [sys.executable, "-c", "from newsgraph.cli import main; main()", "serve", "--db", str(db),
               "--port", str(port), *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            assert time.monotonic() < deadline, "newsgraph serve did not start"
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.terminate()
    try:
        return proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def _listening(pid: int, port: int) -> set[str]:
    import psutil

    return {c.laddr.ip for c in psutil.Process(pid).net_connections("inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port}


def test_serve_binds_loopback_by_default_and_refuses_other_host_names(hostile_db):
    proc, port = _start(hostile_db)
    try:
        assert _listening(proc.pid, port) == {"127.0.0.1"}
        base = f"http://127.0.0.1:{port}"
        assert _raw(base, "GET", "/")[0] == 200
        assert _raw(base, "GET", "/", headers={"Host": f"localhost:{port}"})[0] == 200
        status, _, body = _raw(base, "GET", "/", headers={"Host": "attacker.example"})  # DNS rebinding
        assert status == 400 and "loopback" in body
        assert _raw(base, "POST", "/api/actors/merge", b"{}", {"Content-Type": "application/json"})[0] == 403
    finally:
        out, err = _stop(proc)
    assert "read-only" in out and "WARNING" not in err


def test_serve_on_another_address_warns_and_a_token_enables_writes(hostile_db, tmp_path):
    path = tmp_path / "copy.db"
    shutil.copy(hostile_db, path)
    proc, port = _start(path, "--host", "0.0.0.0", env={"NEWSGRAPH_TOKEN": TOKEN})
    try:
        assert _listening(proc.pid, port) == {"0.0.0.0"}
        base = f"http://127.0.0.1:{port}"
        body = json.dumps({"actor": "TUR", "name": "Ankara government"}).encode()
        assert _raw(base, "POST", "/api/actors/alias", body, {"Content-Type": "application/json"})[0] == 401
        status, _, answer = _raw(base, "POST", "/api/actors/alias", body,
                                 {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        assert status == 200, answer
    finally:
        out, err = _stop(proc)
    assert "WARNING: serving on 0.0.0.0, not loopback" in err and "token travels unencrypted" in err
    assert "overrides allowed with the token" in out


def test_serve_refuses_a_short_token(hostile_db):
    from click.testing import CliRunner

    from newsgraph.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(hostile_db), "--token", "short"])
    assert result.exit_code != 0 and "at least 16 characters" in result.output


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser():
    from tests.test_web import CHROMIUM_ARGS

    if os.environ.get("NEWSGRAPH_NO_BROWSER") == "1":
        pytest.skip("NEWSGRAPH_NO_BROWSER=1: browser tests skipped")
    executable = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).is_file():
        pytest.fail(f"Chromium not found at {executable}: apt-get install -y chromium (see README), "
                    "or NEWSGRAPH_NO_BROWSER=1 to skip the browser tests", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


INERT_CHECK = """() => ({
  flag: window.__xss === undefined ? null : window.__xss,
  inlineScripts: [...document.querySelectorAll('script')].filter(s => !s.src && s.type !== 'application/json').length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
  badLinks: [...document.querySelectorAll('a[href]')].filter(a => !/^https?:$/.test(a.protocol)).map(a => a.href),
  injected: [...document.querySelectorAll('main img, main svg:not(figure svg), main b')].length,
})"""


def test_browser_hostile_pages_run_no_script(browser, server, client):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs, problems = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error"
            and "status of 400" not in m.text else None)
    try:
        pages = _pages(client)
        for path in pages:
            page.goto(server + path, wait_until="networkidle")
            for selector in ("h1", "mark", "main .muted", "main a"):
                for el in [e for e in page.locator(selector).all()[:10] if e.is_visible()]:
                    el.hover(timeout=5000)  # an injected onmouseover would fire here
            state = page.evaluate(INERT_CHECK)
            assert state["flag"] is None, (path, state)
            assert state["inlineScripts"] == 0 and state["handlers"] == 0 and state["injected"] == 0, (path, state)
            assert not state["badLinks"], (path, state["badLinks"])
        page.goto(server + "/actors/SYR_GOV/brief", wait_until="networkidle")
        assert page.evaluate("getComputedStyle(document.body).maxWidth") == "832px"  # the nonce'd style applies
        page.goto(server + "/", wait_until="networkidle")
        page.wait_for_selector("#monthly-chart svg rect", state="attached")  # our own scripts still run
    finally:
        context.close()
    assert not dialogs, dialogs
    assert not problems, "\n".join(problems)
