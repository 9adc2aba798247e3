"""One list of relation types (kg.model.RELATION_TYPES): every type the relation lexicon and the rules can
produce is on it, each has its concept in the ontology and in docs/rdf-model.md, and a relation of a type off
the list is an error when mapped, never silently left out of the graph."""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import lexicons, resources
from kg.extract import relations, steps
from kg.model import RELATION_TYPES, Article, Entity, Extraction, Mention, Relation, Span
from kg.rdf import namespaces, to_quads
from kg.rdf.namespaces import KG, KGREL

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/kg-news/id/"
SKOS_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")


def _lexicon_types() -> set[str]:
    lex = lexicons.load("relations")
    return (set(lex["verbs"].values()) | set(lex["joint_verbs"].values()) | set(lex["nouns"].values())
            | set(lex["backed_adjectives"].values()) | set(lex["object_preps"]))


def _rule_types() -> set[str]:
    """The types the rules write as literals: FoundRelation(type="...") and comparisons with ``.type``."""
    tree = ast.parse(Path(relations.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "FoundRelation":
            (kind,) = [k.value for k in node.keywords if k.arg == "type"]  # built with keywords, type given
            if isinstance(kind, ast.Constant):
                found.add(kind.value)
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "type":
            found |= {c.value for c in node.comparators if isinstance(c, ast.Constant)}
    return found


def test_every_type_the_lexicon_and_the_rules_produce_is_a_relation_type():
    rule_types = _rule_types()
    assert {"role", "located_in", "accuses", "opposes"} <= rule_types  # the walk finds the rules' literals
    assert _lexicon_types() | rule_types | steps.DESCRIPTIVE <= set(RELATION_TYPES)


def test_each_relation_type_has_a_concept_in_the_ontology():
    ontology = ox.Store()
    ontology.load(resources.ontology(), ox.RdfFormat.TURTLE)
    in_scheme = {q.subject.value for q in ontology.quads_for_pattern(None, SKOS_IN_SCHEME, KG.RelationTypes)}
    assert in_scheme == {KGREL[c].value for c in namespaces.RELATION_TYPES.values()}
    assert namespaces.RELATION_TYPES["located_in"] == "locatedIn"


def test_each_relation_type_is_documented():
    doc = (ROOT / "docs" / "rdf-model.md").read_text(encoding="utf-8")
    listed = doc[doc.index("Relation types (`kgrel:`):"):]
    listed = re.sub(r"\([^)]*\)", "", listed[:re.search(r"\.\s", listed).start()]).split(":", 1)[1]
    assert {w.strip() for w in listed.split(",")} == set(namespaces.RELATION_TYPES.values())


def test_a_relation_of_an_unknown_type_is_an_error_not_left_out():
    text = "Iran befriended Russia."
    article = Article(id="a", text=text, body=(0, len(text)))
    sentence = Span(0, len(text), text)
    iran, russia = (Entity(id=f"e{n}", name=name, type="Country",
                           mentions=(Mention(Span(text.index(name), text.index(name) + len(name), name), sentence),))
                    for n, name in enumerate(["Iran", "Russia"], 1))
    relation = Relation(id="r1", type="befriends", subject="e1", object="e2", evidence=sentence, sentence=sentence,
                        rule="verb:befriend")
    x = Extraction(article, (sentence,), (iran, russia), (), (relation,))
    with pytest.raises(ValueError, match="befriends"):
        to_quads(x, base_iri=BASE, content_hash="0" * 64)
    known = replace(x, relations=(replace(relation, type="supports"),))
    assert any(q.object == KGREL.supports for q in to_quads(known, base_iri=BASE, content_hash="0" * 64))
