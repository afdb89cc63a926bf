"""Do two versions of newsgraph store the same thing? Ingest one input with each into its own SQLite store
and compare every table row by row (time stamps aside) and the exported tables.

    python bench/same_output.py BASE_SRC NEW_SRC INPUT... [--map FIELD=COLUMN,...]

BASE_SRC and NEW_SRC are the `src` folders of the two versions (e.g. a `git archive` of main and this
worktree's src). Exit status 0 when everything is the same. Export files are compared as sorted lines:
their order follows each document's ingestion time, which is the wall clock's.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

VOLATILE = {"ingested_at", "at", "created_at", "fetched_at", "updated_at"}  # wall-clock columns
CLI = "import sys; from newsgraph.cli import main; sys.argv[0] = 'newsgraph'; main()"


def run(src: str, db: Path, inputs: list[str], mapping: str | None, export: Path) -> None:
    env = {**os.environ, "PYTHONPATH": src, "OMP_NUM_THREADS": "1"}
    extra = ["--map", mapping] if mapping else []
    subprocess.run([sys.executable, "-c", CLI, "ingest", "--quiet", "--db", str(db), *extra, *inputs],
                   env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", CLI, "export", "--db", str(db), "--format", "jsonl", str(export)],
                   env=env, check=True, capture_output=True)


def tables(db: Path) -> dict[str, list[str]]:
    """Every table's rows (sorted, as JSON), without the wall-clock columns."""
    con = sqlite3.connect(db)
    out = {}
    for (name,) in con.execute("select name from sqlite_master where type = 'table' order by name"):
        cols = [r[1] for r in con.execute(f"pragma table_info('{name}')") if r[1] not in VOLATILE]
        rows = con.execute(f"select {', '.join(chr(34) + c + chr(34) for c in cols)} from '{name}'").fetchall()
        out[name] = sorted(json.dumps(list(r), default=str) for r in rows)
    con.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_src")
    ap.add_argument("new_src")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--map", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        found = {}
        for name, src in (("base", args.base_src), ("new", args.new_src)):
            run(src, Path(tmp) / f"{name}.db", args.inputs, args.map, Path(tmp) / f"{name}.export")
            found[name] = tables(Path(tmp) / f"{name}.db")
        same = True
        for table in sorted(set(found["base"]) | set(found["new"])):
            a, b = found["base"].get(table), found["new"].get(table)
            ok = a == b
            same &= ok
            print(f"{'same' if ok else 'DIFFERENT':9} {table}: {len(a or [])} / {len(b or [])} rows")
        for f in sorted((Path(tmp) / "base.export").iterdir()):
            other = Path(tmp) / "new.export" / f.name
            a = sorted(f.read_text(encoding="utf-8").splitlines())
            b = sorted(other.read_text(encoding="utf-8").splitlines()) if other.exists() else None
            same &= a == b
            print(f"{'same' if a == b else 'DIFFERENT':9} export {f.name}: {len(a)} lines")
    print("the same" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
