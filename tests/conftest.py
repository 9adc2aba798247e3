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
