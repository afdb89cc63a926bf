"""The web app: FastAPI routes that call the query layer and render Jinja templates.

Read-only by default: the store is opened without migrating, its SQLite connections set to `query_only`.
Only when a token is configured (`newsgraph serve --token` / NEWSGRAPH_TOKEN) is a second, writable
connection opened, for the analyst's overrides (POST /api/actors/merge and /alias, `Authorization: Bearer`).
web.security guards every request: size limits, no NUL, allowed Host names, CSP and other headers.

Every figure on a page comes from a newsgraph.query function (the one query layer the CLI, API and export
share); this package holds no SQL. Tables are server-rendered and work with JavaScript
off; the vendored d3 (static/vendor) draws the charts, the network and the map from JSON the page embeds
or the /api routes return.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import NoResultFound
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph.interfaces.brief import render_brief
from newsgraph.query.actors import actor_profile, find_actors, top_actors
from newsgraph.query.brief import brief
from newsgraph.query.events import EventQueryError, count_events, find_events
from newsgraph.query.events import event as event_record
from newsgraph.query.network import NetworkError, network, network_json
from newsgraph.query.overview import overview
from newsgraph.query.relations import EVIDENCE, RelationQueryError, relation_series
from newsgraph.query.search import SearchError, search
from newsgraph.query.timeline import ActorLookupError, UnknownActor, timeline
from newsgraph.settings import db_url
from newsgraph.web.security import Guard, WebLimits, http_url, token_matches

HERE = Path(__file__).parent
PAGE_SIZE = 50
ACTOR_TIMELINE = 200  # events on an actor's page (its oldest); the events page pages through them all
ACTOR_EVIDENCE = 6  # events linked per period in an actor's relation table (all are counted)
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


class WebStoreError(RuntimeError):
    """The store cannot be served: missing file or not a newsgraph store."""


class BadRequest(Exception):
    """A filter value the query layer refused (400), with the message to show."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


class NotFound(Exception):
    def __init__(self, message: str):
        super().__init__(message)


# ---------------------------------------------------------------- the store, read-only


def readonly_engine(db: str | None) -> Engine:
    """An engine on an existing store that cannot write: no migration, SQLite connections `query_only`,
    PostgreSQL sessions read-only."""
    from newsgraph.store.db import StoreError, make_engine

    url = db_url(db)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:" or not Path(path).expanduser().is_file():
            raise WebStoreError(f"no store at {path or url}: ingest articles first (newsgraph ingest PATH --db ...)")
    try:
        engine = make_engine(url)
    except StoreError as exc:
        raise WebStoreError(str(exc)) from exc
    if url.startswith("sqlite"):
        def _query_only(dbapi_connection, _record) -> None:
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA query_only=ON")
            cur.close()

        event.listen(engine, "connect", _query_only)
    elif url.startswith("postgresql"):
        def _read_only(dbapi_connection, _record) -> None:
            cur = dbapi_connection.cursor()
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cur.close()
            dbapi_connection.commit()

        event.listen(engine, "connect", _read_only)
    if not inspect(engine).has_table("events"):
        engine.dispose()
        raise WebStoreError(f"{url} is not a newsgraph store (no events table): run newsgraph ingest on it first")
    return engine


# ---------------------------------------------------------------- request values


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _int(value: str | None, name: str, default: int, low: int = 1, high: int | None = None) -> int:
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {value!r}", name) from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be {bound}, not {number}", name)
    return number


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "on", "true", "yes")


def _event_filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    return {"actor": _text(q.get("actor")), "type": _text(q.get("type")), "date_from": _text(q.get("from")),
            "date_to": _text(q.get("to")), "place": _text(q.get("place")),
            "include_hedged": _flag(q.get("hedged")), "include_negated": _flag(q.get("negated"))}


def _find_events(conn: Connection, **filters: Any) -> list[dict]:
    try:
        return find_events(conn, **filters)
    except EventQueryError as exc:
        raise BadRequest(str(exc), exc.option) from exc


def _event_types() -> list[tuple[str, int]]:
    from newsgraph.extract.ontology import load_ontology

    return sorted((name, spec.get("quad", 0)) for name, spec in load_ontology().types.items())


def _quad_of() -> dict[str, int]:
    return dict(_event_types())


def _event_by_id(conn: Connection, event_id: str) -> dict:
    record = event_record(conn, event_id)
    if record is None:
        raise NotFound(f"no event {event_id!r} in the store")
    return record


def _span(value: str | None, length: int) -> tuple[int, int]:
    """'START-END' character offsets to highlight, inside the text."""
    if not value:
        return 0, 0
    try:
        start, end = (int(x) for x in value.split("-", 1))
    except ValueError as exc:
        raise BadRequest(f"highlight must be START-END character offsets, not {value!r}", "highlight") from exc
    if not 0 <= start < end <= length:
        raise BadRequest(f"highlight {value} is outside the article's {length} characters", "highlight")
    return start, end


def _map_points(events: list[dict]) -> list[dict]:
    """Located events grouped by coordinates, for the map."""
    points: dict[tuple[float, float], dict] = {}
    for e in events:
        loc = e["location"]
        if not loc or loc["lat"] is None or loc["lon"] is None:
            continue
        key = (round(loc["lat"], 4), round(loc["lon"], 4))
        point = points.setdefault(key, {"lat": key[0], "lon": key[1], "name": loc["name"] or loc["text"],
                                        "country": loc["country"], "events": []})
        point["events"].append({
            "id": e["id"], "type": e["type"], "date": e["date"], "url": f"/events/{e['id']}",
            "source": _who(e["source"]), "target": _who(e["target"]),
        })
    out = sorted(points.values(), key=lambda p: -len(p["events"]))
    for p in out:
        p["count"] = len(p["events"])
    return out


def _who(role: dict | None) -> str | None:
    if role is None:
        return None
    return role.get("name") or role.get("text")


def _page_url(request: Request, **changes: Any) -> str:
    params = dict(request.query_params)
    params.update({k: v for k, v in changes.items() if v is not None})
    return f"{request.url.path}?{urlencode(params)}"


# ---------------------------------------------------------------- the app


def connection(request: Request) -> Iterator[Connection]:
    """One read-only connection per request."""
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


def create_app(db: str | None = None, token: str | None = None, allowed_hosts: list[str] | None = None,
               limits: WebLimits | None = None) -> FastAPI:
    """The web app over an existing store (a SQLAlchemy URL or SQLite file; default as the CLI's --db).

    token: enables the write routes (analyst overrides) for requests that carry it; without it the app
    cannot write. allowed_hosts: the Host names to answer (None: any), set to loopback names by `serve`.
    """
    engine = readonly_engine(db)
    app = FastAPI(title="newsgraph", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.token = token or None
    app.state.writer = _writer(db) if token else None
    app.add_middleware(Guard, limits=limits or WebLimits.from_env(), allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(QUADS=QUADS, quad_of=_quad_of(), event_types=_event_types())
    templates.env.filters["http_url"] = http_url


    def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=status_code)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc), "option": exc.option}, status_code=400)
        return page(request, "error.html", 400, title="Bad request", message=str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return page(request, "error.html", 404, title="Not found", message=str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        message = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return await bad_request(request, BadRequest(message))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not wants_json(request) and not request.url.path.startswith("/static/"):
            return page(request, "error.html", 404, title="Not found", message=f"no page {request.url.path}")
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse)
    def overview_page(request: Request, conn: Conn) -> Response:
        record = overview(conn, top=20, latest=10)
        return page(request, "overview.html", title="Overview", counts=record["counts"], months=record["months"],
                    top=record["top_actors"], latest=record["latest_events"])

    @app.get("/actors", response_class=HTMLResponse)
    def actors_page(request: Request, conn: Conn, name: str | None = None) -> Response:
        name = _text(name)
        found = find_actors(conn, name) if name else []
        if name and len(found) == 1:
            return RedirectResponse(f"/actors/{found[0]['id']}", status_code=303)
        return page(request, "actors.html", title="Actors", name=name, found=found,
                    top=[] if name else top_actors(conn, 100))

    @app.get("/actors/{actor_id}", response_class=HTMLResponse)
    def actor_page(request: Request, actor_id: str, conn: Conn) -> Response:
        profile = _profile(conn, actor_id)
        q = request.query_params
        partner = _text(q.get("with"))
        period = _period(q.get("period"))
        shown = _int(q.get("per"), "per", ACTOR_TIMELINE, 1, 1000)
        items = timeline(conn, actor_id, limit=shown)  # the oldest; the events page lists every one
        total = count_events(conn, actor=actor_id, include_hedged=True)
        partners = [{"id": p["id"], "name": p["name"], "events": p["events"]} for p in profile["partners"]]
        if partner and not any(p["id"] == partner for p in partners):
            other = _profile(conn, partner)
            partners.append({"id": other["id"], "name": other["name"], "events": 0})
        partner = partner or (partners[0]["id"] if partners else None)
        series = _relation_series(conn, actor_id, partner, period, ACTOR_EVIDENCE) if partner else None
        return page(request, "actor.html", title=profile["name"], profile=profile, items=items, total=total,
                    affiliations=_grouped(profile["affiliations"]),
                    partners=partners, partner=partner, period=period, series=series)

    @app.get("/events", response_class=HTMLResponse)
    def events_page(request: Request, conn: Conn) -> Response:
        filters = _event_filters(request)
        page_no = _int(request.query_params.get("page"), "page", 1)
        size = _int(request.query_params.get("per"), "per", PAGE_SIZE, 1, 500)
        try:
            total = count_events(conn, **filters)
        except EventQueryError as exc:
            raise BadRequest(str(exc), exc.option) from exc
        pages = max(1, math.ceil(total / size))
        if page_no > pages:
            raise BadRequest(f"page {page_no} is past the last page ({pages})", "page")
        rows = _find_events(conn, **filters, limit=size, offset=(page_no - 1) * size)
        return page(request, "events.html", title="Events", filters=filters, rows=rows, total=total,
                    page_no=page_no, pages=pages, first=(page_no - 1) * size + 1, per=size,
                    prev_url=_page_url(request, page=page_no - 1) if page_no > 1 else None,
                    next_url=_page_url(request, page=page_no + 1) if page_no < pages else None)

    @app.get("/events/{event_id}", response_class=HTMLResponse)
    def event_page(request: Request, event_id: str, conn: Conn) -> Response:
        record = _event_by_id(conn, event_id)
        return page(request, "event.html", title=f"{record['type']} event", event=record)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str, conn: Conn, highlight: str | None = None) -> Response:
        from newsgraph.query.documents import UnknownDocument, document

        try:
            record = document(conn, doc_id)
        except UnknownDocument as exc:
            raise NotFound(str(exc)) from exc
        start, end = _span(highlight, len(record["text"]))
        text = record["text"]
        parts = [(text[:start], False), (text[start:end], True), (text[end:], False)] if end > start else \
            [(text, False)]
        return page(request, "document.html", title=record["title"] or record["key"], doc=record, parts=parts)

    @app.get("/network", response_class=HTMLResponse)
    def network_page(request: Request, conn: Conn) -> Response:
        params = _network_params(request)
        return page(request, "network.html", title="Network", params=params, graph=_network_json(conn, params))

    @app.get("/map", response_class=HTMLResponse)
    def map_page(request: Request, conn: Conn) -> Response:
        filters = _event_filters(request)
        found = _find_events(conn, **filters)
        points = _map_points(found)
        located = sum(p["count"] for p in points)
        return page(request, "map.html", title="Map", filters=filters, points=points, total=len(found),
                    located=located)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, conn: Conn) -> Response:
        text = _text(request.query_params.get("q"))
        limit = _int(request.query_params.get("limit"), "limit", 20, 1, 500)
        hits = None
        if text:
            try:
                hits = search(conn, text, limit=limit)
            except SearchError as exc:
                raise BadRequest(str(exc), "q") from exc
            for hit in hits:
                hit["parts"] = _marked(hit["sentence"], hit.get("marks") or [])
        return page(request, "search.html", title="Search", text=text, hits=hits)

    @app.get("/actors/{actor_id}/brief", response_class=HTMLResponse)
    def brief_page(request: Request, actor_id: str, conn: Conn) -> Response:
        _profile(conn, actor_id)
        report = render_brief(brief(conn, actor_id), "html")  # a self-contained report page: its <style> nonce'd
        return HTMLResponse(report.replace("<style>", f'<style nonce="{request.state.csp_nonce}">', 1))

    # ------------------------------------------------------------ JSON for the scripts

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/api/network")
    def network_api(request: Request, conn: Conn) -> Response:
        return JSONResponse(_network_json(conn, _network_params(request)))

    @app.get("/api/map")
    def map_api(request: Request, conn: Conn) -> Response:
        return JSONResponse(_map_points(_find_events(conn, **_event_filters(request))))

    @app.get("/api/relations")
    def relations_api(request: Request, conn: Conn) -> Response:
        q = request.query_params
        a, b = _text(q.get("a")), _text(q.get("b"))
        if not a or not b:
            raise BadRequest("give both actors: a=...&b=...", "a")
        evidence = None if q.get("evidence") == "all" else _int(q.get("evidence"), "evidence", EVIDENCE, 0, 10_000)
        return JSONResponse(_relation_series(conn, a, b, _period(q.get("period")), evidence))

    # ------------------------------------------------------------ writes: only with the token

    def _authorised(request: Request) -> None:
        if app.state.token is None:
            raise Forbidden("the web app is read-only: start it with --token (or NEWSGRAPH_TOKEN) to allow "
                            "overrides, and send it as 'Authorization: Bearer TOKEN'", 403)
        if not token_matches(app.state.token, request.headers.get("authorization")):
            raise Forbidden("missing or wrong token: send 'Authorization: Bearer TOKEN'", 401)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=headers)

    @app.post("/api/actors/merge")
    async def merge_api(request: Request) -> Response:
        """Merge actor b into actor a, as `newsgraph merge A B --note ...`."""
        _authorised(request)
        body = await _json_body(request, ("a", "b"))
        return _override(lambda store: store.merge_actors(body["a"], body["b"], body.get("note")))

    @app.post("/api/actors/alias")
    async def alias_api(request: Request) -> Response:
        """Make name an alias of actor, as `newsgraph alias ACTOR NAME --note ...`."""
        _authorised(request)
        body = await _json_body(request, ("actor", "name"))
        return _override(lambda store: store.alias_actor(body["actor"], body["name"], body.get("note")))

    def _override(action) -> Response:
        from newsgraph.store.overrides import OverrideError, UnknownActor

        try:
            return JSONResponse(action(app.state.writer))
        except UnknownActor as exc:
            raise NotFound(str(exc)) from exc
        except OverrideError as exc:
            raise BadRequest(str(exc)) from exc

    return app


class Forbidden(Exception):
    """A write without the configured token (401), or with no token configured at all (403)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _writer(db: str | None):
    """The writable store for the override routes: opened only when a token is configured, never migrated."""
    from newsgraph.store.db import Store, StoreError

    try:
        return Store(db, create=False)
    except StoreError as exc:
        raise WebStoreError(str(exc)) from exc


async def _json_body(request: Request, required: tuple[str, ...]) -> dict[str, Any]:
    """The request's JSON object with the required string fields (and an optional string note)."""
    import json

    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise BadRequest("send the body as JSON (Content-Type: application/json)")
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    for name in (*required, "note"):
        value = body.get(name)
        if (name != "note" or value is not None) and (not isinstance(value, str) or not value.strip()):
            raise BadRequest(f"{name} must be a non-empty string", name)
    return body


def _grouped(affiliations: list[dict]) -> list[dict]:
    """Affiliations stated more than once shown once, with how often and up to three sentences."""
    groups: dict[tuple, dict] = {}
    for a in affiliations:
        key = (a["subject"], a["relation"], a["object"])
        group = groups.setdefault(key, {**a, "count": 0, "sentences": []})
        group["count"] += 1
        if len(group["sentences"]) < 3 and a["sentence"].strip() not in group["sentences"]:
            group["sentences"].append(a["sentence"].strip())
    return sorted(groups.values(), key=lambda g: -g["count"])


def _marked(sentence: str, marks: list) -> list[tuple[str, bool]]:
    """The sentence cut into (text, is_match) parts at the search hit's [start, end) marks."""
    parts, at = [], 0
    for start, end in sorted(marks):
        if start < at:
            continue
        parts += [(sentence[at:start], False), (sentence[start:end], True)]
        at = end
    parts.append((sentence[at:], False))
    return [p for p in parts if p[0]]


def _network_params(request: Request) -> dict[str, Any]:
    q = request.query_params
    return {"date_from": _text(q.get("from")), "date_to": _text(q.get("to")),
            "min_events": _int(q.get("min_events"), "min_events", 1), "actor": _text(q.get("actor")),
            "depth": _int(q.get("depth"), "depth", 1, 1, 3)}


def _network_json(conn: Connection, params: dict[str, Any]) -> dict:
    try:
        return network_json(network(conn, **params))
    except UnknownActor as exc:
        raise BadRequest(str(exc), "actor") from exc
    except (EventQueryError, NetworkError, ActorLookupError) as exc:
        raise BadRequest(str(exc), getattr(exc, "option", None)) from exc


def _relation_series(conn: Connection, a: str, b: str, period: str, evidence: int | None) -> dict:
    try:
        return relation_series(conn, a, b, period=period, evidence=evidence)
    except UnknownActor as exc:
        raise NotFound(str(exc)) from exc
    except (ActorLookupError, RelationQueryError) as exc:
        raise BadRequest(str(exc)) from exc


def _profile(conn: Connection, actor_id: str) -> dict:
    try:
        return actor_profile(conn, actor_id)
    except NoResultFound:
        raise NotFound(f"no actor {actor_id!r} in the store") from None


def _period(value: str | None) -> str:
    period = _text(value) or "year"
    if period not in ("year", "month"):
        raise BadRequest(f"period must be year or month, not {period!r}", "period")
    return period
