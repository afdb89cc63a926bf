"""The corpus a benchmark reads: FA-KES by default, with its column mapping."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
FAKES_MAP = "text=article_content,title=article_title,published=date,id=unit_id"


def mapping_for(corpus: Path, given: str | None) -> str | None:
    """The --map given, else FA-KES's own for its CSV."""
    return given or (FAKES_MAP if corpus.name == DEFAULT.name else None)
