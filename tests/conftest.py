"""Shared fixtures. The spaCy pipeline is loaded here, once per session, and nowhere else."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp_ready():
    """The configured spaCy pipeline, loaded once; tests that build graphs in-process depend on it.

    ``kg.nlp.load`` is cached, so every later in-process parse in this session reuses this pipeline.
    """
    import kg.config
    import kg.nlp

    return kg.nlp.load(kg.config.Config().pipeline)


@pytest.fixture(scope="session", autouse=True)
def private_knowledge_base(tmp_path_factory):
    """Every test (and every kg subprocess it starts) uses a knowledge base of its own, never ~/.cache."""
    import os

    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    old = os.environ.get("KG_KB")
    os.environ["KG_KB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("KG_KB", None)
    else:
        os.environ["KG_KB"] = old
