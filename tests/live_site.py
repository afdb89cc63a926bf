"""A real news site on 127.0.0.1 for the live-source tests: a feed of the twenty articles, the pages, and
the ways real servers fail (errors, slowness, truncation, huge bodies, redirect loops, robots.txt).

Every request is logged with its headers so tests can count what was fetched; pages and the feed send
ETag and Last-Modified and answer conditional requests with 304.
"""

from __future__ import annotations

import email.utils
import hashlib
import socket
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from tests.live_articles import ARTICLES, OUTLET, article_html

ROBOTS = "User-agent: *\nDisallow: /private/\n"
HUGE = 50 * 1024 * 1024


def http_date(iso: str) -> str:
    return email.utils.format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")), usegmt=True)


def summary(article: dict) -> str:
    """A one-sentence teaser, as most feeds carry: too short to be the article."""
    words = article["paragraphs"][0].split()
    return " ".join(words[:18]) + " ..."


class LiveSite:
    """The server and what it serves; tests change the state (feed items, pages, outages) between runs."""

    def __init__(self) -> None:
        self.log: list[tuple[str, dict[str, str]]] = []
        self.answers: list[tuple[str, int]] = []  # (path, status) of every response
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.reset()
        site = self

        class Handler(_Handler):
            pass

        Handler.site = site
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.handle_error = lambda request, address: None  # clients hang up on purpose (size limits)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self) -> None:
        """Back to the full feed of twenty, every page as written, no outage; the log emptied."""
        self.feed_count = len(ARTICLES)
        self.stamps: dict[str, str] = {}  # slug -> a newer published stamp for the feed
        self.pages: dict[str, str] = {}  # slug -> replacement HTML
        self.feed_mode = "ok"  # ok | down | garbage
        self.flaky_left = 0
        self.slow_seconds = 2.0
        self.robots = ROBOTS  # or an int: the status robots.txt answers with
        with self.lock:
            self.log.clear()
            self.answers.clear()

    def __enter__(self) -> LiveSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    # -- what tests read -------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def article_url(self, index: int) -> str:
        return self.url(f"/news/{ARTICLES[index]['slug']}.html")

    def requests(self, prefix: str = "/") -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return [(path, headers) for path, headers in self.log if path.startswith(prefix)]

    def paths(self, prefix: str = "/") -> list[str]:
        return [path for path, _ in self.requests(prefix)]

    # -- content ---------------------------------------------------------------------------------------
    def page(self, slug: str) -> str | None:
        if slug in self.pages:
            return self.pages[slug]
        for index, article in enumerate(ARTICLES):
            if article["slug"] == slug:
                return article_html(article, index)
        return None

    def feed(self) -> str:
        items = []
        for article in ARTICLES[: self.feed_count]:
            published = self.stamps.get(article["slug"], article["published"])
            items.append(f"""<item>
<title>{escape(article["title"])}</title>
<link>{self.url("/news/" + article["slug"] + ".html")}</link>
<guid isPermaLink="true">{self.url("/news/" + article["slug"] + ".html")}</guid>
<pubDate>{http_date(published)}</pubDate>
<dc:creator>{escape(article["author"])}</dc:creator>
<description>{escape(summary(article))}</description>
</item>""")
        return _rss(OUTLET, self.url("/"), items)

    def mixed_feed(self) -> str:
        """Two good articles, one behind a redirect, and every kind of broken link."""
        links = [
            self.article_url(0),
            self.url("/error500"),
            self.url("/slow"),
            self.url("/truncated"),
            self.url("/huge"),
            self.url("/huge-unsized"),
            self.url("/redirect/loop-a"),
            self.url("/redirect/many/0"),
            self.url("/redirect/ftp"),
            self.url("/private/secret.html"),
            self.url("/image.png"),
            "ftp://127.0.0.1/pub/article.html",
            self.url("/redirect/once"),
        ]
        items = [
            f"<item><title>Item {n}</title><link>{escape(link)}</link>"
            f"<pubDate>{http_date(f'2025-01-{n + 1:02d}T09:00:00Z')}</pubDate>"
            f"<description>Short teaser {n}.</description></item>"
            for n, link in enumerate(links)
        ]
        return _rss("Mixed Wire", self.url("/"), items)


def _rss(title: str, link: str, items: list[str]) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{escape(title)}</title>
<link>{link}</link>
<description>News from the Middle East</description>
{chr(10).join(items)}
</channel>
</rss>
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: LiveSite

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        site = self.site
        with site.lock:
            site.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        path = self.path
        if path == "/robots.txt":
            if isinstance(site.robots, int):
                return self._send(site.robots, "no robots here", "text/plain")
            return self._send(200, site.robots, "text/plain")
        if path.startswith("/dated/"):  # Last-Modified only, no ETag: If-Modified-Since decides
            return self._dated(path[len("/dated/"):])
        if path == "/feed.xml":
            if site.feed_mode == "down":
                return self._send(503, "<h1>Service Unavailable</h1>", "text/html")
            if site.feed_mode == "garbage":
                return self._send(200, "\x00\x13garbage <<<< not xml \xff", "application/rss+xml")
            return self._send(200, site.feed(), "application/rss+xml", conditional=True)
        if path == "/mixed.xml":
            return self._send(200, site.mixed_feed(), "application/rss+xml")
        if path == "/truncated-feed.xml":
            return self._send(200, site.feed()[:2500], "application/rss+xml")
        if path.startswith("/news/") and path.endswith(".html"):
            html = site.page(path[len("/news/") : -len(".html")])
            if html is None:
                return self._send(404, "not found", "text/plain")
            return self._send(200, html, "text/html; charset=utf-8", conditional=True)
        if path == "/error500":
            return self._send(500, "Internal Server Error", "text/plain")
        if path == "/flaky":
            if site.flaky_left > 0:
                site.flaky_left -= 1
                return self._send(503, "busy", "text/plain", extra={"Retry-After": "0"})
            return self._send(200, site.page(ARTICLES[1]["slug"]) or "", "text/html")
        if path == "/slow":
            site.stop.wait(site.slow_seconds)
            return self._send(200, "<html><body><p>late</p></body></html>", "text/html")
        if path == "/truncated":
            return self._truncated()
        if path in ("/huge", "/huge-unsized"):
            return self._huge(sized=path == "/huge")
        if path == "/image.png":
            return self._send(200, "\x89PNG\r\n\x1a\n" + "x" * 100, "image/png")
        if path == "/private/secret.html":
            return self._send(200, "<html><body><p>secret</p></body></html>", "text/html")
        if path == "/redirect/once":
            return self._redirect(f"/news/{ARTICLES[2]['slug']}.html")
        if path == "/redirect/loop-a":
            return self._redirect("/redirect/loop-b")
        if path == "/redirect/loop-b":
            return self._redirect("/redirect/loop-a")
        if path.startswith("/redirect/many/"):
            return self._redirect(f"/redirect/many/{int(path.rsplit('/', 1)[1]) + 1}")
        if path == "/redirect/ftp":
            return self._redirect("ftp://127.0.0.1/pub/file.html")
        return self._send(404, "not found", "text/plain")

    def _send(self, status: int, text: str, kind: str, conditional: bool = False,
              extra: dict[str, str] | None = None) -> None:
        body = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
        with self.site.lock:
            self.site.answers.append((self.path, status))
        headers = dict(extra or {})
        if conditional and status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            headers["Last-Modified"] = email.utils.formatdate(time.time() - 3600, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                with self.site.lock:
                    self.site.answers[-1] = (self.path, 304)
                self.send_response(304)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _dated(self, slug: str) -> None:
        html = self.site.page(slug)
        if html is None:
            return self._send(404, "not found", "text/plain")
        modified = email.utils.parsedate_to_datetime(http_date("2025-01-20T12:00:00Z"))
        since = self.headers.get("If-Modified-Since")
        if since and email.utils.parsedate_to_datetime(since) >= modified:
            with self.site.lock:
                self.site.answers.append((self.path, 304))
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, html, "text/html", extra={"Last-Modified": http_date("2025-01-20T12:00:00Z")})

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _truncated(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "5000")
        self.end_headers()
        self.wfile.write(b"<html><body><p>" + b"cut " * 250)
        self.wfile.flush()
        self.close_connection = True

    def _huge(self, sized: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if sized:
            self.send_header("Content-Length", str(HUGE))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"<p>" + b"a" * (1024 * 1024 - 7) + b"</p>\n\n"
        try:
            for _ in range(HUGE // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass  # the client stopped reading at its limit


def quick(**changes):
    """Fetcher settings for tests: no delay, short timeouts, one retry, a 1 MB limit; changes on top."""
    from newsgraph.settings import FetchSettings

    settings = FetchSettings(delay=0, timeout=0.5, deadline=5, retries=1, backoff=0.01, max_bytes=1024 * 1024)
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def closed_port() -> int:
    """A local port nothing listens on: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
