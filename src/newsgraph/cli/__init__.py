"""The newsgraph command line: a thin shell over the library, one module a command."""

from __future__ import annotations

import click

from newsgraph.cli import actors, analysis, doctor, events, export, failures, ingest, overrides, serve, stats, watch
from newsgraph.cli import eval as eval_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """Turn news articles into an evidence-backed graph of actors and PLOVER events."""


for module in (ingest, failures, stats, actors, overrides, events, export, eval_cmd, serve, analysis, watch, doctor):
    for command in module.COMMANDS:
        main.add_command(command)
