"""Running the stages over a corpus: sources -> clean -> extract -> resolve/store, in-process."""

from newsgraph.engine.ingest import IngestSummary, ingest

__all__ = ["IngestSummary", "ingest"]
