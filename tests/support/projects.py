"""Projects for environment tests: pyproject files, locks made by real uv, and Poetry/PDM locks written
exactly as those tools write them (hashes of the index's real wheels, real content hashes).

A project that installs itself uses an in-tree PEP 517 backend (`backend-path`), so building it needs
nothing from any index.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import tomllib

from .index import PackageIndex

# A minimal in-tree build backend: editable wheels with a .pth to the source folder.
BACKEND = """\
import base64, hashlib, os, zipfile

NAME, VERSION, REQUIRES = {name!r}, {version!r}, {requires!r}


def _record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _build(directory, files):
    info = f"{{NAME}}-{{VERSION}}.dist-info"
    meta = "Metadata-Version: 2.1\\nName: " + NAME + "\\nVersion: " + VERSION + "\\n"
    meta += "".join(f"Requires-Dist: {{r}}\\n" for r in REQUIRES)
    files = dict(files)
    files[info + "/METADATA"] = meta.encode()
    files[info + "/WHEEL"] = b"Wheel-Version: 1.0\\nGenerator: in-tree\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    record = [f"{{n}},{{_record_hash(d)}},{{len(d)}}" for n, d in files.items()] + [info + "/RECORD,,"]
    files[info + "/RECORD"] = "\\n".join(record).encode()
    name = f"{{NAME}}-{{VERSION}}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w") as archive:
        for n, d in files.items():
            archive.writestr(n, d)
    return name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _build(wheel_directory, {{f"_{{NAME}}.pth": (os.path.abspath("src") + "\\n").encode()}})


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _build(wheel_directory, {{}})


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_wheel(config_settings=None):
    return []
"""


def toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def write_package(root: Path, name: str, requires: Sequence[str]) -> str:
    """Make `root` a buildable package (in-tree backend); returns the `[build-system]` table."""
    module = name.replace("-", "_")
    (root / "src" / module).mkdir(parents=True, exist_ok=True)
    (root / "src" / module / "__init__.py").write_text('WHERE = "source tree"\n')
    (root / "backend.py").write_text(BACKEND.format(name=module, version="0.1.0", requires=list(requires)))
    return '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'


LIBRARY = """\
[project]
name = "{name}"
version = "1.0"
requires-python = ">=3.8"
dependencies = []

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""
"""A buildable library's pyproject.toml with no dependencies (`LIBRARY.format(name=...)`): a path,
git or workspace source for a project to depend on."""


def uv_project(
    root: Path,
    uv: Path,
    environ: Mapping[str, str],
    dependencies: Sequence[str] = ("alpha>=2", "gamma[fast]"),
    *,
    name: str = "demo",
    dev: Sequence[str] = (),
    requires_python: str = ">=3.10",
) -> Path:
    """A virtual uv project (no build) locked by real uv against the configured (loopback) index."""
    root.mkdir(parents=True, exist_ok=True)
    text = (
        f'[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = "{requires_python}"\n'
        f"dependencies = {toml_list(dependencies)}\n"
    )
    if dev:
        text += f"\n[dependency-groups]\ndev = {toml_list(dev)}\n"
    (root / "pyproject.toml").write_text(text)
    subprocess.run([str(uv), "lock", "--quiet"], cwd=root, env=dict(environ), check=True)
    return root


def _files(index: PackageIndex, name: str, version: str) -> str:
    wheel = index.wheel(name, version)
    return f'files = [\n    {{file = "{wheel.name}", hash = "sha256:{index.sha256(name, version)}"}},\n]\n'


def poetry_project(root: Path, index: PackageIndex, *, package_mode: bool = False) -> Path:
    """A Poetry 2 project and its poetry.lock (lock-version 2.1) as `poetry lock` writes them.

    Installs by default: alpha 2.0 and beta 1.1 (main), gamma 0.1 (dev group). Not installed: delta
    (optional `docs` group) and epsilon (main, but only for Python >= 3.99).
    """
    from pyhelper.lockfiles.poetry import content_hash
    from pyhelper.tomlfile import TomlDocument, parse_toml

    root.mkdir(parents=True, exist_ok=True)
    pyproject = (
        '[project]\nname = "poetic"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["alpha>=2", "epsilon>=1; python_version >= \'3.99\'"]\n\n'
        f"[tool.poetry]\npackage-mode = {'true' if package_mode else 'false'}\n\n"
        '[tool.poetry.group.dev.dependencies]\ngamma = "*"\n\n'
        '[tool.poetry.group.docs]\noptional = true\n\n[tool.poetry.group.docs.dependencies]\ndelta = "*"\n\n'
        f'[[tool.poetry.source]]\nname = "local"\nurl = "{index.url}"\npriority = "primary"\n'
    )
    if package_mode:
        pyproject += "\n" + write_package(root, "poetic", ["alpha>=2"])
    (root / "pyproject.toml").write_text(pyproject)
    source = f'\n[package.source]\ntype = "legacy"\nurl = "{index.url}"\nreference = "local"\n'

    def package(name: str, version: str, groups: str, extra: str = "", deps: str = "") -> str:
        return (
            f'[[package]]\nname = "{name}"\nversion = "{version}"\ndescription = ""\noptional = false\n'
            f'python-versions = "*"\ngroups = {groups}\n{extra}{_files(index, name, version)}{deps}{source}'
        )

    document = parse_toml(root / "pyproject.toml", pyproject)
    assert isinstance(document, TomlDocument)
    lock = "\n".join(
        [
            "# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.\n",
            package(
                "alpha",
                "2.0",
                '["main"]',
                deps='\n[package.dependencies]\nbeta = ">=1"\n',
            ),
            package("beta", "1.1", '["main"]'),
            package("delta", "1.0", '["docs"]'),
            package(
                "epsilon",
                "1.0",
                '["main"]',
                extra='markers = "python_version >= \\"3.99\\""\n',
            ),
            package("gamma", "0.1", '["dev"]'),
            (
                '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\n'
                f'content-hash = "{content_hash(document.data)}"\n'
            ),
        ]
    )
    (root / "poetry.lock").write_text(lock)
    return root


def pdm_project(root: Path, index: PackageIndex) -> Path:
    """A PDM project and its pdm.lock (lock_version 4.5.0, inherit_metadata) as `pdm lock` writes them.

    Installs by default: alpha 2.0, beta 1.1 (default), gamma 0.1 (dev). delta 1.0 is locked only for
    Python < 3.11.
    """
    from pyhelper.lockfiles.pdm import content_hash
    from pyhelper.tomlfile import TomlDocument, parse_toml

    root.mkdir(parents=True, exist_ok=True)
    pyproject = (
        '[project]\nname = "pdmproj"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["alpha>=2", "delta>=1; python_version < \'3.11\'"]\n\n'
        '[dependency-groups]\ndev = ["gamma"]\n\n[tool.pdm]\ndistribution = false\n'
    )
    (root / "pyproject.toml").write_text(pyproject)
    document = parse_toml(root / "pyproject.toml", pyproject)
    assert isinstance(document, TomlDocument)

    def package(name: str, version: str, groups: str, extra: str = "") -> str:
        return (
            f'[[package]]\nname = "{name}"\nversion = "{version}"\nsummary = ""\ngroups = {groups}\n'
            f"{extra}{_files(index, name, version)}"
        )

    lock = "\n".join(
        [
            "# This file is @generated by PDM.\n# It is not intended for manual editing.\n",
            (
                '[metadata]\ngroups = ["default", "dev"]\nstrategy = ["inherit_metadata"]\n'
                f'lock_version = "4.5.0"\ncontent_hash = "sha256:{content_hash(document.data)}"\n'
            ),
            '[[metadata.targets]]\nrequires_python = ">=3.10"\n',
            package("alpha", "2.0", '["default"]', 'dependencies = [\n    "beta>=1",\n]\n'),
            package("beta", "1.1", '["default"]'),
            package(
                "delta",
                "1.0",
                '["default"]',
                'marker = "python_version < \\"3.11\\""\n',
            ),
            package("gamma", "0.1", '["dev"]'),
        ]
    )
    (root / "pdm.lock").write_text(lock)
    return root


def installed(venv: Path) -> dict[str, str]:
    """name -> version of every distribution in the venv's site-packages, read from dist-info names."""
    found: dict[str, str] = {}
    for info in venv.glob("lib/python3*/site-packages/*.dist-info"):
        name, _, version = info.name.removesuffix(".dist-info").partition("-")
        found[name.lower().replace("_", "-")] = version
    return found


def copies_of(template: Path, root: Path, count: int) -> list[Path]:
    """`count` projects `proj-0000`... under `root`, each the uv project at `template` (pyproject.toml and
    uv.lock, no venv) under its own name, as a large monorepo's projects: for tests and benchmarks of how
    the helper grows with the workspace. uv locked the template; the copies differ only in the name."""
    name = tomllib.loads((template / "pyproject.toml").read_text())["project"]["name"]
    texts = {file: (template / file).read_text() for file in ("pyproject.toml", "uv.lock")}
    made = []
    for index in range(count):
        project = root / f"proj-{index:04d}"
        project.mkdir(parents=True)
        for file, text in texts.items():
            (project / file).write_text(text.replace(f'name = "{name}"', f'name = "proj-{index:04d}"', 1))
        made.append(project)
    return made
