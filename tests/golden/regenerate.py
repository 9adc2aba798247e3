"""Rewrite tests/golden/seed.ttl from the current code. Run it deliberately, then read the diff:

    .venv/bin/python tests/golden/regenerate.py && git diff tests/golden/seed.ttl
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg.config import Config  # noqa: E402
from kg.export import export  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402


def seed_turtle(store_dir: str) -> bytes:
    config = Config(store=store_dir)
    with EmbeddedStore(store_dir) as store:
        report = build([ROOT / "seeds"], store, config)
        assert report.stored and not report.problems, report
        return export(store, "turtle")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        data = seed_turtle(tmp + "/store")
    (ROOT / "tests" / "golden" / "seed.ttl").write_bytes(data)
    print(f"wrote tests/golden/seed.ttl ({len(data)} bytes); review it with git diff")
