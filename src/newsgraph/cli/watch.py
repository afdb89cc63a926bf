"""newsgraph watch FEED... --every 15m"""

from __future__ import annotations

import click

from newsgraph.cli.ingest import fetch_options, fetch_settings
from newsgraph.cli.options import db_option, load_extractor, open_store


@click.command("watch")
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, metavar="INTERVAL",
              help="Time between cycles: 30s, 15m, 1h ...")
@click.option("--cycles", type=click.IntRange(min=1), default=None, help="Stop after N cycles (default: never).")
@click.option("--actors", "actor_dirs", multiple=True, type=click.Path(exists=True),
              help="Extra actor dictionary files or folders (YAML).")
@click.option("--model", default=None, envvar="NEWSGRAPH_MODEL", help="spaCy pipeline to load.")
@fetch_options
@db_option
def watch_command(feeds, every, cycles, actor_dirs, model, delay, timeout, db) -> None:
    """Keep the store current from RSS/Atom feed URLs: new items only, a line per cycle."""
    from newsgraph.engine.watch import parse_every, watch
    from newsgraph.settings import Settings

    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    store = open_store(db)
    settings = Settings()
    extractor = load_extractor(settings, model, actor_dirs)
    click.echo(f"watching {len(feeds)} feed(s) every {every}" + (f" for {cycles} cycles" if cycles else ""))
    try:
        watch(list(feeds), store, extractor, seconds, cycles=cycles, echo=click.echo,
              fetch=fetch_settings(delay, timeout))
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        store.close()


COMMANDS = [watch_command]
