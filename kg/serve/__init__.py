"""Stage 8, serve: the store over HTTP (``kg serve``). A SPARQL 1.1 Protocol endpoint, the saved queries as an
API, and a web UI of actors, articles, saved queries and conflicts (:mod:`kg.serve.app`)."""
from __future__ import annotations

import ipaddress
import json
import os

from kg.errors import ConfigError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(store_path: str, *, host: str = "127.0.0.1", port: int = 8000, base_iri: str, token: str | None = None,
          timeout: float = 30.0, max_rows: int = 100_000, workers: int = 1) -> None:
    """Serve the store until interrupted. A host other than loopback needs a token unless the caller has
    decided otherwise (the CLI asks for --token or --no-token). ``workers`` > 1: that many server processes
    share the port, each with its own reader of the store and page cache."""
    import uvicorn

    if not 0 < port < 65536:
        raise ConfigError(f"--port {port} is no TCP port; give 1-65535")
    settings = {"store_path": store_path, "base_iri": base_iri, "token": token, "timeout": timeout,
                "max_rows": max_rows}
    shown = f"[{host}]" if ":" in host else host
    print(f"kg serve: http://{shown}:{port}/ (SPARQL endpoint at /sparql, API at /api/queries); Ctrl-C stops it",
          flush=True)
    options = dict(host=host, port=port, log_level="warning", access_log=False, limit_concurrency=64,
                   timeout_keep_alive=5, h11_max_incomplete_event_size=64 * 1024)
    if workers == 1:
        from kg.serve.app import create_app

        uvicorn.run(create_app(**settings), **options)
        return
    # uvicorn starts each worker process from an import string: the settings travel in the environment, which
    # only kg's own processes see
    os.environ[_SETTINGS] = json.dumps(settings)
    uvicorn.run("kg.serve:worker_app", factory=True, workers=workers, **options)


_SETTINGS = "KG_SERVE_SETTINGS"


def worker_app():
    """The application of one worker process of ``kg serve --workers N``."""
    from kg.serve.app import create_app

    return create_app(**json.loads(os.environ[_SETTINGS]))
