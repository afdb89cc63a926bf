"""Rendering a Report as a text table (for people) or a dict (for `--json`)."""

from __future__ import annotations

from .result import LABELS, Report


def _value(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def format_report(report: Report, show_misses: bool = True) -> str:
    """A fixed-width table of figures, then the miss lines."""
    width = max(len(label) for label in LABELS.values())
    lines = [f"{'metric':<{width}}  {'value':>6}  n/d", "-" * (width + 20)]
    for key, fig in report.figures():
        lines.append(f"{LABELS.get(key, key):<{width}}  {_value(fig.value):>6}  {fig.num}/{fig.den}")
    if show_misses and report.misses:
        lines += ["", f"misses ({len(report.misses)}):"]
        lines += report.misses
    return "\n".join(lines)


def report_to_dict(report: Report) -> dict:
    """JSON-ready form: {"metrics": {key: {value, num, den}}, "misses": [...]}; value is null for 0/0."""
    metrics = {
        key: {"label": LABELS.get(key, key), "value": fig.value, "num": fig.num, "den": fig.den}
        for key, fig in report.figures()
    }
    return {"metrics": metrics, "misses": list(report.misses)}
