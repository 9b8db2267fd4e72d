"""The lock-format registry: a format is one module plus one line in `FORMATS`, and the old copies of
format knowledge that disagreed now give one answer.

The toy format below is defined here only, registered the way the package docs say (one more entry in
`FORMATS`), and seen by scanning, checking, the CLI, the lock command and the file watcher without any
other module knowing it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyhelper import checkcmd, codes, locking
from pyhelper.drift.environment import read_venv, requirement_at, requirement_ranges
from pyhelper.drift.lock import check_project, check_tree
from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles import registry
from pyhelper.lockfiles.compare import LockView, Want, compare_requirements
from pyhelper.lockfiles.format import Checking, LockFormat, of_pyproject
from pyhelper.lockfiles.selection import LockSelectionError, marker_environment
from pyhelper.projects import scan_workspace
from pyhelper.requirements import requirement_list, table
from pyhelper.tomlfile import TomlDocument, parse_toml, read_toml

# A toy format: `toy.lock` is a TOML table of locked versions by package name.


@dataclass(frozen=True)
class ToyLock:
    doc: TomlDocument

    def versions(self, name: str) -> list[str | None]:
        version = table(self.doc.data.get("locked")).get(name)
        return [version] if isinstance(version, str) else []


def _parse(path: Path, text: str) -> ToyLock | Finding:
    doc = parse_toml(path, text)
    return doc if isinstance(doc, Finding) else ToyLock(doc)


def _check(checking: Checking, lock: ToyLock) -> list[Finding]:
    wants = [Want(item) for item in requirement_list(checking.doc, ("project", "dependencies"))]
    return compare_requirements(wants, None, LockView(lock.doc.path, "run `toy lock`", lock.versions), "")


TOY: LockFormat[ToyLock] = LockFormat(
    name="toy",
    manager="toy",  # type: ignore[arg-type]  # a new manager's name goes into protocol.Manager too
    parse=_parse,
    check=_check,
    versions=ToyLock.versions,
    file_names=("toy.lock",),
    declared=lambda data: "toy" in table(data.get("tool")),
    lock_command=("toy-locker-not-installed", "lock"),
    lock_tool_docs="https://toy.invalid/install",
)

PYPROJECT = '[project]\nname = "app"\nversion = "1"\ndependencies = ["alpha>=1", "beta"]\n\n[tool.toy]\n'


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> LockFormat[ToyLock]:
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, TOY))
    return TOY


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_registered_format_is_found_and_checked_end_to_end(tmp_path: Path, toy: LockFormat[Any]) -> None:
    app = write(tmp_path / "app", {"pyproject.toml": PYPROJECT, "toy.lock": '[locked]\nalpha = "1.2"\n'})

    (project,) = scan_workspace([tmp_path]).projects
    assert (project.manager, project.lockfile) == ("toy", app / "toy.lock")

    (finding,) = check_project(app)
    assert (finding.code, finding.path, finding.range.start.line) == (
        "lock-missing-package",
        app / "pyproject.toml",
        3,
    )
    assert finding.message == "beta is required here but not in toy.lock — run `toy lock`"

    out = io.StringIO()
    assert checkcmd.run([str(tmp_path)], "text", out=out) == 1
    assert out.getvalue().endswith(
        "error lock-missing-package beta is required here but not in toy.lock — run `toy lock`\n1 problem found\n"
    )

    (app / "toy.lock").write_text('[locked]\nalpha = "1.2"\nbeta = "3"\n', encoding="utf-8")
    assert check_tree(tmp_path) == []

    assert locking.lock_command("toy", None, None, {"PATH": str(tmp_path)}).message == (
        "Updating toy.lock needs toy-locker-not-installed, which is not on PATH: install it "
        "(https://toy.invalid/install) and try again."
    )
    assert registry.watch_globs() == ("**/{uv,poetry,pdm,toy}.lock", "**/pylock*.toml")


def test_a_registered_format_without_its_lock_says_how_to_make_one(
    tmp_path: Path, toy: LockFormat[Any]
) -> None:
    app = write(tmp_path, {"pyproject.toml": PYPROJECT})
    (finding,) = check_project(app)
    assert (finding.code, finding.message) == (
        "lock-missing",
        "this toy project has no toy.lock — run `toy-locker-not-installed lock` to pin its dependencies",
    )


def test_an_unregistered_format_is_not_known(tmp_path: Path) -> None:
    app = write(tmp_path, {"pyproject.toml": PYPROJECT.replace("[tool.toy]\n", ""), "toy.lock": "[locked]\n"})
    assert check_project(app) == []
    (project,) = scan_workspace([tmp_path]).projects
    assert (project.manager, project.lockfile) == ("pep621", None)


# Where the old copies disagreed -------------------------------------------------------------------


def test_poetry_0x_backend_means_poetry_for_the_scan_and_the_check(tmp_path: Path) -> None:
    # The scan read only `poetry.core…` backends as Poetry's, the drift check any `poetry.…` one.
    app = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "old"\nversion = "1"\n\n[build-system]\nbuild-backend = "poetry.masonry.api"\n'
        },
    )
    (project,) = scan_workspace([tmp_path]).projects
    assert project.manager == "poetry"
    assert [f.message for f in check_project(app)] == [
        "this poetry project has no poetry.lock — run `poetry lock` to pin its dependencies"
    ]


def test_pylock_names_follow_pep_751_everywhere(tmp_path: Path) -> None:
    # The drift check read `pylock.a.b.toml` as a lock; the scan (rightly) did not: names have no dots.
    pylock = 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "other"\nversion = "1"\n'
    app = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["alpha"]\n',
            "pylock.a.b.toml": pylock,
            "pylock.dev.toml": pylock,
        },
    )
    (project,) = scan_workspace([tmp_path]).projects
    assert project.pylock == (app / "pylock.dev.toml",)
    assert {f.path.name for f in check_project(app)} == {"pyproject.toml"}
    assert [path.name for _, path in registry.find_lockfiles(app)] == ["pylock.dev.toml"]


def venv(root: Path, config: str) -> Path:
    (root / "lib" / "python3.12" / "site-packages").mkdir(parents=True)
    (root / "pyvenv.cfg").write_text(config, encoding="utf-8")
    return root


def test_python_full_version_is_the_interpreters_through_uvs_minor_version_link(tmp_path: Path) -> None:
    # uv's managed Python: pyvenv.cfg says 3.12, `home` goes through the `cpython-3.12-…` link. The
    # environment check used to evaluate markers for 3.12.0, the install for the interpreter's 3.12.7.
    full = tmp_path / "python" / "cpython-3.12.7-linux-x86_64-gnu"
    (full / "bin").mkdir(parents=True)
    link = tmp_path / "python" / "cpython-3.12-linux-x86_64-gnu"
    link.symlink_to(full, target_is_directory=True)
    env = venv(tmp_path / "venv", f"home = {link}/bin\nimplementation = CPython\nversion_info = 3.12\n")

    environment = marker_environment(env, ask_interpreter=False)
    assert (environment["python_full_version"], environment["python_version"]) == ("3.12.7", "3.12")
    assert read_venv(env).python == "3.12.7"


def test_python_full_version_keeps_a_prerelease(tmp_path: Path) -> None:
    # virtualenv's `3.13.0.candidate.1`: the install's copy read it as 3.13.0, the interpreter says 3.13.0rc1.
    env = venv(tmp_path / "venv", "home = /usr/bin\nversion_info = 3.13.0.candidate.1\n")
    assert marker_environment(env)["python_full_version"] == "3.13.0rc1"
    assert read_venv(env).python == "3.13.0rc1"


def test_an_unknown_full_version_is_said_not_guessed_when_the_venv_may_not_run(tmp_path: Path) -> None:
    env = venv(tmp_path / "venv", "home = /nowhere/bin\nversion_info = 3.12\n")
    with pytest.raises(LockSelectionError, match="cannot tell the full Python version"):
        marker_environment(env, ask_interpreter=False)


def test_the_cli_and_the_editor_walk_the_same_folders(tmp_path: Path) -> None:
    # `pyhelper check` had its own walk: it entered venvs not named .venv/venv and VCS/tool caches.
    project = '[project]\nname = "{}"\nversion = "1"\ndependencies = ["alpha"]\n\n[tool.uv]\n'
    write(
        tmp_path,
        {
            "app/pyproject.toml": project.format("app"),
            "env/pyvenv.cfg": "version_info = 3.12.7\n",
            "env/src/pyproject.toml": project.format("inside-a-venv"),
            ".hg/store/pyproject.toml": project.format("in-hg"),
            ".mypy_cache/x/pyproject.toml": project.format("cached"),
        },
    )
    scanned = [p.pyproject for p in scan_workspace([tmp_path]).projects]
    checked = sorted({f.path for f in check_tree(tmp_path)})
    assert scanned == checked == [tmp_path / "app" / "pyproject.toml"]


def test_each_managers_own_requirement_tables_are_requirements_for_hover(tmp_path: Path) -> None:
    # The environment check listed uv's and Poetry's tables itself and missed PDM's legacy dev groups.
    text = (
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["alpha"]\n\n'
        '[tool.uv]\ndev-dependencies = ["beta"]\n\n'
        '[tool.poetry.group.docs.dependencies]\ngamma = "^1"\n\n'
        '[tool.pdm.dev-dependencies]\ntest = ["delta>=2"]\n'
    )
    doc = parse_toml(tmp_path / "pyproject.toml", text)
    assert isinstance(doc, TomlDocument)
    assert sorted(requirement_ranges(doc)) == ["alpha", "beta", "delta", "gamma"]
    found = requirement_at(doc, 12, 10)
    assert found is not None and found[0] == "delta"


def test_the_nearest_workspace_decides_for_the_check_as_for_the_scan(tmp_path: Path) -> None:
    # uv 0.13.9 in a/p: "Found workspace root `a`, but project is not included" -> p stands alone. The
    # drift check went on up to the outer workspace (whose members glob matches a/p) and used its lock.
    requires = 'version = "1"\nrequires-python = ">=3.10"\n'
    write(
        tmp_path,
        {
            "pyproject.toml": f'[project]\nname = "outer"\n{requires}\n[tool.uv.workspace]\nmembers = ["a/*"]\n',
            "a/pyproject.toml": f'[project]\nname = "inner"\n{requires}\n[tool.uv.workspace]\nmembers = ["other"]\n',
            "a/p/pyproject.toml": f'[project]\nname = "p"\n{requires}dependencies = ["alpha"]\n',
            "uv.lock": 'version = 1\nrevision = 5\nrequires-python = ">=3.10"\n\n[manifest]\nmembers = [\n    "outer",\n    "p",\n]\n\n'
            '[[package]]\nname = "outer"\nversion = "1"\nsource = { virtual = "." }\n\n'
            '[[package]]\nname = "p"\nversion = "1"\nsource = { virtual = "a/p" }\n',
        },
    )
    p = tmp_path / "a" / "p"
    scanned = {project.root: project for project in scan_workspace([tmp_path]).projects}
    assert (scanned[p].workspace_root, scanned[p].manager) == (None, "pep621")
    assert check_project(p) == []
    # From the outer root uv does count a/p in: its check still reports p's requirement.
    assert [(f.path, f.code) for f in check_project(tmp_path)] == [
        (p / "pyproject.toml", "lock-missing-package")
    ]


def test_a_format_answers_with_what_it_was_made_of(tmp_path: Path) -> None:
    # Every field as given (the registered formats are made at import, where a slip would show only as
    # a format that answers with another's or no value).
    def check(doc: TomlDocument, lock: ToyLock) -> list[Finding]:
        return [
            Finding(
                doc.path,
                lock.doc.range_of(("locked",)) or Range.at(0),
                Severity.HINT,
                codes.LOCK_STALE,
                "seen",
            )
        ]

    fields: dict[str, Any] = {
        "name": "every",
        "manager": "uv",
        "parse": _parse,
        "check": of_pyproject(check),
        "versions": ToyLock.versions,
        "file_names": ("every.lock",),
        "file_pattern": re.compile(r"^every\.[a-z]+\.lock$"),
        "watch_globs": ("every*.lock",),
        "declared": lambda data: "every" in data,
        "select": lambda selecting, lock: {},
        "selection_inputs": lambda data: ("inputs",),
        "sync_keeps": frozenset({"pip"}),
        "install": "pinned",
        "pinned": lambda selecting, lock: None,
        "lock_command": ("every", "lock"),
        "lock_tool_docs": "https://every.invalid",
        "requirement_places": lambda doc: (),
        "shared_root": lambda path, load, workspaces: path,
        "entries": lambda lock: (),
    }
    fmt = LockFormat(**fields)
    assert {key: getattr(fmt, key) for key in fields if key != "check"} == {
        key: value for key, value in fields.items() if key != "check"
    }
    assert fmt.names_file("every.dev.lock") and not fmt.names_file("every.toml")
    # of_pyproject: the check sees the project's own pyproject and the parsed lock.
    doc = parse_toml(tmp_path / "pyproject.toml", PYPROJECT)
    lock = _parse(tmp_path / "every.lock", '[locked]\nalpha = "1"\n')
    assert isinstance(doc, TomlDocument) and isinstance(lock, ToyLock)
    (finding,) = fmt.check(Checking(tmp_path, doc, read_toml), lock)
    assert (finding.path, finding.range.start.line, finding.message) == (doc.path, 0, "seen")
