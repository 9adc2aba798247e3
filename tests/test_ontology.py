"""Checks ontology/kg.ttl and ontology/shapes.ttl against docs/rdf-model.md and the data in tests/data/shapes.

Each data file starts with `# expect: conforms` or `# expect: violates`. An invalid file may add
`# reason: <path> <constraint component>` (path `-` for node-level constraints, sequence paths as
`a/b`); validation must then report a violation with that path and component, so a file cannot pass
by breaking some other constraint by accident.
"""

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, OWL, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS

ROOT = Path(__file__).parents[1]
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
MODEL_DOC = ROOT / "docs" / "rdf-model.md"
DATA = Path(__file__).parent / "data" / "shapes"

KG = Namespace("https://w3id.org/kg-news/ontology#")
KGREL = Namespace("https://w3id.org/kg-news/relation#")
KGST = Namespace("https://w3id.org/kg-news/stance#")
KGMODE = Namespace("https://w3id.org/kg-news/mode#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg-news/shapes#")
# rdflib.XSD is a closed namespace that warns when pytest inspects module globals.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-news/ontology")

PREFIXES = {
    "kg": KG, "kgrel": KGREL, "kgst": KGST, "kgmode": KGMODE, "nif": NIF, "prov": PROV, "schema": SCHEMA,
    "dcterms": DCTERMS, "skos": SKOS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "sh": SH,
}
# Terms of these W3C vocabularies are used as is and not re-declared in kg.ttl.
BUILTIN = tuple(str(ns) for ns in (RDF, RDFS, OWL, SKOS, XSD))
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, SKOS.Concept}
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
DATA_FILES = sorted(DATA.glob("*.ttl"))
VALID_FILES = [p for p in DATA_FILES if p.name.startswith("valid")]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def doc() -> str:
    return MODEL_DOC.read_text(encoding="utf-8")


def curie(term: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if str(term).startswith(str(ns)):
            return f"{prefix}:{term[len(str(ns)):]}"
    return str(term)


def expand(name: str) -> URIRef:
    prefix, local = name.split(":", 1)
    return URIRef(str(PREFIXES[prefix]) + local)


def declared(g: Graph, term: URIRef) -> bool:
    return any(t in DECLARATION_TYPES for t in g.objects(term, RDF.type))


def header(path: Path) -> tuple[str, str | None]:
    lines = path.read_text(encoding="utf-8").splitlines()
    m = re.fullmatch(r"# expect: (conforms|violates)", lines[0])
    assert m, f"{path.name}: first line must be '# expect: conforms' or '# expect: violates'"
    reason = next((ln[len("# reason: "):].strip() for ln in lines[1:4] if ln.startswith("# reason: ")), None)
    return m.group(1), reason


def doc_list(doc: str, after: str) -> list[str]:
    """Comma-separated names following `after`, up to the end of the sentence."""
    text = doc[doc.index(after) + len(after):]
    text = re.sub(r"\([^)]*\)", "", text)  # drop explanations like "role (person holds ...)"
    text = text[:re.search(r"\.(\s|$)", text).start()]
    return [w.strip() for w in text.replace("\n", " ").split(",") if w.strip()]


# ---------------------------------------------------------------- ontology

def test_ontology_header(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    for p in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, RDFS.label, RDFS.comment):
        assert onto.value(ONTOLOGY_IRI, p) is not None, f"ontology lacks {curie(p)}"


def test_every_class_and_property_has_label_and_comment(onto):
    missing = []
    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in onto.subjects(RDF.type, t):
            if isinstance(term, BNode):
                continue  # owl:unionOf domains
            for p in (RDFS.label, RDFS.comment):
                if onto.value(term, p) is None:
                    missing.append(f"{curie(term)} {curie(p)}")
    assert not missing


def test_kg_terms_have_domain_and_range(onto):
    for t in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in onto.subjects(RDF.type, t):
            if str(prop).startswith(str(KG)):
                assert onto.value(prop, RDFS.domain) is not None, curie(prop)
                assert onto.value(prop, RDFS.range) is not None, curie(prop)


def test_object_and_datatype_properties_are_kept_apart(onto):
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        assert (prop, RDF.type, OWL.ObjectProperty) not in onto, curie(prop)
        for rng in onto.objects(prop, RDFS.range):
            assert str(rng).startswith(str(XSD)), f"{curie(prop)} has non-datatype range {rng}"
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert not str(rng).startswith(str(XSD)), f"{curie(prop)} has datatype range {rng}"


@pytest.mark.parametrize("sub, sup", [
    ("kg:Article", "schema:NewsArticle"), ("kg:Article", "nif:Context"),
    ("kg:Person", "kg:Actor"), ("kg:Person", "schema:Person"),
    ("kg:Organization", "kg:Actor"), ("kg:Organization", "schema:Organization"),
    ("kg:Place", "kg:Actor"), ("kg:Place", "schema:Place"),
    ("kg:Country", "kg:Place"), ("kg:Country", "schema:Country"),
    ("kg:Group", "kg:Actor"),
    ("kg:Statement", "schema:Claim"),
    ("kg:Quotation", "kg:Statement"), ("kg:Quotation", "schema:Quotation"),
    ("kg:Mention", "nif:String"), ("nif:Sentence", "nif:String"),
])
def test_class_hierarchy(onto, sub, sup):
    assert (expand(sub), RDFS.subClassOf, expand(sup)) in onto


def test_property_axioms(onto):
    assert (KG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo) in onto
    assert (KG.oppositeOf, RDF.type, OWL.SymmetricProperty) in onto
    assert (PROV.wasDerivedFrom, RDF.type, OWL.ObjectProperty) in onto
    # Articles get no offsets; were nif:Context a nif:String, the span shape would target articles.
    assert (NIF.Context, RDFS.subClassOf, NIF.String) not in onto
    assert onto.value(NIF.sentence, RDFS.domain) is None


def test_nif_terms_point_to_nif_core(onto):
    core = URIRef(str(NIF))
    for term in (NIF.String, NIF.Sentence, NIF.Context, NIF.beginIndex, NIF.endIndex, NIF.anchorOf,
                 NIF.referenceContext, NIF.isString, NIF.sentence):
        assert declared(onto, term), curie(term)
        assert (term, RDFS.isDefinedBy, core) in onto, curie(term)


def test_terms_named_in_rdf_model_are_declared(onto, doc):
    names = set(re.findall(r"(?<![\w/-])((?:kg|nif|prov|schema|dcterms):[A-Za-z][A-Za-z0-9]*)", doc))
    assert "kg:Statement" in names  # the regex does find terms
    missing = sorted(n for n in names if not declared(onto, expand(n)))
    assert not missing, f"named in rdf-model.md but not declared in kg.ttl: {missing}"


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.name)
def test_terms_used_in_valid_data_are_declared(onto, path):
    data = Graph().parse(path, format="turtle")
    used = set(data.predicates()) | set(data.objects(None, RDF.type))
    problems = []
    for term in sorted(used):
        if str(term).startswith(BUILTIN):
            continue
        if not declared(onto, term):
            problems.append(f"{curie(term)} not declared")
        elif onto.value(term, RDFS.label) is None or onto.value(term, RDFS.comment) is None:
            problems.append(f"{curie(term)} lacks label or comment")
    assert not problems


def test_valid_full_covers_every_kg_class():
    data = Graph().parse(DATA / "valid_full.ttl", format="turtle")
    types = set(data.objects(None, RDF.type))
    for c in (KG.Article, KG.Mention, KG.Statement, KG.Quotation, KG.Relation, NIF.String, NIF.Sentence,
              KG.Person, KG.Country):
        assert c in types, curie(c)
    data += Graph().parse(DATA / "valid_minimal.ttl", format="turtle")
    for c in (KG.Organization, KG.Place, KG.Group):
        assert (None, RDF.type, c) in data, curie(c)


# ---------------------------------------------------------------- concept schemes

def scheme_members(onto: Graph, scheme: URIRef) -> set[URIRef]:
    return set(onto.subjects(SKOS.inScheme, scheme))


def check_concepts(onto: Graph, scheme: URIRef, ns: Namespace, names: list[str]):
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    expected = {URIRef(str(ns) + n) for n in names}
    assert scheme_members(onto, scheme) == expected
    for c in expected:
        assert (c, RDF.type, SKOS.Concept) in onto, curie(c)
        assert onto.value(c, SKOS.prefLabel) is not None, curie(c)
        assert onto.value(c, SKOS.definition) is not None, curie(c)
        assert (scheme, SKOS.hasTopConcept, c) in onto, curie(c)


def test_relation_types_match_rdf_model(onto, doc):
    names = doc_list(doc, "Relation types (`kgrel:`):")
    assert "supports" in names and "hostsRefugeesFrom" in names and "role" in names
    check_concepts(onto, KG.RelationTypes, KGREL, names)


def test_stances_match_rdf_model(onto, doc):
    names = doc_list(doc, "## Stances (`kgst:`)\n")
    assert "assert" in names and "neutral" in names
    check_concepts(onto, KG.Stances, KGST, names)


def test_modes_match_rdf_model_and_the_code(onto, doc):
    from kg import model
    from kg.rdf import namespaces

    names = doc_list(doc, "## Modes (`kgmode:`)\n")
    assert names == list(model.MODES) == list(namespaces.MODES) == ["speech", "thought", "nominal"]
    check_concepts(onto, KG.Modes, KGMODE, names)
    assert str(namespaces.KGMODE) == str(KGMODE) and namespaces.PREFIXES["kgmode"] == str(KGMODE)


def test_mode_is_a_functional_property_of_statements(onto):
    assert {(KG.mode, RDF.type, OWL.ObjectProperty), (KG.mode, RDF.type, OWL.FunctionalProperty),
            (KG.mode, RDFS.domain, KG.Statement), (KG.mode, RDFS.range, SKOS.Concept)} <= set(onto)


def test_the_mode_shape_allows_exactly_the_concepts_of_the_modes_scheme(onto, shapes):
    statement = KGSH.StatementShape
    [prop] = [p for p in shapes.objects(statement, SH.property) if shapes.value(p, SH.path) == KG.mode]
    assert (int(shapes.value(prop, SH.minCount)), int(shapes.value(prop, SH.maxCount))) == (1, 1)
    assert set(Collection(shapes, shapes.value(prop, SH["in"]))) == scheme_members(onto, KG.Modes)


@pytest.mark.parametrize("mode", ["speech", "thought", "nominal"])
def test_a_statement_of_each_mode_conforms(onto, shapes, mode):
    text = (DATA / "valid_minimal.ttl").read_text(encoding="utf-8")
    assert text.count("kg:mode kgmode:speech ;") == 1
    data = Graph().parse(data=text.replace("kg:mode kgmode:speech ;", f"kg:mode kgmode:{mode} ;"), format="turtle")
    conforms, _, report = pyshacl.validate(data + onto, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_plover_notes(onto):
    notes = {c: [str(n) for n in onto.objects(c, SKOS.note)] for c in scheme_members(onto, KG.RelationTypes)}
    for c, ns in notes.items():
        for n in ns:
            m = re.fullmatch(r"PLOVER: ([A-Z]+)", n)
            assert m and m.group(1) in PLOVER, f"{curie(c)}: bad note {n!r}"
    assert notes[KGREL.supports] == ["PLOVER: SUPPORT"]
    assert notes[KGREL.threatens] == ["PLOVER: THREATEN"]


def test_opposites(onto):
    pairs = {frozenset((a, b)) for a, b in onto.subject_objects(KG.oppositeOf)}
    # Only true opposites; e.g. agree/deny is not a pair.
    assert pairs == {frozenset((KGREL.supports, KGREL.opposes)), frozenset((KGST.support, KGST.oppose))}


# ---------------------------------------------------------------- shapes

def test_every_shape_explains_itself(shapes):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 8
    for s in node_shapes:
        assert shapes.value(s, SH.message) or shapes.value(s, RDFS.comment), curie(s)
    for s in set(shapes.objects(None, SH.property)):
        assert shapes.value(s, SH.message) is not None, f"property shape on {curie(shapes.value(s, SH.path))}"


def result_path(g: Graph, node) -> str:
    if node is None:
        return "-"
    if isinstance(node, BNode):
        return "/".join(curie(x) for x in Collection(g, node))
    return curie(node)


_results: dict[Path, tuple] = {}


def validate(path: Path, onto: Graph, shapes: Graph):
    """(conforms, {(path, component)}, {owning node shape}, report text); cached per file."""
    if path not in _results:
        data = Graph().parse(path, format="turtle")
        data += onto
        conforms, results, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
        found, owners = set(), set()
        for r in results.subjects(RDF.type, SH.ValidationResult):
            found.add((result_path(results, results.value(r, SH.resultPath)),
                       curie(results.value(r, SH.sourceConstraintComponent))))
            src = results.value(r, SH.sourceShape)
            owners.add(shapes.value(None, SH.property, src) or src)
        _results[path] = conforms, found, owners, text
    return _results[path]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file(path, onto, shapes):
    expect, reason = header(path)
    conforms, found, _, text = validate(path, onto, shapes)
    if expect == "conforms":
        assert conforms, text
    else:
        assert not conforms, f"{path.name} should violate the shapes but conforms"
        if reason:
            assert tuple(reason.split()) in found, f"expected {reason}, got {sorted(found)}"


def test_every_targeted_shape_is_exercised(onto, shapes):
    """Each shape with a target is violated by some invalid file, so deleting it fails a test."""
    targeted = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if shapes.value(s, SH.targetClass)}
    hit = set()
    for path in DATA_FILES:
        expect, reason = header(path)
        if expect == "violates":
            assert reason, f"{path.name}: add '# reason: <path> <component>'"
            hit |= validate(path, onto, shapes)[2]
    assert not sorted(curie(s) for s in targeted - hit)


def test_data_files_present():
    names = {p.name for p in DATA_FILES}
    assert {"valid_full.ttl", "valid_minimal.ttl"} <= names
    assert sum(n.startswith("invalid_") for n in names) >= 8


def test_shapes_need_the_ontology(shapes):
    """Without kg.ttl merged in, subclass and scheme checks cannot pass: the valid example must fail."""
    data = Graph().parse(DATA / "valid_full.ttl", format="turtle")
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
