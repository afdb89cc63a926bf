"""newsgraph serve: the web app, read-only unless a token is set, on this machine only unless told otherwise."""

from __future__ import annotations

import sys

import click

from newsgraph.cli.options import db_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the store to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--token", envvar="NEWSGRAPH_TOKEN", default=None, show_envvar=True,
              help="Allow the analyst's overrides (POST /api/actors/merge, /alias) for requests sending "
                   "'Authorization: Bearer TOKEN'. Without it the app cannot write.")
@db_option
def serve_command(host, port, token, db) -> None:
    """The web app over the store: overview, actors, events, evidence, network, map."""
    try:
        import uvicorn

        from newsgraph.web import WebStoreError, create_app
        from newsgraph.web.security import is_loopback, loopback_hosts
    except ImportError as exc:  # the [web] extra is not installed
        raise click.ClickException(f"the web app needs {exc.name}: pip install 'newsgraph[web]'") from exc
    if token is not None and len(token.strip()) < 16:
        raise click.ClickException("--token must be at least 16 characters; make one with: "
                                   "python -c 'import secrets; print(secrets.token_urlsafe(24))'")
    local = is_loopback(host)
    if not local:
        click.echo(f"WARNING: serving on {host}, not loopback: anyone who can reach this machine can read the "
                   "store" + (", and the token travels unencrypted over HTTP" if token else "")
                   + ". Use --host 127.0.0.1 unless that is what you want.", err=True)
    try:
        app = create_app(db, token=token, allowed_hosts=loopback_hosts(host) if local else None)
    except WebStoreError as exc:
        raise click.ClickException(str(exc)) from exc
    mode = "overrides allowed with the token" if token else "read-only"
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"newsgraph: serving on http://{shown}:{port}/ ({mode}; Ctrl-C stops)")
    sys.stdout.flush()  # uvicorn ends on a signal by re-raising it, which skips flushing a piped stdout
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve_command]
