"""Environment drift against the real tools' own verdicts, recorded: no venv built, no tool run.

`tests/fixtures/envdrift/cases.json` holds venvs that real uv, Poetry and PDM installed (and a user then
changed with `uv pip`), each recorded as the files the engine reads (pyvenv.cfg, every dist-info's
METADATA header, INSTALLER and direct_url.json), beside the project's pyproject.toml and lock and what
`uv sync --check`, `poetry sync --dry-run` or `pdm sync --only-keep --dry-run` said a sync would change
(tests/fixtures/envdrift/generate.py records them). Each test writes those files into a folder and
asks the engine: the same packages must be out of step, and a Poetry or PDM lock's pinned install must
be exactly what the tool installed, with the hash of the very wheel the index served.

The live agreement tests (`tests/livedrift`) build such venvs for real; these run in milliseconds,
so the mutation run of selection and environment drift can use them (scripts/mutation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pyhelper.drift.environment import check_environment, read_venv, select
from pyhelper.lockfiles import LockCache
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lockfiles.selection import LockSelectionError, pinned_install
from pyhelper.requirements import canonicalize_name
from pyhelper.tomlfile import TomlDocument, read_toml
from support.recorded_venvs import LOCKS, RECORDED, materialise

CHECKS = [
    pytest.param(
        case,
        check,
        id=f"{case['name']}{'' if check['defaults'] else ' only'}"
        f"{''.join(f' +{c}' for c in check['groups'] + check['extras'])}",
    )
    for case in RECORDED["cases"]
    for check in case["checks"]
]


def choice_of(check: dict[str, Any]) -> SyncChoice:
    """The Lockstep choice the tool's flags were given for (tests/fixtures/envdrift/generate.py)."""
    return SyncChoice(tuple(check["groups"]), tuple(check["extras"]), check["defaults"])


def test_the_recorded_cases_hold_both_verdicts() -> None:
    # Agreement proves little unless the tools called some venvs in sync and some not.
    verdicts = {bool(check["changes"]) for case in RECORDED["cases"] for check in case["checks"]}
    tools = {case["tool"] for case in RECORDED["cases"]}
    assert verdicts == {True, False}
    assert tools == set(LOCKS)


@pytest.mark.parametrize(("case", "check"), CHECKS)
def test_verdict_agrees_with_the_tool(case: dict[str, Any], check: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "demo"
    venv = materialise(case, root)
    doc = read_toml(root / "pyproject.toml")
    assert isinstance(doc, TomlDocument)
    snapshot = read_venv(venv)
    selection = select(
        case["tool"], root / LOCKS[case["tool"]], root, doc, snapshot, LockCache(), choice_of(check)
    )
    assert selection.problem is None, selection.problem

    report = check_environment(doc, selection, snapshot)

    assert report.python_mismatch == check["replace"], report
    if not check["replace"]:
        assert sorted(report.changed) == check["changes"], report
        assert report.in_sync == (not check["changes"]), report
        assert len(report.findings) == len(check["changes"]), report


@pytest.mark.parametrize(
    ("case", "check"),
    [
        param
        for param in CHECKS
        if param.values[0]["tool"] != "uv" and not param.values[1]["changes"]  # type: ignore[index]
    ],
)
def test_pinned_install_is_what_the_tool_installed(
    case: dict[str, Any], check: dict[str, Any], tmp_path: Path
) -> None:
    # In sync by the tool's own verdict: the venv holds exactly the tool's install of the lock.
    root = tmp_path / "demo"
    venv = materialise(case, root)
    plan = pinned_install(root / LOCKS[case["tool"]], root, venv, choice_of(check))

    installed, lines = {}, {}
    for files in case["venv"]["dists"].values():
        fields = dict(line.split(": ", 1) for line in files["METADATA"].splitlines() if ": " in line)
        name = canonicalize_name(fields["Name"])
        installed[name] = fields["Version"]
        # What the tool installed from a git repository or a URL as it recorded it (PEP 610), and from a
        # folder or file of the project moved from where it was recorded to `root`.
        direct = json.loads(files.get("direct_url.json", "{}"))
        if "vcs_info" in direct:
            lines[name] = f"{name} @ git+{direct['url']}@{direct['vcs_info']['commit_id']}"
        elif direct.get("url", "").startswith("http://"):
            lines[name] = f"{name} @ {direct['url']}"
        elif direct.get("url", "").startswith("file://") and "/demo/" in direct["url"]:
            folder = root / direct["url"].split("/demo/", 1)[1]
            editable = direct.get("dir_info", {}).get("editable")
            lines[name] = f"-e {folder}" if editable else f"{name} @ {folder.as_uri()}"
    project = installed.pop("demo", None)
    if case["tool"] == "poetry":
        installed.pop("pip", None)  # `poetry sync` leaves an unlocked pip in place
    assert {p.name: p.version for p in plan.packages} == installed
    assert (plan.editable == root) == (project is not None)
    for package in plan.packages:
        if package.name in lines:
            assert package.line == lines[package.name]
            continue
        [wheel] = [w for w in RECORDED["index"] if w.startswith(f"{package.name}-{package.version}-")]
        assert package.line == f"{package.name}=={package.version} --hash=sha256:{RECORDED['index'][wheel]}"
    assert plan.requirements_text().splitlines() == [p.line for p in plan.packages] + (
        [f"-e {root}"] if project is not None else []
    )
    # Poetry records the source's URL without its final slash.
    assert [url.rstrip("/") for url in plan.indexes] == [RECORDED["index_url"].rstrip("/")]


@pytest.mark.parametrize("name", ["poetry-synced", "pdm-synced"])
def test_a_stale_lock_is_not_installed(name: str, tmp_path: Path) -> None:
    # As `poetry sync` / `pdm sync` refuse a lock pyproject.toml no longer matches.
    [case] = [c for c in RECORDED["cases"] if c["name"] == name]
    root = tmp_path / "demo"
    venv = materialise(case, root)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=2"', '"alpha>=2", "delta"'))
    with pytest.raises(LockSelectionError) as stale:
        pinned_install(root / LOCKS[case["tool"]], root, venv)
    assert stale.value.status == "needs-lock"
    assert (
        str(stale.value)
        == f"{LOCKS[case['tool']]} is out of date with pyproject.toml; update the lockfile first."
    )
    (root / "uv.lock").write_text(case["files"][LOCKS[case["tool"]]])
    with pytest.raises(LockSelectionError) as unsupported:
        pinned_install(root / "uv.lock", root, venv)
    assert unsupported.value.status == "failed"
    assert str(unsupported.value) == "installing from uv.lock without its manager is not supported"
