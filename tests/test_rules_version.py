"""A build keeps an article whose content hash is unchanged, and the hash covers kg.pipeline.RULES_VERSION, not
the extraction code itself. So a change to what the rules output must come with a new RULES_VERSION, or every
store built before it keeps the old extraction. This test holds a digest of the output per version.

The keys and index triples of the facts (kg.rdf.mapping.KEY_PREDICATES) are left out of that digest: a store
rewrites them when it opens with a new kg.store.summary.KEYS_VERSION, without extracting again. They have a
digest of their own per pair of RULES_VERSION and KEYS_VERSION (they follow the facts the rules output)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from kg.config import Config
from kg.pipeline import RULES_VERSION, extract_articles
from kg.rdf import article_graph
from kg.rdf.mapping import KEY_PREDICATES
from kg.store.summary import KEYS_VERSION
from kg.read import make_article, read

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tests" / "golden" / "rules-output.json"
KEYS_RECORD = ROOT / "tests" / "golden" / "keys-output.json"
TEXTS = {  # beside the seed article: speech of each kind, relations, a pronoun, a title, a date
    "a": "Publish Date: 3 May 2018 - 10:00\n\nBoris Johnson met Donald Trump in London. \"We will stand firm,\" "
         "Johnson said. Angela Merkel hosted Emmanuel Macron in Berlin.",
    "b": "Emmanuel Macron warned that France would not accept the plan. He said on Monday the talks had failed.",
    "c": "Angela Merkel backed Emmanuel Macron. Donald Trump criticised Emmanuel Macron. \"Macron is wrong about "
         "the budget plan,\" Trump said, according to the White House. Russia denied the accusations.",
    "d": "Some sell faux-crocodile, fashion consultant Robert Burke said.\n\n\"There's a sensitivity in the luxury "
         "market,\" Burke said.",
    "e": "John Bolton\u200b said the response would be much stronger.",
    "f": "The talks failed on Monday, per officials. Prices rose 5 per cent.",
}


def output_digests() -> tuple[str, str]:
    """The digest of what the rules output, and that of the keys and index triples the mapping writes."""
    # without the file's path, which is where this checkout happens to be
    articles = [replace(a, origin="") for a in read([ROOT / "seeds"])] + [make_article(k, v) for k, v in TEXTS.items()]
    rules, keys = hashlib.sha256(), hashlib.sha256()
    for x in extract_articles(articles, Config()):
        rules.update(json.dumps(x.to_json(), sort_keys=True, ensure_ascii=False).encode())
        # the graph without a content hash (which covers the versions): the mapping is part of the rules
        for q in article_graph(x, base_iri=Config().base_iri, content_hash="").quads():
            (keys if q.predicate.value in KEY_PREDICATES else rules).update(f"{q}\n".encode())
    return rules.hexdigest()[:16], keys.hexdigest()[:16]


def test_the_rules_output_changes_only_with_a_new_rules_version(nlp_ready):
    rules, keys = output_digests()
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    version = str(RULES_VERSION)
    assert version in record, (f"RULES_VERSION {version} has no recorded output: add \"{version}\": \"{rules}\" "
                               f"to {RECORD.relative_to(ROOT)}")
    assert max(map(int, record)) == RULES_VERSION, "RULES_VERSION is older than a recorded one"
    assert record[version] == rules, (
        f"what the rules output changed ({record[version]} -> {rules}) but RULES_VERSION ({version}) did not: "
        f"bump it in kg/pipeline.py and add \"{RULES_VERSION + 1}\": \"{rules}\" to {RECORD.relative_to(ROOT)} "
        "(keep the old lines), so that builds extract their articles again")
    # the keys follow the facts the rules output, so they are recorded per pair of versions
    pair = f"{RULES_VERSION}/{KEYS_VERSION}"
    keys_record = json.loads(KEYS_RECORD.read_text(encoding="utf-8"))
    assert pair in keys_record, (f"rules/keys versions {pair} have no recorded keys: add \"{pair}\": \"{keys}\" to "
                                 f"{KEYS_RECORD.relative_to(ROOT)}")
    assert keys_record[pair] == keys, (
        f"the keys and index triples changed ({keys_record[pair]} -> {keys}) but neither version did: bump "
        f"KEYS_VERSION in kg/store/summary.py (stores rewrite their keys on open) and add "
        f"\"{RULES_VERSION}/{int(KEYS_VERSION) + 1}\": \"{keys}\" to {KEYS_RECORD.relative_to(ROOT)}")


def test_a_build_after_new_rules_lexicons_or_model_extracts_again(tmp_path, nlp_ready, monkeypatch):
    """Once, a build after an upgrade called every article unchanged and kept the old extraction."""
    import kg.pipeline
    from kg import lexicons, nlp
    from kg.pipeline import build
    from kg.store import EmbeddedStore

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXTS["b"], encoding="utf-8")
    config = Config(store=str(tmp_path / "store"))
    with EmbeddedStore(tmp_path / "store") as store:
        assert build([tmp_path / "in"], store, config).stored == ["a.txt"]
        assert build([tmp_path / "in"], store, config).unchanged == ["a.txt"]
        for change in (lambda: monkeypatch.setattr(kg.pipeline, "RULES_VERSION", RULES_VERSION + 1),
                       lambda: monkeypatch.setattr(lexicons, "digest", lambda: "another word list"),
                       lambda: monkeypatch.setattr(nlp, "pipeline_version", lambda name: "9.9.9 9.9.9")):
            change()
            assert build([tmp_path / "in"], store, config).stored == ["a.txt"]
            assert build([tmp_path / "in"], store, config).unchanged == ["a.txt"]
