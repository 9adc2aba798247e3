"""Runs every saved query (queries/*.rq) on the hand-written dataset tests/data/mini.trig.

No spaCy: the TriG is loaded straight into a pyoxigraph Store, together with ontology/kg.ttl (into the
ontology graph). Its end holds the keys and the summary graph kg's store would write for it
(tests/data/regenerate_mini.py); graphs a test adds get theirs from kg, as kg's store gives them to every
article it writes. Queries are run the way the CLI runs them: parameters bound with
``substitutions={Variable(name): Literal(value)}`` (plain xsd:string), optional parameters left out,
and ``use_default_graph_as_union=True``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.rdf.namespaces import SPECIAL_GRAPHS, SUMMARY_GRAPH
from kg.rdf import parts
from kg.store import summary

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
DATA = ROOT / "tests" / "data" / "mini.trig"
KG_TTL = ROOT / "ontology" / "kg.ttl"

KG = "https://w3id.org/kg-news/ontology#"
KGREL = "https://w3id.org/kg-news/relation#"
KGST = "https://w3id.org/kg-news/stance#"
KGMODE = "https://w3id.org/kg-news/mode#"
KGD = "https://w3id.org/kg-news/id/"
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/kg-news/graph/ontology")
ARTICLE = KGD + "article/idlib-geneva-talks-2018-09-11-txt"
ARTICLE_ID = "idlib-geneva-talks-2018-09-11.txt"

BOLTON_QUOTE = ("We’ve tried to convey the message in recent days that if there’s a third use of chemical "
                "weapons, the response will be much stronger")
BOLTON_WARNED = "against using chemical weapons in the impending battle for Idlib Province"
BOLTON_PROMISED = ("the U.S. would deliver a counterattack that’s more severe than the two previous assaults "
                   "authorized by Trump")

QUERY_FILES = sorted(QUERIES.glob("*.rq"))
EXPECTED_QUERIES = {"actors", "positions", "quotes", "supporters", "opponents", "relations", "conflicts",
                    "timeline", "provenance", "unlinked"}

# The actor-matching lines every query with an actor (or target) parameter must contain verbatim
# (with "actor" replaced by the parameter name).
ACTOR_BLOCK = [
    "GRAPH kgg:summary { ?actor_iri kg:nameKey ?actor_key }",
    "FILTER(?actor_key = LCASE(STR(?actor)))",
]


# --- header --------------------------------------------------------------------------------------

HEADER_LINE = re.compile(r"^# (name|description|param|example): (.*)$")
PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\?)?(?: in ([a-z]+:[A-Za-z]\w*))? - (\S.*)$")


def parse_header(text: str) -> dict:
    """The header grammar the CLI parses: leading '# key: value' lines (name, description, param*, example*)."""
    header = {"name": None, "description": None, "params": [], "examples": []}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = HEADER_LINE.match(line)
        if not m:
            continue  # free comment lines after the header fields
        key, value = m.groups()
        if key == "param":
            p = PARAM.match(value)
            assert p, f"bad param line: {line!r}"
            header["params"].append({"name": p.group(1), "optional": bool(p.group(2)), "scheme": p.group(3),
                                     "description": p.group(4)})
        elif key == "example":
            header["examples"].append(value)
        else:
            assert header[key] is None, f"{key} given twice"
            header[key] = value.strip()
    return header


def header_of(name: str) -> dict:
    return parse_header((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))


# --- store and runner ----------------------------------------------------------------------------

def make_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    if KG_TTL.exists():  # the real ontology replaces the stand-in graph of the TriG
        store.clear_graph(ONTOLOGY_GRAPH)
        store.load(path=str(KG_TTL), format=ox.RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    return store


@pytest.fixture
def store() -> ox.Store:
    return make_store()


def value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int", "#long")):
            return int(term.value)
        if dt.endswith("#decimal") or dt.endswith("#double"):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value in ("true", "1")
        return term.value
    return term.value


def run(store: ox.Store, name: str, **params: str) -> list[dict]:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    subs = {ox.Variable(k): ox.Literal(v) for k, v in params.items()}
    result = store.query(text, substitutions=subs, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: value(sol[n]) for n in names} for sol in result]


class Union:
    """kg's store interface over a test store: queries see the union of its graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    def query(self, text, substitutions=None):
        return self.store.query(text, substitutions=substitutions, use_default_graph_as_union=True)


def total(store: ox.Store, name: str, **params: str) -> int:
    """The total kg gives with a page of a saved query's answer (its `# total:` line)."""
    from kg import queries

    subs = {ox.Variable(k): ox.Literal(v) for k, v in params.items()}
    return queries._count(Union(store), queries.get(name), queries.Binding(subs))


def column(rows: list[dict], key: str) -> list:
    return [r[key] for r in rows]


def add_trig(store: ox.Store, trig: str) -> None:
    prefixes = f"""
        @prefix kg: <{KG}> . @prefix kgrel: <{KGREL}> . @prefix kgst: <{KGST}> . @prefix kgd: <{KGD}> .
        @prefix kgmode: <{KGMODE}> .
        @prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
        @prefix prov: <http://www.w3.org/ns/prov#> . @prefix schema: <https://schema.org/> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    """
    added = ox.Dataset(ox.parse(prefixes + trig, format=ox.RdfFormat.TRIG))
    store.extend(added)
    for g in {q.graph_name.value for q in added} - SPECIAL_GRAPHS:
        store.extend(parts.fact_keys(g, store.quads_for_pattern(None, None, None, ox.NamedNode(g))))
    store.clear_graph(SUMMARY_GRAPH)
    store.extend(summary.rebuild(store))


# --- every query file ----------------------------------------------------------------------------

def test_all_expected_queries_exist():
    assert EXPECTED_QUERIES <= {p.stem for p in QUERY_FILES}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# name: "), "the file must start with the header"
    header = parse_header(text)
    assert header["name"] == path.stem
    assert header["description"]
    names = [p["name"] for p in header["params"]]
    assert len(names) == len(set(names)), "parameter given twice"
    for p in header["params"]:
        assert re.search(r"\?" + p["name"] + r"\b", text), f"?{p['name']} is not used in the query"
        # pyoxigraph folds BOUND() of a variable no pattern binds to false, before substitution:
        # an optional parameter must be tested with COALESCE(?p, "") = "" instead.
        assert not re.search(r"BOUND\s*\(\s*\?" + p["name"] + r"\s*\)", text), f"BOUND(?{p['name']}) never works"
    assert header["examples"], "an example line is expected"
    for example in header["examples"]:
        assert example.startswith(f"kg query {path.stem}")
        for p in header["params"]:
            if not p["optional"]:
                assert f"--param {p['name']}=" in example, f"example lacks required param {p['name']}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_parses_and_binds_every_parameter(path: Path):
    """Parses with pyoxigraph (no default prefixes given, so every PREFIX must be declared), and every
    parameter can be substituted (pyoxigraph refuses a variable that is not in the SELECT projection)."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    empty = ox.Store()
    all_params = {ox.Variable(p["name"]): ox.Literal("x") for p in header["params"]}
    list(empty.query(text, substitutions=all_params, use_default_graph_as_union=True))
    required = {ox.Variable(p["name"]): ox.Literal("x") for p in header["params"] if not p["optional"]}
    list(empty.query(text, substitutions=required, use_default_graph_as_union=True))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_actor_matching_is_the_same_everywhere(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = {line.strip() for line in text.splitlines()}
    for p in parse_header(text)["params"]:
        if p["name"] in ("actor", "target"):
            for line in ACTOR_BLOCK:
                assert line.replace("actor", p["name"]) in lines, f"actor-matching line missing: {line}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_runs_on_mini(store, path: Path):
    if "# online: yes" in path.read_text(encoding="utf-8"):
        pytest.skip("calls a remote SPARQL endpoint (SERVICE): there is no network in tests")
    header = parse_header(path.read_text(encoding="utf-8"))
    params = {p["name"]: "Bolton" for p in header["params"] if not p["optional"]}
    run(store, path.stem, **params)


# --- actors / unlinked ---------------------------------------------------------------------------

def test_actors(store):
    rows = run(store, "actors")
    by_label = {r["label"]: r for r in rows}
    assert set(by_label) == {"John Bolton", "Iran", "Russia", "Turkey", "Hussein Jaberi Ansari", "Syrian government"}
    assert len(rows) == 6  # one row per actor
    assert rows[0]["label"] == "Iran" and rows[0]["mentions"] == 4
    assert column(rows, "mentions") == sorted(column(rows, "mentions"), reverse=True)
    assert by_label["John Bolton"] == {"label": "John Bolton", "type": "Person", "wikidata_id": "Q311269",
                                       "mentions": 3, "articles": 1, "actor_iri": KGD + "actor/Q311269"}
    assert by_label["Iran"]["type"] == "Country"  # the most specific class, not Place or Actor
    assert by_label["Syrian government"]["type"] == "Organization"
    assert by_label["Syrian government"]["wikidata_id"] is None
    assert by_label["Turkey"]["wikidata_id"] == "Q43"
    assert all(r["articles"] == 1 for r in rows)


def test_unlinked(store):
    rows = run(store, "unlinked")
    assert column(rows, "label") == ["Hussein Jaberi Ansari", "Syrian government"]
    ansari = rows[0]
    assert ansari["type"] == "Person" and ansari["mentions"] == 2 and ansari["article_count"] == 1
    assert ansari["articles"] == ARTICLE_ID
    assert set(ansari["forms"].split(" | ")) == {"Hussein Jaberi Ansari", "Jaberi Ansari"}


# --- positions / quotes / timeline ---------------------------------------------------------------

@pytest.mark.parametrize("actor", ["Bolton", "bolton", "JOHN BOLTON", "National Security Adviser", "Q311269", "q311269"])
def test_positions_of_bolton_by_any_name_or_qid(store, actor):
    rows = run(store, "positions", actor=actor)
    assert sorted(column(rows, "text")) == sorted([BOLTON_QUOTE, BOLTON_WARNED, BOLTON_PROMISED])
    assert all(r["actor"] == actor for r in rows)
    assert all(r["speaker"] == "John Bolton" for r in rows)


def test_positions_columns(store):
    rows = {r["text"]: r for r in run(store, "positions", actor="bolton")}
    quote = rows[BOLTON_QUOTE]
    assert quote["cue"] == "said"
    assert quote["kind"] == "direct"
    assert quote["stance"] == "warn"
    assert quote["about"] == "chemical weapons"
    assert quote["date"] == "2018-09-10"
    assert quote["article"] == ARTICLE_ID
    assert quote["sentence"].endswith("Bolton said in a speech on Monday in Washington.")
    assert quote["statement"].startswith(KGD + "statement/")
    warned = rows[BOLTON_WARNED]
    assert warned["cue"] == "warned" and warned["kind"] == "indirect" and warned["date"] is None
    assert set(warned["about"].split("; ")) == {"Syrian government", "chemical weapons"}
    assert rows[BOLTON_PROMISED]["stance"] == "promise"


def test_positions_since(store):
    # unbound "since": everything
    assert len(run(store, "positions", actor="Bolton")) == 3
    assert len(run(store, "positions", actor="Bolton", since="2018-09-10")) == 3
    # undated statements fall back to the publish date (2018-09-11); the Monday quote is dropped
    later = run(store, "positions", actor="Bolton", since="2018-09-11")
    assert sorted(column(later, "text")) == sorted([BOLTON_WARNED, BOLTON_PROMISED])
    assert all(r["since"] == "2018-09-11" for r in later)
    assert run(store, "positions", actor="Bolton", since="2018-09-12") == []


def test_positions_unknown_actor(store):
    assert run(store, "positions", actor="Nobody") == []
    assert run(store, "positions", actor="Q1") == []


def test_positions_of_turkey_plea(store):
    rows = run(store, "positions", actor="turkey")
    assert len(rows) == 1
    assert rows[0]["stance"] == "request" and rows[0]["cue"] == "pleas" and rows[0]["text"] == "a ceasefire"


def test_quotes(store):
    rows = run(store, "quotes", actor="bolton")
    assert column(rows, "quote") == [BOLTON_QUOTE]
    assert rows[0]["cue"] == "said" and rows[0]["date"] == "2018-09-10" and rows[0]["article"] == ARTICLE_ID
    ansari = run(store, "quotes", actor="Jaberi Ansari")
    assert column(ansari, "kind") == ["mixed", "direct"]  # the dated one first
    assert ansari[0]["quote"] == 'a "good result" could emerge'
    assert run(store, "quotes", actor="Turkey") == []  # the plea is indirect


# Bolton, in another article: a thought and a noun phrase, each a direct quote, an indirect thought, a spoken
# direct quote, and a direct quote of a graph written before modes (no kg:mode: speech). add_trig gives them the
# keys kg computes from the graph (kg.rdf.parts), so the quotes index is kg's own.
BOLTON_MORE = f"""
    <{KGD}article/more> {{
        <{KGD}article/more> a kg:Article ; dcterms:identifier "more" ;
            schema:datePublished "2018-09-12T10:00:00"^^xsd:dateTime .
        kgd:statement\\/t1 a kg:Statement, kg:Quotation ; kg:speaker kgd:actor\\/Q311269 ; kg:kind "direct" ;
            kg:mode kgmode:thought ; kg:text "we will prevail" ; prov:wasDerivedFrom <{KGD}article/more> .
        kgd:statement\\/n1 a kg:Statement, kg:Quotation ; kg:speaker kgd:actor\\/Q311269 ; kg:kind "direct" ;
            kg:mode kgmode:nominal ; kg:text "the appointment" ; prov:wasDerivedFrom <{KGD}article/more> .
        kgd:statement\\/t2 a kg:Statement ; kg:speaker kgd:actor\\/Q311269 ; kg:kind "indirect" ;
            kg:mode kgmode:thought ; kg:text "the talks would fail" ; prov:wasDerivedFrom <{KGD}article/more> .
        kgd:statement\\/s1 a kg:Statement, kg:Quotation ; kg:speaker kgd:actor\\/Q311269 ; kg:kind "mixed" ;
            kg:mode kgmode:speech ; kg:text "a \\"firm\\" answer" ; prov:wasDerivedFrom <{KGD}article/more> .
        kgd:statement\\/s2 a kg:Statement, kg:Quotation ; kg:speaker kgd:actor\\/Q311269 ; kg:kind "direct" ;
            kg:text "an old quote" ; prov:wasDerivedFrom <{KGD}article/more> .
    }}"""


def test_quotes_are_speech_only(store):
    add_trig(store, BOLTON_MORE)
    rows = run(store, "quotes", actor="Bolton")
    assert sorted(column(rows, "quote")) == sorted([BOLTON_QUOTE, 'a "firm" answer', "an old quote"])
    assert "we will prevail" not in column(rows, "quote") and "the appointment" not in column(rows, "quote")


def test_positions_by_mode(store):
    add_trig(store, BOLTON_MORE)
    every = run(store, "positions", actor="Bolton")
    assert len(every) == 8 and all(r["mode"] is None for r in every)
    by_text = {r["text"]: r["statement_mode"] for r in every}
    assert by_text["we will prevail"] == by_text["the talks would fail"] == "thought"
    assert by_text["the appointment"] == "nominal"
    assert by_text["an old quote"] == by_text[BOLTON_QUOTE] == "speech"  # no kg:mode: speech

    thought = run(store, "positions", actor="Bolton", mode="thought")
    assert sorted(column(thought, "text")) == ["the talks would fail", "we will prevail"]
    assert set(column(thought, "statement_mode")) == {"thought"} and set(column(thought, "mode")) == {"thought"}
    assert column(run(store, "positions", actor="Bolton", mode="Nominal"), "text") == ["the appointment"]
    speech = run(store, "positions", actor="Bolton", mode="speech")
    assert sorted(column(speech, "text")) == sorted([BOLTON_QUOTE, BOLTON_WARNED, BOLTON_PROMISED,
                                                     'a "firm" answer', "an old quote"])
    assert column(speech, "text") == [t for t in column(every, "text") if by_text[t] == "speech"]  # time order kept
    # with 'since', as without
    assert column(run(store, "positions", actor="Bolton", mode="thought", since="2018-09-12"), "text") == \
        column(thought, "text")
    assert run(store, "positions", actor="Bolton", mode="thought", since="2018-09-13") == []
    # run as plain SPARQL (kg refuses them first), a value that is no mode finds nothing, not another index
    for other in ("statement", "quote", "fact", "relation", "speech "):
        assert run(store, "positions", actor="Bolton", mode=other) == [], other


def test_positions_mode_of_the_mini_graph(store):
    assert column(run(store, "positions", actor="Turkey", mode="nominal"), "text") == ["a ceasefire"]
    assert run(store, "positions", actor="Turkey", mode="speech") == []
    assert column(run(store, "positions", actor="Turkey"), "statement_mode") == ["nominal"]


@pytest.mark.parametrize("ontology", ["kg.ttl", "none"])
def test_a_mode_that_is_none_of_the_modes_is_an_error(store, ontology):
    """With the store's ontology graph, or with none (a store built before modes: kg's own ontology knows them)."""
    from kg import queries
    from kg.errors import QueryError

    if ontology == "none":
        store.clear_graph(ONTOLOGY_GRAPH)
    positions = queries.get("positions")
    for bad in ("speach", "quote", "direct"):
        with pytest.raises(QueryError, match=rf"mode='{bad}' is none of .*: nominal, speech, thought$"):
            queries.bind(positions, {"actor": "Bolton", "mode": bad}, store)
    for good in ("thought", "SPEECH", "nominal"):
        queries.bind(positions, {"actor": "Bolton", "mode": good}, store)


def test_timeline(store):
    rows = run(store, "timeline", actor="Q311269")
    assert column(rows, "text") == [BOLTON_QUOTE, BOLTON_WARNED, BOLTON_PROMISED]  # dated first, then by offset
    assert column(rows, "date") == ["2018-09-10", None, None]
    assert column(rows, "cue") == ["said", "warned", "promised"]
    assert column(rows, "kind") == ["direct", "indirect", "indirect"]
    assert set(column(rows, "article")) == {ARTICLE_ID}


# --- supporters / opponents ----------------------------------------------------------------------

def test_supporters_of_campaign(store):
    rows = run(store, "supporters", target="campaign")
    assert column(rows, "supporter") == ["Iran", "Russia"]
    for r in rows:
        assert r["via"] == "relation"
        assert r["object"] == "military campaign on Idlib"
        assert r["evidence"] == "Iran and Russia have backed a military campaign on Idlib"
        assert r["article"] == ARTICLE_ID
        assert r["target"] == "campaign"
    assert column(run(store, "supporters", target="MILITARY CAMPAIGN ON IDLIB"), "supporter") == ["Iran", "Russia"]


def test_opponents_of_campaign(store):
    rows = run(store, "opponents", target="Campaign")
    assert column(rows, "opponent") == ["Turkey"]
    assert rows[0]["evidence"] == "despite Turkey's pleas for a ceasefire"


def test_supporters_none(store):
    assert run(store, "supporters", target="Turkey") == []
    assert run(store, "opponents", target="ceasefire") == []


def test_supporters_and_opponents_of_an_actor(store):
    """Target given as an actor (name or QID): relations with kg:object and statements kg:about it. A
    hypothetical relation holds no position (no kg:heldBy), so its key is under the position node: it is listed,
    flagged, in its holder's place, and counted in the total."""
    add_trig(store, f"""
    <{KGD}article/extra> {{
        kgd:relation\\/r1 a kg:Relation ; kg:relationType kgrel:supports ; kg:subject kgd:actor\\/Q159 ;
            kg:object <{KGD}actor/Organization/syrian-government> ; kg:negated false ; kg:hypothetical false ;
            prov:wasDerivedFrom <{KGD}article/extra> .
        kgd:relation\\/r2 a kg:Relation ; kg:relationType kgrel:supports ; kg:subject kgd:actor\\/Q794 ;
            kg:object <{KGD}actor/Organization/syrian-government> ; kg:negated true ; kg:hypothetical false ;
            prov:wasDerivedFrom <{KGD}article/extra> .
        kgd:relation\\/r3 a kg:Relation ; kg:relationType kgrel:supports ; kg:subject kgd:actor\\/Q43 ;
            kg:object <{KGD}actor/Organization/syrian-government> ; kg:negated false ; kg:hypothetical true ;
            prov:wasDerivedFrom <{KGD}article/extra> .
        kgd:statement\\/s1 a kg:Statement ; kg:speaker kgd:actor\\/Q311269 ; kg:stance kgst:oppose ;
            kg:about <{KGD}actor/Organization/syrian-government> ; kg:text "we oppose them" ; kg:kind "indirect" ;
            prov:wasDerivedFrom <{KGD}article/extra> .
    }}""")
    sup = run(store, "supporters", target="syrian government")
    # Iran's support is negated; Turkey's hypothetical
    assert sorted((r["supporter"], r["hypothetical"]) for r in sup) == [("Russia", False), ("Turkey", True)]
    assert {r["object"] for r in sup} == {"Syrian government"}
    assert total(store, "supporters", target="Syrian government") == 2
    opp = run(store, "opponents", target="Syrian Government")
    assert [(r["opponent"], r["via"], r["evidence"]) for r in opp] == [("John Bolton", "statement", "we oppose them")]



# --- relations -----------------------------------------------------------------------------------

def test_relations_unfiltered(store):
    rows = run(store, "relations")
    assert len(rows) == 4
    triples = {(r["subject"], r["relation_type"], r["object"]) for r in rows}
    assert triples == {
        ("Iran", "supports", "military campaign on Idlib"),
        ("Russia", "supports", "military campaign on Idlib"),
        ("Turkey", "opposes", "Military campaign on Idlib"),
        ("John Bolton", "warns", "Syrian government"),
    }
    for r in rows:
        assert r["negated"] is False and r["hypothetical"] is False
        assert r["article"] == ARTICLE_ID and r["evidence"]
        assert r["type"] is None and r["actor"] is None
    warn = next(r for r in rows if r["relation_type"] == "warns")
    assert warn["evidence"] == "national security adviser warned the Syrian government"


def test_relations_filters(store):
    assert column(run(store, "relations", type="SUPPORTS"), "subject") == ["Iran", "Russia"]
    assert column(run(store, "relations", type="opposes"), "subject") == ["Turkey"]
    assert column(run(store, "relations", actor="q43"), "relation_type") == ["opposes"]
    assert column(run(store, "relations", actor="Syrian government"), "subject") == ["John Bolton"]  # object side
    assert column(run(store, "relations", actor="Iran", type="supports"), "subject") == ["Iran"]
    assert run(store, "relations", actor="Iran", type="opposes") == []
    assert run(store, "relations", type="meets") == []


def test_relations_type_by_pref_label(store):
    add_trig(store, """<https://w3id.org/kg-news/graph/ontology> { kgrel:supports skos:prefLabel "backs"@en . }""")
    assert column(run(store, "relations", type="Backs"), "subject") == ["Iran", "Russia"]


# --- conflicts -----------------------------------------------------------------------------------

def pairs(rows):
    return [(r["actor_a"], r["actor_b"]) for r in rows]


def test_conflicts(store):
    rows = run(store, "conflicts")
    assert sorted(pairs(rows)) == [("Iran", "Turkey"), ("Russia", "Turkey")]  # each pair once, a < b
    for r in rows:
        assert r["via"] == "relation"
        assert (r["position_a"], r["position_b"]) == ("supports", "opposes")
        assert r["object"].lower() == "military campaign on idlib"
        assert r["evidence_b"] == "despite Turkey's pleas for a ceasefire"
        assert r["article_a"] == r["article_b"] == ARTICLE_ID


def test_conflicts_statements_and_exclusions(store):
    add_trig(store, f"""
    <{KGD}article/extra> {{
        kgd:statement\\/s1 a kg:Statement ; kg:speaker kgd:actor\\/Q159 ; kg:stance kgst:support ;
            kg:about <{KGD}actor/Organization/syrian-government> ; kg:text "we back them" ; kg:kind "indirect" ;
            prov:wasDerivedFrom <{KGD}article/extra> .
        kgd:statement\\/s2 a kg:Statement ; kg:speaker kgd:actor\\/Q311269 ; kg:stance kgst:oppose ;
            kg:about <{KGD}actor/Organization/syrian-government> ; kg:text "we oppose them" ; kg:kind "indirect" ;
            prov:wasDerivedFrom <{KGD}article/extra> .
        # a negated and a hypothetical opposition: no conflicts
        kgd:relation\\/r1 a kg:Relation ; kg:relationType kgrel:opposes ; kg:subject <{KGD}actor/Person/hussein-jaberi-ansari> ;
            kg:objectTopic "military  campaign on idlib" ; kg:negated true ; kg:hypothetical false ;
            prov:wasDerivedFrom <{KGD}article/extra> .
        kgd:relation\\/r2 a kg:Relation ; kg:relationType kgrel:opposes ; kg:subject <{KGD}actor/Organization/syrian-government> ;
            kg:objectTopic "Military Campaign on Idlib" ; kg:negated false ; kg:hypothetical true ;
            prov:wasDerivedFrom <{KGD}article/extra> .
    }}""")
    rows = run(store, "conflicts")
    assert sorted(pairs(rows)) == [("Iran", "Turkey"), ("John Bolton", "Russia"), ("Russia", "Turkey")]
    st = next(r for r in rows if r["via"] == "statement")
    assert (st["actor_a"], st["position_a"], st["actor_b"], st["position_b"]) == ("John Bolton", "oppose", "Russia", "support")
    assert st["object"] == "Syrian government"
    assert (st["evidence_a"], st["evidence_b"]) == ("we oppose them", "we back them")



def test_conflicts_order_and_total(store):
    """Pairs of one target come by actor_a's label, then actor_b's; an actor on both sides is not paired with
    itself, and the total counts the rows. Labels that differ only after their 17th character are ordered by
    kg:actorKey (the query's header says so)."""
    from kg import queries

    people = {"p1": "Secretary of State Ann", "p2": "Secretary of Defense Bo", "p3": "Carla Diaz", "p4": "Ann Lee"}
    facts = [("p1", "support"), ("p2", "support"), ("p3", "support"), ("p2", "oppose"), ("p4", "oppose")]
    # on 'a budget' (which sorts first) one actor takes both sides: no row
    topics = ["the budget plan"] * len(facts) + ["a budget", "a budget"]
    facts += [("p3", "support"), ("p3", "oppose")]
    trig = "".join(f"""
        kgd:actor\\/Person\\/{k} a kg:Person ; rdfs:label "{v}" ; skos:altLabel "{v}" .""" for k, v in people.items())
    trig += "".join(f"""
        kgd:statement\\/o{i} a kg:Statement ; kg:speaker kgd:actor\\/Person\\/{who} ; kg:stance kgst:{stance} ;
            kg:topic "{topic}" ; kg:text "text {i}" ; kg:kind "indirect" ;
            prov:wasDerivedFrom <{KGD}article/order> .""" for i, ((who, stance), topic) in enumerate(zip(facts, topics)))
    add_trig(store, f"<{KGD}article/order> {{ {trig} }}")
    rows = [r for r in run(store, "conflicts") if r["object"] == "the budget plan"]
    assert [(r["actor_a"], r["position_a"], r["actor_b"], r["position_b"]) for r in rows] == [
        ("Ann Lee", "oppose", "Carla Diaz", "support"),
        ("Ann Lee", "oppose", "Secretary of Defense Bo", "support"),
        ("Ann Lee", "oppose", "Secretary of State Ann", "support"),
        ("Carla Diaz", "support", "Secretary of Defense Bo", "oppose"),
        ("Secretary of Defense Bo", "oppose", "Secretary of State Ann", "support"),
    ]
    whole = run(store, "conflicts")
    assert "a budget" not in column(whole, "object")
    assert total(store, "conflicts") == len(whole)
    # pages of one row, put together, are the whole answer
    pages = [queries.answer(Union(store), "conflicts", limit=1, offset=n).rows for n in range(len(whole) + 1)]
    assert [p[0][0].value for p in pages[:-1]] == column(whole, "actor_a") and pages[-1] == []


# --- provenance ----------------------------------------------------------------------------------

def test_provenance_unfiltered(store):
    rows = run(store, "provenance")
    assert len(rows) == 10  # 6 statements + 4 relations
    assert sorted(column(rows, "kind")) == ["Relation"] * 4 + ["Statement"] * 6
    text = (ROOT / "seeds" / "idlib-geneva-talks-2018-09-11.txt").read_text(encoding="utf-8-sig")
    for r in rows:
        assert r["article"] == ARTICLE_ID and r["published"] == "2018-09-11T22:25:00"
        assert r["rule"] and 0 < r["confidence"] <= 1
        assert text[r["begin"]:r["end"]] == r["span_text"]
        assert r["span"] == f"{ARTICLE}#char={r['begin']},{r['end']}"
        assert r["span_text"] in r["sentence"] or r["sentence"] in r["span_text"] or r["kind"] == "Statement"
    assert column(rows, "begin") == sorted(column(rows, "begin"))


def test_provenance_filters(store):
    rows = run(store, "provenance", actor="Bolton")
    assert sorted(column(rows, "kind")) == ["Relation", "Statement", "Statement", "Statement"]
    by_hex = run(store, "provenance", fact="eab1ce3c4a7c86bd")
    assert len(by_hex) == 1
    rel = by_hex[0]
    assert rel["fact_iri"] == KGD + "relation/eab1ce3c4a7c86bd" and rel["kind"] == "Relation"
    assert (rel["begin"], rel["end"]) == (1422, 1476)
    assert rel["rule"] == "verb-relation:warn" and rel["confidence"] == 0.8
    assert rel["sentence"].startswith("President Donald Trump’s national security adviser warned")
    full = run(store, "provenance", fact=KGD + "statement/dda98e9d95b4b805")
    assert column(full, "kind") == ["Statement"] and full[0]["span_text"] == BOLTON_QUOTE
    assert len(run(store, "provenance", fact=KGD + "statement/dda98e9d95b4b805", actor="bolton")) == 1
    assert run(store, "provenance", fact=KGD + "statement/dda98e9d95b4b805", actor="Turkey") == []
    assert len(run(store, "provenance", actor="syrian government")) == 2  # object of a relation, about of a statement
