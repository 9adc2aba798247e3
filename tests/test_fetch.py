"""Articles from URLs (kg/fetch.py): real HTTP servers on loopback serving news pages as sites do (navigation, ads,
comments, a cookie banner), the SSRF guard, robots.txt, redirects, limits, the page cache and ``kg build URL``.

Every server here is on loopback, so the fetchers get ``allow_private=True`` (``--allow-private``) unless a test is
about the guard itself."""
from __future__ import annotations

import gzip
import ipaddress
import json
import re
import socket
import threading
import time
from contextlib import contextmanager

import pytest

import kg.cli
import kg.fetch
from kg.config import Config
from kg.errors import FetchError, InputError, PrivateAddressError
from kg.fetch import Fetcher, check_host, literal_address, url_list
from kg.model import Article
from kg.pipeline import read_articles
from kg.read import Problem

# --- pages as news sites serve them -----------------------------------------------------------------------

TITLE = "Iran and Russia back Idlib campaign as Geneva talks end"
PARAGRAPHS = [
    "GENEVA – The UN envoy for Syria, Staffan de Mistura, hosted diplomats from Iran, Russia and Turkey on Tuesday "
    "to discuss a new constitution for the war-torn country.",
    "Iran and Russia have backed a military campaign on Idlib, the last stronghold of the rebels after seven years "
    "of war and now home to some three million civilians.",
    '"We will not accept a massacre in Idlib," the Turkish foreign minister said after the meeting in Geneva.',
    'De Mistura said the talks had been "useful" but that there was no agreement yet on the committee that will '
    "write the constitution.",
]
BOILERPLATE = ["cookies", "Accept all", "Manage preferences", "Subscribe today", "Sponsored", "luxury cruises",
               "Hot singles", "fake news", "puppet", "Great article", "All rights reserved", "Privacy policy",
               "newsletter", "Ten things to know", "Politics", "Daily Ledger"]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{TITLE} | The Daily Ledger</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2018-09-11T22:25:00+00:00">
<meta name="description" content="Diplomats from Iran, Russia and Turkey met the UN envoy in Geneva.">
<script>window.dataLayer = window.dataLayer || []; function track() {{ dataLayer.push(arguments); }}</script>
<style>.cookie-banner {{ position: fixed; bottom: 0; }}</style>
</head>
<body>
<div id="cookie-banner" class="cookie-banner cookie-consent" role="dialog">
  <p>We use cookies to improve your experience and to show you personalised ads. By clicking Accept all you agree
  to the storing of cookies on your device.</p>
  <button>Accept all</button> <button>Manage preferences</button>
</div>
<header class="site-header">
  <a class="logo" href="/">The Daily Ledger</a>
  <nav class="main-nav"><ul>
    <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
    <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
    <li><a href="/subscribe">Subscribe today</a></li>
  </ul></nav>
</header>
<div class="ad ad-leaderboard"><a href="https://ads.example/click"><img src="/ad.png" alt="advert"></a>
  <p>Sponsored: save 50% on luxury cruises this autumn, book now!</p></div>
<main>
<article class="story">
  <h1 class="headline">{TITLE}</h1>
  <p class="byline">By Jane Correspondent, <time datetime="2018-09-11T22:25:00+00:00">11 September 2018</time></p>
  <div class="story-body">
    <p>{PARAGRAPHS[0]}</p>
    <p>{PARAGRAPHS[1]}</p>
    <aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Ten things to know about Geneva</a></li>
    </ul></aside>
    <p>{PARAGRAPHS[2]}</p>
    <p>{PARAGRAPHS[3]}</p>
  </div>
</article>
<section id="comments" class="comments">
  <h2>Comments (2)</h2>
  <div class="comment"><p class="author">troll99, 12 September 2018</p>
    <p>This is fake news, the envoy is a puppet of the great powers and everybody knows it!!!</p></div>
  <div class="comment"><p class="author">reader42, 13 September 2018</p>
    <p>Great article, thanks for the update from Geneva. Keep up the good work.</p></div>
</section>
</main>
<div class="ad ad-sidebar"><p>Advertisement: Hot singles in your area want to meet you.</p></div>
<footer class="site-footer"><p>© 2018 The Daily Ledger. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
  <p>Sign up for our newsletter</p></footer>
</body></html>
"""

# Another site's layout: no <article>, the date in JSON-LD (a day, no time), Latin-1 declared in the header.
OTHER_TITLE = "Turkey calls for a ceasefire in Idlib"
OTHER_PARAGRAPHS = [
    "ANKARA - Turkey called on Wednesday for a ceasefire in the Syrian province of Idlib, where a government "
    "offensive is feared within days.",
    "The foreign ministry said a military solution would cause a humanitarian catastrophe for the people of the "
    "province, and that Ankara would keep talking to Moscow and Tehran.",
    "Officials in Damascus did not comment on the call, which came a day after talks at the UN offices in Genève.",
]
OTHER_PAGE = f"""<html><head><title>{OTHER_TITLE} - World Wire</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{OTHER_TITLE}", "datePublished": "2018-09-12"}}</script></head>
<body>
<div class="gdpr-notice">This site uses cookies. <a href="/cookies">Learn more</a> <a href="#">OK</a></div>
<div id="menu"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/login">Log in</a></div>
<div class="content">
 <h2 class="title">{OTHER_TITLE}</h2>
 <div class="text">
  <p>{OTHER_PARAGRAPHS[0]}</p>
  <div class="banner-ad">ADVERTISEMENT: Try our new mobile app free for 30 days</div>
  <p>{OTHER_PARAGRAPHS[1]}</p>
  <p>{OTHER_PARAGRAPHS[2]}</p>
 </div>
 <div class="share">Share on Facebook | Share on Twitter | Email this story</div>
</div>
<div id="disqus_thread" class="comments-area"><h3>Leave a reply</h3>
 <div class="comment-body">Turkey is only looking after itself, as always.</div></div>
<div class="footer">World Wire © 2018 · Contact us · Advertise with us</div>
</body></html>
"""
OTHER_BOILERPLATE = ["cookies", "Learn more", "Log in", "mobile app", "Share on", "Leave a reply",
                    "looking after itself", "Advertise", "Contact us"]


def fetcher(tmp_path, **options) -> Fetcher:
    options.setdefault("allow_private", True)
    return Fetcher(cache_dir=tmp_path / "cache", **options)


def serve(httpserver, pages: dict[str, str | bytes | tuple], robots: str | None = None) -> None:
    """Serve ``pages`` by path (text is HTML; a tuple is (body, status, headers)), and robots.txt (404 if None)."""
    if robots is None:
        httpserver.expect_request("/robots.txt").respond_with_data("not found", status=404)
    else:
        httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    for path, page in pages.items():
        path, _, query = path.partition("?")
        expect = httpserver.expect_request(path, query_string=query or None)
        if isinstance(page, tuple):
            body, status, headers = page
            expect.respond_with_data(body, status=status, headers=headers)
        else:
            expect.respond_with_data(page, content_type="text/html; charset=utf-8")


def requests_to(httpserver, path: str) -> int:
    return sum(request.path == path for request, _ in httpserver.log)


def one_line(text: str) -> str:
    assert "\n" not in text and text.strip() == text and text, repr(text)
    return text


# --- extraction -------------------------------------------------------------------------------------------

def test_the_main_text_title_and_date_come_out_without_navigation_ads_comments_or_cookie_banner(
        httpserver, tmp_path):
    serve(httpserver, {"/world/idlib-talks.html": NEWS_PAGE})
    url = httpserver.url_for("/world/idlib-talks.html")

    with fetcher(tmp_path) as f:
        article = f.article(url)

    assert isinstance(article, Article)
    body = article.text[article.body[0]:article.body[1]]
    assert body.split("\n") == PARAGRAPHS  # every paragraph, in order, and nothing else (not the headline)
    for junk in BOILERPLATE:
        assert junk not in article.text, junk
    assert article.title == TITLE
    assert article.published == "2018-09-11T22:25"
    assert article.id == article.url == url  # the id is the URL: stable, and another page is another article
    assert article.source == url


def test_another_layout_a_json_ld_day_and_a_latin1_page(httpserver, tmp_path):
    body = OTHER_PAGE.encode("latin-1")
    serve(httpserver, {"/story?id=77": (body, 200, {"Content-Type": "text/html; charset=ISO-8859-1"})})
    url = httpserver.url_for("/story") + "?id=77#comments"

    with fetcher(tmp_path) as f:
        article = f.article(url)

    assert article.text.split("\n") == OTHER_PARAGRAPHS  # "Genève" decoded from Latin-1
    for junk in OTHER_BOILERPLATE:
        assert junk not in article.text, junk
    assert article.title == OTHER_TITLE
    assert article.published == "2018-09-12"  # a day only: no made-up midnight
    assert article.id == url.split("#")[0]  # the fragment is no part of the page


def test_a_page_without_article_text_is_a_clear_error(httpserver, tmp_path):
    app = ("<!doctype html><html><head><title>News</title><script src='/app.js'></script></head>"
           "<body><div id='root'></div><noscript></noscript></body></html>")  # the page is made in the browser
    serve(httpserver, {"/": app})
    with fetcher(tmp_path) as f:
        problem = f.read(httpserver.url_for("/"))
    assert isinstance(problem, Problem)
    assert "no article text" in one_line(problem.message) and ".txt" in problem.message


def test_a_page_that_breaks_the_extraction_is_a_problem_not_a_crash(httpserver, tmp_path, monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise TypeError("odd markup")
    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    serve(httpserver, {"/a": NEWS_PAGE})
    with fetcher(tmp_path) as f:
        problem = f.read(httpserver.url_for("/a"))
    assert "failed (TypeError: odd markup); the article was skipped, please report it" in one_line(problem.message)


# --- redirects --------------------------------------------------------------------------------------------

def redirect_chain(httpserver, hops: int) -> str:
    """/r0 -> /r1 -> ... -> /page: ``hops`` redirects (301, 302, 303, 307, 308 in turn, relative and absolute)."""
    pages = {"/page": NEWS_PAGE}
    for i in range(hops):
        target = "/page" if i == hops - 1 else f"/r{i + 1}"
        location = target if i % 2 else httpserver.url_for(target)
        pages[f"/r{i}"] = ("", (301, 302, 303, 307, 308)[i % 5], {"Location": location})
    serve(httpserver, pages)
    return httpserver.url_for("/r0")


def test_redirects_are_followed_up_to_the_limit(httpserver, tmp_path):
    url = redirect_chain(httpserver, 3)
    with fetcher(tmp_path, max_redirects=3) as f:
        article = f.article(url)
    assert article.id == url  # the id is the URL given ...
    assert article.url == httpserver.url_for("/page")  # ... the article's URL where it ends
    assert article.title == TITLE


def test_a_redirect_past_the_limit_is_refused(httpserver, tmp_path):
    url = redirect_chain(httpserver, 4)
    with fetcher(tmp_path, max_redirects=3) as f:
        with pytest.raises(FetchError) as error:
            f.fetch(url)
    assert "more than 3 times" in one_line(str(error.value))
    assert requests_to(httpserver, "/page") == 0


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://localhost:25/", "http://localhost:99999/a",
                                      "http://[not-an-address]/a"])
def test_a_redirect_to_another_scheme_or_a_broken_url_is_refused(tmp_path, location):
    def answer(conn, path, stop):
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode())
    with raw_site(answer) as site, fetcher(tmp_path) as f:
        problem = f.read(site + "/a")
    says = "answered with an address kg cannot use" if "[" in location else "which is not an http(s) URL kg can use"
    assert says in one_line(problem.message)


# --- the SSRF guard ---------------------------------------------------------------------------------------

GUARD = [  # host, what the resolver answers for a name, the refusal (None: allowed)
    ("127.0.0.1", None, "loopback"),
    ("127.8.9.10", None, "loopback"),
    ("10.1.2.3", None, "private"),
    ("172.16.0.1", None, "private"),
    ("172.32.0.1", None, None),
    ("192.168.1.1", None, "private"),
    ("169.254.169.254", None, "link-local"),  # cloud metadata
    ("0.0.0.0", None, "unspecified"),
    ("100.64.0.1", None, "shared (carrier-grade NAT)"),
    ("224.0.0.1", None, "multicast"),
    ("255.255.255.255", None, "reserved"),
    ("93.184.216.34", None, None),
    ("8.8.8.8", None, None),
    ("::1", None, "loopback"),
    ("[::1]", None, "loopback"),
    ("::", None, "unspecified"),
    ("fe80::1", None, "link-local"),
    ("fe80::1%eth0", None, "link-local"),
    ("fc00::1", None, "private"),
    ("fd12:3456::1", None, "private"),
    ("ff02::1", None, "multicast"),
    ("::ffff:127.0.0.1", None, "loopback"),  # IPv4-mapped IPv6
    ("::ffff:7f00:1", None, "loopback"),
    ("::ffff:169.254.169.254", None, "link-local"),
    ("::ffff:8.8.8.8", None, None),
    ("::127.0.0.1", None, "reserved"),  # IPv4-compatible (deprecated)
    ("64:ff9b::a00:1", None, "private"),  # NAT64 of 10.0.0.1
    ("64:ff9b::808:808", None, None),  # NAT64 of 8.8.8.8
    ("2002:7f00:1::1", None, "loopback"),  # 6to4 of 127.0.0.1
    ("2001:db8::1", None, "documentation"),
    ("2606:4700:4700::1111", None, None),
    ("2130706433", None, "loopback"),  # decimal 127.0.0.1
    ("0x7f000001", None, "loopback"),  # hex
    ("0177.0.0.1", None, "loopback"),  # octal
    ("0x7f.1", None, "loopback"),  # hex and short
    ("127.1", None, "loopback"),  # short
    ("3232235777", None, "private"),  # decimal 192.168.1.1
    ("134744072", None, None),  # decimal 8.8.8.8
    ("localhost", ["127.0.0.1", "::1"], "loopback"),
    ("intranet.example", ["10.0.0.7"], "private"),
    ("rebound.example", ["93.184.216.34", "127.0.0.1"], "loopback"),  # every address must be public
    ("news.example", ["93.184.216.34", "2606:2800:220:1::1"], None),
    ("v6only.example", ["fe80::2%2"], "link-local"),
]


@pytest.mark.parametrize("host,answer,why", GUARD, ids=[g[0] for g in GUARD])
def test_the_guard_refuses_every_address_that_is_not_public(host, answer, why):
    def resolver(name, port):
        assert answer is not None, f"{host} is an address: it needs no DNS"
        return answer

    refused = check_host(host, 80, resolver=resolver)
    assert (refused[1] if refused else None) == why


def test_literal_addresses_are_read_as_the_system_reads_them():
    for host in ("2130706433", "0x7f000001", "0177.0.0.1", "0x7f.1", "127.1"):
        assert literal_address(host) == ipaddress.ip_address("127.0.0.1")
        assert socket.inet_aton(host) == socket.inet_aton("127.0.0.1")  # what a connection would reach
    for name in ("example.org", "0x7f.example", "1.2.3.4.5", "localhost"):
        assert literal_address(name) is None


def test_loopback_is_refused_without_allow_private_and_no_request_is_sent(httpserver, tmp_path):
    serve(httpserver, {"/page": NEWS_PAGE})
    url = httpserver.url_for("/page")

    with fetcher(tmp_path, allow_private=False) as f:
        with pytest.raises(PrivateAddressError) as error:
            f.fetch(url)

    message = one_line(str(error.value))
    assert message.startswith(f"[E012] {url}: localhost resolves to ")
    assert "loopback address" in message and "--allow-private" in message
    assert httpserver.log == []


def test_a_redirect_to_a_private_address_is_refused(httpserver, tmp_path, monkeypatch):
    # the loopback server stands for a public site: the guard takes 127.0.0.1 as public, and nothing else
    real = kg.fetch.refusal
    monkeypatch.setattr(kg.fetch, "refusal", lambda a: None if str(a) == "127.0.0.1" else real(a))
    serve(httpserver, {"/page": NEWS_PAGE,
                       "/go": ("", 302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
                       "/go6": ("", 301, {"Location": f"http://[::1]:{httpserver.port}/page"}),
                       "/go-decimal": ("", 307, {"Location": f"http://2130706434:{httpserver.port}/page"})})

    with fetcher(tmp_path, allow_private=False, resolver=lambda host, port: ["127.0.0.1"]) as f:
        assert f.article(httpserver.url_for("/page")).title == TITLE  # the "public" site itself is fetched
        problems = {path: f.read(httpserver.url_for(path)) for path in ("/go", "/go6", "/go-decimal")}

    assert "redirects to http://169.254.169.254/latest/meta-data/, and 169.254.169.254 is a link-local address" \
        in one_line(problems["/go"].message)
    assert "::1 is a loopback address" in problems["/go6"].message
    assert "2130706434 is 127.0.0.2, a loopback address" in problems["/go-decimal"].message
    assert all(isinstance(p, Problem) and "--allow-private" in p.message for p in problems.values())


def test_the_address_a_connection_reaches_is_checked_too(httpserver, tmp_path):
    """DNS rebinding: the name resolves to a public address when checked, then to loopback when connecting."""
    serve(httpserver, {"/page": NEWS_PAGE})
    with fetcher(tmp_path, allow_private=False, resolver=lambda host, port: ["93.184.216.34"]) as f:
        with pytest.raises(PrivateAddressError) as error:
            f.fetch(httpserver.url_for("/page"))
    assert re.search(r"localhost resolves to (127\.0\.0\.1|::1), which is a loopback address", str(error.value))
    assert httpserver.log == []  # refused once connected, before a byte of the request was sent


# --- robots.txt -------------------------------------------------------------------------------------------

def test_robots_txt_is_obeyed_fetched_once_per_site_and_cached(httpserver, tmp_path):
    robots = "User-agent: *\nDisallow: /private/\n\nUser-agent: kg\nDisallow: /no-kg/\nAllow: /\n"
    serve(httpserver, {"/news/a": NEWS_PAGE, "/private/b": NEWS_PAGE, "/no-kg/c": NEWS_PAGE}, robots=robots)

    with fetcher(tmp_path) as f:
        assert isinstance(f.read(httpserver.url_for("/news/a")), Article)
        refused = f.read(httpserver.url_for("/no-kg/c"))
    assert isinstance(refused, Problem)
    assert "robots.txt disallows" in one_line(refused.message) and "kg obeys it" in refused.message
    assert requests_to(httpserver, "/no-kg/c") == 0
    assert requests_to(httpserver, "/private/b") == 0
    assert requests_to(httpserver, "/robots.txt") == 1

    with fetcher(tmp_path) as f:  # a new run: robots.txt comes from the cache too
        assert isinstance(f.read(httpserver.url_for("/private/b")), Article)  # the kg group allows it
    assert requests_to(httpserver, "/robots.txt") == 1


def test_a_robots_txt_that_forbids_all_robots_stops_kg(httpserver, tmp_path):
    serve(httpserver, {"/a": NEWS_PAGE}, robots="User-agent: *\nDisallow: /\n")
    with fetcher(tmp_path) as f:
        assert "robots.txt disallows" in f.read(httpserver.url_for("/a")).message
    assert requests_to(httpserver, "/a") == 0


@pytest.mark.parametrize("status,fetched", [(403, False), (503, False), (410, True)])
def test_a_robots_txt_that_cannot_be_read(httpserver, tmp_path, status, fetched):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=status)
    httpserver.expect_request("/a").respond_with_data(NEWS_PAGE, content_type="text/html")
    with fetcher(tmp_path) as f:
        item = f.read(httpserver.url_for("/a"))
    assert isinstance(item, Article) == fetched  # 4xx: no robots.txt, except 401/403; 5xx: try later
    if not fetched:
        one_line(item.message)
    if status == 503:
        assert "try again later" in item.message


def test_a_crawl_delay_is_waited_between_requests_to_the_site(httpserver, tmp_path):
    serve(httpserver, {"/a": NEWS_PAGE, "/b": NEWS_PAGE}, robots="User-agent: *\nCrawl-delay: 7\n")
    waits: list[float] = []
    with fetcher(tmp_path, sleep=waits.append, clock=lambda: 100.0) as f:
        f.read(httpserver.url_for("/a"))
        f.read(httpserver.url_for("/b"))
    assert waits == [7.0, 7.0]  # before /a (robots.txt was the last request) and before /b


# --- limits -----------------------------------------------------------------------------------------------

def test_the_size_cap_refuses_a_page_that_says_it_is_too_big(httpserver, tmp_path):
    serve(httpserver, {"/big": NEWS_PAGE + "<!--" + "x" * 5000 + "-->"})
    with fetcher(tmp_path, page_bytes=4000) as f:
        problem = f.read(httpserver.url_for("/big"))
    assert re.search(r"the page is \d+ bytes, over the 4000-byte limit; raise --max-bytes",
                     one_line(problem.message))


def test_the_size_cap_counts_the_bytes_as_they_stream_once_decompressed(httpserver, tmp_path):
    bomb = gzip.compress(b"<html><body>" + b" " * 2_000_000 + b"</body></html>")
    serve(httpserver, {"/bomb": (bomb, 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"})})
    assert len(bomb) < 10_000
    with fetcher(tmp_path, page_bytes=100_000) as f:
        problem = f.read(httpserver.url_for("/bomb"))
    assert "the page is over the 100000-byte limit" in one_line(problem.message)


def test_max_bytes_caps_the_article_text(httpserver, tmp_path):
    serve(httpserver, {"/a": NEWS_PAGE})
    with fetcher(tmp_path, max_bytes=200, page_bytes=100_000) as f:
        problem = f.read(httpserver.url_for("/a"))
    assert "over the 200-byte limit; raise max_bytes" in one_line(problem.message)


@contextmanager
def raw_site(answer):
    """A loopback HTTP server whose ``answer(conn, path)`` writes bytes as it likes (slowly, in part, never);
    robots.txt is a 404."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.1)
    stop = threading.Event()

    def run():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.settimeout(5)
                    path = conn.recv(65536).split(b" ")[1].decode()
                    if path == "/robots.txt":
                        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    else:
                        answer(conn, path, stop)
                except OSError:
                    pass
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def _headers(extra: str = "") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n{extra}\r\n".encode()


def test_a_page_with_no_length_is_cut_off_at_the_cap(tmp_path):
    def answer(conn, path, stop):
        conn.sendall(_headers() + b"<html><body>" + b"<p>word</p>" * 2000)
    with raw_site(answer) as site, fetcher(tmp_path, page_bytes=5000) as f:
        problem = f.read(site + "/endless")
    assert "over the 5000-byte limit" in one_line(problem.message)


def test_a_site_that_does_not_answer_times_out_with_one_line(tmp_path):
    def answer(conn, path, stop):
        stop.wait(1.0)
    with raw_site(answer) as site, fetcher(tmp_path, read_timeout=0.3) as f:
        started = time.monotonic()
        problem = f.read(site + "/slow")
    assert time.monotonic() - started < 1.0
    assert one_line(problem.message) == f"{site[7:]} did not answer within 0.3 s; try again later"


def test_a_page_that_stops_half_way_times_out_with_one_line(tmp_path):
    def answer(conn, path, stop):
        conn.sendall(_headers("Content-Length: 100000\r\n") + b"<html><body><p>The start")
        stop.wait(1.0)
    with raw_site(answer) as site, fetcher(tmp_path, read_timeout=0.3) as f:
        problem = f.read(site + "/stalls")
    assert "stopped sending the page for more than 0.3 s" in one_line(problem.message)


def test_a_page_that_trickles_in_meets_the_deadline(tmp_path):
    def answer(conn, path, stop):
        conn.sendall(_headers("Content-Length: 100000\r\n"))
        while not stop.wait(0.05):  # a few bytes at a time, never slow enough for the read timeout
            conn.sendall(b"<p>drip</p>")
    with raw_site(answer) as site, fetcher(tmp_path, read_timeout=1.0, deadline=0.4) as f:
        started = time.monotonic()
        problem = f.read(site + "/drip")
    assert time.monotonic() - started < 1.5
    assert "took more than 0.4 s to download" in one_line(problem.message)


def test_an_unknown_host_is_one_line(tmp_path):
    def resolver(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    with fetcher(tmp_path, allow_private=False, resolver=resolver) as f:
        problem = f.read("https://no-such-host.example/a")
    assert one_line(problem.message) == ("host 'no-such-host.example' is not found (Name or service not known); "
                                         "check the URL and the network")
    assert f.requests == 0


def test_nobody_listening_is_one_line(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    with fetcher(tmp_path) as f:
        problem = f.read(f"http://127.0.0.1:{port}/a")
    assert one_line(problem.message).startswith(f"could not connect to 127.0.0.1:{port} (Connection refused)")


# --- answers that are no article --------------------------------------------------------------------------

@pytest.mark.parametrize("path,page,says", [
    ("/gone", ("not here", 404, {"Content-Type": "text/html"}), "answered 404 NOT FOUND; check the URL"),
    ("/down", ("oops", 503, {"Content-Type": "text/html"}), "answered 503 SERVICE UNAVAILABLE; the site has trouble"),
    ("/paywall", ("no", 403, {}), "the site refused kg"),
    ("/report.pdf", (b"%PDF-1.7 ...", 200, {"Content-Type": "application/pdf"}), "serves application/pdf, not an HTML"),
    ("/feed", ('{"a": 1}', 200, {"Content-Type": "application/json"}), "serves application/json, not an HTML"),
    ("/bare", (b"just some bytes", 200, {"Content-Type": ""}), "serves no content type and does not look like HTML"),
    ("/moved", ("", 302, {}), "answered 302 FOUND"),
], ids=lambda v: v if isinstance(v, str) and v.startswith("/") else "")
def test_an_answer_that_is_no_article_is_a_clear_one_line_problem(httpserver, tmp_path, path, page, says):
    serve(httpserver, {path: page})
    with fetcher(tmp_path) as f:
        problem = f.read(httpserver.url_for(path))
    assert isinstance(problem, Problem) and problem.source == httpserver.url_for(path)
    assert says in one_line(problem.message), problem.message


def test_a_url_that_is_no_url_is_a_problem(tmp_path):
    with fetcher(tmp_path) as f:
        for url in ("http://", "https://example.org:99999/a"):
            problem = f.read(url)
            assert "not a usable URL" in one_line(problem.message), url


# --- the cache --------------------------------------------------------------------------------------------

def test_the_cache_serves_a_second_fetch_without_a_request(httpserver, tmp_path):
    serve(httpserver, {"/a": NEWS_PAGE})
    url = httpserver.url_for("/a")
    with fetcher(tmp_path) as f:
        first = f.article(url)
        assert f.requests == 2  # robots.txt and the page
    with fetcher(tmp_path) as f:  # another run, the same cache folder
        again = f.article(url)
        assert f.requests == 0
    assert again == first
    assert requests_to(httpserver, "/a") == 1 and len(httpserver.log) == 2

    with fetcher(tmp_path, refresh=True) as f:  # --refresh: robots.txt and the page again
        assert f.article(url) == first and f.requests == 2
    with fetcher(tmp_path, max_age=0) as f:  # an entry past its age is fetched again
        f.article(url)
        assert f.requests == 2
    assert requests_to(httpserver, "/a") == 3


def test_a_failed_fetch_is_not_cached(httpserver, tmp_path):
    serve(httpserver, {"/a": ("later", 503, {})})
    for _ in range(2):
        with fetcher(tmp_path) as f:
            assert isinstance(f.read(httpserver.url_for("/a")), Problem)
    assert requests_to(httpserver, "/a") == 2


def test_an_unwritable_cache_warns_and_the_fetch_still_works(httpserver, tmp_path, caplog):
    serve(httpserver, {"/a": NEWS_PAGE})
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    with fetcher(tmp_path) as f:
        assert f.article(httpserver.url_for("/a")).title == TITLE
    assert any("cannot write the page cache" in r.getMessage() for r in caplog.records)


# --- inputs -----------------------------------------------------------------------------------------------

def test_url_list_skips_blank_lines_and_comments(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("# today's reading\n\nhttps://example.org/a\n  http://example.org/b  \n   \n# done\n",
                    encoding="utf-8")
    assert url_list(path) == ["https://example.org/a", "http://example.org/b"]


@pytest.mark.parametrize("text,says", [("example.org/a\n", r"urls\.txt:1: 'example\.org/a' is not an http\(s\) URL"),
                                       ("# nothing\n\n", "holds no URL"),
                                       ("https://a.example/x y\n", "is not an http")])
def test_a_bad_url_list_is_a_one_line_error(tmp_path, text, says):
    path = tmp_path / "urls.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        url_list(path)
    assert re.search(says, one_line(str(error.value)))


def test_files_and_urls_are_read_in_the_order_given(httpserver, tmp_path):
    serve(httpserver, {"/a": NEWS_PAGE})
    (tmp_path / "b.txt").write_text("Turkey said so on Tuesday.", encoding="utf-8")
    url = httpserver.url_for("/a")
    with fetcher(tmp_path) as f:
        items = list(read_articles([url, str(tmp_path / "b.txt"), url], Config(), f))
    assert [type(i) for i in items] == [Article, Article, Problem]
    assert [items[0].id, items[1].id] == [url, "b.txt"]
    assert "already read" in items[2].message  # as for two files with one id


def test_requests_and_trafilatura_are_not_imported_for_files(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("Iran said so.", encoding="utf-8")
    code = ("import sys; from kg.config import Config; from kg.pipeline import read_articles; "
            f"list(read_articles([{str(tmp_path / 'a.txt')!r}], Config())); "
            "print(sorted(m for m in ('requests', 'trafilatura') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- kg build ---------------------------------------------------------------------------------------------

def test_kg_build_urls_stores_the_good_article_and_skips_the_bad_with_one_line_each(
        httpserver, tmp_path, monkeypatch, capsys, nlp_ready):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    serve(httpserver, {"/news/idlib.html": NEWS_PAGE, "/gone": ("", 404, {}),
                       "/report.pdf": (b"%PDF", 200, {"Content-Type": "application/pdf"})})
    good, gone, pdf = (httpserver.url_for(p) for p in ("/news/idlib.html", "/gone", "/report.pdf"))

    code = kg.cli.main(["build", good, gone, pdf, "--allow-private", "--store", "kg-store", "--quiet"])

    out, err = capsys.readouterr()
    assert code == 1  # as for a bad file
    assert re.search(r"^stored 1 article\(s\), 0 unchanged, 2 skipped", out), out
    assert err.splitlines() == [f"kg: skipped {gone}: answered 404 NOT FOUND; check the URL (the page may have "
                                "moved or been taken down)",
                                f"kg: skipped {pdf}: serves application/pdf, not an HTML page; kg reads articles "
                                "from web pages (save another kind of document as a .txt file of its text)"]

    query = ("SELECT ?id ?url ?title ?published WHERE { GRAPH ?g { ?a a kg:Article ; dcterms:identifier ?id ; "
             "schema:url ?url ; dcterms:title ?title ; schema:datePublished ?published } }")
    assert kg.cli.main(["sparql", query, "--format", "json", "--store", "kg-store"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert [{k: v["value"] for k, v in row.items()} for row in rows] == [
        {"id": good, "url": good, "title": TITLE, "published": "2018-09-11T22:25:00"}]

    # again, from a --urls file: the page comes from the cache, and the article is unchanged
    (tmp_path / "urls.txt").write_text(f"# Idlib\n{good}\n\n", encoding="utf-8")
    before = len(httpserver.log)
    code = kg.cli.main(["build", "--urls", "urls.txt", "--allow-private", "--store", "kg-store", "--quiet"])
    assert code == 0
    assert re.search(r"^stored 0 article\(s\), 1 unchanged, 0 skipped", capsys.readouterr().out)
    assert len(httpserver.log) == before


def test_kg_build_refuses_loopback_without_allow_private(httpserver, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    serve(httpserver, {"/a": NEWS_PAGE})
    url = httpserver.url_for("/a")

    code = kg.cli.main(["build", url, "--store", "kg-store", "--quiet"])

    out, err = capsys.readouterr()
    assert code == 1 and "stored 0 article(s), 0 unchanged, 1 skipped" in out
    assert len(err.splitlines()) == 1 and err.startswith(f"kg: skipped {url}: localhost resolves to ")
    assert "--allow-private" in err
    assert httpserver.log == []


@pytest.mark.parametrize("args,says", [([], "nothing to build from"),
                                       (["--urls", "missing.txt"], "cannot read the URL list missing.txt")])
def test_kg_build_input_errors_are_one_line(tmp_path, monkeypatch, capsys, args, says):
    monkeypatch.chdir(tmp_path)
    assert kg.cli.main(["build", *args, "--store", "kg-store"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and says in err and "[E010]" in err
    assert not (tmp_path / "kg-store").exists()
