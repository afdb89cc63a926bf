"""Keep a store current from feeds: ingest them every interval, new items only, one line per cycle.

A feed that is down, slow or returns garbage is a failure of that cycle, reported on its line; the next
cycle tries again. One fetcher serves every cycle, so per-host rate limits and robots.txt rules hold
across cycles, and the store's fetch cache makes each cycle ask only for what changed.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

from newsgraph.engine.engines import Engine
from newsgraph.engine.ingest import IngestSummary, ingest
from newsgraph.extract.pipeline import Extractor
from newsgraph.settings import FetchSettings
from newsgraph.store.db import Store

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
SHOWN_KEYS = 5  # added items named on a cycle's line; the rest are counted


def parse_every(text: str) -> float:
    """'15m', '30s', '1h', '1.5h', '90' (seconds) as seconds; ValueError otherwise."""
    match = _EVERY.match(text or "")
    if not match:
        raise ValueError(f"bad interval {text!r}; expected a number with s, m, h or d (e.g. 15m)")
    return float(match.group(1)) * _UNIT[match.group(2).lower()]


def cycle_line(number: int, summary: IngestSummary) -> str:
    """What one cycle did, on one line."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    parts = [f"added {summary.added}"]
    if summary.added_keys:
        shown = summary.added_keys[:SHOWN_KEYS]
        more = len(summary.added_keys) - len(shown)
        parts[0] += " (" + ", ".join(shown) + (f" and {more} more" if more else "") + ")"
    parts.append(f"unchanged {summary.unchanged}")
    if summary.duplicates:
        parts.append(f"duplicates {len(summary.duplicates)}")
    failed = f"failed {len(summary.failed)}"
    if summary.failed:
        failed += " (" + "; ".join(f"{f.key}: {f.reason}" for f in summary.failed) + ")"
    parts.append(failed)
    parts.append(f"{summary.requests} HTTP request{'' if summary.requests == 1 else 's'}")
    return f"{stamp} cycle {number}: " + ", ".join(parts)


def watch(
    feeds: list[str],
    store: Store,
    extractor: Extractor,
    every: float,
    cycles: int | None = None,
    echo: Callable[[str], None] = print,
    fetch: FetchSettings | None = None,
    engine: Engine | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[IngestSummary]:
    """Ingest the feeds every `every` seconds, `cycles` times (forever when None)."""
    from newsgraph.sources.cache import FetchCache
    from newsgraph.sources.live import LiveSources

    live = LiveSources(fetch, FetchCache(store.engine), feeds_only=True)
    summaries: list[IngestSummary] = []
    number = 0
    try:
        while cycles is None or number < cycles:
            number += 1
            started = time.monotonic()
            try:
                summary = ingest(list(feeds), store, extractor, engine=engine, live=live)
            except Exception as exc:  # noqa: BLE001 - one bad cycle (a database hiccup) must not end the watch
                echo(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%SZ} cycle {number}: error: "
                     f"{exc.__class__.__name__}: {exc}")
            else:
                summaries.append(summary)
                echo(cycle_line(number, summary))
            if cycles is not None and number >= cycles:
                break
            sleep(max(0.0, started + every - time.monotonic()))
    finally:
        live.close()
    return summaries
