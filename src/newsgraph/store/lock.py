"""One ingest at a time on a SQLite file: an advisory lock that a crashed or killed ingest cannot leave behind.

SQLite serialises single transactions, but two ingests interleaving their documents would make
cross-document resolution depend on timing. A second ingest therefore stops with a clear message (or
waits, when asked). The lock is flock(2) on `<database>-ingest.lock`, which the kernel releases when the
holder exits however it exits, so a SIGKILLed ingest never blocks the resumed one. PostgreSQL stores take
no lock: concurrent writers there are supported (each document is one transaction, retried on conflict).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from newsgraph.settings import db_url
from newsgraph.store.db import StoreError


class StoreBusy(StoreError):
    """Another ingest holds the store."""


_HELD: dict[str, int] = {}  # lock files this process holds, and how deeply: the lock is re-entrant


def sqlite_path(url: str) -> str | None:
    """The database file of a SQLite URL; None for other databases and in-memory SQLite."""
    url = db_url(url)
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[-1].split("?", 1)[0]
    return None if not path or path == ":memory:" else os.path.abspath(os.path.expanduser(path))


@contextmanager
def ingest_lock(url: str, wait: bool = False, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's ingest lock for the block; StoreBusy at once if another process holds it and not
    wait. Re-entrant, so the CLI can take it before loading the model and ingest() take it again."""
    path = sqlite_path(url)
    if path is None:
        yield
        return
    lock = path + "-ingest.lock"
    if _HELD.get(lock):
        _HELD[lock] += 1
        try:
            yield
        finally:
            _HELD[lock] -= 1
        return
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            busy = f"another ingest is writing to {path} ({_holder(fd)})"
            if not wait:
                raise StoreBusy(f"{busy}; wait for it to finish, or run again with --wait to queue behind it") \
                    from None
            if on_wait:
                on_wait(f"{busy}; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        os.pwrite(fd, f"pid {os.getpid()}, since {now} UTC".encode(), 0)
        _HELD[lock] = 1
        try:
            yield
        finally:
            _HELD.pop(lock, None)
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    return text or "pid unknown"
