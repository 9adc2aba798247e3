"""Reading gold files and telling their shapes apart by the keys of their documents."""
from __future__ import annotations

import json
from pathlib import Path

from kg.errors import EvalError

# shape -> what a document of that shape looks like (also the error message's list of accepted shapes)
SHAPES = {
    "attributions": 'PolNeAR attributions {"id", "text", "attributions": [{"source", "cue", "content"}]}',
    "contract": 'contract shape {"doc_id", "entities", "statements", "relations"} (as seed-gold.json)',
    "linking": 'entity linking (ELEVANT news-fair) {"id", "text", "evaluation_span", "labels": [...]}',
    "ner": 'NER (CoNLL++) {"id", "text", "entities": [{"start", "end", "type"}]}',
}
# keys every item of a linking or NER document needs, so that scoring never stops on a KeyError
ITEM_KEYS = {"linking": ("labels", {"start", "end", "qid", "kind", "optional", "label_id", "parent", "children"}),
             "ner": ("entities", {"start", "end", "type"})}


def doc_id(doc: dict) -> str:
    return str(doc.get("id", doc.get("doc_id", "")))


def shape(doc) -> str | None:
    """The shape of one gold document, or None. Contract documents also have 'entities', so 'statements' is
    looked at first."""
    if not isinstance(doc, dict):
        return None
    for key, name in (("attributions", "attributions"), ("statements", "contract"), ("labels", "linking"),
                      ("entities", "ner")):
        if key in doc:
            return name
    return None


def task(docs: list[dict]) -> str:
    """What a gold file measures: 'statements' (attribution and contract gold may mix), 'linking' or 'ner'."""
    shapes = {shape(d) for d in docs}
    return next(iter(shapes)) if shapes in ({"linking"}, {"ner"}) else "statements"


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


_CONTENT = {"attributions": [("attributions", {"source": _spans, "cue": _spans, "content": _spans}, False)],
            "contract": [("entities", {"id": _any, "mentions": _spans}, True),
                         ("statements", {"content": _span}, False),
                         ("relations", {"type": _any, "subject": _any, "object": _any}, True)]}


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


def read_gold(path: str | Path, texts_dir: str | Path | None = None) -> tuple[list[dict], dict[str, str]]:
    """Gold documents and their texts. A document without ``text`` is read from ``texts_dir/<doc_id>``."""
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
    if len(kinds) > 1 and kinds & {"linking", "ner"}:
        raise EvalError(f"{path}: mixes gold shapes ({', '.join(sorted(kinds))}); give one file per shape")
    texts = {}
    for d in docs:
        name = doc_id(d)
        text = d.get("text")
        if text is None:
            candidates = [Path(texts_dir) / name] if texts_dir else []
            candidates += [path.parent / name, Path("seeds") / name]
            found = next((c for c in candidates if c.is_file()), None)
            if found is None:
                raise EvalError(f"gold document {name!r} has no text and no file {name} was found; "
                                "pass --texts FOLDER")
            text = found.read_text(encoding="utf-8")
        texts[name] = text
    return docs, texts
