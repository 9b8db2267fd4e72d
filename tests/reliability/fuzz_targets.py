"""Fuzz targets for every reader of user files, and the structure-aware inputs that feed them.

A target is a reader called in-process the way the helper calls it; its contract is that any input gives
findings (or `None`/a value) or one documented exception with a message, never anything else. Inputs
come from a `random.Random` (hypothesis drives it in the tests, a plain seed in `fuzz_long.py`), mixing:
valid TOML of random shapes with random types at the keys the readers look at, real fixtures from
tests/fixtures/drift mutated line by line, and random text or bytes.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import random
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhelper.catalog import (
    BuildRequest,
    CatalogError,
    choose_build,
    host_platform,
    parse_downloads_json,
)
from pyhelper.drift.lock import check_project
from pyhelper.findings import Finding
from pyhelper.interpreters import choice
from pyhelper.interpreters.model import Interpreter
from pyhelper.lockfiles import LockCache, pdm, poetry, pylock, uv
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lockfiles.selection import (
    LockSelectionError,
    marker_environment,
    pdm_groups,
    poetry_groups,
    select_pdm,
    select_poetry,
)
from pyhelper.projects import classify_manager, is_workspace_member, uv_workspace_table
from pyhelper.tomlfile import TomlDocument, parse_toml, read_toml
from pyhelper.venvs import describe_venv, normalise_version, read_pyvenv_cfg

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_FULL_VERSION = re.compile(r"^\d+\.\d+\.\d+")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"
# fixture family -> its lockfile name
FAMILIES = {
    "uv-app": "uv.lock",
    "uv-workspace": "uv.lock",
    "poetry-classic": "poetry.lock",
    "poetry-pep621": "poetry.lock",
    "pdm-app": "pdm.lock",
    "pylock-uv": "pylock.toml",
    "pylock-pdm": "pylock.toml",
}

# ----------------------------------------------------------------------------------------- inputs

_NAMES = [
    "idna",
    "six",
    "app",
    "Click",
    "typing_extensions",
    "a.b-c",
    "",
    " ",
    "-",
    "pkg" * 40,
    "é",
]
_VERSIONS = [
    "1",
    "1.0",
    "2.31.0",
    "1.0a1",
    "1!2.0",
    "1.0.post1.dev2",
    "0",
    "v1",
    "1.²",
    "9" * 30,
    "1.*",
    "x",
]
_OPS = ["==", ">=", "<=", "~=", "!=", "<", ">", "===", "^", "~", "=", ""]
_MARKERS = [
    "python_version >= '3.10'",
    "sys_platform == 'win32'",
    "extra == 'cli'",
    "python_full_version < '3.11.2' or os_name == 'nt'",
    "platform_machine == 'x86_64' and implementation_name == 'cpython'",
    "dependency_groups == 'dev'",
    "'3' < python_version",
    "python_version in '3.10 3.11'",
    "(",
    "extra == 1",
    "nonsense ~= 'x'",
    "python_version ~= 'x'",
]
_SNIPPETS = [
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    ".",
    "#",
    "\n",
    "\\",
    '"""',
    "'''",
    "[[",
    "]]",
    "\r\n",
    "\x00",
    "\ufeff",
    "\ud800"[:0] + "\u2028",
    " = ",
    "inf",
    "nan",
    "1979-05-27",
    "true",
]
_BARE_KEYS = [
    "name",
    "version",
    "source",
    "dependencies",
    "requires-python",
    "marker",
    "specifier",
    "extras",
    "groups",
    "files",
    "url",
    "path",
    "editable",
    "metadata",
    "package",
    "packages",
]
# Where the readers look, per kind of file: random values are planted at these key paths.
_PYPROJECT_PATHS: list[tuple[str, ...]] = [
    ("project",),
    ("project", "name"),
    ("project", "version"),
    ("project", "requires-python"),
    ("project", "dependencies"),
    ("project", "optional-dependencies"),
    ("project", "optional-dependencies", "cli"),
    ("dependency-groups",),
    ("dependency-groups", "dev"),
    ("build-system",),
    ("build-system", "build-backend"),
    ("tool",),
    ("tool", "uv"),
    ("tool", "uv", "workspace"),
    ("tool", "uv", "workspace", "members"),
    ("tool", "uv", "workspace", "exclude"),
    ("tool", "uv", "sources"),
    ("tool", "uv", "sources", "idna"),
    ("tool", "uv", "index"),
    ("tool", "uv", "constraint-dependencies"),
    ("tool", "uv", "override-dependencies"),
    ("tool", "uv", "dev-dependencies"),
    ("tool", "uv", "package"),
    ("tool", "uv", "resolution"),
    ("tool", "uv", "exclude-newer"),
    ("tool", "poetry"),
    ("tool", "poetry", "dependencies"),
    ("tool", "poetry", "dependencies", "python"),
    ("tool", "poetry", "dependencies", "idna"),
    ("tool", "poetry", "group"),
    ("tool", "poetry", "group", "dev", "dependencies"),
    ("tool", "poetry", "source"),
    ("tool", "poetry", "extras"),
    ("tool", "poetry", "package-mode"),
    ("tool", "pdm"),
    ("tool", "pdm", "dev-dependencies"),
    ("tool", "pdm", "source"),
    ("tool", "pdm", "resolution"),
    ("tool", "pdm", "distribution"),
    ("tool", "hatch", "envs"),
]
_LOCK_PATHS: list[tuple[str, ...]] = [
    ("version",),
    ("revision",),
    ("requires-python",),
    ("options",),
    ("options", "resolution-mode"),
    ("manifest",),
    ("manifest", "members"),
    ("manifest", "constraints"),
    ("manifest", "dependency-groups"),
    ("metadata",),
    ("metadata", "content-hash"),
    ("metadata", "content_hash"),
    ("metadata", "python-versions"),
    ("metadata", "groups"),
    ("metadata", "targets"),
    ("metadata", "lock_inputs"),
    ("extras",),
    ("lock-version",),
    ("created-by",),
    ("default-groups",),
    ("package",),
    ("packages",),
]
_ENTRY_KEYS = [
    "name",
    "version",
    "source",
    "dependencies",
    "optional",
    "groups",
    "markers",
    "marker",
    "files",
    "sdist",
    "wheels",
    "metadata",
    "develop",
    "editable",
    "path",
    "url",
    "git",
    "revision",
]


class Inputs:
    """Structure-aware random inputs drawn from one `random.Random`."""

    def __init__(self, rnd: random.Random) -> None:
        self.r = rnd

    def text(self, size: int = 40) -> str:
        alphabet = self.r.choice(["toml", "ascii", "unicode"])
        n = self.r.randrange(size)
        if alphabet == "toml":
            return "".join(self.r.choice(_SNIPPETS + list("ab1_- ")) for _ in range(n))
        if alphabet == "ascii":
            return "".join(chr(self.r.randrange(32, 127)) for _ in range(n))
        return (
            "".join(
                chr(
                    self.r.choice(
                        [
                            self.r.randrange(0x20, 0x250),
                            self.r.randrange(0x250, 0x10FFFF),
                        ]
                    )
                )
                for _ in range(n)
            )
            .encode("utf-8", "replace")
            .decode("utf-8", "replace")
        )

    def requirement(self) -> str:
        r = self.r
        parts = [r.choice(_NAMES)]
        if r.random() < 0.2:
            parts.append(f"[{','.join(r.choice(_NAMES) for _ in range(r.randrange(3)))}]")
        for index in range(r.randrange(3)):
            parts.append(("," if index else "") + r.choice(_OPS) + r.choice(_VERSIONS))
        if r.random() < 0.1:
            parts.append(" @ " + r.choice(["https://x/y.whl", "file:///tmp", "git+https://h/r@v", "::"]))
        if r.random() < 0.3:
            parts.append("; " + r.choice(_MARKERS))
        if r.random() < 0.05:
            parts.insert(r.randrange(len(parts) + 1), self.text(8))
        return "".join(parts)

    def scalar(self) -> object:
        r = self.r
        kind = r.randrange(12)
        if kind < 4:
            return r.choice(
                [
                    self.requirement(),
                    r.choice(_MARKERS),
                    r.choice(_OPS) + r.choice(_VERSIONS),
                    r.choice(_NAMES),
                    r.choice(_VERSIONS),
                ]
            )
        if kind == 4:
            return self.text()
        if kind == 5:
            return r.choice([0, 1, -1, 2**63 - 1, -(2**63), r.randrange(-1000, 1000)])
        if kind == 6:
            return r.choice([0.5, -0.0, math.inf, -math.inf, math.nan, 1e300])
        if kind == 7:
            return r.random() < 0.5
        if kind == 8:
            return r.choice(
                [
                    datetime.date(1979, 5, 27),
                    datetime.time(7, 32),
                    datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.UTC),
                ]
            )
        if kind == 9:
            return r.choice(
                [
                    "sha256:" + "a" * 64,
                    "https://files/x-1.0-py3-none-any.whl",
                    ".",
                    "..",
                    "/",
                    "*",
                ]
            )
        if kind == 10:
            return r.choice(
                [
                    "uv",
                    "pdm",
                    "poetry",
                    "default",
                    "dev",
                    "main",
                    "system",
                    "3.12",
                    ">=3.10",
                ]
            )
        return ""

    def value(self, depth: int = 0) -> object:
        r = self.r
        shape = r.randrange(10) if depth < 3 else 0
        if shape < 5:
            return self.scalar()
        if shape < 8:
            return [self.value(depth + 1) for _ in range(r.randrange(4))]
        keys = _ENTRY_KEYS + _BARE_KEYS + [r.choice(_NAMES) or "k"]
        return {r.choice(keys): self.value(depth + 1) for _ in range(r.randrange(4))}

    def mutate_data(self, data: dict[str, Any], paths: list[tuple[str, ...]]) -> dict[str, Any]:
        """Plant random values (or delete) at the key paths a reader looks at, and in array entries."""
        r = self.r
        for _ in range(r.randrange(1, 4)):
            if r.random() < 0.7:
                path = r.choice(paths)
            else:
                entries = data.get(r.choice(["package", "packages"]))
                tables = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
                if not tables:
                    continue
                entry = r.choice(tables)
                key = r.choice(_ENTRY_KEYS)
                if r.random() < 0.2:
                    entry.pop(key, None)
                else:
                    entry[key] = self.value()
                continue
            node: Any = data
            for part in path[:-1]:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
            if r.random() < 0.15:
                node.pop(path[-1], None)
            else:
                node[path[-1]] = self.value()
        return data

    def mutate_text(self, text: str) -> str:
        """Line-level edits of a real file: a value replaced, lines dropped, doubled, swapped, cut."""
        r = self.r
        lines = text.split("\n")
        for _ in range(r.randrange(1, 4)):
            if not lines:
                break
            at = r.randrange(len(lines))
            edit = r.randrange(7)
            if edit == 0 and " = " in lines[at]:
                key = lines[at].split(" = ", 1)[0]
                lines[at] = f"{key} = {toml_value(self.value())}"
            elif edit == 1:
                del lines[at]
            elif edit == 2:
                lines.insert(at, lines[r.randrange(len(lines))])
            elif edit == 3:
                other = r.randrange(len(lines))
                lines[at], lines[other] = lines[other], lines[at]
            elif edit == 4:
                column = r.randrange(len(lines[at]) + 1)
                lines[at] = lines[at][:column] + r.choice(_SNIPPETS) + lines[at][column:]
            elif edit == 5:
                lines = lines[: at + 1]
                lines[-1] = lines[-1][: r.randrange(len(lines[-1]) + 1)]
            else:
                lines[at] = lines[at].replace('"', "'", 1) if r.random() < 0.5 else lines[at].upper()
        return "\n".join(lines)

    def toml(self, fixtures: list[str], paths: list[tuple[str, ...]]) -> str:
        r = self.r
        pick = r.random()
        base = r.choice(fixtures)
        if pick < 0.45:
            return toml_document(self.mutate_data(json_copy(parse_fixture(base)), paths))
        if pick < 0.9:
            return self.mutate_text(base)
        return self.text(400)


@functools.cache
def parse_fixture(text: str) -> dict[str, Any]:
    """Parsed once; callers mutate a `json_copy`."""
    parsed = parse_toml(Path("fixture.toml"), text)
    assert isinstance(parsed, TomlDocument)
    return parsed.data


def trimmed(lock: str, keep: int = 3) -> str:
    """The lock with only its first `keep` package entries (sub-tables included): the readers' code paths
    at a fraction of the parsing cost, so the test run affords 20,000 inputs per reader."""
    lines: list[str] = []
    entries = 0
    in_entry = False
    for line in lock.split("\n"):
        if line.startswith(("[[package]]", "[[packages]]")):
            entries += 1
            in_entry = True
        elif line.startswith("[") and not line.startswith(
            ("[package.", "[packages.", "[[package.", "[[packages.")
        ):
            in_entry = False
        if not (in_entry and entries > keep):
            lines.append(line)
    return "\n".join(lines)


def json_copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: json_copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [json_copy(value) for value in data]
    return data


# ---------------------------------------------------------------------------------- a TOML writer


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else json.dumps(key)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else "inf"
            if value == math.inf
            else "-inf"
            if value == -math.inf
            else repr(value)
        )
    if isinstance(value, (int, datetime.date, datetime.time)):
        return value.isoformat() if not isinstance(value, int) else str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(data: dict[str, Any], prefix: str = "") -> str:
    """Tables as `[headers]`, arrays of tables as `[[headers]]`, the rest inline (as tools write it)."""
    lines: list[str] = []
    nested: list[str] = []
    for key, value in data.items():
        name = f"{prefix}.{_key(key)}" if prefix else _key(key)
        if isinstance(value, dict) and value:
            nested.append(f"\n[{name}]\n" + toml_document(value, name))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            nested.extend(f"\n[[{name}]]\n" + toml_document(item, name) for item in value)
        else:
            lines.append(f"{_key(key)} = {toml_value(value)}")
    return "\n".join(lines) + "\n" + "".join(nested)


# ------------------------------------------------------------------------------------------ targets


@dataclass
class Target:
    name: str
    generate: Callable[[Inputs], Any]
    check: Callable[[Any], None]
    """Calls the reader; returns normally on findings/values, lets anything undocumented escape."""


class Workspace:
    """Copies of the drift fixtures on disk (for the readers that look beside the file), made once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.projects: dict[str, Path] = {}
        self.pyprojects: dict[str, str] = {}
        self.locks: dict[str, str] = {}
        self.documents: dict[str, TomlDocument] = {}
        for family, lockname in FAMILIES.items():
            source = FIXTURES / family / "in-sync"
            target = root / family
            shutil.copytree(source, target)
            self.projects[family] = target
            self.pyprojects[family] = (source / "pyproject.toml").read_text(encoding="utf-8")
            self.locks[family] = trimmed((source / lockname).read_text(encoding="utf-8"))
            document = parse_toml(target / "pyproject.toml", self.pyprojects[family])
            assert isinstance(document, TomlDocument)
            self.documents[family] = document
        self.cache = LockCache()
        venv = root / "venv"
        venv.mkdir()
        (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.12.7\nimplementation = CPython\n")
        self.environment = marker_environment(venv)
        # Rewritten once per input: in memory where the machine has a tmpfs (disk writes cost ~2 ms each).
        memory = Path("/dev/shm")
        self.scratch_venv = Path(tempfile.mkdtemp(dir=memory if memory.is_dir() else root))

    def close(self) -> None:
        shutil.rmtree(self.scratch_venv, ignore_errors=True)

    def families(self, prefix: str) -> list[str]:
        return [family for family in FAMILIES if family.startswith(prefix)]


def targets(ws: Workspace) -> dict[str, Target]:
    pyprojects = list(ws.pyprojects.values())

    def pyproject_projects(text: str) -> None:
        doc = parse_toml(ws.root / "pyproject.toml", text)
        if isinstance(doc, Finding):
            assert doc.code == "toml-syntax" and doc.message
            return
        for entries in (frozenset(), frozenset({"uv.lock"}), frozenset({"hatch.toml"})):
            classify_manager(doc.data, entries)
        table = uv_workspace_table(doc.data)
        if table is not None:
            is_workspace_member(ws.root, table, ws.root / "packages" / "a")
        doc.range_of(("project", "dependencies", 0))

    def pyproject_drift(item: tuple[str, str]) -> None:
        family, text = item
        for finding in check_project(ws.projects[family], pyproject_text=text, cache=ws.cache):
            assert finding.message

    def lock_target(
        family_prefix: str,
        parse: Callable[[Path, str], Any],
        check: Callable[..., list[Finding]],
        select: Callable[[Any, Any], Any] | None,
    ) -> Callable[[tuple[str, str]], None]:
        def run(item: tuple[str, str]) -> None:
            family, text = item
            root = ws.projects[family]
            lock = parse(root / FAMILIES[family], text)
            if isinstance(lock, Finding):
                assert lock.code == "toml-syntax"
                return
            doc = ws.documents[family]
            findings = check(root, doc, lock, read_toml) if family_prefix == "uv" else check(doc, lock)
            assert all(f.message for f in findings)
            if select is not None:
                try:
                    select(lock, doc)
                except LockSelectionError as error:
                    assert str(error)

        return run

    def choose_interpreter(item: tuple[str, str | None]) -> None:
        content, requires = item
        result = choice.choose_interpreter(_INTERPRETERS, requires_python=requires, python_version=content)
        assert result.message

    def pyvenv(data: bytes) -> None:
        (ws.scratch_venv / "pyvenv.cfg").write_bytes(data)
        config = read_pyvenv_cfg(ws.scratch_venv)
        assert config is not None
        for value in config.values():
            normalise_version(value)
        describe_venv(ws.scratch_venv)
        # Without a full version marker_environment starts the venv's Python (a fork per input here):
        # that path has its own test (test_regressions.py).
        if _FULL_VERSION.match(config.get("version_info") or config.get("version") or ""):
            marker_environment(ws.scratch_venv)

    def downloads(text: str) -> None:
        try:
            builds = parse_downloads_json(text, "downloads.json")
        except CatalogError as error:
            assert str(error).startswith("downloads.json")
            return
        for request in ("3.12", "3", ">=3.10", "3.13t"):
            try:
                choose_build(
                    builds,
                    BuildRequest.parse(request),
                    host_platform(),
                    "downloads.json",
                )
            except CatalogError as error:
                assert str(error)

    def pick_family(prefix: str) -> Callable[[Inputs], tuple[str, str]]:
        families = ws.families(prefix)

        def generate(inputs: Inputs) -> tuple[str, str]:
            family = inputs.r.choice(families)
            return family, inputs.toml([ws.locks[family]], _LOCK_PATHS)

        return generate

    def drift_input(inputs: Inputs) -> tuple[str, str]:
        family = inputs.r.choice(list(FAMILIES))
        return family, inputs.toml([ws.pyprojects[family]], _PYPROJECT_PATHS)

    def select_poetry_lock(lock: Any, doc: TomlDocument) -> None:
        select_poetry(
            lock.doc.data,
            ws.environment,
            poetry_groups(doc.data, SyncChoice(("dev",))),
            ["cli"],
            ws.root,
        )

    def select_pdm_lock(lock: Any, doc: TomlDocument) -> None:
        select_pdm(lock.doc.data, ws.environment, pdm_groups(doc.data, SyncChoice(("dev",))), ws.root)

    return {
        t.name: t
        for t in [
            Target(
                "pyproject.toml (projects)",
                lambda i: i.toml(pyprojects, _PYPROJECT_PATHS),
                pyproject_projects,
            ),
            Target("pyproject.toml (drift)", drift_input, pyproject_drift),
            Target(
                "uv.lock",
                pick_family("uv"),
                lock_target("uv", uv.parse_lock, uv.check, None),
            ),
            Target(
                "poetry.lock",
                pick_family("poetry"),
                lock_target("poetry", poetry.parse_lock, poetry.check, select_poetry_lock),
            ),
            Target(
                "pdm.lock",
                pick_family("pdm"),
                lock_target("pdm", pdm.parse_lock, pdm.check, select_pdm_lock),
            ),
            Target(
                "pylock.toml",
                pick_family("pylock"),
                lock_target("pylock", pylock.parse_lock, pylock.check, None),
            ),
            Target(".python-version", _python_version_input, choose_interpreter),
            Target("pyvenv.cfg", _pyvenv_input, pyvenv),
            Target("downloads JSON", _downloads_input, downloads),
        ]
    }


_INTERPRETERS = [
    Interpreter("/usr/bin/python3.11", "3.11.2", "cpython", "system", "/usr"),
    Interpreter(
        "/p/3.12.7/bin/python3.12",
        "3.12.7",
        "cpython",
        "pyenv",
        "/p/3.12.7",
        name="3.12.7",
    ),
    Interpreter(
        "/m/cpython-3.13.0/bin/python3.13t",
        "3.13.0",
        "cpython",
        "lockstep-managed",
        "/m",
        free_threaded=True,
    ),
    Interpreter("/m/pypy/bin/pypy3", "3.10.14", "pypy", "uv-managed", "/m/pypy"),
    Interpreter("/w/.venv/bin/python", "3.14.0rc2", "cpython", "venv", "/w/.venv", name=".venv"),
]
_REQUEST_WORDS = [
    "3.12",
    "3.12.4",
    "cpython@3.12",
    "cpython-3.12",
    "pypy@3.10",
    "3.13t",
    "312",
    "cp312",
    "pp310",
    "3",
    "system",
    "/usr/bin/python3",
    "~/py",
    "3.14.0rc1",
    ">=3.11,<3.13",
    "==3.*",
    "cpython-3.12.7-linux-x86_64-gnu",
    "miniconda3-latest",
    "3.12+freethreaded",
    "#",
    "3." + "9" * 5000,
    "9" * 5000,
    "==" + "1" * 5000,
]


def _python_version_input(inputs: Inputs) -> tuple[str, str | None]:
    r = inputs.r
    lines = []
    for _ in range(r.randrange(4)):
        word = r.choice(_REQUEST_WORDS) if r.random() < 0.7 else inputs.text(20)
        if r.random() < 0.3:
            word = word[: r.randrange(len(word) + 1)] + r.choice(["", " # note", "\t", "@", "-", "t", "."])
        lines.append(word)
    requires = r.choice(
        [
            None,
            "",
            ">=3.12",
            ">=3.10,<3.13",
            "==3.11.*",
            "nonsense",
            ">=" + "9" * 5000,
            r.choice(_OPS) + r.choice(_VERSIONS),
        ]
    )
    return r.choice(["\n", "\r\n", "\r"]).join(lines), requires


_PYVENV_KEYS = [
    "home",
    "version",
    "version_info",
    "implementation",
    "executable",
    "command",
    "include-system-site-packages",
    "uv",
    "prompt",
    "base-executable",
]


def _pyvenv_input(inputs: Inputs) -> bytes:
    r = inputs.r
    if r.random() < 0.15:
        return bytes(r.randrange(256) for _ in range(r.randrange(200)))
    lines = []
    for _ in range(r.randrange(6)):
        key = r.choice(_PYVENV_KEYS) if r.random() < 0.8 else inputs.text(10)
        value = (
            r.choice(
                [
                    "3.12.7",
                    "3.12",
                    "3.12.7.final.0",
                    "3.13.0.candidate.1",
                    "3",
                    "",
                    "/usr/bin",
                    "CPython",
                    "PyPy",
                    "3.12.7.bogus.9",
                    "9" * 5000,
                ]
            )
            if r.random() < 0.7
            else inputs.text(30)
        )
        lines.append(f"{key}{r.choice([' = ', '=', ' ', ' : '])}{value}")
    return r.choice(["\n", "\r\n"]).join(lines).encode("utf-8", "surrogatepass")


_DOWNLOAD_FIELDS = [
    "name",
    "arch",
    "os",
    "libc",
    "major",
    "minor",
    "patch",
    "prerelease",
    "url",
    "sha256",
    "variant",
]


def _downloads_input(inputs: Inputs) -> str:
    r = inputs.r
    if r.random() < 0.15:
        return inputs.text(200)
    entries: dict[str, Any] = {}
    for index in range(r.randrange(4)):
        entry: dict[str, Any] = {
            "name": "cpython",
            "arch": {"family": "x86_64", "variant": None},
            "os": "linux",
            "libc": "gnu",
            "major": 3,
            "minor": 12,
            "patch": index,
            "prerelease": "",
            "sha256": "ab" * 32,
            "variant": None,
            "url": f"https://github.com/astral-sh/python-build-standalone/releases/download/x/cpython-3.12.{index}.tar.gz",
        }
        for _ in range(r.randrange(3)):
            field = r.choice(_DOWNLOAD_FIELDS)
            if r.random() < 0.2:
                entry.pop(field, None)
            else:
                entry[field] = r.choice(
                    [
                        inputs.scalar(),
                        inputs.value(),
                        None,
                        2**70,
                        -1,
                        {"family": inputs.scalar()},
                    ]
                )
        entries[f"cpython-3.12.{index}-linux-x86_64-gnu" if r.random() < 0.8 else inputs.text(10)] = entry
    text = json.dumps(entries, default=str, allow_nan=True)
    if r.random() < 0.2:
        cut = r.randrange(len(text) + 1)
        text = text[:cut] + r.choice(_SNIPPETS) + text[cut:]
    return text
