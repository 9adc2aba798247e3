"""kg serve under load: the saved-query API with concurrent clients, and the UI pages' server time.

    python benchmarks/serve_load.py --store STORE [--clients 20] [--requests 2000] [--workers 1]

It starts ``kg serve`` on a free loopback port over STORE (for example the 10,000-article store that
benchmarks/query_scale.py builds in ~/.cache/kg/benchmark), then:

- the API: CLIENTS threads send REQUESTS requests in all, each a first page (``limit=50``) of a saved query with
  the parameters of query_scale.py (the busiest actor and topic), in turn; it prints the latency percentiles, the
  throughput and the errors (any answer but 200 is one);
- the UI pages: home, a search, the busiest actor's page, an article page, a saved-query form with its answer,
  and conflicts, each asked 10 times one after the other; it prints the median and the slowest time.

A bounded loopback load generator (a fixed number of requests from a fixed number of clients), not a stress test.
Figures depend on the machine; the load generator shares its cores with the server.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
KG = str(Path(sys.executable).with_name("kg"))

API = [  # (query, parameters), as benchmarks/query_scale.py asks them
    ("actors", {}), ("articles", {}), ("unlinked", {}), ("conflicts", {}), ("positions-by-country", {}),
    ("positions", {"actor": "Donald Trump"}), ("quotes", {"actor": "Donald Trump"}),
    ("timeline", {"actor": "Donald Trump"}), ("supporters", {"target": "Donald Trump"}),
    ("opponents", {"target": "Donald Trump"}), ("relations", {"type": "role"}),
    ("relations", {"actor": "Donald Trump"}), ("provenance", {"actor": "Donald Trump"}),
    ("office-holders", {"country": "Q30"}),
]


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
    ap.add_argument("--actor", default="Donald Trump", help="the actor whose page is asked (default: Donald Trump)")
    args = ap.parse_args()
    if not (args.store / "CURRENT").is_file():
        print(f"error: {args.store} is no kg store; build one (benchmarks/query_scale.py) or give --store",
              file=sys.stderr)
        return 2
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([KG, "serve", "--store", str(args.store), "--port", str(port)],
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
              f"--requests {args.requests}")
        _api(url, args.clients, args.requests)
        _pages(url, args.actor)
    finally:
        server.terminate()
        server.wait(10)
    return 0


def _api(url: str, clients: int, total: int) -> None:
    for name, params in API:  # a warm-up round, as a server that has run a while has
        requests.get(f"{url}/api/queries/{name}", params={**params, "limit": 50}, timeout=60)
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))

    def client() -> None:
        session = requests.Session()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            name, params = API[i % len(API)]
            started = time.perf_counter()
            try:
                r = session.get(f"{url}/api/queries/{name}", params={**params, "limit": 50}, timeout=60)
                ok = r.status_code == 200 and r.content
                why = f"{name}: HTTP {r.status_code}"
            except requests.RequestException as exc:
                ok, why = False, f"{name}: {type(exc).__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)
                if not ok:
                    errors.append(why)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ms = [t * 1000 for t in times]
    print(f"\nsaved-query API: {len(times):,} requests (first pages of {len(API)} saved queries in turn) from "
          f"{clients} concurrent clients in {wall:.1f} s: {len(times) / wall:.0f} requests/s")
    print("| p50 | p90 | p95 | p99 | max | errors |\n|---|---|---|---|---|---|")
    print(f"| {_percentile(ms, 50):.0f} ms | {_percentile(ms, 90):.0f} ms | {_percentile(ms, 95):.0f} ms | "
          f"{_percentile(ms, 99):.0f} ms | {max(ms):.0f} ms | {len(errors)} |")
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
