"""newsgraph ingest PATH..."""

from __future__ import annotations

import click

from newsgraph.cli.options import db_option, open_store


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


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--map", "mapping", metavar="FIELD=COLUMN,...", help="Column names for CSV/JSONL fields.")
@click.option("--published", metavar="DATE", help="Publication date for documents that have none stated.")
@click.option("--actors", "actor_dirs", multiple=True, type=click.Path(exists=True),
              help="Extra actor dictionary files or folders (YAML).")
@click.option("--model", default=None, envvar="NEWSGRAPH_MODEL", help="spaCy pipeline to load.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@db_option
def ingest_command(paths, mapping, published, actor_dirs, model, quiet, db) -> None:
    """Ingest articles from folders, files or globs (.txt .md .html .json .jsonl .csv)."""
    from tqdm import tqdm

    from newsgraph.engine import ingest
    from newsgraph.extract.nlp import ModelError
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.settings import Settings

    fields = mapping_option(mapping)
    store = open_store(db)
    settings = Settings()
    if model:
        settings.model = model
    settings.actor_dirs += list(actor_dirs)
    try:
        extractor = Extractor(settings)
    except (ModelError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    bar = tqdm(desc="ingest", unit="doc", disable=True if quiet else None, leave=False)  # None: off unless a TTY
    summary = ingest(list(paths), store, extractor, mapping=fields, published=published, progress=bar.update)
    bar.close()
    click.echo(f"read {summary.seen}: added {summary.added}, duplicates {len(summary.duplicates)}, "
               f"unchanged {summary.unchanged}, failed {len(summary.failed)}")
    for key, doc_id in summary.duplicates:
        click.echo(f"  duplicate {key}: same text as stored document {doc_id} (kept as another key)")
    for f in summary.failed:
        click.echo(f"  failed {f.key}: {f.reason}")
    with store.engine.connect() as conn:
        from newsgraph.query import stats

        counts = stats(conn)
    click.echo("store: " + ", ".join(f"{v} {k}" for k, v in counts.items() if k != "failures"))
    store.close()


COMMANDS = [ingest_command]
