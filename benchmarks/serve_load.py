"""kg serve under load: the saved-query API with concurrent clients, and the UI pages' server time.

    python benchmarks/serve_load.py --store STORE [--clients 20] [--requests 2000] [--workers 1]

It starts ``kg serve`` on a free loopback port over STORE (for example the 10,000-article store that
benchmarks/query_scale.py builds in ~/.cache/kg/benchmark), then:

- the API: CLIENTS threads send REQUESTS requests in all, each a page (``limit=50``) of a saved query, the 14 kinds
  of query_scale.py in turn: the ones about an actor go through the 40 most mentioned actors, the lists through
  their first 4 pages (``--mix fixed``: the busiest actor and the first pages only, as query_scale.py asks). It prints the latency percentiles, the throughput and the errors (any answer but 200 is
  one), and the same for the answers kg serve had in its cache (``X-KG-Cache: hit``: a page asked before, from
  the same snapshot of the store) and for the ones it read from the store;
- the UI pages: home, a search, the busiest actor's page, an article page, a saved-query form with its answer,
  and conflicts, each asked 10 times one after the other; it prints the median and the slowest time.

A bounded loopback load generator (a fixed number of requests from a fixed number of clients), not a stress test.
Figures depend on the machine; the load generator shares its cores with the server.
"""
from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import requests

ROOT = Path(__file__).resolve().parents[1]
KG = str(Path(sys.executable).with_name("kg"))

API = [  # (query, parameters), as benchmarks/query_scale.py asks them; ACTOR is each of the most mentioned in turn
    ("actors", {}), ("articles", {}), ("unlinked", {}), ("conflicts", {}), ("positions-by-country", {}),
    ("positions", {"actor": "ACTOR"}), ("quotes", {"actor": "ACTOR"}),
    ("timeline", {"actor": "ACTOR"}), ("supporters", {"target": "ACTOR"}),
    ("opponents", {"target": "ACTOR"}), ("relations", {"type": "role"}),
    ("relations", {"actor": "ACTOR"}), ("provenance", {"actor": "ACTOR"}),
    ("office-holders", {"country": "Q30"}),
]
ACTORS = 40  # the most mentioned actors the requests go through
PAGES = 4  # the pages of a list the requests go through


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=1, help="kg serve's server processes (default: 1)")
    ap.add_argument("--actor", default="Donald Trump", help="the actor whose page is asked (default: Donald Trump)")
    ap.add_argument("--mix", choices=["actors", "fixed"], default="actors", help="actors: pages about the 40 most "
                    "mentioned actors and 4 pages of each list (default); fixed: the 14 first pages of "
                    "query_scale.py (the busiest actor), asked again and again")
    args = ap.parse_args()
    if not (args.store / "CURRENT").is_file():
        print(f"error: {args.store} is no kg store; build one (benchmarks/query_scale.py) or give --store",
              file=sys.stderr)
        return 2
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([KG, "serve", "--store", str(args.store), "--port", str(port),
                               "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ})
    try:
        for _ in range(300):
            try:
                requests.get(url + "/api/queries", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            print("error: kg serve did not start: " + server.stderr.read().decode()[-500:], file=sys.stderr)
            return 2
        print(f"# python benchmarks/serve_load.py --store {args.store} --clients {args.clients} "
              f"--requests {args.requests} --mix {args.mix} --workers {args.workers}")
        _api(url, args.clients, args.requests, args.mix, args.actor)
        _pages(url, args.actor)
    finally:
        server.terminate()
        server.wait(10)
    return 0


def _request(i: int, actors: list[str]) -> tuple[str, dict]:
    name, params = API[i % len(API)]
    turn = i // len(API)
    if len(actors) == 1:  # --mix fixed: the 14 first pages of query_scale.py, asked again and again
        return name, {k: actors[0] if v == "ACTOR" else v for k, v in params.items()} | {"limit": 50}
    if any(v == "ACTOR" for v in params.values()):
        return name, {k: actors[turn % len(actors)] for k in params} | {"limit": 50}
    return name, {**params, "limit": 50, "offset": 50 * (turn % PAGES)}


def _api(url: str, clients: int, total: int, mix: str, actor: str) -> None:
    top = requests.get(f"{url}/api/queries/actors", params={"limit": ACTORS}, timeout=60).json()
    # a linked actor by its Wikidata id, another by its label (a label may name several actors: all are asked)
    actors = [b.get("wikidata_id", b["label"])["value"] for b in top["results"]["bindings"]]
    if mix == "fixed":
        actors = [actor]
    lock = threading.Lock()
    times: list[tuple[float, bool]] = []
    slowest: list[tuple[float, str]] = []
    errors: list[str] = []
    counter = iter(range(total))

    host, port = url.removeprefix("http://").split(":")

    def client() -> None:
        # http.client on a kept-alive connection: the load generator shares the cores with the server, and
        # requests costs several times its CPU per request
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            name, params = _request(i, actors)
            started = time.perf_counter()
            hit = False
            try:
                conn.request("GET", f"/api/queries/{name}?{urlencode(params)}")
                r = conn.getresponse()
                body = r.read()
                ok = r.status == 200 and body
                why = f"{name} {params}: HTTP {r.status} {body[:200]!r}"
                hit = r.getheader("X-KG-Cache") == "hit"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                ok, why = False, f"{name}: {type(exc).__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                times.append((elapsed, hit))
                slowest.append((elapsed, f"{name} {params}"))
                if not ok:
                    errors.append(why)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    how = (f"through the {len(actors)} most mentioned actors and {PAGES} pages of each list" if mix == "actors" else
           "the first pages of query_scale.py")
    print(f"\nsaved-query API: {len(times):,} requests (pages of {len(API)} saved queries in turn, {how}) from "
          f"{clients} concurrent clients in {wall:.1f} s: {len(times) / wall:.0f} requests/s")
    print("| answers | requests | p50 | p90 | p95 | p99 | max |\n|---|---|---|---|---|---|---|")
    for label, which in (("all", (True, False)), ("from the cache", (True,)), ("read from the store", (False,))):
        ms = [t * 1000 for t, hit in times if hit in which]
        if ms:
            print(f"| {label} | {len(ms):,} | {_percentile(ms, 50):.0f} ms | {_percentile(ms, 90):.0f} ms | "
                  f"{_percentile(ms, 95):.0f} ms | {_percentile(ms, 99):.0f} ms | {max(ms):.0f} ms |")
    print(f"errors: {len(errors)}")
    print("slowest: " + "; ".join(f"{what} {t * 1000:.0f} ms" for t, what in sorted(slowest, reverse=True)[:5]))
    for e in sorted(set(errors))[:10]:
        print(f"  error: {e} ({errors.count(e)}x)")


def _pages(url: str, actor: str) -> None:
    session = requests.Session()
    html = {"Accept": "text/html"}
    found = session.get(f"{url}/", params={"q": actor}, headers=html).text
    actor_path = found.split('<ul class="found">', 1)[-1].split('href="', 1)[-1].split('"', 1)[0]
    articles = session.get(f"{url}/api/queries/articles", params={"limit": 1}).json()["results"]["bindings"]
    article = articles[0]["id"]["value"] if articles else ""
    pages = [("home", "/"), ("search", f"/?q={quote(actor[:4].lower())}"), (f"actor ({actor})", actor_path),
             ("article", f"/article/{quote(article, safe='')}"),
             ("saved-query form and answer", f"/queries/positions?actor={quote(actor)}&run=1"),
             ("conflicts", "/conflicts")]
    print("\nUI pages, asked 10 times each one after the other (server time as the client sees it on loopback):")
    print("| page | median | slowest | status |\n|---|---|---|---|")
    for name, path in pages:
        times, status = [], set()
        for _ in range(10):
            started = time.perf_counter()
            r = session.get(url + path, headers=html)
            times.append(time.perf_counter() - started)
            status.add(r.status_code)
        print(f"| {name} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | "
              f"{', '.join(map(str, sorted(status)))} |")


if __name__ == "__main__":
    sys.exit(main())
