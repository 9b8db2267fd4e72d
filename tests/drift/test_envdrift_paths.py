"""Environment drift's paths that the recorded agreement cases do not walk: a lock that cannot be read or
selected from, the venv's interpreter asked for its version, a PEP 723 script's places, and where each
Poetry and PDM finding sits.

The venvs are those real uv, Poetry and PDM made (tests/fixtures/envdrift, written back as files); the
interpreter asked is a real one (the one running the tests). Milliseconds per case, so the mutation
run of selection and environment drift uses them (scripts/mutation).
"""

from __future__ import annotations

import platform
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import default_environment

from pyhelper import codes
from pyhelper.drift.environment import (
    Declaring,
    LockSelection,
    check_environment,
    read_venv,
    requirement_ranges,
    select,
)
from pyhelper.findings import Range, Severity
from pyhelper.lockfiles import LockCache, UnreadableFile, uv
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lockfiles.format import Selecting, in_lists
from pyhelper.lockfiles.selection import (
    Locked,
    LockSelectionError,
    marker_environment,
    pinned_install,
    recorded_python_version,
)
from pyhelper.tomlfile import TomlDocument, read_toml
from support.recorded_venvs import LOCKS, RECORDED, materialise

CASES = {case["name"]: case for case in RECORDED["cases"]}


def recorded(name: str, tmp_path: Path) -> tuple[dict[str, Any], Path, TomlDocument]:
    case = CASES[name]
    root = tmp_path / "demo"
    materialise(case, root)
    doc = read_toml(root / "pyproject.toml")
    assert isinstance(doc, TomlDocument)
    return case, root, doc


def selection_of(
    name: str, root: Path, doc: TomlDocument, choice: SyncChoice = SyncChoice()
) -> LockSelection:
    tool = CASES[name]["tool"]
    return select(tool, root / LOCKS[tool], root, doc, read_venv(root / ".venv"), LockCache(), choice)


def line_of(path: Path, where: Range) -> str:
    return path.read_text().splitlines()[where.start.line]


# What cannot be selected -------------------------------------------------------------------------


def test_a_format_without_a_selection_selects_nothing_and_says_no_problem(tmp_path: Path) -> None:
    _, root, doc = recorded("uv-synced", tmp_path)
    lock = root / "uv.lock"
    for name in ("no-such-format", "pep621"):
        selection = select(name, lock, root, doc, read_venv(root / ".venv"), LockCache())
        assert selection == LockSelection(lock, name, {})


def test_a_lock_that_does_not_parse_is_the_problem_and_no_verdict(tmp_path: Path) -> None:
    _, root, doc = recorded("poetry-changed", tmp_path)
    lock = root / "poetry.lock"
    lock.write_text('[[package]]\nname = "alpha"\nversion = \n')
    snapshot = read_venv(root / ".venv")

    selection = select("poetry", lock, root, doc, snapshot, LockCache())

    assert (selection.lockfile, selection.manager, selection.packages) == (lock, "poetry", {})
    assert selection.problem is not None and selection.problem.path == lock
    assert selection.problem.severity == Severity.ERROR
    report = check_environment(doc, selection, snapshot)
    assert report.problem == selection.problem
    assert (report.venv, report.findings, report.python_mismatch) == (root / ".venv", (), False)
    assert (report.missing, report.mismatched, report.extraneous, report.changed) == (0, 0, 0, ())


def test_an_invalid_marker_in_the_lock_is_a_lock_invalid_error_on_it(tmp_path: Path) -> None:
    _, root, doc = recorded("pdm-synced", tmp_path)
    lock = root / "pdm.lock"
    lock.write_text(
        lock.read_text().replace('name = "gamma"', 'name = "gamma"\nmarker = "python_version ~= \'x\'"')
    )

    selection = select("pdm", lock, root, doc, read_venv(root / ".venv"), LockCache())

    assert (selection.lockfile, selection.manager, selection.packages) == (lock, "pdm", {})
    assert selection.problem is not None
    assert selection.problem[:4] == (lock, Range.at(0), Severity.ERROR, codes.LOCK_INVALID)
    assert selection.problem.message.startswith(
        "the lock holds an invalid marker \"python_version ~= 'x'\": "
    )


def test_the_live_check_never_asks_the_venvs_interpreter(tmp_path: Path) -> None:
    # pyvenv.cfg says only 3.12 and the interpreter would answer: the check must not run it.
    _, root, doc = recorded("poetry-synced", tmp_path)
    venv = root / ".venv"
    (venv / "pyvenv.cfg").write_text("home = /nowhere/bin\nversion = 3.12\n")
    (venv / "bin").mkdir()
    (venv / "bin" / "python").symlink_to(sys.executable)

    selection = select("poetry", root / "poetry.lock", root, doc, read_venv(venv), LockCache())

    assert selection.problem is not None
    assert selection.problem[:4] == (root / "poetry.lock", Range.at(0), Severity.ERROR, codes.LOCK_INVALID)
    assert selection.problem.message == f"cannot tell the full Python version of {venv} from its pyvenv.cfg"


def test_a_problem_still_reports_a_python_the_project_refuses(tmp_path: Path) -> None:
    _, root, doc = recorded("uv-python-too-old", tmp_path)
    (root / "uv.lock").write_text("version = \n")
    snapshot = read_venv(root / ".venv")
    selection = select("uv", root / "uv.lock", root, doc, snapshot, LockCache())
    assert selection.problem is not None

    report = check_environment(doc, selection, snapshot)

    [python] = report.findings
    assert python.code == codes.VENV_PYTHON_MISMATCH and report.python_mismatch
    assert report.problem == selection.problem and report.venv == snapshot.venv


def test_the_managers_own_kept_packages_come_with_the_selection(tmp_path: Path) -> None:
    for name, kept in (
        ("pdm-synced", {"pip", "setuptools", "wheel"}),
        ("poetry-synced", {"pip"}),
        ("uv-pip", set()),
    ):
        _, root, doc = recorded(name, tmp_path / name)
        selection = selection_of(name, root, doc)
        assert (selection.manager, selection.kept, selection.problem) == (CASES[name]["tool"], kept, None)


# The interpreter's version and implementation ------------------------------------------------------


def venv_with(tmp_path: Path, config: str) -> Path:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(config)
    return venv


def test_the_interpreter_is_asked_when_pyvenv_cfg_cannot_tell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = venv_with(tmp_path, "home = /nowhere/bin\nversion = 3.12\nimplementation = PyPy\n")
    (venv / "bin" / "python").symlink_to(sys.executable)
    # Asked in isolation (-I): a platform.py in the current folder is not what answers.
    (tmp_path / "platform.py").write_text("def python_version():\n    return '9.9.9'\n")
    monkeypatch.chdir(tmp_path)

    environment = marker_environment(venv)

    ours = platform.python_version()
    assert environment["python_full_version"] == ours
    assert environment["python_version"] == ".".join(ours.split(".")[:2])
    # The implementation is pyvenv.cfg's, spelt as packaging's markers spell it; the rest is this machine.
    assert (environment["implementation_name"], environment["platform_python_implementation"]) == (
        "pypy",
        "PyPy",
    )
    others = {
        k: v
        for k, v in default_environment().items()
        if not k.startswith(("python_", "implementation_", "platform_python"))
    }
    assert {k: environment[k] for k in others} == others


def test_without_an_implementation_the_machines_own_is_kept(tmp_path: Path) -> None:
    venv = venv_with(tmp_path, "version_info = 3.12.7\n")
    environment = marker_environment(venv)
    assert environment["implementation_name"] == default_environment()["implementation_name"]
    assert environment["platform_python_implementation"] == platform.python_implementation()
    assert environment["python_full_version"] == "3.12.7"


@pytest.mark.parametrize("python", ["missing", "failing"])
def test_an_interpreter_that_does_not_answer_is_said(tmp_path: Path, python: str) -> None:
    venv = venv_with(tmp_path, "version = 3.12\n")
    if python == "failing":
        (venv / "bin" / "python").write_text("#!/bin/sh\nexit 3\n")
        (venv / "bin" / "python").chmod(0o755)
    with pytest.raises(LockSelectionError) as error:
        marker_environment(venv)
    assert str(error.value).startswith(
        f"cannot tell the Python version of {venv}: {venv / 'bin' / 'python'} does not run ("
    )
    assert error.value.status == "failed"


@pytest.mark.parametrize(
    ("config", "version"),
    [
        ({"version": "3.12.7"}, "3.12.7"),  # the standard library's venv writes `version`
        ({"version_info": "3.12.7.dev0"}, "3.12.7"),
        ({"version": "3.11"}, "3.11"),
        ({"home": "/opt/cpython-3.12.7-linux-x86_64-gnu/bin"}, "3.12.7"),
        ({"version": "3.12", "home": "/opt/cpython-3.13.1-linux/bin"}, "3.12"),
        ({}, None),
    ],
)
def test_the_recorded_python_version(config: dict[str, str], version: str | None) -> None:
    assert recorded_python_version(config) == version


def test_no_home_is_not_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "cpython-3.12.9-linux"
    where.mkdir()
    monkeypatch.chdir(where)
    assert recorded_python_version({"version": "3.12"}) == "3.12"


# A PEP 723 script's environment: its own places and name ----------------------------------------


def test_a_declaring_document_gives_the_places_and_the_name(tmp_path: Path) -> None:
    # uv-changed: gamma (direct) uninstalled, beta (not direct) downgraded, delta added.
    _, root, doc = recorded("uv-changed", tmp_path)
    snapshot = read_venv(root / ".venv")
    selection = selection_of("uv-changed", root, doc)
    declaring = Declaring(
        requirement_ranges(doc, in_lists(doc, [("project", "dependencies")])),
        ("project", "requires-python"),
        "the environment of demo.py",
    )

    report = check_environment(doc, selection, snapshot, declaring)

    by_code = {f.code: f for f in report.findings}
    missing = by_code[codes.VENV_MISSING_PACKAGE]
    assert missing.path == root / "pyproject.toml" and missing.range == declaring.direct["gamma"]
    assert (
        missing.message
        == "gamma 0.1 is locked but not installed in the environment of demo.py — sync the environment"
    )
    assert by_code[codes.VENV_VERSION_MISMATCH].message.startswith("the environment of demo.py has beta 1.0")
    assert by_code[codes.VENV_EXTRANEOUS].message.startswith("the environment of demo.py has delta 1.0")

    # Nothing declared there: every finding sits on the lock.
    bare = check_environment(doc, selection, snapshot, Declaring({}, ("requires-python",), "x"))
    assert {f.path for f in bare.findings} == {root / "uv.lock"}


def test_a_script_python_is_checked_against_its_own_requires_python(tmp_path: Path) -> None:
    _, root, doc = recorded("uv-python-too-old", tmp_path)
    snapshot = read_venv(root / ".venv")
    selection = selection_of("uv-python-too-old", root, doc)
    assert not check_environment(doc, selection, snapshot, Declaring({}, ("nothing",), "x")).python_mismatch
    report = check_environment(doc, selection, snapshot, Declaring({}, ("project", "requires-python"), "x"))
    assert report.python_mismatch


# Poetry and PDM: where each finding sits, what it says ---------------------------------------------


@pytest.mark.parametrize("name", ["poetry-changed", "pdm-changed"])
def test_poetry_and_pdm_findings_sit_on_the_requirement_or_the_lock_entry(name: str, tmp_path: Path) -> None:
    # Downgraded beta (not direct), uninstalled gamma (direct), epsilon added by hand.
    _, root, doc = recorded(name, tmp_path)
    lock = root / LOCKS[CASES[name]["tool"]]
    snapshot = read_venv(root / ".venv")
    selection = selection_of(name, root, doc)
    gamma, beta = selection.packages["gamma"], selection.packages["beta"]
    assert (gamma.name, gamma.version, gamma.editable, gamma.source, gamma.path) == (
        "gamma",
        "0.1",
        False,
        "gamma==0.1",
        lock,
    )
    assert line_of(lock, gamma.range).strip() == 'name = "gamma"'
    assert line_of(lock, beta.range).strip() == 'name = "beta"'

    report = check_environment(doc, selection, snapshot)

    by_code = {f.code: f for f in report.findings}
    missing = by_code[codes.VENV_MISSING_PACKAGE]
    assert (missing.path, missing.severity) == (root / "pyproject.toml", Severity.WARNING)
    assert (
        line_of(missing.path, missing.range)[missing.range.start.character : missing.range.end.character]
        == '"gamma"'
    )
    assert [(r.path, r.range, r.message) for r in missing.related] == [
        (lock, gamma.range, f"{lock.name} locks gamma 0.1")
    ]
    mismatch = by_code[codes.VENV_VERSION_MISMATCH]
    assert (mismatch.path, mismatch.range) == (lock, beta.range)
    assert mismatch.message == f".venv has beta 1.0, but {lock.name} pins 1.1 — sync the environment"
    [installed] = mismatch.related
    assert installed == (snapshot.packages["beta"].dist_info / "METADATA", Range.at(0), "installed: 1.0")
    extra = by_code[codes.VENV_EXTRANEOUS]
    assert extra.related == (
        (snapshot.packages["epsilon"].dist_info / "METADATA", Range.at(0), "installed: 1.0"),
    )
    assert (report.missing, report.mismatched, report.extraneous) == (1, 1, 1)


@pytest.mark.parametrize("name", ["poetry-project", "pdm-project"])
def test_the_project_itself_is_locked_editable_at_its_name(name: str, tmp_path: Path) -> None:
    _, root, doc = recorded(name, tmp_path)
    selection = selection_of(name, root, doc)
    demo = selection.packages["demo"]
    assert demo == Locked(
        "demo", "0.1.0", True, f"editable {root}", root / "pyproject.toml", doc.range_of(("project", "name"))
    )
    assert line_of(root / "pyproject.toml", demo.range).startswith("name = ")
    # Not installed editable: a mismatch that says how it is installed.
    dist = next((root / ".venv").glob("lib/python3.*/site-packages/demo-*.dist-info"))
    (dist / "direct_url.json").unlink(missing_ok=True)
    [finding] = check_environment(doc, selection, read_venv(root / ".venv")).findings
    assert finding.code == codes.VENV_VERSION_MISMATCH
    assert (
        finding.message
        == f".venv has demo 0.1.0 (installed by {CASES[name]['tool']}), but {LOCKS[CASES[name]['tool']]} installs it editable — sync the environment"
    )


# Reading the venv: what the recorded venvs do not hold -------------------------------------------


def test_a_vcs_install_without_its_details_is_still_described(tmp_path: Path) -> None:
    site = tmp_path / "venv" / "lib" / "python3.12" / "site-packages"
    (site / "a-1.dist-info").mkdir(parents=True)
    (site / "a-1.dist-info" / "METADATA").write_text("Name: a\nVersion: 1\n")
    (site / "a-1.dist-info" / "direct_url.json").write_text(
        '{"url": "https://example.org/r.git", "vcs_info": {}}'
    )
    assert read_venv(tmp_path / "venv").packages["a"].origin() == "vcs https://example.org/r.git @ "


def test_other_entries_and_unreadable_distributions_are_passed_over(tmp_path: Path) -> None:
    # As uv writes them: `_virtualenv.pth` sorts before the distributions; a dist-info without METADATA.
    site = tmp_path / "venv" / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    (site / "_virtualenv.pth").write_text("import _virtualenv\n")
    (site / "aaa-1.dist-info").mkdir()
    (site / "beta-1.dist-info").mkdir()
    (site / "beta-1.dist-info" / "METADATA").write_text("Name: beta\nVersion: 1\n")
    # An INSTALLER that is not UTF-8 is read, not raised.
    (site / "beta-1.dist-info" / "INSTALLER").write_bytes(b"inst\xffaller\n")

    snapshot = read_venv(tmp_path / "venv")

    assert list(snapshot.packages) == ["beta"]
    assert snapshot.packages["beta"].installer == "inst\ufffdaller"
    assert snapshot.site_packages == site


def test_a_prerelease_python_satisfies_requires_python(tmp_path: Path) -> None:
    # uv and pip test requires-python with pre-releases allowed: 3.13.0rc1 is >=3.10.
    _, root, doc = recorded("uv-synced", tmp_path)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.13.0rc1\n")
    snapshot = read_venv(root / ".venv")
    assert snapshot.python == "3.13.0rc1"
    report = check_environment(doc, LockSelection(root / "uv.lock", "uv", {}), snapshot)
    assert not report.python_mismatch


# Choices the recorded checks spell another way: the same selection, the same verdict --------------


def changes_of(name: str, tmp_path: Path, choice: SyncChoice) -> list[str]:
    _, root, doc = recorded(name, tmp_path)
    selection = selection_of(name, root, doc, choice)
    assert selection.problem is None, selection.problem
    return sorted(check_environment(doc, selection, read_venv(root / ".venv")).changed)


def verdict_of(name: str, groups: list[str], extras: list[str], defaults: bool) -> list[str]:
    [check] = [
        c
        for c in CASES[name]["checks"]
        if (c["groups"], c["extras"], c["defaults"]) == (groups, extras, defaults)
    ]
    changes: list[str] = check["changes"]
    return changes


def test_every_extra_of_a_poetry_lock_is_its_only_extra(tmp_path: Path) -> None:
    # poetry-extras declares one extra, x: `--all-extras` is `-E x`.
    every = changes_of("poetry-extras", tmp_path / "all", SyncChoice(all_extras=True))
    assert every == verdict_of("poetry-extras", [], ["x"], True) == []
    assert changes_of("poetry-extras", tmp_path / "none", SyncChoice()) == verdict_of(
        "poetry-extras", [], [], True
    )


def test_every_pdm_group_and_extra_spelt_with_all(tmp_path: Path) -> None:
    # pdm-groups-chosen: dev groups lint and test, extra x, all locked and installed.
    every = SyncChoice(default_groups=False, all_groups=True, all_extras=True)
    assert changes_of("pdm-groups-chosen", tmp_path / "a", every) == verdict_of(
        "pdm-groups-chosen", [], [], True
    )
    extras = SyncChoice(default_groups=False, all_extras=True)
    assert changes_of("pdm-groups-chosen", tmp_path / "b", extras) == verdict_of(
        "pdm-groups-chosen", [], ["x"], False
    )
    groups = SyncChoice(default_groups=False, all_groups=True)
    assert changes_of("pdm-groups-chosen", tmp_path / "c", groups) == ["epsilon"]


def test_a_pdm_group_the_lock_was_made_without_is_refused(tmp_path: Path) -> None:
    # As `pdm sync -G docs` refuses ("Requested groups not in lockfile"): the lock pins nothing for it.
    _, root, _ = recorded("pdm-synced", tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + '\n[dependency-groups]\ndocs = ["delta"]\nlint = ["alpha"]\n'
    )
    doc = read_toml(pyproject)
    assert isinstance(doc, TomlDocument)
    for groups, message in (
        (("docs",), "the group docs"),
        (("docs", "lint"), "the groups docs, lint"),
    ):
        selection = selection_of("pdm-synced", root, doc, SyncChoice(groups))
        assert selection.problem is not None
        assert selection.problem.message == (
            f"pdm.lock was locked without {message}; lock them too (`pdm lock -G :all`), or choose other groups."
        )


def test_poetrys_package_mode_is_on_unless_turned_off(tmp_path: Path) -> None:
    _, root, _ = recorded("poetry-project", tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("package-mode = true\n", ""))
    doc = read_toml(pyproject)
    assert isinstance(doc, TomlDocument)
    assert selection_of("poetry-project", root, doc).packages["demo"].editable


def test_a_poetry_project_named_in_tool_poetry_is_locked_at_the_top(tmp_path: Path) -> None:
    # No [project] table: the name and version are Poetry's own; the finding has no key to sit on.
    _, root, doc = recorded("poetry-legacy-project", tmp_path)
    demo = selection_of("poetry-legacy-project", root, doc).packages["demo"]
    assert demo == Locked("demo", "0.1.0", True, f"editable {root}", root / "pyproject.toml", Range.at(0))


def test_every_extra_of_a_uv_lock_is_its_only_extra(tmp_path: Path) -> None:
    # uv-extra declares one extra, x: `--all-extras` is `--extra x`.
    every = changes_of("uv-extra", tmp_path / "all", SyncChoice(all_extras=True))
    assert every == verdict_of("uv-extra", [], ["x"], True) == []
    assert changes_of("uv-extra", tmp_path / "none", SyncChoice()) == verdict_of("uv-extra", [], [], True)


def test_each_package_uv_selects_sits_at_its_name_line(tmp_path: Path) -> None:
    _, root, doc = recorded("uv-synced", tmp_path)
    selection = selection_of("uv-synced", root, doc)
    assert selection.packages
    for name, locked in selection.packages.items():
        line = line_of(root / "uv.lock", locked.range)
        assert (line, locked.range.start.character, locked.range.end) == (
            f'name = "{name}"',
            0,
            (locked.range.start.line, len(line)),
        )


def test_a_uv_lock_rewritten_after_it_was_read_is_selected_from_as_rewritten(tmp_path: Path) -> None:
    # The graph comes from the file as the cache reads it, not from the lock parsed before the write.
    _, root, doc = recorded("uv-synced", tmp_path)
    lockfile = root / "uv.lock"
    text = lockfile.read_text(encoding="utf-8")
    before = uv.parse_lock(lockfile, text)
    assert isinstance(before, uv.UvLock)
    lockfile.write_text(text.replace('name = "alpha"\nversion = "2.0"', 'name = "alpha"\nversion = "2.1"'))
    environment = marker_environment(root / ".venv", ask_interpreter=False)
    selecting = Selecting(lockfile, root, doc, environment, SyncChoice(), LockCache())
    assert uv.FORMAT.select is not None
    assert uv.FORMAT.select(selecting, before)["alpha"].version == "2.1"
    # Without a cache (as no caller selects a uv.lock) the lock at hand is the one selected from.
    assert uv.FORMAT.select(selecting._replace(cache=None), before)["alpha"].version == "2.0"
    # Rewritten into what does not parse: the file's own finding.
    lockfile.write_text(text.replace('name = "alpha"', 'name = "alpha', 1))
    with pytest.raises(UnreadableFile) as unread:
        uv.FORMAT.select(selecting, before)
    assert (unread.value.finding.path, unread.value.finding.code) == (lockfile, "toml-syntax")


# A uv.lock not laid out as uv writes it (CRLF line ends) is parsed whole: the same selection ------


@pytest.mark.parametrize(
    "name", ["uv-fork", "uv-extra", "uv-path-sources", "uv-workspace", "uv-default-groups"]
)
def test_a_uv_lock_parsed_whole_selects_as_the_fast_reader(name: str, tmp_path: Path) -> None:
    _, root, doc = recorded(name, tmp_path / "lf")
    _, crlf_root, crlf_doc = recorded(name, tmp_path / "crlf")
    lock = crlf_root / "uv.lock"
    lock.write_bytes(lock.read_bytes().replace(b"\n", b"\r\n"))
    for choice in (SyncChoice(), SyncChoice(all_groups=True, all_extras=True)):
        fast = selection_of(name, root, doc, choice)
        whole = selection_of(name, crlf_root, crlf_doc, choice)
        assert fast.problem is None and whole.problem is None, (fast.problem, whole.problem)
        assert fast.packages, name
        assert {n: (p.version, p.editable, p.source) for n, p in whole.packages.items()} == {
            n: (p.version, p.editable, p.source.replace(str(root), str(crlf_root)))
            for n, p in fast.packages.items()
        }


# Sources the recorded locks spell one way: the other spellings of the same entries ----------------


def pinned_lines(name: str, root: Path) -> dict[str, str]:
    lock = root / LOCKS[CASES[name]["tool"]]
    return {p.name: p.line for p in pinned_install(lock, root, root / ".venv").packages}


def test_a_poetry_git_source_without_its_resolved_commit_is_installed_at_its_reference(
    tmp_path: Path,
) -> None:
    name = "poetry-url-git-file-sources"
    _, root, _ = recorded(name, tmp_path)
    lock = root / "poetry.lock"
    text = lock.read_text()
    commit = re.search(r'^resolved_reference = "(\w+)"\n', text, re.MULTILINE)
    assert commit is not None
    assert pinned_lines(name, root)["lib-g"].endswith(f"@{commit.group(1)}")
    lock.write_text(text.replace(commit.group(0), ""))
    assert pinned_lines(name, root)["lib-g"].endswith("/git/lib-g@HEAD")


def test_a_pdm_path_source_is_editable_only_when_the_lock_says_true(tmp_path: Path) -> None:
    name = "pdm-url-git-file-sources"
    _, root, _ = recorded(name, tmp_path)
    lock = root / "pdm.lock"
    text = lock.read_text()
    wheel = 'path = "./dists/epsilon-1.0-py3-none-any.whl"\n'
    assert wheel in text
    for editable, line in (
        ("true", f"-e {root / 'libs' / 'e'}"),
        ("false", f"epsilon @ {(root / 'libs' / 'e').as_uri()}"),
    ):
        lock.write_text(text.replace(wheel, f'path = "./libs/e"\neditable = {editable}\n'))
        assert pinned_lines(name, root)["epsilon"] == line


def test_a_pdm_lock_without_its_groups_installs_every_dev_group(tmp_path: Path) -> None:
    # A lock that records no `[metadata] groups`: `pdm sync` installs default and every dev group.
    name = "pdm-groups-chosen"
    _, root, doc = recorded(name, tmp_path)
    exact = selection_of(name, root, doc, SyncChoice(("lint", "test"), default_groups=False))
    lock = root / "pdm.lock"
    lock.write_text(lock.read_text().replace('groups = ["default", "lint", "test", "x"]\n', "", 1))
    unrecorded = selection_of(name, root, doc)
    assert unrecorded.problem is None, unrecorded.problem
    assert set(unrecorded.packages) == set(exact.packages) == {"alpha", "beta", "delta", "gamma"}


@pytest.mark.parametrize(("name", "installs"), [("pdm-project", True), ("pdm-synced", False)])
def test_a_pdm_project_without_a_distribution_setting_installs_itself_if_it_can_be_built(
    name: str, installs: bool, tmp_path: Path
) -> None:
    _, root, _ = recorded(name, tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f"distribution = {str(installs).lower()}\n", ""))
    plan = pinned_install(root / "pdm.lock", root, root / ".venv")
    assert plan.editable == (root if installs else None)


def test_a_pyproject_or_lock_that_does_not_parse_is_said_with_its_line(tmp_path: Path) -> None:
    _, root, _ = recorded("poetry-synced", tmp_path)
    lock, pyproject = root / "poetry.lock", root / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text + "\n[project\n")
    line = len(text.splitlines()) + 2
    with pytest.raises(LockSelectionError, match=rf" \(line {line}\)$"):
        pinned_install(lock, root, root / ".venv")
    pyproject.write_text(text)
    lock.write_text('[[package]]\nname = "alpha"\nversion = \n')
    with pytest.raises(LockSelectionError, match=r" \(line 3\)$"):
        pinned_install(lock, root, root / ".venv")
    lock.unlink()
    lock.mkdir()
    with pytest.raises(LockSelectionError) as unreadable:
        pinned_install(lock, root, root / ".venv")
    assert str(unreadable.value) == "poetry.lock cannot be read: it is a folder, not a regular file"
