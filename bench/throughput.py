"""Ingest throughput against the bare spaCy pipeline on the same texts, in one run.

    python bench/throughput.py [CORPUS] [--map ...] [--limit N]

Prints documents/s, words/s and peak RSS of a full ingest into a fresh SQLite store, then the words/s of
the bare spaCy pipeline's nlp.pipe over the same cleaned texts, and the ratio of the two.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT, mapping_for  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--map", default=None, help="field=column mapping (FA-KES mapping by default for its CSV)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    mapping_text = mapping_for(corpus, args.map)

    from newsgraph.clean import CleanError, clean
    from newsgraph.engine import ingest
    from newsgraph.extract.nlp import load_model
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.model import RawDocument
    from newsgraph.sources import iter_raw, parse_mapping
    from newsgraph.store.db import Store

    mapping = parse_mapping(mapping_text)
    raws = [r for r in iter_raw([str(corpus)], mapping) if isinstance(r, RawDocument)]
    if args.limit:
        raws = raws[: args.limit]
    texts = []
    for r in raws:
        try:
            texts.append(clean(r).text)
        except CleanError:
            pass
    words = sum(len(t.split()) for t in texts)
    print(f"corpus      {corpus.name}: {len(raws)} documents, {words} words")

    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / ("input" + corpus.suffix)
        if args.limit:  # write the subset so ingest reads exactly the same documents
            import json

            inputs = Path(tmp) / "input.jsonl"
            with inputs.open("w", encoding="utf-8") as fh:
                for r in raws:
                    fh.write(json.dumps({"id": r.key, "text": r.data, **r.meta}) + "\n")
            mapping = None
        else:
            inputs = corpus
        store = Store(f"sqlite:///{tmp}/bench.db")
        t0 = time.perf_counter()
        extractor = Extractor()
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = ingest([str(inputs)], store, extractor, mapping=mapping)
        ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest([str(inputs)], store, extractor, mapping=mapping)
        repeat_s = time.perf_counter() - t0
        store.close()

    print(f"load        {load_s:.1f} s (model, dictionary, gazetteer)")
    print(f"ingest      {summary.added} added, {len(summary.failed)} failed in {ingest_s:.1f} s: "
          f"{summary.added / ingest_s:.1f} documents/s, {summary.words / ingest_s:.0f} words/s")
    print(f"repeat      {again.added} added, {again.unchanged} unchanged in {repeat_s:.2f} s "
          f"({ingest_s / max(repeat_s, 1e-9):.0f}x faster than the first)")
    print(f"peak RSS    {peak_rss_mb():.0f} MB (after ingest)")

    nlp = load_model()
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    bare_s = time.perf_counter() - t0
    bare_wps = words / bare_s
    ours_wps = summary.words / ingest_s
    print(f"bare spaCy  {len(texts) / bare_s:.1f} documents/s, {bare_wps:.0f} words/s ({nlp.meta['name']})")
    print(f"ratio       {ours_wps / bare_wps:.2f} of the bare pipeline's words/s")
    print(f"peak RSS    {peak_rss_mb():.0f} MB (whole run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
