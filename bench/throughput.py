"""Ingest throughput against the bare spaCy pipeline on the same texts, in one run.

    python bench/throughput.py [CORPUS] [--map ...] [--limit N]

Prints documents/s, words/s and peak RSS of a full ingest into a fresh SQLite store, then the words/s of
the bare spaCy pipeline's nlp.pipe over the same cleaned texts, and the ratio of the two, by wall-clock
time and by this process's CPU time, then where the ingest's CPU time went, stage by stage. The bare
pipeline is always the full default model, whatever ingest runs; it runs before and after the ingest and
the ratio uses the mean of the two, so a machine that gets busier or quieter meanwhile skews it less. Ingest
runs the same model with two rule components replaced by exact, cheaper ones (extract/exact_components.py);
the same model with those replacements is timed too, which isolates the cost of newsgraph's own work.
spaCy's share of the ingest's own CPU time, measured inside the same run, is the steadiest figure: the
ratio the ingest would have if the bare pipeline cost exactly what spaCy costs inside it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import add_corpus_arguments, chosen_corpus, write_jsonl  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SPACY = "spaCy (the model, its exact rule components and ours)"


def _bare(texts: list[str], exact: bool = False) -> tuple[str, list[str], float, float]:
    from newsgraph.extract.exact_components import use_exact_components
    from newsgraph.extract.nlp import load_model

    nlp = load_model()  # the full default pipeline, as installed, with none of ours
    if exact:  # the same model with the exact table attribute ruler and memo lemmatizer ingest runs
        use_exact_components(nlp)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return nlp.meta["name"], list(nlp.pipe_names), time.perf_counter() - t0, time.process_time() - c0


def bare_pipeline(texts: list[str], runs: list[tuple[float, float]], exact: bool = False) -> tuple[str, list[str]]:
    """The full default pipeline over the texts, in a child process so that this one's peak RSS is the
    ingest's own: (wall, CPU) seconds appended to runs."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        name, pipes, wall, cpu = pool.apply(_bare, (texts, exact))
    runs.append((wall, cpu))
    return name, pipes


class Stages:
    """CPU seconds per ingest stage, timed by wrapping the functions that do each stage."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.cpu[name] += time.process_time() - t0

        return timed

    def wrap_iter(self, name: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs) -> Iterator:
            it = iter(fn(*args, **kwargs))
            while True:
                t0 = time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    self.cpu[name] += time.process_time() - t0
                    return
                self.cpu[name] += time.process_time() - t0
                yield item

        return timed


def instrument(extractor, stages: Stages) -> None:
    """Time each stage of ingest: reading and cleaning, spaCy, each extractor, storing."""
    import importlib

    import newsgraph.extract.pipeline as pl
    from newsgraph.store.db import Store

    ing = importlib.import_module("newsgraph.engine.ingest")  # the package re-exports a function of that name
    ing.iter_raw = stages.wrap_iter("read", ing.iter_raw)
    ing.clean = stages.wrap("clean", ing.clean)
    extractor.nlp.pipe = stages.wrap_iter(SPACY, extractor.nlp.pipe)
    for name in ("collect_mentions", "find_timexes", "resolve_places", "furniture_sentences", "infer_published"):
        setattr(pl, name, stages.wrap(f"extract: {name}", getattr(pl, name)))
    extractor.events.extract = stages.wrap("extract: events", extractor.events.extract)
    extractor.relations.extract = stages.wrap("extract: relations", extractor.relations.extract)
    extractor.from_doc = stages.wrap("extract (all)", extractor.from_doc)
    Store.save = stages.wrap("store", Store.save)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(ap)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--no-stages", action="store_true", help="no per-stage timing (no wrappers at all)")
    args = ap.parse_args()
    chosen = chosen_corpus(args)
    if chosen is None:
        return 2
    corpus, mapping_text = chosen

    from newsgraph.clean import CleanError, clean
    from newsgraph.engine import ingest
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

    bare: list[tuple[float, float]] = []
    bare_name, bare_pipes = bare_pipeline(texts, bare)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / ("input" + corpus.suffix)
        if args.limit:  # write the subset so ingest reads exactly the same documents
            inputs = Path(write_jsonl(Path(tmp) / "input.jsonl", raws))
            mapping = None
        else:
            inputs = corpus
        store = Store(f"sqlite:///{tmp}/bench.db")
        t0 = time.perf_counter()
        extractor = Extractor()
        load_s = time.perf_counter() - t0
        stages = Stages()
        if not args.no_stages:
            instrument(extractor, stages)
        t0, c0 = time.perf_counter(), time.process_time()
        summary = ingest([str(inputs)], store, extractor, mapping=mapping)
        ingest_s, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        again = ingest([str(inputs)], store, extractor, mapping=mapping)
        repeat_s = time.perf_counter() - t0
        store.close()

    bare_pipeline(texts, bare)
    same: list[tuple[float, float]] = []
    _, same_pipes = bare_pipeline(texts, same, exact=True)
    print(f"load        {load_s:.1f} s (model, dictionary, gazetteer)")
    print(f"pipeline    ingest runs {', '.join(extractor.nlp.pipe_names)}")
    print(f"ingest      {summary.added} added, {len(summary.failed)} failed in {ingest_s:.1f} s: "
          f"{summary.added / ingest_s:.1f} documents/s, {summary.words / ingest_s:.0f} words/s")
    print(f"repeat      {again.added} added, {again.unchanged} unchanged in {repeat_s:.2f} s "
          f"({ingest_s / max(repeat_s, 1e-9):.0f}x faster than the first)")
    print(f"peak RSS    {peak_rss_mb():.0f} MB (after ingest)")

    print(f"bare spaCy  before ingest: {bare[0][0]:.1f} s, {bare[0][1]:.1f} CPU s; after: {bare[1][0]:.1f} s, "
          f"{bare[1][1]:.1f} CPU s ({bare_name}, full default pipeline: {', '.join(bare_pipes)})")
    bare_s, bare_cpu = (bare[0][0] + bare[1][0]) / 2, (bare[0][1] + bare[1][1]) / 2
    bare_wps = words / bare_s
    ours_wps = summary.words / ingest_s
    print(f"bare spaCy  {len(texts) / bare_s:.1f} documents/s, {bare_wps:.0f} words/s (mean of the two runs)")
    print(f"ratio       {ours_wps / bare_wps:.2f} of the bare pipeline's words/s (wall clock)")
    print(f"ratio (CPU) {(summary.words / ingest_cpu) / (words / bare_cpu):.2f} of the bare pipeline's words per "
          f"CPU second ({summary.words / ingest_cpu:.0f} vs {words / bare_cpu:.0f})")
    print(f"same spaCy  {same[0][0]:.1f} s, {same[0][1]:.1f} CPU s with the exact components "
          f"({', '.join(same_pipes)}): "
          f"ingest is {(summary.words / ingest_s) / (words / same[0][0]):.2f} of its words/s, "
          f"{(summary.words / ingest_cpu) / (words / same[0][1]):.2f} by CPU time (our own work's cost)")
    if stages.cpu:
        print(f"stages      CPU seconds of the ingest ({ingest_cpu:.1f} s in all; extract: ... are parts of extract)")
        named = {k: v for k, v in stages.cpu.items() if not k.startswith("extract: ")}
        parts = sum(v for k, v in stages.cpu.items() if k.startswith("extract: "))
        named["extract: rest of from_doc"] = named.get("extract (all)", 0.0) - parts
        rows = {**named, **{k: v for k, v in stages.cpu.items() if k.startswith("extract: ")}}
        rows["other (batching, dedup; ± timer error)"] = ingest_cpu - sum(
            v for k, v in named.items() if not k.startswith("extract: "))
        for name, cpu in sorted(rows.items(), key=lambda kv: -kv[1]):
            print(f"  {name:40} {cpu:7.1f} s {100 * cpu / ingest_cpu:5.1f} %")
        spacy_cpu = stages.cpu.get(SPACY, 0.0)
        print(f"spaCy share {spacy_cpu / ingest_cpu:.2f} of the ingest's CPU time: the ratio if the bare pipeline "
              f"cost what spaCy costs inside this ingest")
    print(f"peak RSS    {peak_rss_mb():.0f} MB (whole run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
