"""kg's own output always conforms: the graph of every dev article (PolNeAR, news-fair and AIDA-CoNLL news, and
the seed) is built and validated against the shapes. Skipped where ../shared/eval is not present."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Config
from kg.pipeline import build
from kg.store import EmbeddedStore
from kg.validate import validate

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
DEV = ["polnear-dev.jsonl", "news-fair-dev.jsonl", "aida-dev.jsonl"]


def test_the_graph_of_every_dev_article_conforms(tmp_path, nlp_ready):
    if not all((EVAL / name).is_file() for name in DEV):
        pytest.skip("../shared/eval is not here")
    with EmbeddedStore(tmp_path / "store") as store:
        report = build([EVAL / name for name in DEV] + [ROOT / "seeds"], store, Config(store=str(tmp_path / "store")))
        assert len(report.stored) > 300 and not report.problems, report.problems[:3]
        result = validate(store)
    assert result.conforms, result.problems[:5]
    assert result.graphs == len(report.stored)
