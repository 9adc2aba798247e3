"""What the web UI shows: an actor's row, the days of its statements, its relation network, and an article's
text cut into highlighted pieces. Each reads the store by the actor's or article's IRI (index lookups); the
tables of an actor page are the saved queries themselves (:mod:`kg.queries`)."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from kg.names import normalise
from kg.rdf.namespaces import PREFIXES

_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def local_name(iri: str) -> str:
    """'https://w3id.org/kg-news/stance#warn' -> 'warn'."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(term) -> str:
    return "" if term is None else term.value


def _rows(store, sparql: str, **bindings) -> list[dict[str, str]]:
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    # Oxigraph substitutes only the variables a query projects
    sparql = re.sub(r"^\s*SELECT(\s+DISTINCT)?", lambda m: m.group(0) + "".join(f" ?{k}" for k in bindings), sparql,
                    count=1)
    result = store.query(_PROLOGUE + sparql, subs or None)
    names = [v.value for v in result.variables]
    return [{n: _value(s[n]) for n in names} for s in result]


# --- links -------------------------------------------------------------------------------------------------------

def actor_path(iri: str, base: str) -> str | None:
    """The UI path of an actor's page, or None for an IRI that is no actor of kg's."""
    prefix = f"{base}actor/"
    return "/actor/" + iri[len(prefix):] if iri.startswith(prefix) else None


def actor_iri(tail: str, base: str) -> str:
    return f"{base}actor/{quote(tail, safe='-._~/')}"


def article_path(iri: str, base: str) -> str | None:
    prefix = f"{base}article/"
    return "/article/" + iri[len(prefix):] if iri.startswith(prefix) else None


def article_iri(tail: str, base: str) -> str:
    return f"{base}article/{quote(tail, safe='-._~')}"


def article_link(article_id: str, fact: str = "") -> str:
    """The UI path of an article given by its id (dcterms:identifier), at a fact's anchor if given."""
    path = "/article/" + quote(article_id, safe="-._~")
    return f"{path}#{fact_anchor(fact)}" if fact else path


def fact_anchor(iri: str) -> str:
    """The anchor of a statement or relation in its article's page: st-<hash> or rel-<hash>."""
    kind = "st" if "/statement/" in iri else "rel"
    return f"{kind}-{local_name(iri)}"


# --- search ------------------------------------------------------------------------------------------------------

@dataclass
class NameIndex:
    """Every name and mention form of every actor, folded (case, accents, punctuation), for prefix search."""

    keys: list[tuple[str, str]] = field(default_factory=list)  # (folded name, actor IRI), sorted
    words: list[tuple[str, str]] = field(default_factory=list)  # (a word of a name and the rest of it, actor IRI)
    rank: dict[str, tuple[int, str]] = field(default_factory=dict)  # actor -> (-mentions, label)

    @classmethod
    def load(cls, store) -> "NameIndex":
        forms: set[tuple[str, str]] = set()
        rank: dict[str, tuple[int, str]] = {}
        for r in _rows(store, """SELECT ?a ?label ?n WHERE { GRAPH kgg:summary {
                ?a kg:mentionCount ?n . OPTIONAL { ?a rdfs:label ?label } } }"""):
            rank[r["a"]] = (-int(r["n"] or 0), r["label"])
            forms.add((normalise(r["label"]), r["a"]))
        for r in _rows(store, "SELECT ?a ?form WHERE { GRAPH kgg:summary { ?a skos:altLabel ?form } }"):
            forms.add((normalise(r["form"]), r["a"]))
        keys = sorted((k, a) for k, a in forms if k)
        words = sorted({(" ".join(k.split()[i:]), a) for k, a in keys for i in range(1, len(k.split()))})
        return cls(keys, words, rank)

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Actors with a name or mention form, or a word of one, that begins with ``text``; most mentioned first."""
        q = normalise(text)
        if not q:
            return []
        found: set[str] = set()
        for table in (self.keys, self.words):
            i = bisect.bisect_left(table, (q, ""))
            while i < len(table) and table[i][0].startswith(q):
                found.add(table[i][1])
                i += 1
        return sorted(found, key=lambda a: self.rank.get(a, (0, a)))[:limit]


def actor_cards(store, iris: list[str]) -> list[dict[str, str]]:
    """Label, type, Wikidata id and counts of each actor, in the order given."""
    out = []
    for iri in iris:
        rows = _rows(store, """SELECT ?label ?type ?qid ?mentions ?articles ?statements WHERE { GRAPH kgg:summary {
            OPTIONAL { ?a rdfs:label ?label } OPTIONAL { ?a kg:typeName ?type } OPTIONAL { ?a kg:wikidataId ?qid }
            OPTIONAL { ?a kg:mentionCount ?mentions } OPTIONAL { ?a kg:articleCount ?articles }
            OPTIONAL { ?a kg:statementCount ?statements } } }""", a=ox.NamedNode(iri))
        if rows:
            out.append({"iri": iri, **rows[0]})
    return out


# --- an actor ----------------------------------------------------------------------------------------------------

def actor(store, iri: str) -> dict | None:
    """An actor's summary row (label, type, Wikidata id, counts) and its mention forms; None if no actor."""
    cards = actor_cards(store, [iri])
    if not cards or not cards[0]["label"] and not cards[0]["mentions"]:
        return None
    forms = sorted({r["form"] for r in _rows(
        store, "SELECT ?form WHERE { GRAPH kgg:summary { ?a skos:altLabel ?form } }", a=ox.NamedNode(iri))})
    return {**cards[0], "forms": forms}


def timeline(store, iri: str) -> list[tuple[str, int]]:
    """The actor's statements per month (YYYY-MM), from the summary's rows per day; 'undated' last."""
    months: Counter = Counter()
    for r in _rows(store, """SELECT ?day ?n WHERE { GRAPH kgg:summary {
            ?row kg:daySpeaker ?a ; kg:day ?day ; kg:statementCount ?n } }""", a=ox.NamedNode(iri)):
        day = int(r["day"])
        months[f"{day // 10000:04d}-{day // 100 % 100:02d}" if day else "undated"] += int(r["n"])
    dated = sorted(m for m in months if m != "undated")
    return [(m, months[m]) for m in dated] + ([("undated", months["undated"])] if "undated" in months else [])


def chart(points: list[tuple[str, int]], *, width: int = 720, height: int = 160) -> dict:
    """Bars of a timeline, laid out for an SVG: each with its x, y, width, height, label and count."""
    if not points:
        return {"bars": [], "width": width, "height": height}
    top = max(n for _, n in points)
    slot = min(width / len(points), 48.0)  # a few months are narrow bars, not a wall
    bars = []
    for i, (label, n) in enumerate(points):
        h = max(1.0, (height - 30) * n / top)
        bars.append({"x": round(i * slot + 1, 1), "w": round(max(1.0, slot - 2), 1), "y": round(height - 20 - h, 1),
                     "h": round(h, 1), "label": label, "n": n})
    every = max(1, len(points) // 8)  # at most about eight axis labels
    return {"bars": bars, "width": width, "height": height, "every": every}


NETWORK_EDGES = 300


def network(store, iri: str, base: str) -> dict:
    """The actor's relations to other actors and the sides it takes and others take on it, as nodes and edges
    for the network picture. Sides (supports, opposes: relations and statements alike) come from the summary's
    position rows, with the number of articles; the other relations from the actor's first NETWORK_EDGES relation
    keys (kg:relationIndex), so that an actor of thousands of facts costs a page, not all of them."""
    a = ox.NamedNode(iri)
    edges: Counter = Counter()
    for r in _rows(store, """SELECT ?s ?type ?o WHERE {
            { SELECT ?a ?key WHERE { ?a kg:relationIndex ?key } ORDER BY ?key LIMIT %d }
            ?r kg:sortKey ?key ; kg:subject ?s ; kg:object ?o ; kg:relationType ?type .
            FILTER(isIRI(?o) && ?type NOT IN (kgrel:supports, kgrel:opposes))
            FILTER NOT EXISTS { ?r kg:negated true } }""" % NETWORK_EDGES, a=a):
        edges[(r["s"], local_name(r["type"]), r["o"])] += 1
    # two plain patterns, not one UNION: Oxigraph planned the UNION as a scan of every position row
    held = _rows(store, """SELECT ?target ?type ?n WHERE { GRAPH kgg:summary {
            ?h kg:heldBy ?a ; kg:position ?p ; kg:articleCount ?n . ?p kg:target ?target ; kg:positionType ?type } }""",
                 a=a)
    taken = _rows(store, """SELECT ?holder ?type ?n WHERE { GRAPH kgg:summary {
            ?p kg:target ?a ; kg:positionType ?type . ?h kg:position ?p ; kg:heldBy ?holder ; kg:articleCount ?n } }""",
                  a=a)
    for r in [{**r, "holder": iri} for r in held] + [{**r, "target": iri} for r in taken]:
        side = "supports" if local_name(r["type"]).startswith("support") else "opposes"
        edges[(r["holder"], side, r["target"])] += int(r["n"])
    top = sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))[:NETWORK_EDGES]
    ids = {iri} | {x for (s, _, o), _ in top for x in (s, o)}
    cards = {c["iri"]: c for c in actor_cards(store, sorted(ids))}
    nodes = [{"data": {"id": i, "label": cards.get(i, {}).get("label") or local_name(i),
                       "type": cards.get(i, {}).get("type") or "", "href": actor_path(i, base) or "",
                       "focus": i == iri}} for i in sorted(ids)]
    links = [{"data": {"id": f"e{n}", "source": s, "target": o, "label": t, "type": t, "count": c}}
             for n, ((s, t, o), c) in enumerate(top)]
    return {"nodes": nodes, "edges": links}


# --- an article --------------------------------------------------------------------------------------------------

def article(store, iri: str) -> dict | None:
    """An article's text, title and date, and its statements, relations and mentions with their offsets."""
    g = ox.NamedNode(iri)
    head = _rows(store, """SELECT ?text ?title ?published ?id ?url WHERE { GRAPH ?g { ?g nif:isString ?text .
        OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g schema:datePublished ?published }
        OPTIONAL { ?g dcterms:identifier ?id } OPTIONAL { ?g schema:url ?url } } }""", g=g)
    if not head:
        return None
    statements = _rows(store, """SELECT ?st ?b ?e ?stance ?speaker ?label ?cue ?kind ?sb ?se WHERE { GRAPH ?g {
        ?st a kg:Statement ; kg:content ?c . ?c nif:beginIndex ?b ; nif:endIndex ?e .
        OPTIONAL { ?st kg:stance ?stance } OPTIONAL { ?st kg:kind ?kind }
        OPTIONAL { ?st kg:cue/nif:anchorOf ?cue }
        OPTIONAL { ?st nif:sentence ?s . ?s nif:beginIndex ?sb ; nif:endIndex ?se }
        OPTIONAL { ?st kg:speaker ?speaker . OPTIONAL { ?speaker rdfs:label ?label } } } }
        ORDER BY ?b""", g=g)
    relations = _rows(store, """SELECT ?r ?b ?e ?type ?s ?sl ?o ?ol ?topic WHERE { GRAPH ?g {
        ?r a kg:Relation ; kg:evidence ?ev ; kg:relationType ?type . ?ev nif:beginIndex ?b ; nif:endIndex ?e .
        OPTIONAL { ?r kg:subject ?s . OPTIONAL { ?s rdfs:label ?sl } }
        OPTIONAL { ?r kg:object ?o . OPTIONAL { ?o rdfs:label ?ol } } OPTIONAL { ?r kg:objectTopic ?topic } } }
        ORDER BY ?b""", g=g)
    mentions = _rows(store, """SELECT ?b ?e ?a WHERE { GRAPH ?g {
        ?m a kg:Mention ; nif:beginIndex ?b ; nif:endIndex ?e ; kg:denotes ?a } } ORDER BY ?b""", g=g)
    return {**head[0], "statements": statements, "relations": relations, "mentions": mentions}


@dataclass(frozen=True)
class Piece:
    text: str
    stance: str = ""  # the stance of the innermost statement over it ('' outside statements)
    facts: tuple[str, ...] = ()  # the anchors (st-.., rel-..) of the facts whose span covers it
    actor: str = ""  # the actor a mention over it denotes
    anchor: str = ""  # the id an anchor link jumps to: set on the first piece of a fact


def pieces(text: str, statements: list[dict], relations: list[dict], mentions: list[dict]) -> list[Piece]:
    """The text cut at every edge of a statement's content, a relation's evidence and a mention, each piece
    with what covers it, so that the page can colour and link it."""
    spans = []  # (begin, end, kind, value)
    for s in statements:
        spans.append((int(s["b"]), int(s["e"]), "st", (fact_anchor(s["st"]), local_name(s["stance"]) or "assert")))
    for r in relations:
        spans.append((int(r["b"]), int(r["e"]), "rel", (fact_anchor(r["r"]), "")))
    for m in mentions:
        spans.append((int(m["b"]), int(m["e"]), "m", (m["a"], "")))
    cuts = sorted({0, len(text)} | {x for b, e, _, _ in spans for x in (b, e) if 0 <= x <= len(text)})
    out, started = [], set()
    for lo, hi in zip(cuts, cuts[1:]):
        over = [(b, e, k, v) for b, e, k, v in spans if b <= lo and hi <= e]
        statements_over = sorted((s for s in over if s[2] == "st"), key=lambda s: s[1] - s[0])
        facts = tuple(v[0] for _, _, k, v in over if k in ("st", "rel"))
        anchor = next((f for f in facts if f not in started), "")
        started.update(facts)
        actor_ = next((v[0] for _, _, k, v in sorted(over, key=lambda s: s[1] - s[0]) if k == "m"), "")
        out.append(Piece(text[lo:hi], statements_over[0][3][1] if statements_over else "", facts, actor_, anchor))
    return out
