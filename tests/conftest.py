"""Shared fixtures. The spaCy pipeline is loaded here, once per session, and nowhere else."""
from __future__ import annotations

import signal

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


# One speaker's statements of every mode and kind (sentence, content, cue, kind, mode), in text order.
MODE_LINES = [
    ('Angela Merkel said: "We will act now."', "We will act now.", "said", "direct", "speech"),
    ('"We will win the vote," Merkel believes.', "We will win the vote,", "believes", "direct", "thought"),
    ('Merkel criticized "the appointment".', "the appointment", "criticized", "direct", "nominal"),
    ("Merkel hopes the talks succeed.", "the talks succeed", "hopes", "indirect", "thought"),
    ('Merkel said a "good result" could emerge.', 'a "good result" could emerge', "said", "mixed", "speech"),
    ("Merkel called for a ceasefire.", "a ceasefire", "called for", "indirect", "nominal"),
    ("Merkel said the plan would work.", "the plan would work", "said", "indirect", "speech"),
]


@pytest.fixture(scope="session")
def modes_extraction():
    """An article (no spaCy) in which Angela Merkel (Q567) makes the statements of MODE_LINES: a spoken, a thought
    and a nominal direct quote, a spoken mixed quote, and indirect statements of each mode."""
    from kg.model import Article, Entity, Extraction, Mention, Span, Statement

    text, sentences, mentions, statements = "", [], [], []
    for i, (line, content, cue, kind, mode) in enumerate(MODE_LINES):
        start = len(text)
        text += line + " "
        sentence = Span(start, start + len(line), line)
        sentences.append(sentence)

        def span(part: str) -> Span:
            at = start + line.index(part)
            return Span(at, at + len(part), part)
        name = span("Angela Merkel" if "Angela Merkel" in line else "Merkel")
        mentions.append(Mention(name, sentence))
        statements.append(Statement(f"s{i}", span(content), kind, sentence, speaker="e1", speaker_mention=name,
                                    cue=span(cue), rule="test", confidence=0.9,
                                    mode=mode))
    merkel = Entity("e1", "Angela Merkel", "Person", tuple(mentions), qid="Q567", link_score=0.9,
                    link_method="test")
    article = Article("modes.txt", text, (0, len(text)), published="2018-09-11T10:00")
    return Extraction(article, tuple(sentences), (merkel,), tuple(statements), ())


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's chromium and chromium-driver, which 'make test' installs), with its console
    log kept; skipped where they are missing."""
    import shutil

    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        pytest.skip("no chromium/chromedriver: 'make test' installs them (Debian packages chromium, chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--disable-gpu", "--no-first-run"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    chrome.set_page_load_timeout(30)
    yield chrome
    chrome.quit()


def _ctrl_c_reaches_it() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def foreground():
    """``preexec_fn`` for a child process that a test interrupts: it takes SIGINT as a terminal's foreground
    process does. A test run started in the background (`make test &`, nohup) ignores SIGINT, and every process
    it starts would inherit that and never see the interruption."""
    return _ctrl_c_reaches_it
