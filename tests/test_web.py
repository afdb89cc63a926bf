"""The web app (newsgraph serve) on a store of the seeds: every route over HTTP, then in headless Chromium.

The browser tests drive Debian's Chromium (/usr/bin/chromium, or NEWSGRAPH_CHROMIUM) with Playwright. They
fail, with the install command, when Chromium is missing; NEWSGRAPH_NO_BROWSER=1 skips them. Screenshots
go to tests/artifacts/ (or NEWSGRAPH_ARTIFACTS), printed at the end of the run.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[test]'")

from fastapi.testclient import TestClient  # noqa: E402

ARTIFACTS = Path(os.environ.get("NEWSGRAPH_ARTIFACTS") or Path(__file__).parent / "artifacts")
PAGES = ["/", "/actors", "/events", "/network", "/map", "/search?q=Damascus", "/actors/PMU", "/actors/SHATRI/brief",
         "/documents/001_1d9155b9da229379.txt?highlight=0-10"]


@pytest.fixture(scope="module")
def app(seeds_db):
    from newsgraph.web import create_app

    return create_app(seeds_db)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


def _links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"?#]+)"', html)


def _alert(html: str) -> str:
    m = re.search(r'role="alert">(.*?)</p>', html, re.S)
    return m[1].replace("&#39;", "'") if m else ""


# ---------------------------------------------------------------- HTTP: every route


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_content(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>" in r.text
    if not path.endswith("/brief"):  # the brief is a self-contained report page
        assert 'href="/static/app.css"' in r.text


def test_overview_shows_counts_top_actors_and_latest_events(client):
    html = client.get("/").text
    assert re.search(r'<span class="n">5</span><span class="label">documents</span>', html)
    assert "Top actors" in html and "Latest events" in html
    assert len(_links(html, "/actors/")) >= 10
    assert len(_links(html, "/events/")) == 10


def test_events_table_filters_and_pages(client):
    html = client.get("/events", params={"type": "consult", "place": "damascus"}).text
    rows = re.findall(r'<span class="type q\d" title="[^"]*">(\w+)</span>', html)
    assert rows and set(rows) == {"CONSULT"}
    assert "Damascus" in html
    everything = client.get("/events", params={"hedged": "1", "negated": "1", "per": "10"}).text
    total = int(re.search(r'<strong id="total">(\d+)</strong>', everything)[1])
    assert total > 20
    assert 'rel="next"' in everything and 'rel="prev"' not in everything
    second = client.get("/events", params={"hedged": "1", "negated": "1", "per": "10", "page": "2"}).text
    assert 'rel="prev"' in second
    first_ids, second_ids = set(_links(everything, "/events/")), set(_links(second, "/events/"))
    assert len(first_ids) == len(second_ids) == 10 and not first_ids & second_ids


def test_event_page_shows_the_evidence_sentence_highlighted(client):
    events = client.get("/events", params={"actor": "Iraqi National Intelligence Service"}).text
    ids = _links(events, "/events/")
    assert ids
    html = client.get(ids[0]).text
    marked = re.findall(r'<mark class="highlight"[^>]*>(.*?)</mark>', html, re.S)
    assert marked and "al-Shatri" in " ".join(marked)
    assert "001_1d9155b9da229379.txt" in html


def test_evidence_links_to_the_whole_article_with_the_sentence_highlighted(client):
    events = client.get("/events", params={"actor": "Iraqi National Intelligence Service"}).text
    event_html = client.get(_links(events, "/events/")[0]).text
    article_url = re.search(r'href="(/documents/[^"#]+)', event_html).group(1).replace("&amp;", "&")
    article = client.get(article_url)
    assert article.status_code == 200
    marked = re.findall(r'<mark class="highlight" id="hl">(.*?)</mark>', article.text, re.S)
    assert len(marked) == 1 and "al-Shatri" in marked[0]
    text_outside = re.sub(r"<mark.*?</mark>", "", article.text, flags=re.S)
    assert "Syria" in text_outside  # the rest of the article is there too
    assert client.get("/documents/nope").status_code == 404
    doc_path = article_url.split("?")[0]
    assert client.get(doc_path, params={"highlight": "9-x"}).status_code == 400
    assert client.get(doc_path, params={"highlight": "5-999999"}).status_code == 400


def test_actor_page_shows_profile_timeline_and_links(client):
    html = client.get("/actors", params={"name": "Hashd al-Shaabi"}, follow_redirects=False)
    assert html.status_code == 303
    url = html.headers["location"]
    page = client.get(url).text
    assert "Popular Mobilization Units" in page
    assert "Aliases" in page and "Hashd al-Shaabi" in page
    assert "Affiliations" in page and "Timeline" in page
    assert _links(page, "/events/")


def test_actor_page_shows_its_oldest_events_and_links_to_all_of_them(client):
    full = client.get("/actors/PMU").text
    total = int(re.search(r"(\d+) events, oldest first", full)[1])
    assert total > 3 and "the first" not in full  # fewer than a page: all shown
    short = client.get("/actors/PMU", params={"per": "3"}).text
    assert f"{total} events, oldest first: the first 3 shown" in short
    link = re.search(r'href="(/events\?actor=PMU[^"]*)">all (\d+) in the events list', short)
    assert link and int(link[2]) == total
    listed = client.get(link[1].replace("&amp;", "&")).text
    assert f'<strong id="total">{total}</strong>' in listed  # the same events, counted the same way
    assert client.get("/actors/PMU", params={"per": "0"}).status_code == 400


def test_map_points_have_coordinates_and_evidence_links(client):
    points = client.get("/api/map", params={"hedged": "1"}).json()
    assert points
    for p in points:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
        assert p["count"] == len(p["events"]) >= 1
        assert all(e["url"].startswith("/events/") for e in p["events"])
    assert any(p["name"] == "Damascus" for p in points)
    html = client.get("/map").text
    assert 'id="map-data"' in html and "topojson-client.min.js" in html


@pytest.mark.parametrize("path", ["/actors/no-such-actor", "/events/no-such-event", "/no-such-page"])
def test_unknown_ids_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "Not found" in r.text


@pytest.mark.parametrize("query, message", [
    ({"from": "2016-13"}, "'2016-13' is not a date"),
    ({"to": "yesterday"}, "'yesterday' is not a date"),
    ({"from": "2017", "to": "2016"}, "is after"),
    ({"type": "PARTY"}, "unknown event type 'PARTY'"),
    ({"actor": "Nobody At All"}, "no actor named 'Nobody At All'"),
    ({"page": "x"}, "page must be a whole number"),
    ({"page": "0"}, "page must be at least 1"),
    ({"page": "999"}, "past the last page"),
    ({"per": "100000"}, "per must be between 1 and 500"),
])
def test_bad_filter_values_are_400_with_a_message(client, query, message):
    r = client.get("/events", params=query)
    assert r.status_code == 400
    assert message in _alert(r.text), _alert(r.text)
    assert client.get("/map", params=query).status_code in (200, 400)  # map ignores paging


def test_bad_values_on_json_routes_are_400(client):
    r = client.get("/api/map", params={"from": "2016-99"})
    assert r.status_code == 400 and "is not a date" in r.json()["error"]


def test_only_get_is_served(client):
    assert client.post("/events").status_code == 405
    assert client.delete("/actors/ISIS").status_code == 405


def _fingerprint(url: str) -> str:
    """The SQLite file's bytes, or on a server every table's rows."""
    if url.startswith("sqlite"):
        return hashlib.sha256(Path(url.split("///", 1)[1]).read_bytes()).hexdigest()
    from sqlalchemy import create_engine, text

    from newsgraph.store.schema import metadata

    engine = create_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for name in sorted(metadata.tables):
            for row in sorted(map(repr, conn.execute(text(f'SELECT * FROM "{name}"')))):
                digest.update(row.encode())
    engine.dispose()
    return digest.hexdigest()


def test_serving_changes_nothing_in_the_store(seeds_db, client):
    before = _fingerprint(seeds_db)
    for path in PAGES:
        client.get(path)
    assert _fingerprint(seeds_db) == before


def test_the_store_is_opened_read_only(app):
    from sqlalchemy.exc import InternalError, OperationalError

    with app.state.engine.connect() as conn, pytest.raises((OperationalError, InternalError),
                                                           match="readonly|read-only"):
        conn.exec_driver_sql("CREATE TABLE web_write_probe (x INTEGER)")


def test_a_missing_store_is_refused_and_not_created(tmp_path):
    from newsgraph.web import WebStoreError, create_app

    with pytest.raises(WebStoreError, match="no store"):
        create_app(str(tmp_path / "absent.db"))
    assert not (tmp_path / "absent.db").exists()


def test_serve_command_is_registered_and_refuses_a_missing_store(tmp_path):
    from click.testing import CliRunner

    from newsgraph.cli import main

    assert "--port" in CliRunner().invoke(main, ["serve", "--help"]).output
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code != 0 and "no store" in result.output


def test_vendored_libraries_and_base_map_are_served_with_their_licences(client):
    import json

    from newsgraph.web.app import HERE

    for path in ("/static/vendor/d3/d3.min.js", "/static/vendor/topojson-client/topojson-client.min.js",
                 "/static/app.js", "/static/app.css"):
        assert client.get(path).status_code == 200, path
    world = client.get("/static/vendor/world-atlas/countries-110m.json").json()
    assert world["type"] == "Topology" and len(world["objects"]["countries"]["geometries"]) > 150
    for folder in ("d3", "topojson-client", "world-atlas"):
        assert (HERE / "static" / "vendor" / folder / "LICENSE").is_file()
    assert json.loads((HERE / "static" / "vendor" / "world-atlas" / "countries-110m.json").read_text())
    for page in PAGES:  # no page asks a CDN or any other host
        assert not re.search(r'(src|href)="(https?:)?//', client.get(page).text)


def test_overview_charts_events_per_month_by_quad_class(client):
    import json

    html = client.get("/").text
    months = json.loads(re.search(r'<script type="application/json" id="monthly-data">(.*?)</script>', html, re.S)[1])
    assert months and all(set(m["quads"]) == {"1", "2", "3", "4"} for m in months)
    assert {m["month"] for m in months} >= {"2016-10", "2024-12"}


def test_actor_page_charts_the_relation_with_a_chosen_partner(client):
    html = client.get("/actors/PMU", params={"with": "SYR_GOV"}).text
    assert '<option value="SYR_GOV" selected>' in html
    assert 'id="relation-chart"' in html
    row = re.search(r"<tr><td>2016</td>(.*?)</tr>", html, re.S)
    assert row and "COOPERATE" in row[1] and "+0.70" in row[1]  # the PMU's 2016 cooperation with Assad's government
    assert 'data-src="/api/network?actor=PMU' in html  # the neighbourhood graph's data
    assert client.get("/actors/PMU", params={"with": "nobody-at-all"}).status_code == 404
    assert client.get("/actors/PMU", params={"period": "decade"}).status_code == 400
    series = client.get("/api/relations", params={"a": "PMU", "b": "Syrian government"}).json()
    assert series["a"]["id"] == "PMU" and series["b"]["id"] == "SYR_GOV" and series["total"] >= 3


def test_network_page_and_json(client):
    html = client.get("/network").text
    assert int(re.search(r'<span id="node-count">(\d+)</span>', html)[1]) >= 5
    graph = client.get("/api/network", params={"actor": "PMU", "depth": "1"}).json()
    ids = {n["id"] for n in graph["nodes"]}
    assert "PMU" in ids and len(ids) >= 2
    assert all({"source", "target", "weight"} <= set(e) for e in graph["edges"])
    assert client.get("/api/network", params={"actor": "Nobody At All"}).status_code == 400
    assert client.get("/network", params={"min_events": "0"}).status_code == 400
    assert client.get("/network", params={"from": "2016-13"}).status_code == 400


def test_search_marks_the_matching_words(client):
    html = client.get("/search", params={"q": "Damascus"}).text
    assert "<mark>Damascus</mark>" in html and "2 sentences" in html
    bad = client.get("/search", params={"q": '"unclosed'})
    assert bad.status_code in (200, 400)
    assert client.get("/search", params={"q": "x", "limit": "0"}).status_code == 400


def test_brief_cites_both_articles_that_mention_the_actor(client):
    html = client.get("/actors/SHATRI/brief").text
    assert "Hamid al-Shatri" in html
    assert "001_1d9155b9da229379.txt" in html or "The Cradle" in html
    assert client.get("/actors/nobody/brief").status_code == 404


# ---------------------------------------------------------------- in a real browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(app):
    """The app served by uvicorn on a free localhost port, in a thread: its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("NEWSGRAPH_NO_BROWSER") == "1":
        pytest.skip("NEWSGRAPH_NO_BROWSER=1: browser tests skipped")
    executable = os.environ.get("NEWSGRAPH_CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).is_file():
        executable = shutil.which("chromium") or executable
    if not Path(executable).is_file():
        pytest.fail(f"Chromium not found at {executable}: install it with "
                    "`apt-get install -y chromium chromium-driver` (see README), or set NEWSGRAPH_CHROMIUM, "
                    "or NEWSGRAPH_NO_BROWSER=1 to skip the browser tests", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[test]'", pytrace=False)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
    print(f"\nweb test screenshots: {ARTIFACTS}")


class Tab:
    """A browser page that records console errors, page errors and failed requests."""

    def __init__(self, browser, base: str, javascript: bool = True):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 else None)

    def open(self, path: str):
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        return self.page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture()
def tab(browser, server):
    t = Tab(browser, server)
    yield t
    t.close()


def test_browser_every_page_loads_with_content_and_no_console_errors(tab, client):
    events = client.get("/events").text
    pages = PAGES + [_links(events, "/actors/")[0], _links(events, "/events/")[0]]
    for path in pages:
        page = tab.open(path)
        assert page.locator("h1").first.inner_text().strip(), path
        assert page.locator("body").inner_text().strip(), path
        tab.shot("page" + re.sub(r"[^a-z0-9]+", "-", path.lower()).rstrip("-"))


def test_browser_overview_links_to_an_actor_page(tab):
    page = tab.open("/")
    first = page.locator("table.actors a.actor").first
    name = first.inner_text().strip()
    first.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/actors/[^/]+$", page.url)
    assert page.locator("h1").inner_text().startswith(name)
    assert page.locator("table.events tbody tr").count() > 0
    tab.shot("actor-from-overview")


def test_browser_events_filter_then_evidence_with_highlighted_sentence(tab):
    page = tab.open("/events")
    page.select_option("select[name=type]", "CONSULT")
    page.fill("input[name=place]", "Damascus")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    query = parse_qs(urlparse(page.url).query)
    assert query["type"] == ["CONSULT"] and query["place"] == ["Damascus"]
    types = page.locator("table.events tbody tr td:nth-child(2) .type").all_inner_texts()
    assert types and set(types) == {"CONSULT"}
    assert page.locator("select[name=type]").input_value() == "CONSULT"  # the form keeps its values
    tab.shot("events-filtered")
    page.locator("a.evidence-link").first.click()
    page.wait_for_load_state("networkidle")
    assert "/events/" in page.url
    mark = page.locator("mark.highlight").first
    assert mark.is_visible()
    assert "Damascus" in mark.inner_text()
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    tab.shot("evidence")


def test_browser_bad_filter_shows_the_message(tab):
    page = tab.page
    response = page.goto(tab.base + "/events?from=2016-13")
    assert response.status == 400
    assert "is not a date" in page.locator("[role=alert]").inner_text()
    tab.problems = [p for p in tab.problems if "400" not in p]  # the page itself answers 400, as it should


def test_browser_map_draws_countries_and_points_with_popups(tab):
    page = tab.open("/map?hedged=1")
    page.wait_for_selector("#map svg circle.point")
    countries = page.locator("#map svg path").count()
    assert countries > 150, countries  # the shipped Natural Earth shapes, drawn offline
    points = page.locator("#map svg circle.point")
    assert points.count() == int(page.locator("#place-count").inner_text())
    points.last.click()  # the most events are drawn last, on top
    popup = page.locator("#popup")
    popup.wait_for(state="visible")
    assert popup.locator("a").count() >= 1
    tab.shot("map")
    popup.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/events/" in page.url and page.locator("mark.highlight").count() >= 1


def test_browser_tables_and_filters_work_without_javascript(browser, server):
    t = Tab(browser, server, javascript=False)
    try:
        page = t.open("/events")
        page.fill("input[name=actor]", "Iraqi National Intelligence Service")
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state("load")
        assert "actor=Iraqi+National+Intelligence+Service" in page.url
        assert page.locator("table.events tbody tr").count() >= 1
        page.locator("a.evidence-link").first.click()
        page.wait_for_load_state("load")
        assert "al-Shatri" in page.locator("mark.highlight").first.inner_text()
    finally:
        t.close()


def test_browser_network_draws_actors_and_links_to_their_pages(tab):
    page = tab.open("/network")
    page.wait_for_selector("#network-graph svg g.node circle")
    nodes = page.locator("#network-graph g.node")
    assert nodes.count() == int(page.locator("#node-count").inner_text())
    assert page.locator("#network-graph line.link").count() == int(page.locator("#edge-count").inner_text())
    page.wait_for_timeout(1500)  # let the layout settle
    tab.shot("network")
    name = nodes.first.locator("text").text_content()
    nodes.first.locator("circle").click(force=True)
    page.wait_for_load_state("networkidle")
    assert "/actors/" in page.url and page.locator("h1").inner_text().startswith(name)


def test_browser_actor_page_draws_relation_chart_and_neighbourhood(tab):
    page = tab.open("/actors/PMU?with=SYR_GOV")
    page.wait_for_selector("#relation-chart svg rect", state="attached")
    page.wait_for_selector("#neighbourhood svg g.node")
    assert page.locator("#relation-chart svg rect").count() >= 1
    assert page.locator("#neighbourhood svg g.node").count() >= 2
    tab.shot("actor-pmu")
    page.select_option("#partner-form select[name=period]", "month")
    page.click("#partner-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "period=month" in page.url and page.locator("table.relation td").first.inner_text().startswith("2016-")


def test_browser_overview_draws_the_monthly_chart(tab):
    page = tab.open("/")
    page.wait_for_selector("#monthly-chart svg rect", state="attached")
    bars = page.locator("#monthly-chart svg rect").evaluate_all("rs => rs.filter(r => +r.getAttribute('height') > 0)")
    assert len(bars) >= 3
    assert page.locator("#monthly-chart .legend span").count() == 4
