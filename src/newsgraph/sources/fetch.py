"""The polite, safe HTTP fetcher behind feeds and URL lists.

Outlets block crawlers that hammer them, and a hostile or broken server must not hang or exhaust a run:
a named User-Agent, one request per host per `delay` seconds (or the host's robots.txt Crawl-delay),
robots.txt obeyed, timeouts and a whole-response deadline, retries with backoff on transient failures,
a size limit, bounded redirects without loops, http/https only, and conditional requests (ETag /
Last-Modified) so unchanged pages cost a 304 and no body. Every failure is a FetchError whose message is
the specific reason a user reads in the ingest summary.
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from newsgraph.settings import FetchSettings
from newsgraph.sources.cache import CacheEntry, FetchCache, age_seconds
from newsgraph.sources.urls import host_of, url_problem

REDIRECTS = (301, 302, 303, 307, 308)
TRANSIENT = (429, 500, 502, 503, 504)  # worth another attempt after a pause
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 lets a crawler stop reading robots.txt after 500 KiB
MAX_CRAWL_DELAY = 60.0


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason."""


@dataclass
class Response:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # 200 (or another 2xx) or 304
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Fetcher:
    """One HTTP client for a run: its per-host clocks and robots rules are shared by every request."""

    def __init__(self, settings: FetchSettings | None = None, cache: FetchCache | None = None):
        self.settings = settings or FetchSettings()
        self.cache = cache or FetchCache()
        self.requests = 0  # HTTP requests actually sent
        self._client: httpx.Client | None = None
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}  # or why the host is closed

    @property
    def client(self) -> httpx.Client:
        if self._client is None:  # created on first use: no network machinery unless a URL is fetched
            s = self.settings
            self._client = httpx.Client(
                follow_redirects=False,
                timeout=httpx.Timeout(s.timeout),
                headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- the public call ---------------------------------------------------------------------------
    def get(self, url: str, cached: CacheEntry | None = None) -> Response:
        """GET url following at most max_redirects redirects; 304 when `cached` validators still hold."""
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        chain = [url]
        current = url
        for _ in range(self.settings.max_redirects + 1):
            problem = url_problem(current)
            if problem:
                raise FetchError(problem if current == url else f"redirect to {current}: {problem}")
            self._check_robots(current)
            status, got_headers, body = self._send(current, headers)
            if status in REDIRECTS:
                location = got_headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location header")
                current = urljoin(current, location.strip())
                if current in chain:
                    raise FetchError("redirect loop: " + " -> ".join([*chain, current]))
                chain.append(current)
                continue
            if status == 304:
                return Response(url, current, 304, b"", got_headers)
            if 200 <= status < 300:
                return Response(url, current, status, body, got_headers)
            raise FetchError(_status_reason(status, got_headers.get("_reason", "")))
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects}): {' -> '.join(chain)}")

    # -- one request with retries ------------------------------------------------------------------
    def _send(self, url: str, headers: dict[str, str], limit: int | None = None) -> tuple[int, dict[str, str], bytes]:
        s = self.settings
        attempts = s.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self._wait_turn(url)
            try:
                status, got, body = self._once(url, headers, limit or s.max_bytes)
            except FetchError as exc:
                if last or not getattr(exc, "transient", False):
                    raise FetchError(_after(str(exc), attempt)) from None
                time.sleep(s.backoff * 2**attempt)
                continue
            if status in TRANSIENT and not last:
                time.sleep(self._pause(got.get("retry-after"), attempt))
                continue
            if status in TRANSIENT and attempt:
                got["_reason"] = f"{got.get('_reason', '')} (after {attempt + 1} attempts)".strip()
            return status, got, body
        raise FetchError("unreachable")

    def _once(self, url: str, headers: dict[str, str], limit: int) -> tuple[int, dict[str, str], bytes]:
        s = self.settings
        started = time.monotonic()
        self.requests += 1
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                got = {k.lower(): v for k, v in response.headers.items()}
                got["_reason"] = response.reason_phrase or ""
                if response.status_code in REDIRECTS or response.status_code == 304:
                    return response.status_code, got, b""
                declared = got.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"response too large: {int(declared)} bytes declared, limit {limit}")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"response too large: more than {limit} bytes")
                    if time.monotonic() - started > s.deadline:
                        raise FetchError(f"response too slow: not complete after {s.deadline:g} s")
                    chunks.append(chunk)
                return response.status_code, got, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise _transient(f"timed out: no response within {s.timeout:g} s ({type(exc).__name__})") from None
        except httpx.RemoteProtocolError as exc:
            raise _transient(f"truncated or malformed response: {_one_line(exc)}") from None
        except httpx.DecodingError as exc:
            raise FetchError(f"undecodable response body: {_one_line(exc)}") from None
        except httpx.TransportError as exc:
            raise _transient(f"connection failed: {_one_line(exc) or type(exc).__name__}") from None

    def _pause(self, retry_after: str | None, attempt: int) -> float:
        s = self.settings
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), s.max_retry_after)
        return s.backoff * 2**attempt

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host may be asked again."""
        host = host_of(url)
        delay = self.settings.delay
        rules = self._robots.get(host)
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            crawl_delay = rules.crawl_delay(self.settings.user_agent)
            if crawl_delay:
                delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY))
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last[host] = time.monotonic()

    # -- robots.txt ----------------------------------------------------------------------------------
    def _check_robots(self, url: str) -> None:
        if not self.settings.robots:
            return
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._load_robots(host)
        rules = self._robots[host]
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.can_fetch(self.settings.user_agent, url):
            path = urlsplit(url).path or "/"
            raise FetchError(f"forbidden by robots.txt of {host}: {path}")

    def _load_robots(self, host: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's rules (from the cache while fresh), or the reason the host counts as closed."""
        url = f"{host}/robots.txt"
        entry = self.cache.get(url)
        if entry is None or age_seconds(entry.fetched_at) > self.settings.robots_ttl:
            entry = self._fetch_robots(url)
            self.cache.put(entry)
        if entry.status >= 500:
            return (f"robots.txt of {host} answered HTTP {entry.status}: the host counts as closed to "
                    "crawlers until it answers (RFC 9309)")
        parser = urllib.robotparser.RobotFileParser(url)
        if 200 <= entry.status < 300:
            parser.parse((entry.body or b"").decode("utf-8", "replace").splitlines())
        else:  # 4xx: no rules, everything allowed
            parser.parse([])
        return parser

    def _fetch_robots(self, url: str) -> CacheEntry:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if url_problem(current):  # redirected off http(s): no usable robots.txt
                break
            status, got, body = self._send(current, {}, ROBOTS_MAX_BYTES)
            if status in REDIRECTS and got.get("location"):
                current = urljoin(current, got["location"])
                continue
            return CacheEntry(url=url, final_url=current, status=status, body=body if status < 300 else None)
        return CacheEntry(url=url, final_url=current, status=404)  # endless redirects: treated as no robots.txt


def _transient(reason: str) -> FetchError:
    exc = FetchError(reason)
    exc.transient = True  # type: ignore[attr-defined]
    return exc


def _after(reason: str, attempt: int) -> str:
    return f"{reason} (after {attempt + 1} attempts)" if attempt else reason


def _status_reason(status: int, phrase: str) -> str:
    return f"HTTP {status} {phrase}".strip()


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
