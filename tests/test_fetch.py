"""The polite fetcher against a real HTTP server on 127.0.0.1: limits, robots.txt, redirects, retries, cache."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from newsgraph.sources.cache import CacheEntry, FetchCache
from newsgraph.sources.fetch import Fetcher, FetchError
from newsgraph.sources.urls import host_of, is_url, read_url_list, url_problem
from tests.conftest import EXAMPLES, ROOT
from tests.live_site import HUGE, closed_port, quick


def test_requests_name_the_fetcher_in_their_user_agent(fresh):
    fetcher = Fetcher(quick(user_agent="newsgraph-test/1.0 (+tests)"))
    response = fetcher.get(fresh.article_url(0))
    assert response.status == 200 and b"Zakho" in response.body
    agents = {headers.get("user-agent") for _, headers in fresh.requests()}
    assert agents == {"newsgraph-test/1.0 (+tests)"}


def test_robots_txt_forbidden_path_is_never_requested(fresh):
    fetcher = Fetcher(quick())
    with pytest.raises(FetchError, match=r"forbidden by robots.txt .*: /private/secret.html"):
        fetcher.get(fresh.url("/private/secret.html"))
    assert fresh.paths() == ["/robots.txt"]


def test_robots_txt_is_read_once_and_kept_in_the_cache(fresh):
    cache = FetchCache()
    Fetcher(quick(), cache).get(fresh.article_url(0))
    Fetcher(quick(), cache).get(fresh.article_url(1))  # a new run sharing the cache
    assert fresh.paths("/robots.txt") == ["/robots.txt"]
    assert cache.get(fresh.url("/robots.txt")).body.startswith(b"User-agent")


def test_requests_to_one_host_are_spaced_by_the_delay(fresh):
    fetcher = Fetcher(quick(delay=0.3))
    started = time.monotonic()
    for index in range(3):
        fetcher.get(fresh.article_url(index))
    elapsed = time.monotonic() - started
    assert len(fresh.paths()) == 4  # robots.txt and three pages
    assert elapsed >= 0.3 * 3 - 0.05  # four requests, three gaps


def test_a_slow_server_times_out_with_the_reason(fresh):
    fetcher = Fetcher(quick(retries=0, timeout=0.3))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out: no response within 0.3 s"):
        fetcher.get(fresh.url("/slow"))
    assert time.monotonic() - started < 1.5


def test_a_50_mb_response_is_refused_by_its_declared_size(fresh):
    with pytest.raises(FetchError, match=rf"response too large: {HUGE} bytes declared, limit 1048576"):
        Fetcher(quick()).get(fresh.url("/huge"))


def test_a_50_mb_response_without_length_is_cut_at_the_limit(fresh):
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"response too large: more than 1048576 bytes"):
        Fetcher(quick()).get(fresh.url("/huge-unsized"))
    assert time.monotonic() - started < 3


def test_a_truncated_body_is_reported_not_kept(fresh):
    with pytest.raises(FetchError, match=r"received \d+ bytes, expected 5000"):
        Fetcher(quick(retries=0)).get(fresh.url("/truncated"))


def test_server_errors_are_retried_then_reported_with_the_status(fresh):
    with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error \(after 3 attempts\)"):
        Fetcher(quick(retries=2)).get(fresh.url("/error500"))
    assert fresh.paths("/error500") == ["/error500"] * 3


def test_a_transient_503_is_retried_until_the_page_comes(fresh):
    fresh.flaky_left = 1
    response = Fetcher(quick(retries=2)).get(fresh.url("/flaky"))
    assert response.status == 200 and fresh.paths("/flaky") == ["/flaky", "/flaky"]


def test_redirects_are_followed_and_bounded(fresh):
    fetcher = Fetcher(quick())
    response = fetcher.get(fresh.url("/redirect/once"))
    assert response.final_url == fresh.article_url(2) and response.url == fresh.url("/redirect/once")
    with pytest.raises(FetchError, match=r"redirect loop: .*loop-a -> .*loop-b -> .*loop-a$"):
        fetcher.get(fresh.url("/redirect/loop-a"))
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        Fetcher(quick(max_redirects=3)).get(fresh.url("/redirect/many/0"))
    assert len(fresh.paths("/redirect/many/")) == 4


def test_only_http_and_https_are_fetched_even_after_a_redirect(fresh):
    fetcher = Fetcher(quick())
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"):
        with pytest.raises(FetchError, match=r"unsupported URL scheme"):
            fetcher.get(url)
    with pytest.raises(FetchError, match=r"redirect to ftp://.*unsupported URL scheme 'ftp'"):
        fetcher.get(fresh.url("/redirect/ftp"))


def test_a_host_that_is_down_is_a_connection_failure():
    port = closed_port()
    with pytest.raises(FetchError, match=r"connection failed"):
        Fetcher(quick(retries=0)).get(f"http://127.0.0.1:{port}/feed.xml")


def test_an_unchanged_page_answers_304_to_its_etag(fresh):
    fetcher = Fetcher(quick())
    first = fetcher.get(fresh.article_url(3))
    cached = CacheEntry(url=first.url, etag=first.headers["etag"], last_modified=first.headers["last-modified"])
    again = fetcher.get(fresh.article_url(3), cached)
    assert again.status == 304 and again.body == b""
    sent = fresh.requests("/news/")[-1][1]
    assert sent["if-none-match"] == first.headers["etag"] and "if-modified-since" in sent
    fresh.pages[fresh.article_url(3).rsplit("/", 1)[1][:-5]] = "<html><body><p>corrected</p></body></html>"
    changed = fetcher.get(fresh.article_url(3), cached)
    assert changed.status == 200 and changed.sha256 != first.sha256


def test_url_shapes_and_url_lists(tmp_path):
    assert is_url("https://example.org/a") and not is_url("corpus/a.txt") and not is_url("C:\\news")
    assert url_problem("https://example.org/a") is None
    assert "no host" in url_problem("http:///path")
    assert host_of("HTTPS://Example.org:443/a") == "https://example.org"
    listing = tmp_path / "urls.txt"
    listing.write_text("# morning list\nhttps://example.org/a\n\nnot a url\nftp://example.org/b\n")
    items = list(read_url_list(str(listing)))
    assert items[0] == "https://example.org/a"
    assert [i.reason for i in items[1:]] == [
        "line 4: not a URL (expected http:// or https://...): not a url",
        "line 5: unsupported URL scheme 'ftp': only http and https are fetched: ftp://example.org/b",
    ]


GUARD = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("socket opened: %r" % (args,))
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
import newsgraph
from newsgraph.engine import ingest
from newsgraph.extract.pipeline import Extractor
from newsgraph.store.db import Store
store = Store("sqlite:///" + sys.argv[2])
summary = ingest([sys.argv[1]], store, Extractor())
print(summary.added, len(summary.failed), summary.requests)
"""


def test_importing_and_ingesting_files_opens_no_socket(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]), "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-c", GUARD, str(EXAMPLES), str(tmp_path / "g.db")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["5", "0", "0"]


def test_the_socket_guard_does_catch_a_fetch(tmp_path):
    """The guard above is not vacuous: the same patch stops a URL ingest."""
    probe = GUARD.split("import newsgraph")[0] + (
        "from newsgraph.sources import iter_raw\n"
        "items = list(iter_raw(['http://127.0.0.1:9/feed.xml']))\n"
        "print(items[0].reason)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert "socket opened" in result.stdout + result.stderr


def test_a_page_with_only_last_modified_answers_304_to_if_modified_since(fresh):
    fetcher = Fetcher(quick())
    url = fresh.url("/dated/kirkuk-protest")
    first = fetcher.get(url)
    assert first.status == 200 and "etag" not in first.headers
    again = fetcher.get(url, CacheEntry(url=url, last_modified=first.headers["last-modified"]))
    assert again.status == 304 and fresh.answers[-1] == ("/dated/kirkuk-protest", 304)


def test_a_robots_txt_crawl_delay_spaces_requests_more_than_the_setting(fresh):
    fresh.robots = "User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n"  # whole seconds (urllib.robotparser)
    fetcher = Fetcher(quick(delay=0))
    started = time.monotonic()
    fetcher.get(fresh.article_url(0))
    fetcher.get(fresh.article_url(1))
    assert time.monotonic() - started >= 1 * 2 - 0.05  # robots.txt, page, page: two gaps


def test_a_failing_robots_txt_closes_the_host_and_a_missing_one_opens_it(fresh):
    fresh.robots = 503
    with pytest.raises(FetchError, match=r"robots.txt of http://127.0.0.1:\d+ answered HTTP 503: the host counts as "
                                         r"closed to crawlers"):
        Fetcher(quick(retries=0)).get(fresh.article_url(0))
    assert fresh.paths("/news/") == []
    fresh.robots = 404
    assert Fetcher(quick()).get(fresh.url("/private/secret.html")).status == 200  # no rules: allowed
