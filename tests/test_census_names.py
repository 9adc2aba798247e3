"""The census given-names lexicon: how it is built from the US Census Bureau's 1990 first-name files, and what the
built file holds."""
from __future__ import annotations

import json

from kg import lexicons
from kg.lexicons import build_census_names


def _write(folder, name, rows):
    (folder / name).write_text("".join(f"{n:<15}{f:.3f} 0.000 {i + 1}\n" for i, (n, f) in enumerate(rows)),
                               encoding="ascii")


def test_a_name_goes_to_the_gender_that_gives_it_five_times_as_often_and_rare_names_stay_out(tmp_path):
    _write(tmp_path, "dist.male.first", [("JAMES", 3.318), ("TAYLOR", 0.024), ("JORDAN", 0.2), ("XAVIER", 0.004),
                                         ("KIM", 0.01)])
    _write(tmp_path, "dist.female.first", [("MARY", 2.629), ("TAYLOR", 0.012), ("JORDAN", 0.01), ("MEI", 0.005),
                                           ("KIM", 0.2)])
    built = build_census_names.build(tmp_path)
    # Taylor is given to both (2:1), Xavier and Mei are rarer than the floor, Kim is left out by name
    assert (built["m"], built["f"]) == (["james", "jordan"], ["mary"])
    assert json.loads(build_census_names.dumps(built)) == built


def test_the_built_lexicon_holds_names_of_one_gender_and_none_of_those_left_out():
    lex = lexicons.load("census_given_names")
    assert {"john", "raphael"} <= set(lex["m"]) and {"mary", "patti"} <= set(lex["f"])
    assert not set(lex["m"]) & set(lex["f"])
    assert not build_census_names.LEFT_OUT & (set(lex["m"]) | set(lex["f"]))
