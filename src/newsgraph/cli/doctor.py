"""newsgraph doctor: check the model, gazetteer, database, versions and settings, and say what to fix."""

from __future__ import annotations

import json

import click

from newsgraph.cli.options import db_option

MARKS = {"ok": ("ok", "green"), "warn": ("warn", "yellow"), "fail": ("FAIL", "red")}


@click.command("doctor")
@click.option("--model", default=None, help="Check this spaCy pipeline (default: NEWSGRAPH_MODEL or the default).")
@click.option("--skip", multiple=True, type=click.Choice(["versions", "settings", "model", "gazetteer", "database",
                                                          "extras"]), help="Leave out a group of checks (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@db_option
def doctor_command(model, skip, as_json, db) -> None:
    """Check this installation and the store; for each problem print the command that fixes it.

    Exits 1 when a required check fails (model, gazetteer, database, core packages, settings); optional
    extras (web, scale, postgresql, analysis, test, Chromium) only warn.
    """
    from newsgraph.doctor import run_checks

    checks = []
    for check in run_checks(db=db, model=model, skip=tuple(skip)):
        checks.append(check)
        if not as_json and (check.status != "ok" or check.area in ("python", "model", "gazetteer", "database",
                                                                    "settings")):
            _show(check)
    failed = [c for c in checks if c.failed]
    warned = [c for c in checks if c.status != "ok" and not c.failed]
    if as_json:
        click.echo(json.dumps({"checks": [c.as_dict() for c in checks], "failed": len(failed)}, indent=2))
    else:
        ok = len(checks) - len(failed) - len(warned)
        click.echo(f"\n{len(checks)} checks: {ok} ok, {len(warned)} warnings, {len(failed)} failed"
                   + (" (package versions and extras that are fine are not listed)" if ok else ""))
    if failed:
        raise SystemExit(1)


def _show(check) -> None:
    word, colour = MARKS[check.status]
    click.echo(f"{click.style(f'{word:<5}', fg=colour)} {check.area:<12} {check.name:<20} {check.detail}")
    if check.fix and check.status != "ok":
        click.echo(f"      fix: {check.fix}")


COMMANDS = [doctor_command]
