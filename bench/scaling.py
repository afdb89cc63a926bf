"""Ingest throughput on each engine: one process, 2 local worker processes, Dask LocalCluster of 1 and 2.

    python bench/scaling.py [CORPUS] [--map ...] [--limit N] [--engines serial,workers:2,dask:1,dask:2]

Each run ingests the corpus into a fresh SQLite store and prints documents/s, words/s and the speed-up
over the one-process run. The machine's cores bound what more workers can give.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import add_corpus_arguments, chosen_corpus  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(ap)
    ap.add_argument("--limit", type=int, default=None, help="only the first N rows (CSV/JSONL)")
    ap.add_argument("--engines", default="serial,workers:2,dask:1,dask:2")
    args = ap.parse_args()
    chosen = chosen_corpus(args)
    if chosen is None:
        return 2
    corpus, mapping_text = chosen

    from newsgraph.engine import ingest
    from newsgraph.engine.engines import DaskEngine, ProcessEngine, SerialEngine
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.settings import Settings
    from newsgraph.sources import parse_mapping
    from newsgraph.store.db import Store

    mapping = parse_mapping(mapping_text)
    paths = [str(corpus)]
    if args.limit:
        paths = [_head(corpus, args.limit)]
    settings = Settings()
    extractor = Extractor(settings)
    base = None
    print(f"corpus      {corpus.name}" + (f" (first {args.limit} rows)" if args.limit else ""))
    for spec in args.engines.split(","):
        kind, _, n = spec.partition(":")
        start = time.perf_counter()  # includes starting the workers: what a user waits for
        if kind == "serial":
            engine = SerialEngine(extractor)
        elif kind == "workers":
            engine = ProcessEngine(settings, int(n))
        elif kind == "dask":
            engine = DaskEngine(settings, f"local:{n}")
        else:
            print(f"unknown engine {spec}", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(os.path.join(tmp, "bench.db"))
            summary = ingest(paths, store, extractor, mapping=mapping, engine=engine)
            engine.close()
            store.close()
        took = time.perf_counter() - start
        base = base or took
        print(f"{spec:11} {summary.added} added in {took:6.1f} s: {summary.added / took:5.1f} documents/s, "
              f"{summary.words / took:6.0f} words/s, {base / took:4.2f}x one process")
    return 0


def _head(corpus: Path, n: int) -> str:
    """The first n rows of a CSV (multi-line fields kept) as a temporary file."""
    import csv

    csv.field_size_limit(1 << 30)
    out = Path(tempfile.mkdtemp()) / corpus.name
    with corpus.open(newline="", encoding="utf-8", errors="replace") as src, out.open("w", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        for i, row in enumerate(reader):
            if i > n:
                break
            writer.writerow(row)
    return str(out)


if __name__ == "__main__":
    sys.exit(main())
