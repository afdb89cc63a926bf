"""Options every command shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.settings import Settings

db_option = click.option(
    "--db", "db", envvar="NEWSGRAPH_DB", default=None, metavar="URL",
    help="Database URL or SQLite file (default: newsgraph.db; env NEWSGRAPH_DB).",
)



def page_options(command):
    """--limit and --offset: one page of a chronological list, read in the database."""
    command = click.option("--offset", type=click.IntRange(min=0), default=0, metavar="K",
                           help="Skip the first K.")(command)
    return click.option("--limit", type=click.IntRange(min=1), metavar="N",
                        help="At most N events (the oldest).")(command)


def open_store(db: str | None, create: bool = True):
    from newsgraph.store.db import Store, StoreError

    try:
        return Store(db, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def load_extractor(settings: Settings, model: str | None, actor_dirs: Iterable[str]) -> Extractor:
    """The extraction pipeline for these settings, with --model and --actors on top; a clear error if the
    model or a dictionary file cannot be loaded."""
    from newsgraph.extract.nlp import ModelError
    from newsgraph.extract.pipeline import Extractor

    if model:
        settings.model = model
    settings.actor_dirs += list(actor_dirs)
    try:
        return Extractor(settings)
    except (ModelError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
