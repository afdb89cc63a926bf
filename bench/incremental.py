"""What adding a few new articles to a large store costs, cross-document resolution included.

    python bench/incremental.py [CORPUS] [--map ...] [--new 10]

Ingests the corpus except its last N documents into a fresh SQLite store, then adds the N new ones to it,
and for comparison ingests the same N into an empty store. Adding N to the full store should cost about
what the N cost alone: the work of an ingest grows with what is new, not with what is stored. Also prints
the whole corpus's per-document time, so the N can be set against N average documents.
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
from corpus import add_corpus_arguments, chosen_corpus, write_jsonl  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(ap)
    ap.add_argument("--new", type=int, default=10, help="how many articles arrive after the rest")
    args = ap.parse_args()
    chosen = chosen_corpus(args)
    if chosen is None:
        return 2
    corpus, mapping_text = chosen

    from newsgraph.engine import ingest
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.model import RawDocument
    from newsgraph.sources import iter_raw, parse_mapping
    from newsgraph.store.db import Store

    raws = [r for r in iter_raw([str(corpus)], parse_mapping(mapping_text))
            if isinstance(r, RawDocument)]
    old, new = raws[: -args.new], raws[-args.new:]
    extractor = Extractor()
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = write_jsonl(Path(tmp) / "old.jsonl", old), write_jsonl(Path(tmp) / "new.jsonl", new)
        big = Store(f"sqlite:///{tmp}/big.db")
        t0 = time.perf_counter()
        first = ingest([old_path], big, extractor)
        base_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        added = ingest([new_path], big, extractor)
        into_big_s = time.perf_counter() - t0
        events = big.count("events")
        big.close()
        empty = Store(f"sqlite:///{tmp}/empty.db")
        t0 = time.perf_counter()
        alone = ingest([new_path], empty, extractor)
        alone_s = time.perf_counter() - t0
        empty.close()
    per_doc = base_s / max(first.added, 1)
    print(f"corpus      {corpus.name}: {first.added} documents stored first ({base_s:.1f} s, "
          f"{per_doc * 1000:.0f} ms a document); the store then holds {events} event mentions")
    print(f"new         {added.added} added to that store in {into_big_s:.2f} s")
    print(f"alone       the same {alone.added} into an empty store in {alone_s:.2f} s")
    print(f"ratio       {into_big_s / alone_s:.2f}x the cost of the {alone.added} alone; "
          f"{into_big_s / (per_doc * max(added.added, 1)):.2f}x {added.added} average documents of the corpus")
    return 0


if __name__ == "__main__":
    sys.exit(main())
