"""``kg graph``: the relation network around an actor (its relations, and who supports or opposes whom) or the
positions taken on a topic, drawn as an SVG picture or as an HTML page that works offline.

The network is read as the web UI reads it (:func:`kg.serve.pages.network`: an actor's relation keys and the
summary's position rows, index lookups only); a topic's positions come from the summary's position rows, found
as ``kg query supporters`` finds them. The SVG is drawn by Graphviz (``twopi``, the actor in the centre) when its
``dot`` program is installed, else by a layout of kg's own (rings around the centre); both are checked to parse
as XML. The HTML page inlines cytoscape.js and the data, so a file opened from disk draws the same picture as
``kg serve``'s actor page.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources as package_files
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError, QueryError
from kg.queries import Actor, _called, _named, nearest
from kg.rdf.keys import query_keys, topic_key, topic_words
from kg.rdf.namespaces import PREFIXES
from kg.serve.pages import actor_cards, local_name, network as actor_network

log = logging.getLogger(__name__)

SUFFIXES = (".svg", ".html")
MAX_DEPTH = 3
MAX_EDGES = 300  # as the UI's picture: more is a blur, and costs a page of facts per actor
EXPAND = 25  # at each level beyond the first, the networks of this many neighbours (the most connected) are read
LIBRARY = "cytoscape-3.35.0.min.js"
SIDES = {"supports": "#2e7d32", "opposes": "#c62828"}  # kg/serve/static/network.js's colours
OTHER, FOCUS, NODE, TOPIC, INK = "#b0bec5", "#1565c0", "#90a4ae", "#6a1b9a", "#607d8b"


@dataclass
class Network:
    """Nodes and edges in cytoscape.js's element shape ({"data": {...}}): a node has id, label, type and focus
    (the actor or topic it is drawn around), an edge source, target, label (the relation type, or supports and
    opposes for the sides taken) and count (articles for a side, relations otherwise)."""

    title: str
    nodes: list[dict]
    edges: list[dict]
    notes: list[str] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------------------------

def resolve(store, name: str) -> tuple[list[Actor], list[str]]:
    """The actors a name picks, as an actor parameter of a saved query picks them (any name or mention form, or
    a Wikidata id), and a note saying which; a name no actor bears is a :class:`QueryError` that suggests the
    nearest names."""
    keys = query_keys(name) or [name.strip().lower()]
    key, picked = next(((k, found) for k in keys if (found := _named(store, k))), (keys[0], []))
    if not picked:
        if re.fullmatch(r"[Qq][1-9][0-9]*", name.strip()):
            raise QueryError(f"{name.strip()} is no actor of the store; 'kg query actors' lists them")
        near = nearest(store, keys[0])
        hint = f"; did you mean {'; '.join(map(str, near))}?" if near else "; 'kg query actors' lists them"
        raise QueryError(f"no actor in the store is called {name!r}{hint}")
    head = f"actor {name!r} is {len(picked)} actors here: " if len(picked) > 1 else f"actor {name!r} is "
    note = head + "; ".join(map(str, picked[:5])) + (f" and {len(picked) - 5} more" if len(picked) > 5 else "")
    others = [a for a in _called(store, key) if a.iri not in {p.iri for p in picked}]
    if others:
        note += f" (also called so: {'; '.join(a.label for a in others[:5])}" + \
                (f" and {len(others) - 5} more" if len(others) > 5 else "") + \
                "; give a Wikidata id or a fuller name for them)"
    return picked, [note]


def around_actor(store, name: str, *, base_iri: str, depth: int = 1) -> Network:
    """The network around the actors ``name`` picks (:func:`resolve`): their relations and sides, and with
    ``depth`` 2 or 3 those of their neighbours (the EXPAND most connected at each level)."""
    _check_depth(depth)
    picked, notes = resolve(store, name)
    nodes: dict[str, dict] = {}
    edges: Counter = Counter()
    _grow(store, base_iri, [a.iri for a in picked], depth, nodes, edges)
    if not edges:
        raise QueryError(f"{picked[0].label} has no links to draw: no relation to another actor, and no side "
                         "taken by it or on it; 'kg query positions --param actor=NAME' shows its statements")
    title = " / ".join(a.label for a in picked[:3]) + (" ..." if len(picked) > 3 else "")
    return _network(f"relations of {title}", nodes, edges, {a.iri for a in picked}, notes)


_TOPIC_POSITIONS = """SELECT ?word ?type ?topic ?holder ?n WHERE { GRAPH kgg:summary {
    ?position kg:topicWord ?word ; kg:positionType ?type ; kg:targetTopic ?topic .
    ?held kg:position ?position ; kg:heldBy ?holder ; kg:articleCount ?n } }"""


def around_topic(store, text: str, *, base_iri: str, depth: int = 1) -> Network:
    """Who supports and who opposes the topics that contain ``text`` from a word on (as ``kg query supporters``
    matches a topic: 'campaign' finds 'military campaign on Idlib', 'camp' does not), each topic a node; with
    ``depth`` 2 or 3, the networks of those actors too."""
    _check_depth(depth)
    words = topic_words(text)
    if not words:
        raise QueryError(f"--topic {text!r} has no word in it; give a word or a phrase of the topic")
    wanted = topic_key(text)
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    edges: Counter = Counter()
    topics: set[str] = set()
    for row in store.query(prologue + _TOPIC_POSITIONS, {ox.Variable("word"): ox.Literal(words[0])}):
        topic = row["topic"].value
        if wanted not in topic:
            continue
        side = "supports" if local_name(row["type"].value).startswith("support") else "opposes"
        topics.add(topic)
        edges[(row["holder"].value, side, _topic_id(topic))] += int(row["n"].value)
    if not edges:
        raise QueryError(f"no actor takes a side on a topic that contains {text!r} (topics are the objects of "
                         "statements and relations: 'kg query supporters --param target=...' looks the same way)")
    nodes = {_topic_id(t): {"id": _topic_id(t), "label": t, "type": "Topic"} for t in topics}
    holders = sorted({s for s, _, _ in edges})
    for card in actor_cards(store, holders):
        nodes[card["iri"]] = {"id": card["iri"], "label": card["label"] or local_name(card["iri"]),
                              "type": card["type"] or ""}
    if depth > 1:
        _grow(store, base_iri, holders, depth - 1, nodes, edges)
    return _network(f"positions on '{text.strip()}'", nodes, edges, {_topic_id(t) for t in topics}, [])


def _topic_id(topic: str) -> str:
    return "topic:" + topic


def _check_depth(depth: int) -> None:
    if not 1 <= depth <= MAX_DEPTH:
        raise QueryError(f"--depth {depth} is out of range; give 1 (the actor's own relations) to {MAX_DEPTH}")


def _grow(store, base_iri: str, frontier: list[str], levels: int, nodes: dict, edges: Counter) -> None:
    """Add the networks of ``frontier`` to nodes and edges, and then of their neighbours, ``levels`` deep."""
    seen: set[str] = set()
    for level in range(levels):
        for iri in frontier:
            seen.add(iri)
            net = actor_network(store, iri, base_iri)
            for n in net["nodes"]:
                d = n["data"]
                nodes.setdefault(d["id"], {"id": d["id"], "label": d["label"], "type": d["type"]})
            for e in net["edges"]:
                d = e["data"]
                if d["source"] == d["target"]:  # an actor that supports itself is noise
                    continue
                key = (d["source"], d["label"], d["target"])
                edges[key] = max(edges[key], d["count"])  # an edge read from both of its ends is one edge
        if level + 1 < levels:
            weight: Counter = Counter()
            for (s, _, o), n in edges.items():
                for x in (s, o):
                    if x not in seen and not x.startswith("topic:"):
                        weight[x] += n
            frontier = [x for x, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:EXPAND]]


def _network(title: str, nodes: dict, edges: Counter, focus: set[str], notes: list[str]) -> Network:
    kept = sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(kept) > MAX_EDGES:
        notes = notes + [f"the picture shows the {MAX_EDGES} links with the most articles or relations, of "
                         f"{len(kept)}"]
        kept = kept[:MAX_EDGES]
    ids = set(focus) | {x for (s, _, o), _ in kept for x in (s, o)}
    out_nodes = [{"data": {**nodes.get(i, {"id": i, "label": local_name(i), "type": ""}), "focus": i in focus}}
                 for i in sorted(ids, key=lambda i: (i not in focus, i))]
    out_edges = [{"data": {"id": f"e{n}", "source": s, "target": o, "label": t, "type": t, "count": c}}
                 for n, ((s, t, o), c) in enumerate(kept)]
    return Network(title, out_nodes, out_edges, notes)


# --- writing ----------------------------------------------------------------------------------------------------

def output_kind(path: str | Path) -> str:
    """'svg' or 'html', from the output file's suffix; any other suffix is an :class:`ExportError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"kg graph writes .svg or .html, not {suffix or 'a file without a suffix'} "
                          f"({path}); name the output net.svg or net.html")
    return suffix[1:]


def write(data: bytes, path: str | Path) -> None:
    """Write the whole file or nothing: a file that cannot be written leaves no part behind (nor changes an
    older one)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}; choose another --output") from None


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """A label as XML character data or an attribute value: escaped, and with the characters XML cannot hold
    (control characters) replaced."""
    return html.escape(_NOT_XML.sub("\ufffd", value), quote=True)


def _short(label: str, width: int = 48) -> str:
    label = " ".join(label.split())
    return label if len(label) <= width else label[:width - 1] + "…"


# --- HTML: cytoscape.js, inlined ---------------------------------------------------------------------------------

_STYLE = """body { font-family: system-ui, sans-serif; margin: 0; color: #263238; }
header { padding: 0.6rem 1rem; border-bottom: 1px solid #cfd8dc; }
h1 { font-size: 1.2rem; margin: 0 0 0.3rem; }
p { margin: 0.2rem 0; font-size: 0.9rem; }
.supports { color: #2e7d32; font-weight: bold; } .opposes { color: #c62828; font-weight: bold; }
#network { position: absolute; top: 5.5rem; bottom: 0; left: 0; right: 0; }"""

def _draw() -> str:
    """kg serve's own drawing script (colours and all), which also reads the data of this page."""
    return (package_files.files("kg.serve") / "static" / "network.js").read_text(encoding="utf-8")


# the one <style> element cytoscape.js adds to a page
LIBRARY_STYLE = ".__________cytoscape_container { position: relative; }"


def _library() -> str:
    js = (package_files.files("kg.serve") / "static" / "vendor" / LIBRARY).read_text(encoding="utf-8")
    if re.search(r"</script|<!--", js, re.IGNORECASE):  # it would end (or confuse) the element it is inlined in
        raise ExportError(f"{LIBRARY} cannot be inlined into a page; reinstall kg")
    return js


def _json(data) -> str:
    """JSON for inside a <script> element: no '<', '>' or '&' in it, so no label can end the element."""
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def to_html(net: Network) -> str:
    """A standalone page that draws the network with cytoscape.js (inlined, with the data), and runs no script
    but its own two (a Content-Security-Policy with their hashes)."""
    library, draw, title = _library(), _draw(), _text(net.title)
    csp = (f"default-src 'none'; img-src data:; style-src {csp_hash(_STYLE)} {csp_hash(LIBRARY_STYLE)}; "
           f"script-src {csp_hash(library)} {csp_hash(draw)}")
    actors = sum(1 for n in net.nodes if n["data"]["type"] != "Topic")
    summary = f"{actors} actor{'s' if actors != 1 else ''}, {len(net.edges)} link{'s' if len(net.edges) != 1 else ''}"
    notes = "".join(f"<p>{_text(n)}</p>" for n in net.notes)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        f"<title>kg: {title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n",
        f"<p>{summary}; <span class=\"supports\">green: supports</span>, <span class=\"opposes\">red: opposes</span>, "
        "grey: other relations; an arrow points from who acts to whom. Drag to move, scroll to zoom. Drawn by "
        "cytoscape.js (MIT licence, inlined).</p>\n", notes,
        "\n</header>\n<div id=\"network\"></div>\n",
        f"<script type=\"application/json\" id=\"kg-network\">{_json({'nodes': net.nodes, 'edges': net.edges})}"
        "</script>\n",
        f"<script>{library}</script>\n<script>{draw}</script>\n</body>\n</html>\n",
    ])


# --- SVG: Graphviz, or kg's own layout ---------------------------------------------------------------------------

def to_svg(net: Network, *, graphviz: str | None = "auto") -> tuple[str, str]:
    """The network as an SVG document, and what laid it out: Graphviz's ``twopi`` when ``graphviz`` is the path of
    its ``dot`` program ("auto": found on PATH), else kg's own rings (also when Graphviz fails)."""
    dot = shutil.which("dot") if graphviz == "auto" else graphviz
    if dot:
        svg = _graphviz(net, dot)
        if svg is not None:
            return svg, "graphviz twopi"
    return _rings(net), "kg's own layout"


def _dot_string(value: str) -> str:
    # a DOT string: backslashes and quotes escaped, and '&' too, which Graphviz would read as an entity
    value = _NOT_XML.sub("\ufffd", " ".join(value.split()))
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;") + '"'


def _to_dot(net: Network) -> str:
    ids = {n["data"]["id"]: f"n{i}" for i, n in enumerate(net.nodes)}
    root = next((ids[n["data"]["id"]] for n in net.nodes if n["data"]["focus"]), "n0")
    lines = ["digraph kg {",
             f'  graph [layout=twopi, root={root}, overlap=scale, splines=true, ranksep=1.4, bgcolor="white", '
             f'label={_dot_string(net.title)}, labelloc=t, fontname="Helvetica", fontsize=14];',
             f'  node [shape=box, style="rounded,filled", fillcolor="#eceff1", color="{NODE}", fontname="Helvetica", '
             'fontsize=10, height=0.25, margin="0.08,0.03"];',
             f'  edge [color="{OTHER}", fontcolor="{INK}", fontname="Helvetica", fontsize=8, arrowsize=0.6];']
    for n in net.nodes:
        d = n["data"]
        style = ""
        if d["focus"]:
            style = f', fillcolor="{TOPIC if d["type"] == "Topic" else FOCUS}", color="{FOCUS}", fontcolor="white"'
        elif d["type"] == "Topic":
            style = f', color="{TOPIC}"'
        lines.append(f"  {ids[d['id']]} [label={_dot_string(_short(d['label']))}{style}];")
    for e in net.edges:
        d = e["data"]
        colour = SIDES.get(d["type"], OTHER)
        lines.append(f"  {ids[d['source']]} -> {ids[d['target']]} [label={_dot_string(d['label'])}, "
                     f'color="{colour}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _graphviz(net: Network, dot: str) -> str | None:
    try:
        done = subprocess.run([dot, "-Tsvg"], input=_to_dot(net).encode("utf-8"), capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("Graphviz (%s) did not run (%s); the picture is laid out by kg", dot, exc)
        return None
    svg = done.stdout.decode("utf-8", "replace")
    try:
        if done.returncode:
            raise ValueError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or "failed")
        ElementTree.fromstring(svg.encode("utf-8"))
    except (ValueError, ElementTree.ParseError) as exc:
        log.warning("Graphviz (%s) gave no usable picture (%s); the picture is laid out by kg", dot, exc)
        return None
    return svg


RING = 170.0  # px between rings
GAP = 24.0  # px of ring between two neighbouring nodes, at least
CHAR = 6.0  # px a character of a 10 px label takes, about
CROWDED = 8  # a ring of more nodes than this is labelled along the rays


def _rings(net: Network) -> str:
    """kg's own layout: the focus in the centre (several on a small circle), each other node on the ring of its
    distance from it, placed near the neighbours it has on the ring inside; edges as arcs with arrowheads."""
    ids = [n["data"]["id"] for n in net.nodes]
    data = {n["data"]["id"]: n["data"] for n in net.nodes}
    near: dict[str, set[str]] = {i: set() for i in ids}
    for e in net.edges:
        s, o = e["data"]["source"], e["data"]["target"]
        near[s].add(o)
        near[o].add(s)
    # rings: breadth-first from the focus
    ring = {i: 0 for i in ids if data[i]["focus"]} or {ids[0]: 0}
    todo = list(ring)
    while todo:
        nxt = []
        for i in todo:
            for j in sorted(near[i]):
                if j not in ring:
                    ring[j] = ring[i] + 1
                    nxt.append(j)
        todo = nxt
    last = max(ring.values())
    for i in ids:
        ring.setdefault(i, last + 1)
    # places: ring by ring, each node at the mean angle of its neighbours inside, then spread evenly
    angle: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    radial: set[str] = set()  # the nodes of a crowded outer ring: labelled along their rays, so as not to overlap
    radius = 0.0
    for r in range(max(ring.values()) + 1):
        members = [i for i in ids if ring[i] == r]
        if not members:
            continue
        if r == 0 and len(members) == 1:
            angle[members[0]], pos[members[0]] = 0.0, (0.0, 0.0)
            continue
        radius = max(radius + (RING if r else 0.0), len(members) * GAP / (2 * math.pi), 60.0 if r == 0 else 0.0)
        wish = {i: _mean_angle([angle[j] for j in near[i] if j in angle]) for i in members}
        if r == 1 and len(angle) == 1:
            # around one centre: evenly, grouped by how they are linked to it, the first half a slot from the top
            # (two side by side, four at the corners, where labels fit)
            members.sort(key=lambda i: (_side(net, i), data[i]["label"], i))
            turn = -math.pi / 2 + math.pi / len(members)
            places = [turn + 2 * math.pi * k / len(members) for k in range(len(members))]
        else:  # each near its neighbours inside (their mean angle), pushed apart to GAP
            spare = iter(2 * math.pi * k / len(members) for k in range(len(members)))
            wanted = {i: wish[i] if wish[i] is not None else next(spare) for i in members}
            members.sort(key=lambda i: (wanted[i], data[i]["label"], i))
            places = _spread([wanted[i] for i in members], GAP / radius)
        for i, a in zip(members, places):
            angle[i], pos[i] = a, (radius * math.cos(a), radius * math.sin(a))
        if len(members) > CROWDED and r == max(ring.values()):  # an inner ring's rays carry the edges outwards
            radial.update(members)
    return _svg(net, pos, data, radial)


def _mean_angle(angles: list[float]) -> float | None:
    """The mean direction of some angles, from 0 to 2π; None when there are none."""
    if not angles:
        return None
    return math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles))) % (2 * math.pi)


def _spread(wanted: list[float], gap: float) -> list[float]:
    """Angles as near ``wanted`` (ascending, from 0 to 2π) as can be with ``gap`` between neighbours, in the same
    order: the circle is cut at the widest gap between wishes, and runs of nodes too close are placed as blocks
    around the mean of their wishes (evenly, when there is no room for more)."""
    n = len(wanted)
    if n * gap >= 2 * math.pi * 0.98:
        return [wanted[0] + 2 * math.pi * k / n for k in range(n)]
    widest = max(range(n), key=lambda k: ((wanted[(k + 1) % n] - wanted[k]) % (2 * math.pi), -k))
    order = [(widest + 1 + k) % n for k in range(n)]
    line = [wanted[order[0]]]
    for k in order[1:]:
        line.append(line[-1] + (wanted[k] - line[-1]) % (2 * math.pi))
    blocks: list[list[float]] = []  # [sum of (wish - place in block * gap), nodes]: a block starts at the mean
    for w in line:
        blocks.append([w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] + blocks[-2][1] * gap > blocks[-1][0] / blocks[-1][1]:
            (s1, n1), (s2, n2) = blocks[-2], blocks.pop()
            blocks[-1] = [s1 + s2 - n1 * gap * n2, n1 + n2]
    placed = [b[0] / b[1] + k * gap for b in blocks for k in range(int(b[1]))]
    out = [0.0] * n
    for k, a in zip(order, placed):
        out[k] = a
    return out


def _side(net: Network, node: str) -> str:
    kinds = sorted({e["data"]["type"] for e in net.edges if node in (e["data"]["source"], e["data"]["target"])})
    return "0" + kinds[0] if kinds and kinds[0] in SIDES else "1" + (kinds[0] if kinds else "")


def _svg(net: Network, pos: dict, data: dict, radial: set[str]) -> str:
    size = {i: 11.0 if data[i]["focus"] else 7.0 for i in pos}
    body: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []  # what must be inside the picture: left, top, right, bottom

    def text(x: float, y: float, value: str, anchor: str, px: float, attrs: str = "", turn: float = 0.0) -> str:
        wide = len(value) * CHAR * px / 10
        if turn:  # along a ray: from (x, y) outwards
            a = math.radians(turn) + (math.pi if anchor == "end" else 0.0)
            ex, ey = x + wide * math.cos(a), y + wide * math.sin(a)
            boxes.append((min(x, ex) - px, min(y, ey) - px, max(x, ex) + px, max(y, ey) + px))
            attrs += f' dy="3.5" transform="rotate({turn:.1f} {x:.1f} {y:.1f})"'
        else:
            left = {"start": x, "middle": x - wide / 2, "end": x - wide}[anchor]
            boxes.append((left, y - px, left + wide, y + px / 3))
        return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attrs}>{_text(value)}</text>'

    # edges, as arcs: the edges between the same two nodes bend apart
    pairs: dict[frozenset, list[dict]] = {}
    for e in net.edges:
        pairs.setdefault(frozenset((e["data"]["source"], e["data"]["target"])), []).append(e["data"])
    arcs, marks = [], []
    for group in pairs.values():
        for k, d in enumerate(group):
            s, o = d["source"], d["target"]
            a, b = sorted((s, o))  # the bend's side is the same whichever way an edge runs
            (ax, ay), (bx, by) = pos[a], pos[b]
            length = math.hypot(bx - ax, by - ay) or 1.0
            nx, ny = -(by - ay) / length, (bx - ax) / length
            bend = (k - (len(group) - 1) / 2) * 36
            (sx, sy), (tx, ty) = pos[s], pos[o]
            cx, cy = (sx + tx) / 2 + nx * bend, (sy + ty) / 2 + ny * bend
            sx, sy = _towards(sx, sy, cx, cy, size[s])
            tx, ty = _towards(tx, ty, cx, cy, size[o] + 1)
            colour, marker = (SIDES[d["type"]], d["type"]) if d["type"] in SIDES else (OTHER, "other")
            tip = f"{data[s]['label']} {d['label']} {data[o]['label']} ({d['count']})"
            arcs.append(f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {tx:.1f},{ty:.1f}" stroke="{colour}" '
                        f'stroke-width="1.5" marker-end="url(#arrow-{marker})"><title>{_text(tip)}</title></path>')
            # the label away from the crowded middle, towards the outer end; those of a pair spread along it
            outer = 0.12 if math.hypot(*pos[o]) > math.hypot(*pos[s]) + 1 else \
                -0.12 if math.hypot(*pos[s]) > math.hypot(*pos[o]) + 1 else 0.0
            t = 0.5 + outer + (k - (len(group) - 1) / 2) * 0.16
            mx = (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t * t * tx
            my = (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t * t * ty
            marks.append(text(mx, my + 3, d["label"], "middle", 8))
    body += ['<g class="edges" fill="none">', *arcs, "</g>",
             f'<g class="edge-labels" font-size="8" fill="{INK}" stroke="white" stroke-width="3" paint-order="stroke">',
             *marks, "</g>",
             '<g class="nodes" font-size="10" fill="#263238" stroke="white" stroke-width="3" paint-order="stroke">']
    # nodes, each labelled outwards: below the centre, right of it on the right, left of it on the left
    for i, (x, y) in pos.items():
        d = data[i]
        fill = TOPIC if d["type"] == "Topic" else FOCUS if d["focus"] else NODE
        turn = 0.0
        if abs(x) < 1 and abs(y) < 1:
            lx, ly, anchor = x, y + size[i] + 12, "middle"
        elif i in radial:  # along the node's ray, outwards, read from left to right
            a = math.atan2(y, x)
            right = math.cos(a) >= 0
            lx, ly = x + (size[i] + 4) * math.cos(a), y + (size[i] + 4) * math.sin(a)
            anchor, turn = ("start", math.degrees(a)) if right else ("end", math.degrees(a) - 180)
        elif x >= -1:
            lx, ly, anchor = x + size[i] + 4, y + 3.5, "start"
        else:
            lx, ly, anchor = x - size[i] - 4, y + 3.5, "end"
        boxes.append((x - size[i], y - size[i], x + size[i], y + size[i]))
        kind = f", {d['type']}" if d["type"] else ""
        label = text(lx, ly, _short(d["label"]), anchor, 10, ' font-weight="bold"' if d["focus"] else "", turn)
        body.append(f'<g><title>{_text(d["label"] + kind)}</title><circle cx="{x:.1f}" cy="{y:.1f}" '
                    f'r="{size[i]:.0f}" fill="{fill}"/>{label}</g>')
    body.append("</g>")
    left, top = min(b[0] for b in boxes) - 16, min(b[1] for b in boxes) - 56
    right, bottom = max(b[2] for b in boxes) + 16, max(b[3] for b in boxes) + 16
    legend = "green: supports, red: opposes, grey: other relations; an arrow points from who acts to whom"
    right = max(right, left + 24 + max(len(legend) * CHAR, len(net.title) * CHAR * 1.4))
    width, height = right - left, bottom - top
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" font-family="Helvetica, Arial, sans-serif">',
            f"<title>{_text(net.title)}</title>", "<defs>"]
    for name, colour in [("other", OTHER), *SIDES.items()]:
        head.append(f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                    f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    head += ["</defs>",
             f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" fill="white"/>',
             f'<text x="{left + 12:.1f}" y="{top + 22:.1f}" font-size="14" font-weight="bold" fill="#263238">'
             f"{_text(net.title)}</text>",
             f'<text x="{left + 12:.1f}" y="{top + 40:.1f}" font-size="10" fill="{INK}">'
             f'<tspan fill="{SIDES["supports"]}">green: supports</tspan>, '
             f'<tspan fill="{SIDES["opposes"]}">red: opposes</tspan>, grey: other relations; an arrow points from '
             "who acts to whom</text>"]
    return "\n".join(head + body + ["</svg>"]) + "\n"


def _towards(x: float, y: float, tx: float, ty: float, by: float) -> tuple[float, float]:
    """(x, y) moved ``by`` px towards (tx, ty): an edge starts and ends at a node's rim, not its centre."""
    length = math.hypot(tx - x, ty - y)
    if length < 1e-9:
        return x, y
    return x + (tx - x) * by / length, y + (ty - y) * by / length
