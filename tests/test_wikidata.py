"""kg.link.http, kg.link.sparql_pages, kg.link.wikidata and kg.link.wikibase against real HTTP servers on loopback
(pytest-httpserver); nothing here leaves the machine.

Time is faked (injected sleep and clock), so retries, backoff and rate limits are checked without waiting; the one
test that needs a real wait (a read timeout) uses a 0.3 s timeout.
"""
from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pyoxigraph
import pytest
from werkzeug import Request, Response

import kg
from kg.errors import WikidataError
from kg.link import http as web
from kg.link import sparql_pages, wikibase, wikidata
from kg.link.http import Http
from kg.link.imports import import_dump
from kg.link.kb import KnowledgeBase, Position
from kg.link.sparql_pages import fetch_sparql
from kg.link.wikidata import OnlineWikidata

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RQ = ROOT / "queries" / "kb" / "default.rq"
WD = "http://www.wikidata.org/entity/"


class FakeTime:
    """A clock that only moves when slept on; records every sleep."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake():
    return FakeTime()


@pytest.fixture
def http(fake):
    with Http(sleep=fake.sleep, clock=fake.clock) as h:
        yield h


def uri(qid: str) -> dict:
    return {"type": "uri", "value": WD + qid}


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> dict:
    term = {"type": "literal", "value": value}
    if lang:
        term["xml:lang"] = lang
    if datatype:
        term["datatype"] = datatype
    return term


def results(rows: list[dict], variables=("item",)) -> dict:
    return {"head": {"vars": list(variables)}, "results": {"bindings": rows}}


XSD_DT = "http://www.w3.org/2001/XMLSchema#dateTime"
BOLTON_ROWS = [
    {"item": uri("Q311269"), "itemLabel": lit("John Bolton", "en"),
     "itemDescription": lit("American diplomat and lawyer", "en"),
     "sitelinks": lit("57", datatype="http://www.w3.org/2001/XMLSchema#integer"),
     "alias": lit("John Robert Bolton", "en"), "unknownVar": lit("ignored")},
    {"item": uri("Q311269"), "itemLabel": lit("John Bolton", "en"),
     "sitelinks": lit("57", datatype="http://www.w3.org/2001/XMLSchema#integer"),
     "position": uri("Q1414246"), "positionLabel": lit("United States National Security Advisor", "en"),
     "start": lit("2018-04-09T00:00:00Z", datatype=XSD_DT), "end": lit("2019-09-10T00:00:00Z", datatype=XSD_DT),
     "positionCountry": uri("Q30")},
]
CITY_ROW = {"item": uri("Q1490"), "itemLabel": lit("Tokyo", "en"), "type": uri("Q1549591"),
            "country": uri("Q17"), "sitelinks": lit("300")}


# ----------------------------------------------------------------------------------------------------------------
# fetch_sparql


def test_fetch_sparql_pages_and_groups_rows_per_item(httpserver, http, fake):
    seen = []

    def answer(request: Request) -> Response:
        seen.append(request)
        page = results(BOLTON_ROWS) if "OFFSET 0" in request.args["query"] else results([CITY_ROW])
        return Response(json.dumps(page), content_type="application/sparql-results+json")

    httpserver.expect_request("/sparql", method="GET").respond_with_handler(answer)
    query = "SELECT * WHERE { ?item ?p ?o } ORDER BY ?item # a trailing comment"
    entities = list(fetch_sparql(httpserver.url_for("/sparql"), query, page_size=2, http=http))

    assert [r.args["query"].splitlines()[-1] for r in seen] == ["LIMIT 2 OFFSET 0", "LIMIT 2 OFFSET 2"]
    first = seen[0]
    assert first.args["query"].startswith(query)
    assert first.headers["Accept"] == "application/sparql-results+json"
    assert first.headers["User-Agent"].startswith("kg/")
    assert "python-requests/" in first.headers["User-Agent"]
    assert entities == [
        {"qid": "Q311269", "label": "John Bolton", "description": "American diplomat and lawyer",
         "aliases": ["John Robert Bolton"], "types": [], "countries": [],
         "positions": [{"qid": "Q1414246", "label": "United States National Security Advisor",
                        "start": "2018-04-09", "end": "2019-09-10", "country": "Q30"}],
         "popularity": 57},
        {"qid": "Q1490", "label": "Tokyo", "description": None, "aliases": [], "types": ["Q1549591"],
         "countries": ["Q17"], "positions": [], "popularity": 300},
    ]
    assert fake.sleeps == [1.0]  # the rate limit: one request per second by default


def test_fetch_sparql_merges_an_item_split_across_pages(httpserver, http):
    """Without ORDER BY ?item, rows of one item may come on different pages; they still make one entity."""
    bolton_alias, bolton_position = BOLTON_ROWS
    pages = iter([results([bolton_alias, CITY_ROW]), results([bolton_position])])
    httpserver.expect_request("/sparql").respond_with_handler(lambda r: Response(json.dumps(next(pages))))
    entities = list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", page_size=2,
                                 http=http))
    assert [e["qid"] for e in entities] == ["Q311269", "Q1490"]
    assert entities[0]["aliases"] == ["John Robert Bolton"]
    assert [p["qid"] for p in entities[0]["positions"]] == ["Q1414246"]
    assert len(httpserver.log) == 2


def test_an_endpoint_that_ignores_offset_is_an_error_not_an_endless_loop(httpserver, http):
    rows = [{**row, "item": uri("Q9000050"), "itemLabel": lit("Jane Example", "en")} for row in BOLTON_ROWS]
    httpserver.expect_request("/sparql").respond_with_json(results(rows))
    with pytest.raises(WikidataError, match="ignores OFFSET"):
        list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", page_size=2, http=http))
    assert len(httpserver.log) == 2


def test_more_full_pages_than_max_pages_is_an_error_not_a_silent_cut(httpserver, http):
    def page(request: Request) -> Response:  # two new items on every page, for ever
        offset = int(re.search(r"OFFSET (\d+)", request.args["query"]).group(1))
        rows = [{"item": uri(f"Q{offset + i + 1}"), "itemLabel": lit(f"item {offset + i}")} for i in range(2)]
        return Response(json.dumps(results(rows)), content_type="application/sparql-results+json")

    httpserver.expect_request("/sparql").respond_with_handler(page)
    with pytest.raises(WikidataError, match="after 3 pages"):
        list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", page_size=2, max_pages=3,
                          http=http))
    assert len(httpserver.log) == 3


def test_an_endpoint_that_trickles_its_answer_meets_the_deadline(httpserver):
    """One byte at a time never trips a read timeout; the deadline counts the whole request."""
    def trickle(request: Request) -> Response:
        def body():
            for byte in json.dumps(results([CITY_ROW])).encode():
                time.sleep(0.2)
                yield bytes([byte])
        return Response(body(), content_type="application/sparql-results+json")

    httpserver.expect_request("/sparql").respond_with_handler(trickle)
    started = time.monotonic()
    with Http(deadline=1.0) as slow, pytest.raises(WikidataError, match="did not finish within 1 s"):
        list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=slow))
    assert time.monotonic() - started < 10


def test_bindings_that_are_not_objects_and_counts_that_are_not_numbers_are_skipped(httpserver, http):
    rows = [1, "x", None, [CITY_ROW], {**CITY_ROW, "sitelinks": lit("1e400")},
            {**BOLTON_ROWS[0], "sitelinks": lit("nan")}, {"item": uri("Q2"), "sitelinks": lit("1e300")}]
    httpserver.expect_request("/sparql").respond_with_json(results(rows))
    entities = {e["qid"]: e for e in fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }",
                                                  http=http)}
    assert set(entities) == {"Q1490", "Q311269", "Q2"}
    assert entities["Q1490"]["popularity"] == entities["Q311269"]["popularity"] == 0
    assert entities["Q2"]["popularity"] == sparql_pages.MAX_SITELINKS


def test_a_long_query_goes_by_post(httpserver, http):
    seen = []

    def answer(request: Request) -> Response:
        seen.append(request)
        return Response(json.dumps(results([CITY_ROW])), content_type="application/sparql-results+json")

    httpserver.expect_request("/sparql", method="POST").respond_with_handler(answer)
    query = "# " + "padding " * 200 + "\nSELECT * WHERE { ?item ?p ?o }"
    assert len(query) > 1500
    entities = list(fetch_sparql(httpserver.url_for("/sparql"), query, page_size=10, http=http))
    assert [e["qid"] for e in entities] == ["Q1490"]
    (request,) = seen
    assert request.mimetype == "application/x-www-form-urlencoded"
    assert request.form["query"] == query + "\nLIMIT 10 OFFSET 0"
    assert request.headers["Accept"] == "application/sparql-results+json"
    assert not request.args


def test_429_waits_for_retry_after_then_succeeds(httpserver, http, fake):
    httpserver.expect_ordered_request("/sparql").respond_with_data("Too Many Requests", status=429,
                                                                    headers={"Retry-After": "3"})
    httpserver.expect_ordered_request("/sparql").respond_with_json(results([CITY_ROW]))
    entities = list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=http))
    assert fake.sleeps == [3.0]
    assert [e["qid"] for e in entities] == ["Q1490"]


def test_503_with_an_http_date_and_a_capped_retry_after(httpserver, http, fake):
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    httpserver.expect_ordered_request("/sparql").respond_with_data("busy", status=503, headers={"Retry-After": when})
    httpserver.expect_ordered_request("/sparql").respond_with_data("slow", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_ordered_request("/sparql").respond_with_json(results([]))
    assert list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=http)) == []
    date_wait, capped = fake.sleeps
    assert 20 < date_wait <= 30
    assert capped == 120.0


def test_5xx_is_retried_with_exponential_backoff(httpserver, http, fake):
    for _ in range(3):
        httpserver.expect_ordered_request("/sparql").respond_with_data("java.lang.RuntimeException: boom", status=500)
    httpserver.expect_ordered_request("/sparql").respond_with_json(results([CITY_ROW]))
    entities = list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=http))
    assert fake.sleeps == [1.0, 2.0, 4.0]
    assert len(entities) == 1


def test_5xx_gives_up_after_four_tries(httpserver, http, fake):
    httpserver.expect_request("/sparql").respond_with_data("Bad Gateway\nmore", status=502)
    with pytest.raises(WikidataError) as caught:
        list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=http))
    assert len(httpserver.log) == 4
    assert fake.sleeps == [1.0, 2.0, 4.0]
    message = str(caught.value)
    assert message.startswith("[E080] ") and "\n" not in message
    assert "answered 502 4 times: Bad Gateway" in message and "try again later" in message


def test_400_fails_at_once_naming_the_endpoint_and_what_to_do(httpserver, http):
    body = ("\njava.util.concurrent.ExecutionException: org.openrdf.query.MalformedQueryException: "
            "Encountered \" \"}\" \"} \"\" at line 1\n\tat java.util.concurrent.FutureTask.report(FutureTask.java:122)")
    httpserver.expect_request("/sparql").respond_with_data(body, status=400)
    url = httpserver.url_for("/sparql")
    with pytest.raises(WikidataError) as caught:
        list(fetch_sparql(url, "SELECT * { ?item ?p ?o }", http=http))
    message = str(caught.value)
    assert message.startswith(f"[E080] Wikidata endpoint {url} answered 400: java.util.concurrent.Execution")
    assert message.endswith("; check the query file") and "\n" not in message
    assert caught.value.exit_code == 2
    assert len(httpserver.log) == 1


def test_a_non_json_answer_is_an_error(httpserver, http):
    httpserver.expect_request("/sparql").respond_with_data("<html>maintenance</html>", content_type="text/html")
    with pytest.raises(WikidataError, match="did not answer with SPARQL JSON results \\(text/html"):
        list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=http))


@pytest.mark.parametrize("query", [
    "SELECT * { ?item ?p ?o } LIMIT 100",
    "SELECT * { ?item ?p ?o }\noffset 5",
    "SELECT * { { SELECT ?item { ?item ?p ?o } LIMIT 3 } }",
])
def test_a_query_with_its_own_limit_or_offset_is_refused(httpserver, http, query):
    with pytest.raises(WikidataError, match="has its own (LIMIT|OFFSET); remove it"):
        fetch_sparql(httpserver.url_for("/sparql"), query, http=http)  # refused at the call, before iterating
    assert len(httpserver.log) == 0


def test_limit_in_comments_strings_and_iris_is_not_a_limit(httpserver, http):
    httpserver.expect_request("/sparql").respond_with_json(results([]))
    query = ('# no LIMIT here\nPREFIX ex: <http://example.org/LIMIT#>\n'
             'SELECT * { ?item ex:p "OFFSET 3" } # LIMIT')
    assert list(fetch_sparql(httpserver.url_for("/sparql"), query, http=http)) == []


def test_connection_refused_is_retried_then_reported(fake):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Http(sleep=fake.sleep, clock=fake.clock) as http:
        with pytest.raises(WikidataError, match="could not reach Wikidata endpoint http://127.0.0.1:.* in 4 tries"):
            list(fetch_sparql(f"http://127.0.0.1:{port}/sparql", "SELECT * { ?item ?p ?o }", http=http))
    assert fake.sleeps == [1.0, 2.0, 4.0]


def drain(httpserver, count: int) -> None:
    """Wait until the single-threaded server has answered the stalled requests, so none leaks into another test."""
    deadline = time.monotonic() + 5
    while len(httpserver.log) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(httpserver.log) == count


def test_a_read_timeout_is_retried_then_reported_quickly(httpserver, fake):
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(5)
        return Response("{}")

    httpserver.expect_request("/sparql").respond_with_handler(stall)
    http = Http(read_timeout=0.3, sleep=fake.sleep, clock=fake.clock)
    try:
        with pytest.raises(WikidataError, match="did not answer within 0.3 s in 4 tries; try again later"):
            list(fetch_sparql(httpserver.url_for("/sparql"), "SELECT * { ?item ?p ?o }", http=http))
    finally:
        release.set()
        http.close()
        drain(httpserver, 4)
    assert fake.sleeps == [1.0, 2.0, 4.0]


def test_a_bad_url_is_reported(http):
    with pytest.raises(WikidataError, match="is not a usable URL"):
        list(fetch_sparql("query.wikidata.org/sparql", "SELECT * { ?item ?p ?o }", http=http))


# ----------------------------------------------------------------------------------------------------------------
# queries/kb/default.rq


def test_default_query_parses_and_has_no_limit():
    text = DEFAULT_RQ.read_text(encoding="utf-8")
    store = pyoxigraph.Store()
    result = store.query(text)  # raises SyntaxError if it is not SPARQL 1.1
    assert [v.value for v in result.variables] == [
        "item", "itemLabel", "itemDescription", "sitelinks", "alias", "type", "country",
        "position", "positionLabel", "start", "end", "positionCountry"]
    sparql_pages.check_no_limit(text)
    assert sparql_pages._ordered_by_item(text)
    assert "SERVICE" not in sparql_pages._strip_sparql(text).upper()


# A few items in the Wikidata RDF model, as the query service holds them (synthetic where noted).
MINI_WIKIDATA = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix wds: <http://www.wikidata.org/entity/statement/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

wd:Q311269 rdfs:label "John Bolton"@en, "John Bolton"@fr ; schema:description "American diplomat and lawyer"@en ;
    skos:altLabel "John Robert Bolton"@en, "Bolton"@de ; wikibase:sitelinks 57 ;
    wdt:P31 wd:Q5 ; wdt:P27 wd:Q30 ;
    p:P39 wds:b1, wds:b2, wds:b3 .
wds:b1 ps:P39 wd:Q1414246 ; wikibase:rank wikibase:NormalRank ;
    pq:P580 "2018-04-09T00:00:00Z"^^xsd:dateTime ; pq:P582 "2019-09-10T00:00:00Z"^^xsd:dateTime .
wds:b2 ps:P39 wd:Q1413788 ; wikibase:rank wikibase:NormalRank ;
    pq:P580 "2005-08-01T00:00:00Z"^^xsd:dateTime ; pq:P582 "2006-12-09T00:00:00Z"^^xsd:dateTime .
wds:b3 ps:P39 wd:Q9000001 ; wikibase:rank wikibase:DeprecatedRank ; pq:P580 "1999-01-01T00:00:00Z"^^xsd:dateTime .

# positions (class links simplified for the test)
wd:Q1414246 rdfs:label "United States National Security Advisor"@en ; wdt:P31 wd:Q4164871 ; wdt:P17 wd:Q30 ;
    wdt:P279 wd:Q294414 .
wd:Q1413788 rdfs:label "United States Ambassador to the United Nations"@en ; wdt:P31 wd:Q4164871 ;
    wdt:P279 wd:Q9000002 ; wdt:P1001 wd:Q30 .
wd:Q9000002 wdt:P279 wd:Q121998 .
wd:Q9000003 rdfs:label "Bishop of Somewhere"@en ; wdt:P31 wd:Q4164871 ; wdt:P279 wd:Q29182 .

# a bishop since 2000, and a minister who started before 1990: neither is selected
wd:Q9000010 rdfs:label "A Bishop"@en ; wdt:P31 wd:Q5 ; p:P39 wds:c1 .
wds:c1 ps:P39 wd:Q9000003 ; wikibase:rank wikibase:NormalRank ; pq:P580 "2000-01-01T00:00:00Z"^^xsd:dateTime .
wd:Q9000011 rdfs:label "An Old Minister"@en ; wdt:P31 wd:Q5 ; p:P39 wds:c2 .
wds:c2 ps:P39 wd:Q1413788 ; wikibase:rank wikibase:NormalRank ; pq:P580 "1985-01-01T00:00:00Z"^^xsd:dateTime .

# a big city whose name is only in "mul", a small city, a party, a ministry, an armed group
wd:Q1549591 wdt:P279 wd:Q515 .
wd:Q1490 rdfs:label "Tokyo"@mul ; skos:altLabel "Tokyo Metropolis"@en ; wdt:P31 wd:Q1549591, wd:Q200250 ;
    wdt:P17 wd:Q17 ; wdt:P1082 14000000 ; wikibase:sitelinks 300 .
wd:Q9000020 rdfs:label "Smallville"@en ; wdt:P31 wd:Q515 ; wdt:P1082 50000 .
wd:Q29552 rdfs:label "Democratic Party"@en ; wdt:P31 wd:Q7278 ; wdt:P17 wd:Q30 ; wikibase:sitelinks 90 .
wd:Q9000030 rdfs:label "Ministry of Things"@en ; wdt:P31 wd:Q9000031 .
wd:Q9000031 wdt:P279 wd:Q192350 .
wd:Q9000040 wdt:P31 wd:Q17149090 .
"""


def sparql_endpoint(store: pyoxigraph.Store, seen: list):
    """A handler that answers SPARQL 1.1 protocol GET and POST requests from an Oxigraph store."""

    def answer(request: Request) -> Response:
        query = request.args.get("query") or request.form.get("query")
        seen.append(request.method)
        try:
            result = store.query(query)
        except SyntaxError as exc:
            return Response(f"MalformedQueryException: {exc}", status=400)
        return Response(result.serialize(format=pyoxigraph.QueryResultsFormat.JSON),
                        content_type="application/sparql-results+json")

    return answer


def test_default_query_end_to_end_on_wikidata_shaped_data(httpserver, http):
    store = pyoxigraph.Store()
    store.load(MINI_WIKIDATA.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    seen: list = []
    httpserver.expect_request("/sparql").respond_with_handler(sparql_endpoint(store, seen))
    text = DEFAULT_RQ.read_text(encoding="utf-8")
    entities = {e["qid"]: e for e in fetch_sparql(httpserver.url_for("/sparql"), text, page_size=3, http=http)}

    assert set(seen) == {"POST"}  # the default query is longer than 1500 characters
    assert sorted(entities) == ["Q1490", "Q29552", "Q311269", "Q9000030", "Q9000040"]
    bolton = entities["Q311269"]
    positions = sorted(bolton.pop("positions"), key=lambda p: p["qid"])
    assert bolton == {"qid": "Q311269", "label": "John Bolton", "description": "American diplomat and lawyer",
                      "aliases": ["John Robert Bolton"], "types": ["Q5"], "countries": ["Q30"], "popularity": 57}
    assert positions == [  # the deprecated statement is left out
        {"qid": "Q1413788", "label": "United States Ambassador to the United Nations", "start": "2005-08-01",
         "end": "2006-12-09", "country": "Q30"},
        {"qid": "Q1414246", "label": "United States National Security Advisor", "start": "2018-04-09",
         "end": "2019-09-10", "country": "Q30"},
    ]
    tokyo = entities["Q1490"]
    assert tokyo["label"] == "Tokyo" and tokyo["aliases"] == ["Tokyo Metropolis"]
    assert sorted(tokyo["types"]) == ["Q1549591", "Q200250"] and tokyo["countries"] == ["Q17"]
    assert tokyo["popularity"] == 300
    assert entities["Q9000040"]["label"] is None and entities["Q9000040"]["types"] == ["Q17149090"]


# ----------------------------------------------------------------------------------------------------------------
# OnlineWikidata

SEARCH_BOLTON = {
    "searchinfo": {"search": "John Bolton"},
    "search": [
        {"id": "Q311269", "title": "Q311269", "pageid": 298290, "repository": "wikidata",
         "url": "//www.wikidata.org/wiki/Q311269", "concepturi": "http://www.wikidata.org/entity/Q311269",
         "display": {"label": {"value": "John Bolton", "language": "en"},
                     "description": {"value": "American diplomat and lawyer", "language": "en"}},
         "label": "John Bolton", "description": "American diplomat and lawyer",
         "match": {"type": "label", "language": "en", "text": "John Bolton"}},
        {"id": "Q6220876", "title": "Q6220876", "pageid": 5940210, "repository": "wikidata",
         "url": "//www.wikidata.org/wiki/Q6220876", "concepturi": "http://www.wikidata.org/entity/Q6220876",
         "display": {"label": {"value": "John Bolton", "language": "en"},
                     "description": {"value": "Scottish footballer", "language": "en"}},
         "label": "John Bolton", "description": "Scottish footballer", "aliases": ["Johnny Bolton"],
         "match": {"type": "alias", "language": "en", "text": "Johnny Bolton"}},
    ],
    "search-continue": 7,
    "success": 1,
}


def item_snak(prop: str, qid: str) -> dict:
    return {"snaktype": "value", "property": prop, "hash": "0" * 40,
            "datavalue": {"value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
                          "type": "wikibase-entityid"},
            "datatype": "wikibase-item"}


def time_snak(prop: str, time: str, precision: int = 11) -> dict:
    return {"snaktype": "value", "property": prop, "hash": "1" * 40,
            "datavalue": {"value": {"time": time, "timezone": 0, "before": 0, "after": 0, "precision": precision,
                                    "calendarmodel": "http://www.wikidata.org/entity/Q1985727"},
                          "type": "time"},
            "datatype": "time"}


def statement(prop: str, qid: str, rank: str = "normal", qualifiers: dict | None = None) -> dict:
    out = {"mainsnak": item_snak(prop, qid), "type": "statement", "id": f"Q311269$0000-{prop}-{qid}", "rank": rank}
    if qualifiers:
        out["qualifiers"] = qualifiers
        out["qualifiers-order"] = list(qualifiers)
    return out


BOLTON_ENTITY = {
    "type": "item", "id": "Q311269", "pageid": 298290, "ns": 0, "title": "Q311269", "lastrevid": 2260000000,
    "modified": "2024-10-01T12:00:00Z",
    "labels": {"en": {"language": "en", "value": "John Bolton"}},
    "descriptions": {"en": {"language": "en", "value": "American diplomat and lawyer"}},
    "aliases": {"en": [{"language": "en", "value": "John Robert Bolton"}, {"language": "en", "value": "Bolton"}]},
    "claims": {
        "P31": [statement("P31", "Q5")],
        "P27": [statement("P27", "Q30")],
        "P39": [
            statement("P39", "Q1414246", qualifiers={
                "P580": [time_snak("P580", "+2018-04-09T00:00:00Z")],
                "P582": [time_snak("P582", "+2019-09-10T00:00:00Z")],
                "P1365": [item_snak("P1365", "Q7809185")]}),
            statement("P39", "Q1413788", qualifiers={
                "P580": [time_snak("P580", "+2005-08-01T00:00:00Z")],
                "P582": [{"snaktype": "somevalue", "property": "P582", "hash": "2" * 40, "datatype": "time"}]}),
            statement("P39", "Q9000001", rank="deprecated", qualifiers={
                "P580": [time_snak("P580", "+1999-00-00T00:00:00Z", precision=9)]}),
        ],
        "P106": [statement("P106", "Q40348")],
    },
    "sitelinks": {site: {"site": site, "title": "John Bolton", "badges": []}
                  for site in ("enwiki", "dewiki", "frwiki", "eswiki", "ruwiki")},
}
POSITION_ENTITIES = {
    "Q1414246": {"type": "item", "id": "Q1414246",
                 "labels": {"en": {"language": "en", "value": "United States National Security Advisor"}},
                 "claims": {"P31": [statement("P31", "Q4164871")], "P17": [statement("P17", "Q30")]}},
    "Q1413788": {"type": "item", "id": "Q1413788",
                 "labels": {"mul": {"language": "mul", "value": "US Ambassador to the UN"}},
                 "claims": {"P1001": [statement("P1001", "Q30")]}},
}
BOLTON_DICT = {
    "qid": "Q311269", "label": "John Bolton", "description": "American diplomat and lawyer",
    "aliases": ["John Robert Bolton", "Bolton"], "types": ["Q5"], "countries": ["Q30"],
    "positions": [
        {"qid": "Q1414246", "label": "United States National Security Advisor", "start": "2018-04-09",
         "end": "2019-09-10", "country": "Q30"},
        {"qid": "Q1413788", "label": "US Ambassador to the UN", "start": "2005-08-01", "end": None,
         "country": "Q30"},
    ],
    "popularity": 5,
}


def api_params(**params) -> dict:
    return {**params, "format": "json", "maxlag": "5"}


@pytest.fixture
def online(httpserver, http, tmp_path):
    wd = OnlineWikidata(httpserver.url_for("/w/api.php"), cache_path=tmp_path / "cache.sqlite", http=http)
    yield wd
    wd.close()


def test_search_parses_wbsearchentities_and_caches_on_disk(httpserver, http, tmp_path, online):
    httpserver.expect_request("/w/api.php", method="GET", query_string=api_params(
        action="wbsearchentities", search="John Bolton", language="en", uselang="en", type="item", limit="7",
    )).respond_with_json(SEARCH_BOLTON)
    hits = online.search("John  Bolton")
    assert hits == [
        {"qid": "Q311269", "label": "John Bolton", "description": "American diplomat and lawyer", "aliases": [],
         "match_type": "label", "match_text": "John Bolton"},
        {"qid": "Q6220876", "label": "John Bolton", "description": "Scottish footballer",
         "aliases": ["Johnny Bolton"], "match_type": "alias", "match_text": "Johnny Bolton"},
    ]
    assert httpserver.log[0][0].headers["User-Agent"] == web.USER_AGENT
    assert online.search("John Bolton") == hits
    assert len(httpserver.log) == 1
    again = OnlineWikidata(httpserver.url_for("/w/api.php"), cache_path=tmp_path / "cache.sqlite", http=http)
    try:
        assert again.search("John Bolton") == hits
        assert len(httpserver.log) == 1  # a new instance on the same cache file asks nothing either
        again.clear_cache()
        assert again.search("John Bolton") == hits
        assert len(httpserver.log) == 2
    finally:
        again.close()
    assert online.search("  ") == []


def test_entities_parse_wbgetentities_with_positions(httpserver, online, tmp_path, http):
    httpserver.expect_request("/w/api.php", query_string=api_params(
        action="wbgetentities", ids="Q311269|Q999999999", props="labels|aliases|descriptions|claims|sitelinks",
        languages="en|mul",
    )).respond_with_json({"entities": {"Q311269": BOLTON_ENTITY,
                                       "Q999999999": {"id": "Q999999999", "missing": ""}}, "success": 1})
    httpserver.expect_request("/w/api.php", query_string=api_params(
        action="wbgetentities", ids="Q1414246|Q1413788", props="labels|claims", languages="en|mul",
    )).respond_with_json({"entities": POSITION_ENTITIES, "success": 1})

    assert online.entities(["Q311269", "q999999999", "Q311269"]) == {"Q311269": BOLTON_DICT}
    assert len(httpserver.log) == 2
    assert online.entities(["Q311269", "Q999999999"]) == {"Q311269": BOLTON_DICT}
    assert len(httpserver.log) == 2  # served from the disk cache
    again = OnlineWikidata(httpserver.url_for("/w/api.php"), cache_path=tmp_path / "cache.sqlite", http=http)
    try:
        assert again.entities(["Q311269", "Q999999999"]) == {"Q311269": BOLTON_DICT}
    finally:
        again.close()
    assert len(httpserver.log) == 2


def test_entities_without_position_details(httpserver, online):
    httpserver.expect_request("/w/api.php").respond_with_json({"entities": {"Q311269": BOLTON_ENTITY}})
    bolton = online.entities(["Q311269"], position_details=False)["Q311269"]
    assert [(p["qid"], p["label"], p["country"]) for p in bolton["positions"]] == [
        ("Q1414246", None, None), ("Q1413788", None, None)]
    assert len(httpserver.log) == 1


def test_entities_are_fetched_fifty_at_a_time(httpserver, online):
    asked = []

    def answer(request: Request) -> Response:
        ids = request.args["ids"].split("|")
        asked.append(len(ids))
        body = {"entities": {q: {"type": "item", "id": q, "labels": {"en": {"language": "en", "value": q}}}
                             for q in ids}, "success": 1}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/w/api.php").respond_with_handler(answer)
    qids = [f"Q{n}" for n in range(1, 121)]
    found = online.entities(qids)
    assert asked == [50, 50, 20]
    assert list(found) == qids and found["Q7"]["label"] == "Q7"


def test_a_redirected_id_keeps_its_key(httpserver, online):
    target = {**BOLTON_ENTITY, "claims": {}}
    httpserver.expect_request("/w/api.php").respond_with_json(
        {"entities": {"Q1": target}, "success": 1})
    assert online.entities(["Q1"])["Q1"]["qid"] == "Q311269"


def test_maxlag_answers_are_retried_after_retry_after_and_not_cached(httpserver, online, fake):
    lagged = {"error": {"code": "maxlag", "info": "Waiting for 10.64.48.23: 6.4 seconds lagged.",
                        "host": "10.64.48.23", "lag": 6.4, "type": "db",
                        "*": "See https://www.wikidata.org/w/api.php for API usage."},
              "servedby": "mw2291"}
    httpserver.expect_ordered_request("/w/api.php").respond_with_json(
        lagged, headers={"Retry-After": "6", "X-Database-Lag": "6.4"})
    httpserver.expect_ordered_request("/w/api.php").respond_with_json(lagged)  # no Retry-After: 5 s
    httpserver.expect_ordered_request("/w/api.php").respond_with_json(SEARCH_BOLTON)
    hits = online.search("John Bolton")
    assert hits[0]["qid"] == "Q311269"
    assert fake.sleeps == [6.0, 5.0]
    assert online.search("John Bolton") == hits
    assert len(httpserver.log) == 3


def test_persistent_maxlag_gives_up(httpserver, online, fake):
    httpserver.expect_request("/w/api.php").respond_with_json({"error": {"code": "maxlag", "info": "lagged"}})
    with pytest.raises(WikidataError, match="maxlag.*run again later"):
        online.search("John Bolton")
    assert len(httpserver.log) == 4


def test_an_api_error_is_reported_and_not_cached(httpserver, online):
    error = {"error": {"code": "no-such-entity", "info": "Could not find an entity with the ID \"Q0\".",
                       "id": "Q0"}, "servedby": "mw1"}
    httpserver.expect_request("/w/api.php").respond_with_json(error)
    for _ in range(2):
        with pytest.raises(WikidataError, match="answered error no-such-entity: Could not find.*; check the item"):
            online.entities(["Q42"])
    assert len(httpserver.log) == 2


def test_a_bad_id_is_refused_before_any_request(httpserver, online):
    with pytest.raises(WikidataError, match="'P31' is not a Wikidata item id"):
        online.entities(["Q42", "P31"])
    assert len(httpserver.log) == 0
    assert online.entities([]) == {}


def test_api_timeout_gives_up_quickly(httpserver, tmp_path, fake):
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(5)
        return Response(json.dumps(SEARCH_BOLTON), content_type="application/json")

    httpserver.expect_request("/w/api.php").respond_with_handler(stall)
    http = Http(read_timeout=0.3, max_tries=2, sleep=fake.sleep, clock=fake.clock)
    wd = OnlineWikidata(httpserver.url_for("/w/api.php"), cache_path=tmp_path / "c.sqlite", http=http)
    try:
        with pytest.raises(WikidataError, match="did not answer within 0.3 s in 2 tries"):
            wd.search("John Bolton")
    finally:
        release.set()
        wd.close()
        http.close()
        drain(httpserver, 2)


def test_default_cache_path_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert wikidata.default_cache_path() == tmp_path / "kg" / "wikidata-cache.sqlite"
    wd = OnlineWikidata("http://127.0.0.1:9/w/api.php")
    try:
        assert wd.cache.path.is_file()
    finally:
        wd.close()


def test_an_unwritable_cache_is_a_wikidata_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WikidataError, match="cannot open the Wikidata cache"):
        OnlineWikidata("http://127.0.0.1:9/w/api.php", cache_path=blocker / "sub" / "cache.sqlite")


def test_dates_and_ids():
    assert wikibase.date_of("+2018-04-09T00:00:00Z") == "2018-04-09"
    assert wikibase.date_of("+1999-00-00T00:00:00Z") == "1999-01-01"
    assert wikibase.date_of("-0044-03-15T00:00:00Z") == "-0044-03-15"
    assert wikibase.date_of("t1234") is None
    assert sparql_pages.qid_of("http://www.wikidata.org/entity/Q42") == "Q42"
    assert sparql_pages.qid_of("http://www.wikidata.org/entity/P31") is None
    assert web.parse_retry_after("soon") is None
    assert web.USER_AGENT.startswith(f"kg/{kg.__version__} (")


# ----------------------------------------------------------------------------------------------------------------
# One parser (kg.link.wikibase) for a dump line and an API answer

RANKED_ENTITY = {
    **BOLTON_ENTITY,
    "aliases": {**BOLTON_ENTITY["aliases"], "mul": [{"language": "mul", "value": "J. R. Bolton"}]},
    "claims": {
        "P31": [statement("P31", "Q5")],
        # preferred hides normal, deprecated never counts: only Q30, as wdt:P27 has it
        "P27": [statement("P27", "Q145"), statement("P27", "Q30", rank="preferred"),
                statement("P27", "Q16", rank="deprecated")],
        "P39": [
            statement("P39", "Q1414246", qualifiers={
                "P580": [time_snak("P580", "+2018-04-09T00:00:00Z")],
                "P582": [time_snak("P582", "+2019-09-10T00:00:00Z")]}),
            statement("P39", "Q1413788", rank="preferred", qualifiers={  # known to the year only
                "P580": [time_snak("P580", "+2005-00-00T00:00:00Z", precision=9)]}),
            statement("P39", "Q9000001", rank="deprecated", qualifiers={
                "P580": [time_snak("P580", "+1999-00-00T00:00:00Z", precision=9)]}),
        ],
    },
}


def test_a_dump_line_and_an_api_answer_give_the_same_entity(httpserver, online, tmp_path):
    """Once, a dump gave '2005' where the API gave '2005-01-01', and only the API honoured preferred ranks."""
    dump = tmp_path / "dump.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as f:
        f.write(f"[\n{json.dumps(RANKED_ENTITY)}\n]\n")
    with KnowledgeBase(tmp_path / "dump.sqlite") as kb:
        assert import_dump(kb, dump) == 1
        from_dump = kb.get("Q311269")

    httpserver.expect_request("/w/api.php").respond_with_json({"entities": {"Q311269": RANKED_ENTITY}})
    fetched = online.entities(["Q311269"], position_details=False)
    with KnowledgeBase(tmp_path / "online.sqlite") as kb:
        kb.add([wikibase.to_kb_entity(fetched["Q311269"], source="wikidata-online")])
        from_api = kb.get("Q311269")

    assert replace(from_dump, source="") == replace(from_api, source="")
    assert from_api.countries == ("Q30",) and from_api.kind == "Person" and from_api.popularity == 5
    assert from_api.aliases == ("John Robert Bolton", "Bolton", "J. R. Bolton")
    assert from_api.positions == (Position("Q1414246", "", "2018-04-09", "2019-09-10"),
                                  Position("Q1413788", "", "2005-01-01", None))  # every non-deprecated office


def test_time_precision_and_ranks():
    def born(time: str, precision) -> str | None:
        snak = time_snak("P580", time)
        snak["datavalue"]["value"]["precision"] = precision
        return wikibase.time_of(snak)

    assert born("+2018-04-09T00:00:00Z", 11) == "2018-04-09"
    assert born("+2018-04-09T00:00:00Z", 10) == born("+2018-04-00T00:00:00Z", 10) == "2018-04-01"
    assert born("+2018-04-09T00:00:00Z", 9) == born("+2018-00-00T00:00:00Z", 9) == "2018-01-01"
    assert born("+1900-00-00T00:00:00Z", 7) == "1900-01-01"  # a century: its first year, as wdt: gives it
    assert born("+00000002018-04-09T00:00:00Z", 11) == "2018-04-09"  # the old 11-digit years of the dumps
    assert born("-0044-03-15T00:00:00Z", 11) == "-0044-03-15"
    assert born("+2018-04-09T00:00:00Z", "eleven") == "2018-04-09"
    for bad in ("+2018-02-30T00:00:00Z", "+2018-13-01T00:00:00Z", "2018", "", None, 2018):
        assert born(bad, 11) is None, bad
    assert wikibase.time_of({"snaktype": "somevalue", "property": "P580"}) is None
    assert wikibase.time_of(None) is None

    claims = {"P31": [statement("P31", "Q5", rank="deprecated"), statement("P31", "Q515")],
              "P17": [statement("P17", "Q30", rank="deprecated")]}
    assert wikibase.truthy_items(claims, "P31") == ["Q515"] and wikibase.truthy_items(claims, "P17") == []


@pytest.mark.parametrize("item", [
    {"id": "Q1", "claims": []},
    {"id": "Q1", "labels": [], "aliases": {"en": "x"}, "claims": {"P39": {"a": 1}, "P31": [None, 3]}},
    {"id": "Q1", "claims": {"P39": [{"mainsnak": {"datavalue": {"value": "Q5"}}, "qualifiers": {"P580": [7]}}]}},
    {"id": "Q1", "claims": {"P27": [{"mainsnak": {"datavalue": {"value": {"numeric-id": "x"}}}}]},
     "sitelinks": []},
])
def test_malformed_entity_parts_are_left_out_not_a_crash(item):
    assert wikibase.entity(item) == wikibase.empty("Q1")


@pytest.mark.parametrize("item", [None, [], "Q1", {"claims": {}}, {"id": 42}])
def test_no_entity_object_is_a_value_error(item):
    with pytest.raises(ValueError):
        wikibase.entity(item)


def test_kb_build_with_a_page_size_of_zero_is_a_one_line_error(httpserver, tmp_path):
    run = subprocess.run([sys.executable, "-m", "kg", "kb", "build", "--sparql", "--endpoint",
                          httpserver.url_for("/"), "--page-size", "0", "--kb", str(tmp_path / "kb.sqlite")],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert len(lines) == 1 and re.match(r"kg: .*\[E080\] .*--page-size 1 or more", lines[0]), lines
    assert len(httpserver.log) == 0  # refused before any request


def test_kb_build_adds_what_the_endpoint_sends(httpserver, tmp_path):
    rows = [{**row, "item": uri("Q9000050"), "itemLabel": lit("Jane Example", "en")} for row in BOLTON_ROWS]
    httpserver.expect_request("/sparql").respond_with_json(results(rows))
    query = tmp_path / "q.rq"
    query.write_text("SELECT * { ?item ?p ?o }", encoding="utf-8")
    kb = tmp_path / "kb.sqlite"
    run = subprocess.run([sys.executable, "-m", "kg", "kb", "build", "--sparql", "--endpoint",
                          httpserver.url_for("/sparql"), "--query", str(query), "--kb", str(kb)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    assert f"added 1 entities from {httpserver.url_for('/sparql')}" in run.stdout
    with KnowledgeBase(kb) as opened:
        jane = opened.get("Q9000050")
    assert (jane.label, jane.aliases, jane.source) == ("Jane Example", ("John Robert Bolton",), "wikidata-sparql")
    assert jane.positions == (Position("Q1414246", "United States National Security Advisor", "2018-04-09",
                                       "2019-09-10", "Q30"),)
