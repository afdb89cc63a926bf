"""newsgraph ingest PATH..."""

from __future__ import annotations

from dataclasses import replace

import click

from newsgraph.cli.failures import printable
from newsgraph.cli.options import db_option, load_extractor, open_store


def size_option(_ctx, _param, value: str | None) -> int | None:
    """--max-document-size 10MB: a size in bytes, or a usage error saying what is wrong."""
    from newsgraph.settings import parse_size

    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def mapping_option(value: str | None) -> dict[str, str] | None:
    """--map text=article_content,... checked before anything is read."""
    from newsgraph.sources import parse_mapping
    from newsgraph.sources.rows import check_mapping

    try:
        mapping = parse_mapping(value)
        check_mapping(mapping)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from exc
    return mapping or None


def fetch_options(function):
    """--delay and --timeout for commands that fetch feeds or URLs."""
    function = click.option("--timeout", type=click.FloatRange(min=0.01), default=None, metavar="SECONDS",
                            help="Network timeout per request (default 20; env NEWSGRAPH_FETCH_TIMEOUT).")(function)
    return click.option("--delay", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
                        help="Seconds between requests to one host (default 1; env NEWSGRAPH_FETCH_DELAY).")(function)


def fetch_settings(delay: float | None, timeout: float | None):
    from newsgraph.settings import FetchSettings

    settings = FetchSettings()
    if delay is not None:
        settings.delay = delay
    if timeout is not None:
        settings.timeout = timeout
    return settings


@click.command("ingest")
@click.argument("paths", nargs=-1)
@click.option("--urls", "url_lists", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A text file of article or feed URLs, one a line (# comments).")
@click.option("--map", "mapping", metavar="FIELD=COLUMN,...", help="Column names for CSV/JSONL fields.")
@click.option("--published", metavar="DATE", help="Publication date for documents that have none stated.")
@click.option("--actors", "actor_dirs", multiple=True, type=click.Path(exists=True),
              help="Extra actor dictionary files or folders (YAML).")
@click.option("--model", default=None, envvar="NEWSGRAPH_MODEL", help="spaCy pipeline to load.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Extract in N local worker processes (the store is written by this one).")
@click.option("--dask", "dask_spec", metavar="local:N|tcp://HOST:PORT", default=None,
              help="Extract on a Dask cluster: a LocalCluster of N workers, or a running scheduler.")
@fetch_options
@click.option("--max-document-size", callback=size_option, metavar="SIZE",
              help="Refuse a document (file, or row text) larger than this, e.g. 10MB "
                   "(env NEWSGRAPH_MAX_DOCUMENT_SIZE; default 10MB).")
@click.option("--max-line-length", type=click.IntRange(min=1), default=None, metavar="CHARS",
              help="Refuse a document with a longer line (env NEWSGRAPH_MAX_LINE_LENGTH; default 1000000).")
@click.option("--max-file-size", callback=size_option, metavar="SIZE",
              help="Refuse a CSV/JSON/JSONL file larger than this (env NEWSGRAPH_MAX_FILE_SIZE; default 1GB).")
@click.option("--wait", is_flag=True, help="If another ingest is writing to this SQLite store, wait for it.")
@db_option
def ingest_command(paths, url_lists, mapping, published, actor_dirs, model, quiet, workers, dask_spec, delay,
                   timeout, max_document_size, max_line_length, max_file_size, wait, db) -> None:
    """Ingest articles from folders, files or globs (.txt .md .html .json .jsonl .csv), saved feeds
    (.rss .atom .xml), web archives (.warc .warc.gz), and feed or article URLs (http/https).

    Only URLs, feeds and --urls lists use the network; a store's fetch cache skips what is unchanged.
    Run it again after an interruption: what was stored is skipped and the rest is added.
    """
    from tqdm import tqdm

    from newsgraph.engine import ingest
    from newsgraph.settings import Settings
    from newsgraph.store.db import StoreError

    if not paths and not url_lists:
        raise click.UsageError("give at least one PATH or URL, or --urls FILE")
    fields = mapping_option(mapping)
    try:
        settings = Settings()
    except ValueError as exc:  # a bad limit in the environment
        raise click.ClickException(str(exc)) from exc
    given = {"max_document_size": max_document_size, "max_line_length": max_line_length,
             "max_file_size": max_file_size}
    settings.limits = replace(settings.limits, **{k: v for k, v in given.items() if v is not None})
    store = open_store(db)
    from contextlib import ExitStack

    from newsgraph.store.lock import StoreBusy, ingest_lock

    held = ExitStack()  # the ingest lock, from before the model loads (a second ingest stops at once) to exit
    click.get_current_context().call_on_close(held.close)
    try:
        held.enter_context(ingest_lock(store.url, wait, on_wait=lambda msg: click.echo(msg, err=True)))
    except StoreBusy as exc:
        raise click.ClickException(str(exc)) from exc
    extractor = load_extractor(settings, model, actor_dirs)
    from newsgraph.engine.engines import EngineError, make_engine

    try:
        engine = make_engine(extractor, settings, workers=workers, dask=dask_spec)
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc
    bar = tqdm(desc="ingest", unit="doc", disable=True if quiet else None, leave=False)  # None: off unless a TTY
    try:
        summary = ingest(list(paths), store, extractor, mapping=fields, published=published, progress=bar.update,
                         engine=engine, url_lists=list(url_lists), fetch=fetch_settings(delay, timeout),
                         limits=settings.limits)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.close()
        bar.close()
    click.echo(f"read {summary.seen}: added {summary.added}, duplicates {len(summary.duplicates)}, "
               f"unchanged {summary.unchanged}, failed {len(summary.failed)}")
    if summary.requests:
        click.echo(f"fetched: {summary.requests} HTTP request{'' if summary.requests == 1 else 's'}")
    for key, doc_id in summary.duplicates:
        click.echo(f"  duplicate {printable(key)}: same text as stored document {doc_id} (kept as another key)")
    for f in summary.failed:
        click.echo(f"  failed {printable(f.key)}: {printable(f.reason)}")
    with store.engine.connect() as conn:
        from newsgraph.query import stats

        counts = stats(conn)
    click.echo("store: " + ", ".join(f"{v} {k}" for k, v in counts.items() if k != "failures"))
    store.close()


COMMANDS = [ingest_command]
