"""Scoring exported tables against hand-annotated gold files (`newsgraph eval GOLD.json`)."""

from .normalise import contains_words, norm
from .report import format_report, report_to_dict
from .result import Figure, Report
from .scorer import score
from .tables import load_tables

__all__ = [
    "Figure",
    "Report",
    "contains_words",
    "format_report",
    "load_tables",
    "norm",
    "report_to_dict",
    "score",
]
