"""Poetry's and PDM's content hashes, computed by the tools themselves (the Poetry 2.5.1 and PDM 2.29.4
that scripts/dev-setup installs in `.dev/tools/`), equal the engine's for each pyproject below: every
section either tool hashes is changed by at least one of them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from pyhelper.lockfiles import pdm, poetry
from pyhelper.tomlfile import TomlDocument, parse_toml

TOOLS = Path(__file__).resolve().parents[2] / ".dev" / "tools"

PROJECT = '[project]\nname = "app"\nversion = "1"\n'

PDM_CASES = {
    "minimal": PROJECT,
    "dependencies": PROJECT + 'dependencies = ["Requests>=2", "idna"]\nrequires-python = ">=3.10"\n',
    "optional": PROJECT + '[project.optional-dependencies]\nSocks = ["pysocks"]\n',
    "sources": PROJECT
    + '[[tool.pdm.source]]\nname = "private"\nurl = "https://example.org/simple"\nverify_ssl = true\n',
    "resolution": PROJECT
    + '[tool.pdm.resolution]\nallow-prereleases = true\noverrides = { idna = "==3.7" }\n',
    "groups": PROJECT + '[dependency-groups]\nTest_Tools = ["pytest"]\nlint = ["ruff"]\n',
    "legacy dev-dependencies merged into groups": PROJECT
    + '[dependency-groups]\ntest = ["pytest"]\n[tool.pdm.dev-dependencies]\nTest = ["coverage"]\ndoc = ["mkdocs"]\n',
    "other tool settings": PROJECT + '[tool.pdm]\ndistribution = false\n[tool.pdm.scripts]\nx = "echo"\n',
    # Groups that are not arrays: PDM hashes `list(value)` (a string's characters, a table's keys).
    "group as a string": PROJECT + '[dependency-groups]\nlint = "ruff"\n',
    "group as a table": PROJECT + '[dependency-groups]\nlint = { include-group = "test" }\n',
    "legacy dev-dependencies as a string": PROJECT + '[tool.pdm.dev-dependencies]\nlint = "coverage"\n',
}
# Values PDM cannot hash at all (a TypeError, so `pdm lock --check` fails): no hash matches.
PDM_UNHASHABLE = {
    "group as a number": PROJECT + "[dependency-groups]\nlint = 5\n",
    "legacy dev-dependencies as a boolean": PROJECT + "[tool.pdm.dev-dependencies]\nlint = true\n",
}

POETRY_CASES = {
    "classic": '[tool.poetry]\nname = "app"\n[tool.poetry.dependencies]\npython = "^3.10"\nidna = "^3"\n',
    "classic with every legacy key": '[tool.poetry.dependencies]\nidna = "^3"\n[tool.poetry.dev-dependencies]\n'
    'pytest = "*"\n[tool.poetry.extras]\nx = ["idna"]\n[[tool.poetry.source]]\nname = "p"\n'
    'url = "https://example.org/simple"\n',
    "classic groups": '[tool.poetry.dependencies]\nidna = "^3"\n[tool.poetry.group.dev.dependencies]\n'
    'pytest = "*"\n',
    "pep 621": PROJECT
    + 'dependencies = ["idna>=3"]\nrequires-python = ">=3.10"\n[project.optional-dependencies]\n'
    'x = ["six"]\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n',
    "pep 621 without tool.poetry": PROJECT + 'dependencies = ["idna>=3"]\n',
    "pep 621 and a source": PROJECT + 'dependencies = ["idna>=3"]\n[[tool.poetry.source]]\nname = "p"\n'
    'url = "https://example.org/simple"\n',
    "dependency groups only": '[dependency-groups]\ndev = ["pytest"]\n[tool.poetry]\npackage-mode = false\n',
    "dependency groups and project": PROJECT
    + 'dependencies = ["idna"]\n[dependency-groups]\ndev = ["pytest"]\n',
    "empty dependency groups": PROJECT + 'dependencies = ["idna"]\n[dependency-groups]\n',
    "nothing relevant": '[tool.poetry]\nname = "app"\npackage-mode = false\n',
}

_PDM_ORACLE = """
import json, sys
from pdm.project.project_file import PyProject
from pdm.termui import UI
def content_hash(path):
    try:
        return PyProject(path, ui=UI()).content_hash()
    except TypeError:
        return None
print(json.dumps({path: content_hash(path) for path in json.load(sys.stdin)}))
"""
_POETRY_ORACLE = """
import json, sys, tomllib
from pathlib import Path
from poetry.packages.locker import Locker
out = {}
for path in json.load(sys.stdin):
    locker = Locker(Path(path).with_name("poetry.lock"), tomllib.loads(Path(path).read_text()))
    out[path] = [locker._get_content_hash(), locker._get_content_hash(with_dependency_groups=False)]
print(json.dumps(out))
"""


def _ask(tool: str, oracle: str, folder: Path, cases: dict[str, str]) -> dict[str, object]:
    python = TOOLS / tool / "bin" / "python"
    assert python.exists(), f"scripts/dev-setup installs {tool} in .dev/tools/{tool}"
    paths = {}
    for index, (name, text) in enumerate(cases.items()):
        path = folder / str(index) / "pyproject.toml"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    out = subprocess.run(
        [str(python), "-I", "-c", oracle],
        input=json.dumps(list(paths.values())),
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env={**os.environ, "PDM_IGNORE_SAVED_PYTHON": "1", "PDM_CHECK_UPDATE": "false"},
    ).stdout
    hashes = json.loads(out.strip().splitlines()[-1])
    return {name: hashes[path] for name, path in paths.items()}


@pytest.fixture(scope="module")
def pdm_hashes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return _ask("pdm", _PDM_ORACLE, tmp_path_factory.mktemp("pdm"), PDM_CASES | PDM_UNHASHABLE)


@pytest.fixture(scope="module")
def poetry_hashes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return _ask("poetry", _POETRY_ORACLE, tmp_path_factory.mktemp("poetry"), POETRY_CASES)


def _data(text: str) -> dict[str, object]:
    doc = parse_toml(Path("pyproject.toml"), text)
    assert isinstance(doc, TomlDocument), doc
    return doc.data


@pytest.mark.parametrize("name", [*PDM_CASES, *PDM_UNHASHABLE])
def test_pdm_content_hash_is_pdms(name: str, pdm_hashes: dict[str, object]) -> None:
    assert pdm.content_hash(_data((PDM_CASES | PDM_UNHASHABLE)[name])) == pdm_hashes[name]
    assert (pdm_hashes[name] is None) == (name in PDM_UNHASHABLE)


@pytest.mark.parametrize("name", POETRY_CASES)
def test_poetry_content_hash_is_poetrys(name: str, poetry_hashes: dict[str, object]) -> None:
    data = _data(POETRY_CASES[name])
    assert [
        poetry.content_hash(data),
        poetry.content_hash(data, with_dependency_groups=False),
    ] == poetry_hashes[name]


def test_every_case_hashes_differently(
    pdm_hashes: dict[str, object], poetry_hashes: dict[str, object]
) -> None:
    # Settings PDM does not hash leave the hash alone; every other case changes it.
    assert pdm_hashes["other tool settings"] == pdm_hashes["minimal"]
    assert len({pdm_hashes[name] for name in PDM_CASES}) == len(PDM_CASES) - 1
    assert len({json.dumps(h) for h in poetry_hashes.values()}) == len(POETRY_CASES)


# PDM's lock inputs (a lock written with `[tool.pdm.resolution] lock_inputs = true` records them
# instead of a hash), asked of PDM's own `build_lock_inputs`.
PDM_INPUT_CASES = {
    "everything": PROJECT
    + 'requires-python = ">= 3.10"\ndependencies = ["idna>=3.0", "Six >= 1.10 ; python_version>=\'3.8\'"]\n'
    '[project.optional-dependencies]\nSocks = ["pysocks>=1"]\nall = ["app[socks]", "rich"]\n'
    '[dependency-groups]\nDev = ["iniconfig>=2", {include-group = "lint"}]\nlint = ["ruff"]\n'
    '[tool.pdm.dev-dependencies]\ntest = ["pytest"]\n'
    '[tool.pdm.resolution]\nlock_inputs = true\nallow-prereleases = true\nexcludes = ["foo"]\n'
    '[[tool.pdm.source]]\nname = "private"\nurl = "https://user:pw@example.org/simple"\nverify_ssl = true\n',
    "names and extras": PROJECT
    + 'dependencies = ["Typing_Extensions[B,a]>=4; extra == \'X\'", "zope.interface"]\n',
    "minimal": PROJECT,
    # Credentials left out, package lists sorted, URLs (a source's, a URL anywhere in the resolution
    # settings) as fingerprints, a date as ISO text.
    "sources and resolution": PROJECT + "[tool.pdm.resolution]\nlock_inputs = true\nwhen = 1979-05-27\n"
    'overrides = { foo = "https://example.org/foo-1.0.whl", bar = "==1" }\n'
    '[[tool.pdm.source]]\nname = "private"\nurl = "https://example.org/simple"\nusername = "me"\n'
    'password = "secret"\ninclude_packages = ["zeta", "alpha"]\nexclude_packages = ["omega", "beta"]\n'
    '[[tool.pdm.source]]\nname = "other"\nurl = "https://other.example.org/simple"\n',
    # The project's own extras, however its name is spelled, expanded where they are referenced.
    "own extras": '[project]\nname = "App_Name"\nversion = "1"\ndependencies = ["idna"]\n'
    '[project.optional-dependencies]\nSocks = ["pysocks"]\ncli = ["click"]\n'
    'all = ["rich", "APP-name[Socks,cli]"]\nfull = ["app_name[all]", "six"]\n',
    # What a group refers to is added one level deep: `dev` gets `lint`'s own requirements, not `test`'s.
    "nested includes": PROJECT + '[dependency-groups]\ndev = ["pytest", {include-group = "lint"}]\n'
    'lint = ["ruff", {include-group = "test"}, {include-group = "test"}]\ntest = ["coverage"]\n',
    # Without a name nothing is the project itself, whatever a requirement is called.
    "no name": '[project]\nversion = "1"\ndependencies = ["None", "xxxx"]\n',
}
_PDM_INPUTS_ORACLE = """
import json, os, sys
from pathlib import Path
from pdm.core import Core
from pdm.project.lockfile.freshness import build_lock_inputs
out = {}
for path in json.load(sys.stdin):
    os.chdir(Path(path).parent)
    out[path] = build_lock_inputs(Core().create_project(Path(path).parent))["project"]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def pdm_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return _ask("pdm", _PDM_INPUTS_ORACLE, tmp_path_factory.mktemp("inputs"), PDM_INPUT_CASES)


@pytest.mark.parametrize("name", PDM_INPUT_CASES)
def test_pdm_lock_inputs_are_pdms(name: str, pdm_inputs: dict[str, object]) -> None:
    assert pdm.lock_inputs(_data(PDM_INPUT_CASES[name])) == pdm_inputs[name]


def test_pdm_lock_inputs_of_a_cycle_or_a_missing_group_are_still_computed() -> None:
    # PDM refuses these (ProjectError: a cyclic include, a missing group), so `pdm lock --check` fails;
    # the engine still computes inputs (one level deep, so a cycle ends), which then differ from any
    # lock's record.
    cyclic = _data(
        '[project]\nname = "app"\nversion = "1"\n[project.optional-dependencies]\n'
        'a = ["six", "app[b]"]\nb = ["attrs", "app[a]"]\n[dependency-groups]\n'
        'dev = ["pytest", {include-group = "lint"}, {include-group = "missing"}]\n'
        'lint = ["ruff", {include-group = "dev"}]\n'
    )
    inputs = pdm.lock_inputs(cyclic)
    assert inputs is not None
    assert inputs["groups"] == {
        "default": [],
        "a": ["attrs", "six"],
        "b": ["attrs", "six"],
        "dev": ["pytest", "ruff"],
        "lint": ["pytest", "ruff"],
    }
