"""newsgraph serve: the read-only web app."""

from __future__ import annotations

import click

from newsgraph.cli.options import db_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@db_option
def serve_command(host, port, db) -> None:
    """The web app over the store, read-only: overview, actors, events, evidence, network, map."""
    try:
        import uvicorn

        from newsgraph.web import WebStoreError, create_app
    except ImportError as exc:  # the [web] extra is not installed
        raise click.ClickException(f"the web app needs {exc.name}: pip install 'newsgraph[web]'") from exc
    try:
        app = create_app(db)
    except WebStoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"newsgraph: serving on http://{host}:{port}/ (read-only; Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve_command]
