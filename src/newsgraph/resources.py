"""Access to the data files shipped in the package (ontology, lexicons, actor dictionary)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def data_path(*parts: str) -> Path:
    return Path(str(resources.files("newsgraph").joinpath("data", *parts)))


@cache
def load_yaml(*parts: str) -> Any:
    with data_path(*parts).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
