"""Shared lookups for scoring: which exported documents a gold doc is, entity aliases, actors, places."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from .normalise import norm

DEFAULT_RADIUS_KM = 161.0


def _key_forms(key: str) -> set[str]:
    """The key, its file name and every directory-stripped suffix: gold `a.txt` finds `x/y/a.txt`."""
    key = key.replace("\\", "/").removeprefix("./")
    parts = key.split("/")
    return {"/".join(parts[i:]) for i in range(len(parts))} | {key}


def match_documents(gold_docs: Iterable[str], documents: list[dict]) -> dict[str, set[str]]:
    """Map each gold `doc` to the ids of the exported documents it names (empty set: not found)."""
    index: dict[str, set[str]] = defaultdict(set)
    for d in documents:
        if d.get("id") is None:
            continue
        keys = [d.get("key"), *(d.get("keys") or [])]  # a text seen under several keys is one document
        for form in set().union(*(_key_forms(str(k or "")) for k in keys)):
            if form:
                index[form].add(str(d["id"]))
    out: dict[str, set[str]] = {}
    for g in gold_docs:
        wanted = {g, g.removeprefix("./")}
        if g.startswith("fakes:"):
            wanted.add(g[len("fakes:") :])
        out[g] = set().union(*(index.get(w, set()) for w in wanted))
    return out


class Aliases:
    """Normalised alias sets of gold entity ids (name included); an unknown id stands for itself."""

    def __init__(self, entities: dict[str, dict]):
        self._entities = entities or {}
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, ent_id: str) -> frozenset[str]:
        if ent_id not in self._cache:
            e = self._entities.get(ent_id)
            names = [ent_id] if e is None else [e.get("name") or "", *(e.get("aliases") or [])]
            self._cache[ent_id] = frozenset(n for n in map(norm, names) if n)
        return self._cache[ent_id]

    def of_many(self, ids: Iterable[str]) -> frozenset[str]:
        return frozenset().union(*(self.of(i) for i in ids))

    def name(self, ent_id: str) -> str:
        return (self._entities.get(ent_id) or {}).get("name") or ent_id


def actor_names(actor: object) -> set[str]:
    """Normalised `name` and `text` of an exported actor object (a bare string counts as a name)."""
    if isinstance(actor, str):
        return {norm(actor)} - {""}
    if not isinstance(actor, dict):
        return set()
    return {norm(str(actor.get(k) or "")) for k in ("name", "text")} - {""}


def actor_ok(actor: object, accept: list | None, aliases: Aliases) -> bool:
    """Gold `null` = not scored; `null` inside the list = none or any; else name/text must be an alias."""
    if accept is None or None in accept:
        return True
    return bool(actor_names(actor) & aliases.of_many(accept))


def actor_label(actor: object) -> str:
    """Short display form of an exported actor."""
    if isinstance(actor, dict):
        return str(actor.get("name") or actor.get("text") or "-")
    return str(actor) if actor else "-"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _num(v: object) -> float | None:
    try:
        return None if v is None or v == "" else float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def place_ok(gold: dict, got: dict | None) -> bool:
    """Gold with lat/lon: exported point within radius_km; country-only gold: same ISO2 country."""
    if not got:
        return False
    glat, glon = _num(gold.get("lat")), _num(gold.get("lon"))
    if glat is not None and glon is not None:
        lat, lon = _num(got.get("lat")), _num(got.get("lon"))
        if lat is None or lon is None:
            return False
        radius = _num(gold.get("radius_km")) or DEFAULT_RADIUS_KM
        return haversine_km(glat, glon, lat, lon) <= radius
    want = str(gold.get("country") or "").strip().upper()
    return bool(want) and str(got.get("country") or "").strip().upper() == want


def place_label(p: dict | None) -> str:
    """Short display form of a gold or exported place."""
    if not p:
        return "none"
    bits = [str(p.get("country") or "?")]
    if _num(p.get("lat")) is not None and _num(p.get("lon")) is not None:
        bits.append(f"{float(p['lat']):.2f},{float(p['lon']):.2f}")
    if p.get("radius_km"):
        bits.append(f"r{p['radius_km']}")
    return " ".join(bits)


def clip(text: str | None, n: int = 80) -> str:
    """Quote a sentence or evidence, shortened for a one-line miss."""
    t = " ".join((text or "").split())
    return '"' + (t if len(t) <= n else t[: n - 3] + "...") + '"'
