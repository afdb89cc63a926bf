"""The corpus a benchmark reads: FA-KES by default, with its column mapping."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
FAKES_MAP = "text=article_content,title=article_title,published=date,id=unit_id"


def mapping_for(corpus: Path, given: str | None) -> str | None:
    """The --map given, else FA-KES's own for its CSV."""
    return given or (FAKES_MAP if corpus.name == DEFAULT.name else None)


def add_corpus_arguments(ap: argparse.ArgumentParser) -> None:
    """CORPUS (FA-KES by default) and --map, as every benchmark takes them."""
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--map", default=None, help="field=column mapping (FA-KES mapping by default for its CSV)")


def chosen_corpus(args: argparse.Namespace) -> tuple[Path, str | None] | None:
    """The corpus path and its mapping; None (after saying why) when it does not exist."""
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return None
    return corpus, mapping_for(corpus, args.map)


def write_jsonl(path: Path, raws: Iterable[Any]) -> str:
    """Raw documents as a JSONL file ingest reads back as the same documents (id, text, metadata)."""
    with path.open("w", encoding="utf-8") as fh:
        for r in raws:
            fh.write(json.dumps({"id": r.key, "text": r.data, **r.meta}) + "\n")
    return str(path)
