"""The web app's guard: request size limits, safe paths, allowed Host names, security headers, write tokens.

An analyst opens pages built from scraped articles, so everything an article brings (text, title, url) is
data, never markup or a link to follow blindly: templates escape it, `http_url` keeps only http(s) links, and
the Content-Security-Policy lets only our own static scripts run. The guard is plain ASGI so it sees every
request, static files included, before any route does.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
LINK_SCHEMES = ("http", "https")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DRAIN_FACTOR = 4  # an oversized chunked body is read and dropped up to this many times the limit, then cut off


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of bytes, not {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be at least 1, not {number}")
    return number


@dataclass(frozen=True)
class WebLimits:
    """How big a request may be: the URL (path and query string, bytes) and the body (bytes)."""

    max_url: int = 4096
    max_body: int = 64 * 1024

    @classmethod
    def from_env(cls) -> WebLimits:
        """Defaults, overridden by NEWSGRAPH_WEB_MAX_URL / NEWSGRAPH_WEB_MAX_BODY."""
        return cls(max_url=_env_int("NEWSGRAPH_WEB_MAX_URL", cls.max_url),
                   max_body=_env_int("NEWSGRAPH_WEB_MAX_BODY", cls.max_body))


@dataclass(frozen=True)
class SecurityHeaders:
    """Headers on every response; {nonce} in the policy is the request's nonce (for the brief's <style>)."""

    policy: str = ("default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; "
                   "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
                   "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    others: dict[str, str] = field(default_factory=lambda: {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    })

    def for_nonce(self, nonce: str) -> list[tuple[bytes, bytes]]:
        pairs = [("Content-Security-Policy", self.policy.format(nonce=nonce)), *self.others.items()]
        return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs]


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1): only this machine can connect."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_hosts(bind: str) -> list[str]:
    """Host names a browser may use for an app bound to loopback (refusing others stops DNS rebinding)."""
    return sorted({*LOOPBACK_NAMES, bind.strip("[]").lower()})


def http_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) link, else None: javascript:, data:, relative and odd URLs are not links."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    if any(ord(c) < 32 or c == "\x7f" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else None


def token_matches(expected: str | None, authorization: str | None) -> bool:
    """Whether an `Authorization: Bearer TOKEN` header carries the configured token (constant-time compare)."""
    if not expected or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: refuse oversized or malformed requests, add the security headers to every answer."""

    def __init__(self, app: ASGIApp, limits: WebLimits | None = None, headers: SecurityHeaders | None = None,
                 allowed_hosts: Iterable[str] | None = None):
        self.app = app
        self.limits = limits or WebLimits.from_env()
        self.headers = headers or SecurityHeaders()
        self.allowed_hosts = {h.strip("[]").lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        extra = self.headers.for_nonce(nonce)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is None and scope["method"] in BODY_METHODS:
            body, refusal = await self._read_body(scope, receive)
            if refusal is None:
                receive = _replay(body, receive)
        if refusal is not None:
            status, message = refusal
            await _answer(send_with_headers, status, message)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        query: bytes = scope.get("query_string") or b""
        if len(raw_path) + len(query) > self.limits.max_url:
            return 414, (f"the URL is {len(raw_path) + len(query)} bytes; the limit is {self.limits.max_url} "
                         "(NEWSGRAPH_WEB_MAX_URL)")
        if b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(query):
            return 400, "NUL characters are not allowed in a URL"
        if self.allowed_hosts is not None:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if _host_name(host) not in self.allowed_hosts:
                return 400, f"host {host!r} is not served here; use http://127.0.0.1 (this app is bound to loopback)"
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                return 400, "Content-Length is not a number"
            if size > self.limits.max_body:
                return 413, (f"the request body is {size} bytes; the limit is {self.limits.max_body} "
                             "(NEWSGRAPH_WEB_MAX_BODY)")
        return None

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[bytes, tuple[int, str] | None]:
        """The whole body, refused when it passes the limit (also for chunked bodies with no Content-Length)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", (400, "the client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.limits.max_body:
                chunks.append(chunk)
            if not message.get("more_body") or size > DRAIN_FACTOR * self.limits.max_body:
                break
        if size > self.limits.max_body:  # drained (up to a bound) so the client can read the answer
            return b"", (413, f"the request body passes the limit of {self.limits.max_body} bytes "
                              "(NEWSGRAPH_WEB_MAX_BODY)")
        return b"".join(chunks), None


def _replay(body: bytes, rest: Receive) -> Receive:
    """The body already read, then the client's later messages (a disconnect) as they come."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await rest()

    return receive


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
