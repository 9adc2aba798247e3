"""Reading gold files and telling their shapes apart by the keys of their documents."""
from __future__ import annotations

import json
import re
from pathlib import Path

from kg.errors import EvalError

# shape -> what a document of that shape looks like (also the error message's list of accepted shapes)
SHAPES = {
    "attributions": 'PolNeAR attributions {"id", "text", "attributions": [{"source", "cue", "content"}]}',
    "contract": 'contract shape {"doc_id", "entities", "statements", "relations"} (as seed-gold.json)',
    "linking": 'entity linking (ELEVANT news-fair) {"id", "text", "evaluation_span", "labels": [...]}',
    "ner": 'NER (CoNLL++) {"id", "text", "entities": [{"start", "end", "type"}]}',
    "relations": 'relations and stances {"id", "set", "relations": [{"type", "subject", "object", "evidence"}], '
                 '"statements": [{"source", "cue", "content", "stance", "target"}]} '
                 '(docs/annotation-relations-stances.md)',
}
# keys every item of a linking or NER document needs, so that scoring never stops on a KeyError
ITEM_KEYS = {"linking": ("labels", {"start", "end", "qid", "kind", "optional", "label_id", "parent", "children"}),
             "ner": ("entities", {"start", "end", "type"})}


def doc_id(doc: dict) -> str:
    return str(doc.get("id", doc.get("doc_id", "")))


def _relations_stances(doc: dict) -> bool:
    """Relation and stance gold: it names the shared set its text is in, or its relations and statements are made
    of spans (a contract document's relations name entity ids, and its statement content is one span object)."""
    if "relations" not in doc and "statements" not in doc:
        return False
    if "set" in doc:
        return True
    rels, sts = doc.get("relations"), doc.get("statements")
    return (isinstance(rels, list) and any(isinstance(x, dict) and isinstance(x.get("subject"), list) for x in rels)
            or isinstance(sts, list) and any(isinstance(x, dict) and isinstance(x.get("content"), list)
                                             and "stance" in x for x in sts))


def shape(doc) -> str | None:
    """The shape of one gold document, or None. Contract documents also have 'entities', so 'statements' is
    looked at first; relation and stance gold has 'statements' too, and is told apart by its spans."""
    if not isinstance(doc, dict):
        return None
    if _relations_stances(doc):
        return "relations"
    for key, name in (("attributions", "attributions"), ("statements", "contract"), ("labels", "linking"),
                      ("entities", "ner")):
        if key in doc:
            return name
    return None


def task(docs: list[dict]) -> str:
    """What a gold file measures: 'statements' (attribution and contract gold may mix), 'linking', 'ner' or
    'relations' (relations and stances)."""
    shapes = {shape(d) for d in docs}
    return next(iter(shapes)) if shapes in ({"linking"}, {"ner"}, {"relations"}) else "statements"


def _span(x) -> bool:
    """a span {start, end} or [start, end] of whole numbers in order"""
    pair = (x.get("start"), x.get("end")) if isinstance(x, dict) else tuple(x) if isinstance(x, list) else ()
    return len(pair) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in pair) \
        and 0 <= pair[0] <= pair[1]


def _spans(x) -> bool:
    """a list of spans {start, end} or [start, end]"""
    return isinstance(x, list) and all(map(_span, x))


def _objects(doc: dict, key: str, fields: dict, optional: bool = False) -> str | None:
    """What is wrong with ``doc[key]`` as a list of objects whose ``fields`` pass their checks, or None."""
    items = doc.get(key, [] if optional else None)
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        return f"'{key}' must be a list of objects"
    for x in items:
        for name, ok in fields.items():
            if name not in x or not ok(x[name]):
                return f"each of '{key}' needs '{name}' ({ok.__doc__})"
    return None


def _any(_x) -> bool:
    """any value"""
    return True


def _pair(x) -> bool:
    """a span [start, end]"""
    return isinstance(x, list) and _span(x)


def _pair_or_null(x) -> bool:
    """a span [start, end] or null"""
    return x is None or _pair(x)


def _pairs(x) -> bool:
    """a list of spans [start, end]"""
    return isinstance(x, list) and all(map(_pair, x))


def _name(x) -> bool:
    """a non-empty string"""
    return isinstance(x, str) and bool(x.strip())


_CONTENT = {"attributions": [("attributions", {"source": _spans, "cue": _spans, "content": _spans}, False)],
            "contract": [("entities", {"id": _any, "mentions": _spans}, True),
                         ("statements", {"content": _span}, False),
                         ("relations", {"type": _any, "subject": _any, "object": _any}, True)],
            "relations": [("relations", {"type": _name, "subject": _pair, "object": _pair, "evidence": _pair}, False),
                          ("statements", {"source": _pair_or_null, "cue": _pair_or_null, "content": _pairs,
                                          "stance": _name, "target": _pair_or_null}, False)]}


def _check(path: Path, n: int, doc) -> str:
    kind = shape(doc)
    if kind is None:
        accepted = "; ".join(SHAPES.values())
        raise EvalError(f"{path}:{n}: not a gold document kg can score; each line must be one of: {accepted}")
    if "text" in doc and not isinstance(doc["text"], str):
        raise EvalError(f"{path}:{n}: 'text' must be a string (the article text)")
    if kind in ITEM_KEYS:
        key, needed = ITEM_KEYS[kind]
        items = doc[key]
        if not isinstance(items, list) or not all(isinstance(x, dict) and needed <= x.keys() for x in items):
            raise EvalError(f"{path}:{n}: '{key}' must be a list of objects with {', '.join(sorted(needed))}")
    for key, fields, optional in _CONTENT.get(kind, ()):
        wrong = _objects(doc, key, fields, optional)
        if wrong:
            raise EvalError(f"{path}:{n}: {wrong}; see {SHAPES[kind]}")
    return kind


def shared_eval_dirs() -> list[Path]:
    """Where the shared gold sets are looked for when no folder is given: ``../shared/eval`` next to the repository
    kg runs from, then next to the working directory."""
    repo = Path(__file__).resolve().parents[2]
    return [repo.parent / "shared" / "eval", Path.cwd().parent / "shared" / "eval"]


def _set_text(path: Path, doc: dict, texts_dir, sets: dict[str, dict[str, str]]) -> str:
    """The text of a gold document that names its set: the ``text`` of its id in ``<texts_dir>/<set>.jsonl``."""
    name, kind = doc_id(doc), doc["set"]
    if not isinstance(kind, str) or not re.fullmatch(r"[\w.-]+", kind):
        raise EvalError(f"{path}: gold document {name!r} has set {kind!r}; give the name of a shared gold set, "
                        "such as polnear-dev")
    if kind not in sets:
        dirs = [Path(texts_dir)] if texts_dir else shared_eval_dirs()
        found = next((x / f"{kind}.jsonl" for x in dirs if (x / f"{kind}.jsonl").is_file()), None)
        if found is None:
            raise EvalError(f"gold document {name!r} takes its text from {kind}.jsonl, which is not in "
                            f"{' or '.join(str(x) for x in dirs)}; pass --texts DIR, the folder that holds it")
        sets[kind] = {}
        for line in found.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    raise EvalError(f"{found} is not JSONL; give the shared {kind}.jsonl") from None
                if isinstance(item, dict) and isinstance(item.get("text"), str):
                    sets[kind][doc_id(item)] = item["text"]
    if name not in sets[kind]:
        raise EvalError(f"gold document {name!r} is not in {kind}.jsonl; give the id of one of its documents")
    return sets[kind][name]


def read_gold(path: str | Path, texts_dir: str | Path | None = None) -> tuple[list[dict], dict[str, str]]:
    """Gold documents and their texts. A document without ``text`` is read from ``texts_dir/<doc_id>``; one that
    names its ``set`` from the document of its id in ``<texts_dir>/<set>.jsonl`` (by default the shared gold sets in
    ``../shared/eval``)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read gold file {path}: {exc}; give a UTF-8 JSONL file") from None
    try:
        docs = [json.loads(raw)]
    except json.JSONDecodeError:
        docs = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise EvalError(f"{path}:{n}: not JSON ({exc.msg}); gold files hold one JSON document per "
                                    "line") from None
    if not docs:
        raise EvalError(f"{path} holds no gold document; give a JSONL file with one document per line")
    kinds = {_check(path, n, d) for n, d in enumerate(docs, 1)}
    if len(kinds) > 1 and kinds & {"linking", "ner", "relations"}:
        raise EvalError(f"{path}: mixes gold shapes ({', '.join(sorted(kinds))}); give one file per shape")
    texts = {}
    sets: dict[str, dict[str, str]] = {}
    for d in docs:
        name = doc_id(d)
        text = d.get("text")
        if text is None and d.get("set") is not None:
            text = _set_text(path, d, texts_dir, sets)
        if text is None:
            candidates = [Path(texts_dir) / name] if texts_dir else []
            candidates += [path.parent / name, Path("seeds") / name]
            found = next((c for c in candidates if c.is_file()), None)
            if found is None:
                raise EvalError(f"gold document {name!r} has no text and no file {name} was found; "
                                "pass --texts FOLDER")
            text = found.read_text(encoding="utf-8")
        texts[name] = text
        if shape(d) == "relations":
            _within(path, d, text)
    return docs, texts


def _within(path: Path, doc: dict, text: str) -> None:
    """Every span of a relation and stance document lies in its text."""
    for key, fields in (("relations", ("subject", "object", "evidence")),
                        ("statements", ("source", "cue", "target"))):
        for item in doc.get(key, []):
            spans = [item[f] for f in fields if item.get(f)] + (item.get("content") or [] if key == "statements"
                                                                  else [])
            if any(s[1] > len(text) for s in spans):
                raise EvalError(f"{path}: a span of {doc_id(doc)!r} ends after its text ({len(text)} characters); "
                                "offsets are into the text of the document in its set")
