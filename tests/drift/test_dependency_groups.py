"""The Projects view's dependency rows (`pyhelper.dependencies`): grouped as each manager groups them,
with the lock's and the venv's versions and the drift findings of the real check, on recorded locks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pyhelper.dependencies import DependencyGroup, dependency_groups, group_of
from pyhelper.drift.session import DriftSession
from pyhelper.projects import scan_workspace
from pyhelper.tomlfile import TomlDocument, parse_toml, read_toml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"


def _venv(root: Path, installed: dict[str, str]) -> None:
    """A venv as uv leaves it on disk, as far as the drift check reads one (pyvenv.cfg, dist-info)."""
    venv = root / ".venv"
    site = venv / "lib" / "python3.12" / "site-packages"
    (venv / "pyvenv.cfg").parent.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.12.7\n")
    for name, version in installed.items():
        info = site / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n")


def _groups(root: Path) -> dict[str, dict[str, tuple[str, str | None, str | None, tuple[str, ...]]]]:
    (project,) = scan_workspace([root], environ={}).projects
    drift = DriftSession()
    result = drift.check(project, None)
    doc = read_toml(project.pyproject)
    assert isinstance(doc, TomlDocument) and project.lockfile is not None
    lockfile = project.lockfile
    groups = dependency_groups(doc, result, lambda name: drift.locked_versions(lockfile, name))
    return {_label(group): _rows(group) for group in groups}


def _label(group: DependencyGroup) -> str:
    return group.kind if group.name is None else f"{group.kind} {group.name}"


def _rows(group: DependencyGroup) -> dict[str, tuple[str, str | None, str | None, tuple[str, ...]]]:
    return {
        d.name: (d.requirement, d.locked, d.installed, tuple(f.code for f in d.findings))
        for d in group.dependencies
    }


def test_a_uv_project_lists_main_extras_and_groups_with_lock_venv_and_findings(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "uv-app" / "add-new-package", root)
    _venv(root, {"idna": "3.6", "six": "1.17.0"})

    groups = _groups(tmp_path)

    assert list(groups) == ["main", "extra cli", "group dev", "group lint"]
    main = groups["main"]
    assert main["idna"] == ("idna>=3.0", "3.20", "3.6", ("venv-version-mismatch",))
    assert main["attrs"] == ("attrs>=22", None, None, ("lock-missing-package",))
    assert main["six"] == ("six>=1.10,<2", "1.17.0", "1.17.0", ())
    assert main["typing-extensions"][1:] == ("4.16.0", None, ("venv-missing-package",))
    # An extra the venv does not get: the lock's version, not installed, nothing to sync.
    assert groups["extra cli"]["click"] == ("click>=8.0", "8.5.1", None, ())
    assert groups["group lint"]["certifi"][1:] == ("2026.10.19.post1", None, ("venv-missing-package",))


def test_without_a_venv_the_rows_have_the_locks_versions_and_only_lock_findings(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "uv-app" / "add-new-package", tmp_path / "app")

    main = _groups(tmp_path)["main"]

    assert main["idna"] == ("idna>=3.0", "3.20", None, ())
    assert main["attrs"] == ("attrs>=22", None, None, ("lock-missing-package",))


def test_a_poetry_project_lists_its_groups_in_its_own_words(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "poetry-groups" / "in-sync", tmp_path / "app")
    pyproject = tmp_path / "app" / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(
        text + '\n[tool.poetry.group.test.dependencies]\npytest = { version = ">=8", optional = true }\n'
    )

    groups = _groups(tmp_path)

    assert list(groups) == ["main", "group test"]
    assert groups["main"]["idna"][0] == "idna>=3.0"
    requirement, locked, installed, codes = groups["group test"]["pytest"]
    assert requirement == 'pytest = { version = ">=8", optional = true }'
    assert (locked, installed) == (None, None)
    # Poetry's verdict is the content hash, a finding on the lock as a whole, not on this requirement.
    assert codes == ()


@pytest.mark.parametrize(
    ("path", "group"),
    [
        (("project", "dependencies", 0), ("main", None)),
        (("project", "optional-dependencies", "cli", 1), ("extra", "cli")),
        (("dependency-groups", "lint", 0), ("group", "lint")),
        (("tool", "uv", "dev-dependencies", 0), ("group", "dev")),
        (("tool", "poetry", "dependencies", "requests"), ("main", None)),
        (("tool", "poetry", "dev-dependencies", "pytest"), ("group", "dev")),
        (("tool", "poetry", "group", "docs", "dependencies", "mkdocs"), ("group", "docs")),
        (("tool", "pdm", "dev-dependencies", "test", 0), ("dev", "test")),
        (("tool", "poetry", "group", "docs"), None),
    ],
)
def test_each_requirement_table_has_its_group(path: tuple[str | int, ...], group: object) -> None:
    assert group_of(path) == group


def test_an_empty_project_still_has_its_main_group() -> None:
    doc = parse_toml(Path("/p/pyproject.toml"), '[project]\nname = "p"\n')
    assert isinstance(doc, TomlDocument)

    assert dependency_groups(doc, None, lambda name: ()) == [DependencyGroup("main", None, ())]
