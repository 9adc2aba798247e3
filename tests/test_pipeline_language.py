"""kg's rules read word lists of one language (kg/lexicons/<lang>/): loading a spaCy pipeline of a language kg has
no lexicons for is a configuration error, said in one line, not English rules run over German text."""
from __future__ import annotations

import pytest
import spacy

import kg.nlp
from kg.errors import ConfigError
from kg.lexicons import languages


def test_a_pipeline_of_a_language_without_lexicons_is_refused(tmp_path):
    spacy.blank("de").to_disk(tmp_path / "de")
    with pytest.raises(ConfigError) as error:
        kg.nlp.load(str(tmp_path / "de"))
    message = str(error.value)
    assert "'de'" in message and "lexicons for: en" in message and "kg.toml" in message and "\n" not in message


def test_a_pipeline_of_a_language_with_lexicons_loads(tmp_path):
    assert "en" in languages()
    spacy.blank("en").to_disk(tmp_path / "en")
    assert kg.nlp.load(str(tmp_path / "en")).lang == "en"
