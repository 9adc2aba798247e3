"""Stage 1, read, from the web: the article at an http(s) URL as an :class:`~kg.model.Article`.

:class:`Fetcher` gets a page as a careful crawler does: a descriptive User-Agent, connect and read timeouts and a
deadline for the whole page, a size cap counted while the body streams (after decompression), at most
``max_redirects`` redirects, robots.txt obeyed (``urllib.robotparser``, its Crawl-delay too) and HTML only. Every
page it gets is kept in an on-disk cache for a day, so a second build sends no request.

The SSRF guard: unless ``allow_private``, a URL whose host is, or resolves to, an address that is not public
(private, loopback, link-local, unspecified, multicast, reserved) is refused, and so is a redirect to one. The
address each connection reaches is checked again, so a DNS answer that changes between the check and the
connection (DNS rebinding) does not slip past.

:func:`article_from_html` takes the main text, title and publish date out of a page with trafilatura (no
navigation, ads, comments or cookie banner) and makes the article with :func:`kg.read.make_article`.

``requests`` and ``trafilatura`` are imported on first use: a build of files never loads them.
"""
from __future__ import annotations

import hashlib
import http
import ipaddress
import json
import logging
import os
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from kg import __version__
from kg.errors import FetchError, InputError, PrivateAddressError
from kg.model import Article
from kg.read import Problem, make_article

log = logging.getLogger(__name__)

USER_AGENT = (f"kg/{__version__} (+https://github.com/kg-news/kg; news knowledge graph; fetches only the article "
              "URLs its user gives)")
AGENT = "kg"  # the product token that robots.txt rules name
CACHE_MAX_AGE = 24 * 3600.0  # seconds a cached page (or robots.txt) is served before it is fetched again
MAX_REDIRECTS = 5
PAGE_BYTES_PER_TEXT_BYTE = 5  # a page may hold this many bytes of HTML per byte of the text limit (max_bytes)
ROBOTS_BYTES = 512 * 1024  # RFC 9309: a crawler reads at least 500 KiB of robots.txt, and may ignore the rest
MAX_CRAWL_DELAY = 30.0  # seconds; a longer Crawl-delay is waited this long
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
ALLOW_PRIVATE_HINT = "pass --allow-private to fetch from your own network"


def is_url(text) -> bool:
    """Whether a build input is a URL (``http://`` or ``https://``) rather than a path.

    >>> is_url("https://example.org/a"), is_url("HTTP://example.org"), is_url("seeds/a.txt")
    (True, True, False)
    """
    return isinstance(text, str) and text[:8].lower().startswith(("http://", "https://"))


def url_list(path: str | os.PathLike) -> list[str]:
    """The URLs of a ``--urls`` file: one a line, blank lines and ``#`` comments skipped. Raises
    :class:`~kg.errors.InputError` for a file that cannot be read, holds no URL or a line that is not one."""
    shown = os.fspath(path)
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the URL list {shown} ({exc.strerror or exc}); check the path") from None
    except UnicodeDecodeError:
        raise InputError(f"the URL list {shown} is not UTF-8; save it as UTF-8 text") from None
    urls = []
    for lineno, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or any(c.isspace() for c in line):
            raise InputError(f"{shown}:{lineno}: {line[:80]!r} is not an http(s) URL; give one URL per line "
                             "(# starts a comment)")
        urls.append(line)
    if not urls:
        raise InputError(f"the URL list {shown} holds no URL; give one http(s) URL per line")
    return urls


def normal_url(url: str) -> str:
    """The URL as kg keys and stores it: scheme and host in lower case, no default port, no user name or password,
    no fragment. Raises ValueError on a URL that has no host or a bad port.

    >>> normal_url("HTTPS://user:pw@Example.ORG:443/News/a?id=1#top")
    'https://example.org/News/a?id=1'
    >>> normal_url("http://[::1]:8080")
    'http://[::1]:8080/'
    """
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("http", "https") or not host:
        raise ValueError("not an http(s) URL with a host")
    netloc = f"[{host}]" if ":" in host else host
    port = parts.port  # ValueError when it is not a number from 0 to 65535
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _usable(url: str) -> bool:
    try:
        normal_url(url)
    except ValueError:
        return False
    return True


# --- the SSRF guard -------------------------------------------------------------------------------------------

# Address blocks that are not public, first match wins (IANA's special-purpose registries). The stdlib's
# is_global backs them up, but its lists change between Python versions: these do not.
_BLOCKED = tuple((ipaddress.ip_network(net), why) for net, why in (
    ("0.0.0.0/8", "unspecified"), ("10.0.0.0/8", "private"), ("100.64.0.0/10", "shared (carrier-grade NAT)"),
    ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local"), ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved"), ("192.0.2.0/24", "documentation"), ("192.88.99.0/24", "reserved"),
    ("192.168.0.0/16", "private"), ("198.18.0.0/15", "reserved"), ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"), ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"), ("::1/128", "loopback"), ("::/96", "reserved"), ("::ffff:0:0:0/96", "reserved"),
    ("64:ff9b:1::/48", "private"), ("100::/64", "reserved"), ("2001::/23", "reserved"),
    ("2001:db8::/32", "documentation"), ("fc00::/7", "private"), ("fe80::/10", "link-local"),
    ("fec0::/10", "private"), ("ff00::/8", "multicast"),
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why the guard refuses ``address`` ('loopback', 'private', 'link-local', 'unspecified' ...), or None for a
    public address. An IPv6 address that carries an IPv4 one (IPv4-mapped, NAT64, 6to4) is judged by that one.

    >>> from ipaddress import ip_address as ip
    >>> refusal(ip("127.0.0.1")), refusal(ip("::ffff:10.0.0.1")), refusal(ip("fe80::1%eth0")), refusal(ip("8.8.8.8"))
    ('loopback', 'private', 'link-local', None)
    """
    if isinstance(address, ipaddress.IPv6Address):
        address = ipaddress.IPv6Address(int(address))  # without a scope id ('%eth0')
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return refusal(inner)
    for network, why in _BLOCKED:
        if network.version == address.version and address in network:
            return why
    return None if address.is_global else "non-public"


_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}", re.IGNORECASE)


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names by itself, with no DNS: dotted IPv4, IPv6 (bracketed or not), and the other forms
    that the system's resolver reads as IPv4 (decimal '2130706433', hex '0x7f000001', octal '0177.0.0.1', short
    '127.1'); None for a name.

    >>> literal_address("2130706433"), literal_address("[::1]"), literal_address("example.org")
    (IPv4Address('127.0.0.1'), IPv6Address('::1'), None)
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system's resolver, as a connection would use it)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check_host(host: str, port: int = 80, *, resolver: Callable[[str, int], list[str]] = resolve
               ) -> tuple[str, str] | None:
    """``(address, why)`` when ``host`` is, or resolves to, an address the guard refuses, else None. Every address
    of a name must be public: a connection may use any of them. Raises ``socket.gaierror`` for an unknown name."""
    literal = literal_address(host)
    addresses = [literal] if literal is not None else [ipaddress.ip_address(a.split("%")[0])
                                                       for a in resolver(host, port)]
    for address in addresses:
        why = refusal(address)
        if why:
            return str(address), why
    return None


# The check once connected covers direct connections; through a proxy (HTTP_PROXY and the like) the connection
# reaches the proxy, and the check of the host's addresses before the request is what guards.
class _Refused(Exception):
    """A connection reached an address the guard refuses (raised inside urllib3, caught by the Fetcher)."""

    def __init__(self, address: str, why: str):
        super().__init__(f"{address} is {why}")
        self.address, self.why = address, why


def _guarded_adapter():
    """A requests adapter whose connections check the address they reached, once connected."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def guarded(base):
        class Guarded(base):
            def _new_conn(self):
                sock = super()._new_conn()
                address = ipaddress.ip_address(sock.getpeername()[0].split("%")[0])
                why = refusal(address)
                if why:
                    sock.close()
                    raise _Refused(str(address), why)
                return sock
        return Guarded

    pools = {"http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": guarded(HTTPConnection)}),
             "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": guarded(HTTPSConnection)})}

    class GuardedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools
    return GuardedAdapter()


# --- the cache ------------------------------------------------------------------------------------------------

def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/kg/fetch`` (``~/.cache`` when XDG_CACHE_HOME is unset), beside kg's other caches."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg" / "fetch"


@dataclass(frozen=True)
class Page:
    """What a URL served: ``url`` as asked (normalised), ``final_url`` after redirects."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    cached: bool = False


class _Cache:
    """Pages by URL: ``<sha256>.json`` says what was answered and when, ``<sha256>.body`` holds the bytes."""

    def __init__(self, folder: Path, max_age: float, now: Callable[[], float] = time.time):
        self.folder, self.max_age, self.now = folder, max_age, now
        self.broken = False

    def _files(self, key: str) -> tuple[Path, Path]:
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.folder / f"{name}.json", self.folder / f"{name}.body"

    def get(self, key: str) -> Page | None:
        meta_file, body_file = self._files(key)
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            if meta["url"] != key or self.now() - meta["fetched"] > self.max_age:
                return None
            return Page(key, meta["final_url"], meta["status"], meta["content_type"], body_file.read_bytes(),
                        cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, page: Page) -> None:
        if self.broken:
            return
        meta_file, body_file = self._files(page.url)
        meta = {"url": page.url, "final_url": page.final_url, "status": page.status,
                "content_type": page.content_type, "fetched": self.now()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for path, data in ((body_file, page.body), (meta_file, json.dumps(meta).encode("utf-8"))):
                part = path.with_name(f"{path.name}.{os.getpid()}.part")
                part.write_bytes(data)
                os.replace(part, path)  # whole or not at all; the body first, so a meta file has its body
        except OSError as exc:
            self.broken = True
            log.warning("cannot write the page cache %s (%s); pages are fetched again next time; set "
                        "XDG_CACHE_HOME to a writable folder", self.folder, exc.strerror or exc)


# --- fetching -------------------------------------------------------------------------------------------------

def _phrase(status: int, reason: str | None) -> str:
    if reason:
        return f"{status} {reason}"
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class Fetcher:
    """Fetches article pages; one per build. ``read(url)`` gives an Article or a Problem, never raises for a URL.

    ``page_bytes`` caps a page's HTML (default: ``PAGE_BYTES_PER_TEXT_BYTE`` times ``max_bytes``, the cap on the
    article text); ``deadline`` caps the seconds one page may take in all, however slowly it trickles in.
    ``requests`` counts the requests sent (robots.txt included). Clock, sleep, resolver and cache are injectable.
    """

    def __init__(self, *, allow_private: bool = False, refresh: bool = False, max_bytes: int = 2_000_000,
                 page_bytes: int | None = None, cache_dir: str | os.PathLike | None = None,
                 max_age: float = CACHE_MAX_AGE, connect_timeout: float = 10.0, read_timeout: float = 30.0,
                 deadline: float = 60.0, max_redirects: int = MAX_REDIRECTS, user_agent: str = USER_AGENT,
                 resolver: Callable[[str, int], list[str]] = resolve, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.allow_private, self.refresh = allow_private, refresh
        self.max_bytes = max_bytes
        self.page_bytes = page_bytes or PAGE_BYTES_PER_TEXT_BYTE * max_bytes
        self.cache = _Cache(Path(cache_dir) if cache_dir is not None else default_cache_dir(), max_age)
        self.connect_timeout, self.read_timeout, self.deadline = connect_timeout, read_timeout, deadline
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.resolver, self.sleep, self.clock = resolver, sleep, clock
        self.requests = 0
        self._session = None
        self._robots: dict[str, RobotFileParser] = {}
        self._last: dict[str, float] = {}  # origin -> when the last request to it was sent

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # the articles

    def read(self, url: str) -> Article | Problem:
        """The article at ``url``, or a :class:`Problem` that says what is wrong with it and what to do."""
        try:
            return self.article(url)
        except FetchError as exc:
            return Problem(url, exc.reason)

    def article(self, url: str) -> Article:
        """The article at ``url``; its id is the URL (normalised), its ``url`` the address after redirects.
        Raises :class:`FetchError`."""
        page = self.fetch(url)
        try:
            return article_from_html(page.body, page.final_url, doc_id=page.url, content_type=page.content_type,
                                     source=url, max_bytes=self.max_bytes)
        except FetchError:
            raise
        except Exception as exc:  # a bug on an odd page must not cost the other articles
            log.debug("extraction from %s failed", url, exc_info=True)
            raise FetchError(url, f"reading the article out of the page failed ({type(exc).__name__}: {exc}); "
                                  "the article was skipped, please report it") from None

    def fetch(self, url: str) -> Page:
        """The HTML page at ``url``, from the cache when it holds a fresh copy (and not ``refresh``)."""
        try:
            key = normal_url(url)
        except ValueError as exc:
            raise FetchError(url, f"not a usable URL ({exc}); give an address such as "
                                  "https://example.org/news/article.html") from None
        if not self.refresh:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        target, context = url.strip().split("#", 1)[0], ""
        for _ in range(self.max_redirects + 1):
            self._obey_robots(target, url, context)
            response = self._send(target, url, context)
            location = response.headers.get("location") if response.status_code in REDIRECTS else None
            if location is None:
                page = self._page(key, target, response, url)
                self.cache.put(page)
                return page
            response.close()
            target = urljoin(target, location).split("#", 1)[0]
            if not _usable(target):
                raise FetchError(url, f"redirects to {target!r}, which is not an http(s) URL kg can use; kg "
                                      "follows only http(s) redirects")
            context = f"redirects to {target}, and "
        raise FetchError(url, f"redirects more than {self.max_redirects} times (the last to {target}); the "
                              "redirects may loop: open the URL in a browser and give kg the address it ends at")

    # HTTP

    def _http(self):
        if self._session is None:
            import requests

            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            session.headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
            if not self.allow_private:
                adapter = _guarded_adapter()
                session.mount("http://", adapter)
                session.mount("https://", adapter)
            self._session = session
        return self._session

    def _guard(self, target: str, asked: str, context: str) -> None:
        if self.allow_private:
            return
        parts = urlsplit(target)
        host = parts.hostname or ""
        try:
            refused = check_host(host, parts.port or (443 if parts.scheme.lower() == "https" else 80),
                                 resolver=self.resolver)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(asked, f"{context}host {host!r} is not found ({getattr(exc, 'strerror', None) or exc});"
                                    " check the URL and the network") from None
        if refused:
            self._refuse(target, asked, context, *refused)

    @staticmethod
    def _refuse(target: str, asked: str, context: str, address: str, why: str):
        """``context``: '' for the URL asked, else how kg came to ``target`` ('redirects to ..., and ')."""
        host = urlsplit(target).hostname or ""
        if literal_address(host) is None:
            where = f"{host} resolves to {address}, which is"
        else:
            where = f"{address} is" if host == address else f"{host} is {address},"
        article = "an" if why[0] in "aeiou" else "a"
        raise PrivateAddressError(asked, f"{context}{where} {article} {why} address; kg refuses private, loopback "
                                         f"and link-local targets; {ALLOW_PRIVATE_HINT}")

    def _pace(self, origin: str) -> None:
        """Wait out the site's Crawl-delay since the last request to it."""
        rules = self._robots.get(origin)
        delay = rules.crawl_delay(AGENT) if rules is not None else None
        last = self._last.get(origin)
        if delay and last is not None:
            wait = min(float(delay), MAX_CRAWL_DELAY) - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[origin] = self.clock()

    def _send(self, target: str, asked: str, context: str = ""):
        """The response to a GET of ``target`` (not followed if it redirects), its body not read yet."""
        import requests

        self._guard(target, asked, context)
        parts = urlsplit(target)
        self._pace(f"{parts.scheme.lower()}://{parts.netloc.lower()}")
        self.requests += 1
        host = parts.netloc
        try:
            return self._http().get(target, allow_redirects=False, stream=True,
                                    timeout=(self.connect_timeout, self.read_timeout))
        except _Refused as exc:
            self._refuse(target, asked, context, exc.address, exc.why)
        except requests.exceptions.ConnectTimeout:
            raise FetchError(asked, f"could not connect to {host} within {self.connect_timeout:g} s; check the "
                                    "URL and the network, or try again later") from None
        except requests.exceptions.ReadTimeout:
            raise FetchError(asked, f"{host} did not answer within {self.read_timeout:g} s; try again later") from None
        except requests.exceptions.SSLError:
            raise FetchError(asked, f"the TLS connection to {host} failed (certificate or protocol); check the "
                                    "URL, or the site's certificate") from None
        except requests.exceptions.ConnectionError as exc:
            errno_text = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
            cause = errno_text.group(1).strip() if errno_text else type(exc).__name__
            raise FetchError(asked, f"could not connect to {host} ({cause}); check the URL and the network, or "
                                    "try again later") from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(asked, f"not a usable URL ({type(exc).__name__}); give an address such as "
                                    "https://example.org/news/article.html") from None
        except ValueError as exc:  # requests reads a redirect's Location even when it does not follow it
            raise FetchError(asked, f"{context}{host} answered with an address kg cannot use ({exc}); check the "
                                    "URL") from None

    def _body(self, response, asked: str, limit: int, *, cut: bool = False) -> bytes:
        """The body, read in pieces as they come (so that the deadline holds against a page that trickles in):
        more than ``limit`` bytes, once decompressed, is an error, or with ``cut`` the first ``limit`` bytes."""
        from urllib3.exceptions import HTTPError, ReadTimeoutError

        advice = (f"raise --max-bytes (a page may hold {PAGE_BYTES_PER_TEXT_BYTE} times as many bytes of HTML) "
                  "or save the article's text as a .txt file")
        length = response.headers.get("content-length", "")
        if not cut and length.isdigit() and int(length) > limit:
            response.close()
            raise FetchError(asked, f"the page is {int(length)} bytes, over the {limit}-byte limit; {advice}")
        chunks, size, ends = [], 0, self.clock() + self.deadline
        try:
            while size <= limit:
                if self.clock() > ends:
                    raise FetchError(asked, f"the page took more than {self.deadline:g} s to download; try "
                                            "again later")
                chunk = response.raw.read1(1 << 16, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except ReadTimeoutError:
            raise FetchError(asked, f"{urlsplit(response.url).netloc} stopped sending the page for more than "
                                    f"{self.read_timeout:g} s; try again later") from None
        except (HTTPError, OSError) as exc:
            raise FetchError(asked, f"the page arrived broken ({type(exc).__name__}); try again later") from None
        finally:
            response.close()
        if size > limit and not cut:
            raise FetchError(asked, f"the page is over the {limit}-byte limit; {advice}")
        return b"".join(chunks)[:limit]

    def _page(self, key: str, target: str, response, asked: str) -> Page:
        status = response.status_code
        if not 200 <= status < 300:
            response.close()
            answered = f"answered {_phrase(status, response.reason)}"
            if status in (401, 403):
                advice = "the site refused kg; if you may read the page, save its text as a .txt file"
            elif status in (404, 410):
                advice = "check the URL (the page may have moved or been taken down)"
            elif status == 429:
                advice = "too many requests: wait a while and run the build again"
            elif status >= 500:
                advice = "the site has trouble; try again later"
            else:
                advice = "check the URL"
            raise FetchError(asked, f"{answered}; {advice}")
        content_type = response.headers.get("content-type", "")
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime and mime not in HTML_TYPES:
            response.close()
            raise FetchError(asked, f"serves {mime}, not an HTML page; kg reads articles from web pages (save "
                                    "another kind of document as a .txt file of its text)")
        body = self._body(response, asked, self.page_bytes)
        if not mime and not re.match(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", body[:4096],
                                     re.IGNORECASE | re.DOTALL):
            raise FetchError(asked, "serves no content type and does not look like HTML; kg reads articles from "
                                    "web pages")
        return Page(key, target, status, content_type, body)

    # robots.txt

    def _obey_robots(self, target: str, asked: str, context: str) -> None:
        parts = urlsplit(target)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._robots[origin] = self._robots_rules(origin, asked, context)
        if not rules.can_fetch(AGENT, target):
            raise FetchError(asked, f"{origin}/robots.txt disallows {target} to crawlers, and kg obeys it; if you "
                                    "may use the article, save its text as a .txt file")

    def _robots_rules(self, origin: str, asked: str, context: str) -> RobotFileParser:
        """The rules of ``origin``'s robots.txt (RFC 9309): 401 and 403 forbid everything, another 4xx (no file)
        allows everything, a 5xx or no answer is an error (kg fetches nothing it may not)."""
        url = f"{origin}/robots.txt"
        page = None if self.refresh else self.cache.get(url)
        if page is None:
            page = self._robots_page(url, asked, context)
            self.cache.put(page)
        rules = RobotFileParser(url)
        if page.status in (401, 403):
            rules.disallow_all = True
        elif 400 <= page.status < 500:
            rules.allow_all = True
        else:
            rules.parse(page.body.decode("utf-8", "replace").splitlines())
        rules.modified()
        return rules

    def _robots_page(self, url: str, asked: str, context: str) -> Page:
        target = url
        for _ in range(self.max_redirects + 1):
            response = self._send(target, asked, context)
            status = response.status_code
            location = response.headers.get("location") if status in REDIRECTS else None
            if location is None:
                if status >= 500 or status < 200 or 300 <= status < 400:
                    response.close()
                    raise FetchError(asked, f"{url} answered {_phrase(status, response.reason)}, and kg fetches "
                                            "nothing from a site whose robots.txt it cannot read; try again later")
                body = self._body(response, asked, ROBOTS_BYTES, cut=True) if status < 300 else b""
                response.close()
                return Page(url, target, status, response.headers.get("content-type", ""), body)
            response.close()
            target = urljoin(target, location)
            if not _usable(target):
                break
            context = f"its robots.txt redirects to {target}, and "
        return Page(url, target, 404, "", b"")  # RFC 9309: too many redirects is no robots.txt


# --- extraction -----------------------------------------------------------------------------------------------

def _charset(content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None


def article_from_html(html: bytes | str, url: str, *, doc_id: str | None = None, content_type: str = "",
                      source: str = "", max_bytes: int = 2_000_000) -> Article:
    """The article in a web page: its main text (no navigation, ads, comments or cookie banner), title and publish
    date, by trafilatura. Its id is ``doc_id`` (default: the URL, normalised) and its ``url`` is ``url``; a
    charset in ``content_type`` decodes the bytes, else trafilatura finds the encoding. Raises
    :class:`FetchError` when the page holds no article text or too much of it."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan"):  # their remarks on a page are not kg's warnings
        logging.getLogger(name).setLevel(logging.ERROR)
    source = source or url
    charset = _charset(content_type)
    if isinstance(html, bytes) and charset:
        try:
            html = html.decode(charset, "replace")
        except LookupError:
            pass
    # htmldate gives midnight for a page that says only the day: 'T00:00' is dropped below
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, include_images=False,
                                      date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M",
                                                              "original_date": True})
    text = (doc.text if doc is not None else "") or ""
    title = (doc.title if doc is not None else None) or None
    lines = text.strip().split("\n")
    if title and lines and lines[0].strip() == title.strip():  # the headline is the title, not the article's text
        lines = lines[1:]
    text = "\n".join(lines).strip()
    if not text:
        raise FetchError(source, "the page holds no article text that kg can find (a front page, a login or "
                                 "paywall page?); give the article's own URL, or save its text as a .txt file")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise FetchError(source, f"{size} bytes of article text is over the {max_bytes}-byte limit; raise "
                                 "max_bytes (kg.toml, KG_MAX_BYTES or --max-bytes)")
    published = doc.date or None
    if published and published.endswith("T00:00"):
        published = published[:10]
    doc_id = doc_id or normal_url(url)
    return make_article(doc_id, text, source=source, title=title, url=normal_url(url), published=published,
                        origin=doc_id)
