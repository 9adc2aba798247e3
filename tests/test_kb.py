"""The offline Wikidata knowledge base: alias keys, candidates, CSV and dump imports, the default KB, and a check of
every QID written into the project by hand against the shared Wikidata reference tables. No spaCy here."""
from __future__ import annotations

import bz2
import csv
import gzip
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest

from kg import lexicons
from kg.errors import ConfigError, InputError
from kg.link import default_kb as defaults
from kg.link import imports
from kg.link import kb as K
from kg.link.kb import KbEntity, KnowledgeBase, Position
from kg.names import normalise

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE = SHARED / "reference" / "wikidata"


@pytest.fixture(autouse=True)
def _private_kb(tmp_path, monkeypatch):
    """Nothing in these tests may write to the user's cache."""
    monkeypatch.setenv("KG_KB", str(tmp_path / "default-kb.sqlite"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The default KB, built once for the module: (path, seconds it took)."""
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    start = time.perf_counter()
    defaults.open_default(path).close()
    return path, time.perf_counter() - start


@pytest.fixture
def default_kb(built):
    with KnowledgeBase(built[0]) as kb:
        yield kb


def matches(kb: KnowledgeBase, name: str) -> list[tuple[str, str]]:
    return [(e.qid, how) for e, how in kb.candidates(name)]


# --- names and candidates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, qid, how", [
    ("Bashar Assad", "Q44329", "exact"),
    ("bashar al-assad", "Q44329", "exact"),
    ("BASHAR AL ASSAD", "Q44329", "exact"),
    ("Assad", "Q44329", "surname"),
    ("al-Assad", "Q44329", "surname"),
    ("Bolton", "Q311269", "surname"),
    ("John Bolton's", "Q311269", "exact"),
    ("U.S.", "Q30", "exact"),
    ("United States", "Q30", "exact"),
    ("the United States", "Q30", "exact"),
    ("the British", "Q145", "exact"),
    ("Turkey", "Q43", "exact"),
    ("Erdogan", "Q39259", "surname"),
    ("Geneva", "Q71", "exact"),
    ("United Nations", "Q1065", "exact"),
    ("Hosseini Khamenei", "Q57336", "partial"),
])
def test_candidates(default_kb, name, qid, how):
    assert (qid, how) in matches(default_kb, name)


def test_candidates_order_and_limit(default_kb):
    found = matches(default_kb, "Geneva")
    assert found[:2] == [("Q71", "exact"), ("Q11917", "exact")]  # the city before the canton: both returned
    assert len(default_kb.candidates("Geneva", limit=1)) == 1
    clintons = matches(default_kb, "Clinton")
    assert {"Q6294", "Q1124"} <= {q for q, _ in clintons}
    kinds = [how for _, how in matches(default_kb, "United States")]
    assert kinds == sorted(kinds, key=["exact", "surname", "partial"].index)


def test_the_end_of_an_organisations_name_is_no_candidate_and_a_patronymic_no_surname(tmp_path):
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        kb.add([KbEntity("Q47423", "United Nations General Assembly", kind="Organization"),
                KbEntity("Q6892571", "Mohammad bin Salman", kind="Person"),
                KbEntity("Q10296812", "Mohammad Javad Zarif", kind="Person")])
        assert matches(kb, "General Assembly") == []  # Virginia's is not the UN's
        assert matches(kb, "Salman") == []  # King Salman is not his son
        assert matches(kb, "Javad Zarif") == [("Q10296812", "partial")]


@pytest.mark.parametrize("name", ["", "  ", "...", "Nobody Whatsoever"])
def test_no_candidates(default_kb, name):
    assert default_kb.candidates(name) == []


def test_kind_of_and_types_table():
    types = lexicons.load("wikidata_types")
    assert types and all(v["kind"] in K.KINDS and v["label"] for v in types.values())
    assert all(K.QID_PATTERN.match(q) for q in types)
    assert K.kind_of(["Q5"]) == "Person" and K.kind_of(["Q3624078"]) == "Country"
    assert K.kind_of(["Q7278"]) == "Organization" and K.kind_of(["Q41710"]) == "Group"
    assert K.kind_of(["Q1549591"]) == "Place" and K.kind_of([]) is None


# --- the store ------------------------------------------------------------------------------------------------

def test_add_get_upsert_and_meta(tmp_path):
    bolton = KbEntity("Q311269", "John Bolton", "adviser", ("John R. Bolton",), ("Q5",), "Person", ("Q30",),
                      (Position("Q1414246", "National Security Advisor", "2018-04-09", "2019-09-10", "Q30"),),
                      10, "one")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        assert len(kb) == 0 and kb.get("Q311269") is None
        assert kb.add([bolton, KbEntity("Q30", "United States", kind="Country", source="one")]) == 2
        assert kb.get("Q311269") == bolton
        assert kb.add([KbEntity("Q311269", "John Bolton", aliases=("John Robert Bolton",), popularity=5,
                                source="two")]) == 1
        merged = kb.get("Q311269")
        assert merged.aliases == ("John R. Bolton", "John Robert Bolton")
        assert merged.positions == bolton.positions and merged.kind == "Person" and merged.popularity == 10
        assert merged.description == "adviser" and merged.source == "one+two"
        assert ("Q311269", "exact") in matches(kb, "John Robert Bolton")
        assert len(kb) == 2 and list(kb.qids()) == ["Q30", "Q311269"] and "Q30" in kb
        loaded = kb.loaded()
        assert loaded["one"]["count"] == 2 and loaded["two"]["count"] == 1 and loaded["one"]["date"]
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:  # reopened: it was committed
        assert len(kb) == 2


def test_the_state_for_content_hashes_changes_with_the_content_not_the_day(tmp_path):
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        kb.add([KbEntity("Q30", "United States", kind="Country", source="one")])
        before = kb.state()
        loaded = kb.loaded()
        loaded["one"]["date"] = "1999-12-31"  # the same KB built on another day
        with kb._db:
            kb._set_meta("loaded", loaded)
        assert kb.state() == before
        kb.add([KbEntity("Q311269", "John Bolton", kind="Person", source="one")])
        assert kb.state() != before


def test_unusable_kb_files(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all " * 100)
    with pytest.raises(ConfigError, match="KG_KB"):
        KnowledgeBase(junk)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE something (x)")
    with pytest.raises(ConfigError, match="schema"):
        KnowledgeBase(other)
    with pytest.raises(ConfigError):
        KnowledgeBase(tmp_path)  # a folder


# --- CSV ------------------------------------------------------------------------------------------------------

def test_add_csv(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("qid,label,aliases,description,kind,country\n"
                 "Q1,Hussein Jaberi Ansari,Jaberi Ansari|Hossein Jaberi Ansari,Iranian diplomat,person,Q794\n"
                 "Q2,White Helmets,Syria Civil Defence,,Organization,Q858|Q43\n", encoding="utf-8")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        assert imports.add_csv(kb, f) == 2
        ansari = kb.get("Q1")
        assert ansari.kind == "Person" and ansari.countries == ("Q794",) and "Jaberi Ansari" in ansari.aliases
        assert kb.get("Q2").countries == ("Q858", "Q43") and kb.get("Q2").description == ""
        assert ("Q1", "surname") in matches(kb, "Ansari")
        assert kb.loaded()["csv:mine.csv"]["count"] == 2


def test_add_csv_positions_merge_per_person(tmp_path):
    f = tmp_path / "holders.csv"
    f.write_text("qid,label,kind,country,position,start,end\n"
                 "Q11696,President of the United States,Organization,Q30,,,\n"
                 "Q7,Some Body,Person,Q30,Q11696,2001-01-20,2009\n"
                 "Q7,Some Body,Person,Q30,Q11699,1993,\n", encoding="utf-8")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        imports.add_csv(kb, f)
        body = kb.get("Q7")
        assert len(kb) == 2
        assert sorted((p.qid, p.start, p.end, p.country) for p in body.positions) == [
            ("Q11696", "2001-01-20", "2009", "Q30"), ("Q11699", "1993", None, "Q30")]
        # the office's label comes from the KB when it has the office
        assert {p.qid: p.label for p in body.positions} == {"Q11696": "President of the United States", "Q11699": ""}


@pytest.mark.parametrize("row, message", [
    ("Q0,Zero,,,,", "qid 'Q0'"),
    ("42,Answer,,,,", "qid '42'"),
    ("Q5,,,,,", "the label of Q5"),
    ("Q5,Somebody,,,Robot,", "kind 'Robot'"),
    ("Q5,Somebody,,,Person,USA", "country 'USA'"),
    ("Q5,Somebody,,,Person,Q30,President,2001,", "position 'President'"),
    ("Q5,Somebody,,,Person,Q30,,2001,", "position ''"),
    ("Q5,Somebody,,,Person,Q30,Q11696,20 January 2001,", "start '20 January 2001'"),
    ("Q5,Somebody,,,Person,Q30,Q11696,2018-13-45,", "start '2018-13-45'"),
    ("Q5,Somebody,,,Person,Q30,Q11696,2018-01-01,2018-02-30", "end '2018-02-30'"),
])
def test_add_csv_bad_row(tmp_path, row, message):
    f = tmp_path / "bad.csv"
    f.write_text(f"qid,label,aliases,description,kind,country,position,start,end\nQ3,Fine,,,Place,\n{row}\n",
                 encoding="utf-8")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        with pytest.raises(InputError, match=f"line 3: {re.escape(message)}"):
            imports.add_csv(kb, f)
        assert len(kb) == 0  # nothing written from a file with a bad row


def test_a_date_that_is_no_date_from_any_source_is_not_kept(tmp_path):
    """A dump or an endpoint may send 2018-02-30: the KB keeps the position without it, so kg enrich never
    writes an ill-typed literal."""
    body = K.KbEntity("Q7", "Some Body", kind="Person",
                      positions=(K.Position("Q11696", "", "2018-02-30", "2019-13-01"), K.Position("Q1", "", "2018", "")))
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        kb.add([body])
        assert [(p.start, p.end) for p in kb.get("Q7").positions] == [(None, None), ("2018", None)]


def test_add_csv_bad_header(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("id,name\nQ1,x\n", encoding="utf-8")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb, pytest.raises(InputError, match="columns"):
        imports.add_csv(kb, f)


# --- Wikidata dump --------------------------------------------------------------------------------------------

def _claim(value_id: str, qualifiers: dict | None = None, rank: str = "normal") -> dict:
    claim = {"mainsnak": {"snaktype": "value", "property": "P", "datavalue": {
        "value": {"entity-type": "item", "id": value_id}, "type": "wikibase-entityid"}}, "rank": rank}
    if qualifiers:
        claim["qualifiers"] = qualifiers
    return claim


def _time(prop: str, value: str, precision: int = 11) -> dict:
    return {prop: [{"snaktype": "value", "property": prop,
                    "datavalue": {"value": {"time": value, "precision": precision}, "type": "time"}}]}


DUMP_ENTITIES = [
    {"type": "item", "id": "Q311269",
     "labels": {"en": {"language": "en", "value": "John Bolton"}, "fr": {"language": "fr", "value": "John Bolton"}},
     "descriptions": {"en": {"language": "en", "value": "American diplomat"}},
     "aliases": {"en": [{"language": "en", "value": "John R. Bolton"}]},
     "claims": {"P31": [_claim("Q5")], "P27": [_claim("Q30")],
                "P39": [_claim("Q1414246", {**_time("P580", "+2018-04-09T00:00:00Z"),
                                            **_time("P582", "+2019-09-10T00:00:00Z")}),
                        _claim("Q1785225", _time("P580", "+2005-00-00T00:00:00Z", 9))]},
     "sitelinks": {"enwiki": {}, "frwiki": {}, "dewiki": {}}},
    {"type": "item", "id": "Q71", "labels": {"en": {"language": "en", "value": "Geneva"}},
     "claims": {"P31": [_claim("Q515")], "P17": [_claim("Q39")]}, "sitelinks": {"enwiki": {}}},
    {"type": "item", "id": "Q1414246", "labels": {"en": {"language": "en", "value": "National Security Advisor"}},
     "claims": {"P31": [_claim("Q4164871")]}},  # a position: not in the type filter
    {"type": "item", "id": "Q99999", "labels": {"de": {"language": "de", "value": "Nur Deutsch"}},
     "claims": {"P31": [_claim("Q5", rank="deprecated")]}},  # its only P31 is deprecated
]


def _write_dump(path: Path, opener=gzip.open) -> Path:
    lines = ["["] + [json.dumps(e) + "," for e in DUMP_ENTITIES] + ['{"type": "item", "id": "Q1", broken,', "]"]
    with opener(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("name, opener", [("dump.json.gz", gzip.open), ("dump.json.bz2", bz2.open),
                                          ("dump.json", open)])
def test_import_dump(tmp_path, name, opener):
    dump = _write_dump(tmp_path / name, opener)
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        assert imports.import_dump(kb, dump) == 2
        assert sorted(kb.qids()) == ["Q311269", "Q71"]
        bolton = kb.get("Q311269")
        assert (bolton.kind, bolton.types, bolton.countries) == ("Person", ("Q5",), ("Q30",))
        assert bolton.description == "American diplomat" and bolton.aliases == ("John R. Bolton",)
        assert bolton.popularity == 3
        assert bolton.positions == (Position("Q1414246", "", "2018-04-09", "2019-09-10"),
                                    Position("Q1785225", "", "2005-01-01", None))  # a year, as online
        assert kb.get("Q71").kind == "Place" and kb.get("Q71").countries == ("Q39",)
        assert kb.loaded()[f"wikidata:{name}"]["malformed"] == 1
        assert ("Q311269", "surname") in matches(kb, "Bolton")


def test_import_dump_types_and_position_labels(tmp_path):
    dump = _write_dump(tmp_path / "dump.json.gz")
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        assert imports.import_dump(kb, dump, types={"Q5", "Q4164871"}) == 2
        assert kb.get("Q71") is None
        assert kb.get("Q311269").positions[0].label == "National Security Advisor"  # named after its entity


def test_import_dump_unusable(tmp_path):
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        with pytest.raises(InputError, match="missing.json.gz"):
            imports.import_dump(kb, tmp_path / "missing.json.gz")
        text = tmp_path / "notes.txt"
        text.write_text("hello\nworld\n")
        with pytest.raises(InputError, match="no Wikidata entity"):
            imports.import_dump(kb, text)
        truncated = tmp_path / "cut.json.gz"
        truncated.write_bytes(gzip.compress(b"[\n" + b'{"id": "Q1"},\n' * 1000)[:-12])  # no trailer
        with pytest.raises(InputError, match="cut.json.gz"):
            imports.import_dump(kb, truncated)


# --- the default KB -------------------------------------------------------------------------------------------

def test_default_path(tmp_path, monkeypatch):
    assert defaults.default_path() == tmp_path / "default-kb.sqlite"
    monkeypatch.delenv("KG_KB")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert defaults.default_path() == tmp_path / "cache" / "kg" / f"kb-{K.SCHEMA_VERSION}.sqlite"


def test_build_default(default_kb, built):
    assert built[1] < 10, f"building the default KB took {built[1]:.1f} s"
    assert len(default_kb) > 600
    for qid, kind in [("Q30", "Country"), ("Q858", "Country"), ("Q11917", "Place"), ("Q1065", "Organization"),
                      ("Q458", "Organization"), ("Q44329", "Person"), ("Q311269", "Person"), ("Q22686", "Person"),
                      ("Q71", "Place"), ("Q233218", "Place")]:
        assert default_kb.get(qid).kind == kind, qid
    assert default_kb.get("Q11917").countries == ("Q39",)  # the canton of Geneva is in Switzerland
    bolton = default_kb.get("Q311269")
    assert Position("Q1414246", "National Security Advisor", "2018-04-09", "2019-09-10", "Q30") in bolton.positions
    un = default_kb.get("Q1065")
    assert un.source == "rigour+curated" and "U.N." in un.aliases
    assert set(default_kb.loaded()) == {"rigour", "curated"}


def test_open_default_builds_once(tmp_path):
    path = defaults.default_path()
    assert not path.exists()
    with defaults.open_default() as kb:
        assert len(kb) > 600
    stamp = path.stat().st_mtime_ns
    time.sleep(0.01)
    with defaults.open_default() as kb:
        assert len(kb) > 600
    assert path.stat().st_mtime_ns == stamp
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_open_default_rebuilds_a_stale_default_only(tmp_path):
    path = defaults.default_path()
    with defaults.open_default() as kb:
        kb.set_fingerprint("built-from-an-older-rigour")
    with defaults.open_default() as kb:
        assert kb.fingerprint() == defaults.fingerprint()  # rebuilt
        kb.add([KbEntity("Q1", "Mine", source="csv:mine.csv")])
        kb.set_fingerprint("built-from-an-older-rigour")
    with defaults.open_default(path) as kb:
        assert "Q1" in kb  # a KB with the user's own additions is never thrown away


# --- every QID written by hand, against the reference tables ---------------------------------------------------

# QIDs no reference table carries, each with where it was verified. Keep this short.
VERIFIED_ELSEWHERE = {
    "Q71": "Geneva",  # shared/reference/wikidata/README.md, "Verified elsewhere"
    "Q233218": "Idlib Governorate",  # shared/eval/seed-gold.json
    "Q55": "Netherlands",  # shared/eval/aida-dev.jsonl (the country; the reference tables give the Kingdom)
    "Q35": "Denmark",  # shared/eval/aida-dev.jsonl (the country; the reference tables give the Danish Realm)
    "Q60": "New York City",  # shared/eval/aida-dev.jsonl
}


def _in_gold(qid: str, label: str) -> bool:
    """Whether a gold file of ../shared/eval links ``label`` to ``qid``."""
    gold = SHARED / "eval" / "seed-gold.json"
    if gold.is_file() and any(x.get("qid") == qid and x.get("name") == label
                              for x in json.loads(gold.read_text())["entities"]):
        return True
    aida = SHARED / "eval" / "aida-dev.jsonl"
    if not aida.is_file():
        return False
    with aida.open(encoding="utf-8") as fh:
        return any(x.get("qid") == qid and x.get("name") == label
                   for line in fh for x in json.loads(line)["labels"])


def _reference_names() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """QID -> names, and person QID -> start dates/years of the offices they held, from every reference table."""
    names: dict[str, set[str]] = {}
    starts: dict[str, set[str]] = {}

    def note(qid: str | None, *labels: str | None) -> None:
        if qid and re.fullmatch(r"Q\d+", qid):
            names.setdefault(qid, set()).update(x for x in labels if x)

    for f in sorted(REFERENCE.glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if "personID" in row:
                    note(row["personID"], row["person"])
                    starts.setdefault(row["personID"], set()).add(row["start"] or "")
                elif "officeholder" in row:
                    note(row["countryid"], row["country"])
                    note(row["position"], row["positionLabel"])
                    note(row["officeholder"], row["officeholderLabel"])
                    starts.setdefault(row["officeholder"], set()).add(row["start_year"] or "")
                else:
                    note(row["id"], row["position"], row.get("enwiki"))
    text = (REFERENCE / "international-organisations.yaml").read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", text):
        code = re.search(r"^\s+Wikidata_code:\s*'?(Q\d+)", block, re.M)
        if code:
            fields = [re.search(rf"^\s+{k}:\s*(.+)$", block, re.M) for k in ("Name_en", "Abbreviation_en")]
            note(code.group(1), block.split("\n", 1)[0].rstrip(":"), *(m.group(1).strip("'\" ") for m in fields if m))
    # The installed rigour territories carry Wikidata ids too (the project's own source for countries).
    from rigour.territories import get_territories
    strong = defaults._rigour_names()
    for t in get_territories():
        for qid in t.qids:
            note(qid, t.name, t.full_name, *strong.get(t.code, ()))
    return names, starts


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} is absent")
    return _reference_names()


def _known(qid: str, wanted: list[str], names: dict[str, set[str]]) -> bool:
    keys = {normalise(n) for n in names.get(qid, ())}
    return any(normalise(w) in keys for w in wanted)


def test_curated_qids_against_reference(reference):
    names, starts = reference
    curated = json.loads((Path(K.__file__).parent / "curated.json").read_text(encoding="utf-8"))["entities"]
    qids = [e["qid"] for e in curated]
    assert len(qids) == len(set(qids)), "a QID is listed twice"
    types = lexicons.load("wikidata_types")
    readme = (REFERENCE / "README.md").read_text(encoding="utf-8")
    problems = []
    for e in curated:
        qid, label = e["qid"], e["label"]
        if qid in names:
            if not _known(qid, [label, *e.get("aliases", ())], names):
                problems.append(f"{qid} {label!r}: the reference calls it {sorted(names[qid])}")
        elif VERIFIED_ELSEWHERE.get(qid) != label:
            problems.append(f"{qid} {label!r} is in no reference table and not in VERIFIED_ELSEWHERE")
        assert e["kind"] in K.KINDS, qid
        problems += [f"{qid}: type {t} is not in wikidata_types.json" for t in e.get("types", ()) if t not in types]
        problems += [f"{qid}: country {c} is unknown" for c in e.get("countries", ()) if c not in names]
        for p in e.get("positions", ()):
            if not _known(p["qid"], [p["label"]], names):
                problems.append(f"{qid}: position {p['qid']} {p['label']!r} is {sorted(names.get(p['qid'], []))}")
            if p.get("country") and p["country"] not in names:
                problems.append(f"{qid}: position country {p['country']} is unknown")
            held = starts.get(qid, set())
            if held and p.get("start") and p["start"] not in held and p["start"][:4] not in held:
                problems.append(f"{qid}: {p['label']} from {p['start']}, the reference has {sorted(held)}")
    for qid, label in VERIFIED_ELSEWHERE.items():
        assert f"{label} {qid}" in readme or _in_gold(qid, label), f"{qid} {label} is verified nowhere"
    assert not problems, "\n".join(problems)


def test_territory_corrections_are_verified(reference):
    """territories.json: the country item given instead of rigour's wider state is verified, and the state it
    replaces is the one rigour gives that territory."""
    from rigour.territories import get_territory

    fixes = defaults._territory_fixes()
    for code, qid in fixes["country_items"].items():
        t = get_territory(code)
        assert t is not None and t.qid != qid, code
        assert VERIFIED_ELSEWHERE.get(qid) == t.name or _known(qid, [t.name], reference[0]), (code, qid)
    assert all(get_territory(code) is not None for code in [*fixes["unlinked"], *fixes["aliases"]])
    for code, label in fixes["labels"].items():  # the name the reference tables give the item
        qid = get_territory(code).qid
        assert _known(qid, [label], reference[0]), (code, qid, label, sorted(reference[0].get(qid, ())))


@pytest.mark.parametrize("name, qid", [
    ("Netherlands", "Q55"), ("Holland", "Q55"), ("Kingdom of the Netherlands", "Q29999"), ("Denmark", "Q35"),
    ("Britain", "Q145"), ("Soviet Union", "Q15180"), ("East Germany", "Q16957"), ("Yugoslavia", None),
    ("Turkey", "Q43"), ("Türkiye", "Q43"), ("Ivory Coast", "Q1008"), ("Côte d'Ivoire", "Q1008"),
    ("Zaire", None), ("Tunisia", "Q948"), ("Tunis", None)])
def test_a_country_name_is_the_country_news_means_and_an_unverified_historical_state_nothing(default_kb, name, qid):
    assert [e.qid for e, _ in default_kb.candidates(name)] == ([qid] if qid else [])


def test_a_capital_rigour_names_its_country_by_is_no_country_name():
    from kg.extract.entities import country_name

    # rigour counts 'Tunis' among Tunisia's names; a 'TUNIS' dateline is the city
    assert (country_name("Tunisia"), country_name("TUNIS"), country_name("Tunis")) == ("Tunisia", None, None)


def test_type_qids_against_reference(reference):
    names, _ = reference
    types = lexicons.load("wikidata_types")
    wrong = [f"{qid} {v['label']!r}: the reference calls it {sorted(names[qid])}"
             for qid, v in types.items() if qid in names and not _known(qid, [v["label"]], names)]
    assert not wrong, "\n".join(wrong)


def test_a_knowledge_base_another_process_is_writing_is_busy_not_broken(tmp_path, monkeypatch):
    """Once, a KB in the middle of 'kg kb add' was called unusable, with the advice to delete it."""
    import sqlite3

    from kg.errors import StoreLockedError

    path = tmp_path / "kb.sqlite"
    KnowledgeBase(path).close()
    writer = sqlite3.connect(path)
    writer.execute("BEGIN EXCLUSIVE")  # what a writer holds while it commits
    monkeypatch.setattr(K, "BUSY_TIMEOUT", 0.2)
    try:
        with pytest.raises(StoreLockedError, match="busy.*try again") as info:
            KnowledgeBase(path)
        assert "delete" not in str(info.value)
    finally:
        writer.rollback()
        writer.close()
    with KnowledgeBase(path) as kb:  # and usable once the writer is done
        assert len(kb) == 0
