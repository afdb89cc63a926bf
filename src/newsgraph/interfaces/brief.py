"""A brief record (query.brief) as Markdown or as one self-contained, escaped HTML page."""

from __future__ import annotations

import html
from typing import Any

Record = dict[str, Any]
FORMATS = ("md", "html")
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def _cites(ns: list[int]) -> str:
    return "".join(f"[{n}]" for n in ns)


def _span(a: Any, b: Any) -> str:
    if not (a or b):
        return ""
    return f" ({a or '…'} – {b or ''})".replace("– )", "–)")


def _who(party: Record | None) -> str:
    if party is None:
        return "—"
    return party.get("name") or party.get("text") or "—"


def _place(loc: Record | None) -> str:
    if not loc:
        return ""
    name = loc.get("name") or loc.get("text")
    return f" in {name}" + (f", {loc['country']}" if loc.get("country") and loc.get("country") != name else "")


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def _lines(r: Record) -> list[tuple[str, Any]]:
    """The brief as (kind, content) blocks both renderers share: h1, h2, p, li, quote."""
    a = r["actor"]
    out: list[tuple[str, Any]] = [("h1", f"Brief: {a['name']}")]
    facts = [x for x in (a["type"], a["country"], a["sector"]) if x]
    out.append(("p", f"{a['name']} [{a['id']}] — {', '.join(facts)}. "
                     f"Mentioned {a['mentions']} times in {a['documents']} documents "
                     f"{_cites([d['cite'] for d in a['mentioned_in']])}"
                     + (f" and {a['mentioned_in_more']} more" if a.get("mentioned_in_more") else "") + "."))
    aliases = [x for x in a["aliases"] if x != a["name"]]
    if aliases:
        out.append(("p", "Also known as: " + ", ".join(aliases) + "."))
    if a.get("valid"):
        out.append(("p", f"In existence (actor dictionary): {_span(a['valid'].get('from'), a['valid'].get('to'))}"))
    out.append(("h2", "Affiliations"))
    if not r["affiliations"]:
        out.append(("p", "None recorded."))
    for f in r["affiliations"]:
        rel = f["relation"].replace("_", " ")
        text = f"{f['subject']} — {rel} — {f['object']}{_span(f['from'], f['to'])}"
        if f["source"] == "article":
            out.append(("li", f"{text} {_cites(f['cites'])}"))
            out.append(("quote", f["sentence"]))
        else:
            out.append(("li", f"{text} (actor dictionary)"))
    out.append(("h2", f"Key events ({len(r['key_events'])} of {r['events_total']})"))
    if not r["key_events"]:
        out.append(("p", "None recorded."))
    for e in r["key_events"]:
        flags = [x for x in ("hedged", "negated") if e.get(x)]
        role = "named in the report" if e["role"] == "mentioned" else e["role"]
        quad = QUADS.get(e["quad"], "")
        out.append(("li", f"{e['date'] or 'undated'} — {e['type']} ({quad}): {_who(e['source'])} → "
                          f"{_who(e['target'])}{_place(e['location'])}; {a['name']}: {role}"
                          f"{' [' + ', '.join(flags) + ']' if flags else ''} {_cites(e['cites'])}"))
        out.append(("quote", " ".join(e["sentence"].split())))
    out.append(("h2", "Relations over time"))
    if not r["relations"]:
        out.append(("p", "No events with a named counterpart."))
    for p in r["relations"]:
        years = "; ".join(f"{y['period']}: {y['events']} ({', '.join(f'{k} {v}' for k, v in y['types'].items())}),"
                          f" score {_score(y['score'])}" for y in p["years"])
        out.append(("li", f"{p['partner']['name']}: {p['events']} events, score {_score(p['score'])} — {years} "
                          f"{_cites(p['cites'])}"))
    out.append(("h2", "Conflicting reports"))
    if not r["conflicts"]:
        out.append(("p", "None found."))
    for c in r["conflicts"]:
        out.append(("li", f"{c['type']}: sources disagree on {' and '.join(c['disagree'])}"))
        for v in c["versions"]:
            out.append(("quote", f"{v['date'] or 'undated'}{_place(v['location'])}: "
                                 f"{' '.join(v['sentence'].split())} [{v['cite']}]"))
    out.append(("h2", "Sources"))
    for d in r["citations"]:
        parts = [d.get("title") or d["key"], d.get("outlet"), d.get("published") and f"published {d['published']}",
                 d.get("url"), d["key"] if d.get("title") else None]
        out.append(("ref", (d["n"], " · ".join(str(x) for x in parts if x))))
    return out


def _markdown(blocks: list[tuple[str, Any]]) -> str:
    out: list[str] = []
    for kind, content in blocks:
        if kind == "h1":
            out += [f"# {content}", ""]
        elif kind == "h2":
            out += ["", f"## {content}", ""]
        elif kind == "p":
            out += [content, ""]
        elif kind == "li":
            out.append(f"- {content}")
        elif kind == "quote":
            out.append(f"  > {content}")
        elif kind == "ref":
            out.append(f"{content[0]}. {content[1]}")
    return "\n".join(out).replace("\n\n\n", "\n\n").strip() + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45;"
        "color:#222}h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;margin-top:2rem}"
        "blockquote{margin:.2rem 0 .8rem 1.2rem;color:#555;font-style:italic}li{margin-top:.4rem}"
        "ol.sources li{font-size:.9rem}")


def _html(blocks: list[tuple[str, Any]]) -> str:
    e = html.escape
    title = next(c for k, c in blocks if k == "h1")
    body: list[str] = []
    in_list = in_refs = False
    for kind, content in blocks:
        if kind not in ("li", "quote") and in_list:
            body.append("</ul>")
            in_list = False
        if kind != "ref" and in_refs:
            body.append("</ol>")
            in_refs = False
        if kind == "h1":
            body.append(f"<h1>{e(content)}</h1>")
        elif kind == "h2":
            body.append(f"<h2>{e(content)}</h2>")
        elif kind == "p":
            body.append(f"<p>{e(content)}</p>")
        elif kind == "li":
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{e(content)}</li>")
        elif kind == "quote":
            body.append(f"<blockquote>«{e(content)}»</blockquote>")
        elif kind == "ref":
            if not in_refs:
                body.append('<ol class="sources">')
                in_refs = True
            body.append(f'<li value="{content[0]}" id="s{content[0]}">{e(content[1])}</li>')
    if in_list:
        body.append("</ul>")
    if in_refs:
        body.append("</ol>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body)
            + "\n</body>\n</html>\n")


def render_brief(record: Record, fmt: str = "md") -> str:
    """The brief as Markdown ('md') or a self-contained HTML page ('html'), citations as [n]."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown brief format {fmt!r}: md or html")
    blocks = _lines(record)
    return _markdown(blocks) if fmt == "md" else _html(blocks)
