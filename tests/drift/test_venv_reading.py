"""How environment drift reads a venv from disk and what its findings and hovers say.

The reader is checked against the standard library's own reader of installed distributions
(`importlib.metadata`, PEP 566/376 metadata on disk); findings against the recorded venvs of
tests/fixtures/envdrift (made by real uv), at the places the module promises: a direct dependency's
requirement in pyproject.toml, else its entry in the lock.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from pyhelper.drift.environment import (
    EnvReport,
    VenvCache,
    check_environment,
    describe_requirement,
    read_venv,
    requirement_at,
    same_version,
    select,
    site_packages,
)
from pyhelper.drift.session import DriftSession
from pyhelper.findings import Range, Severity
from pyhelper.lockfiles import LockCache
from pyhelper.projects import scan_workspace
from pyhelper.tomlfile import TomlDocument, read_toml
from support.recorded_venvs import RECORDED, materialise

CASES = {case["name"]: case for case in RECORDED["cases"]}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"


def dist_info(site: Path, folder: str, metadata: str, **files: str) -> Path:
    (site / folder).mkdir(parents=True)
    (site / folder / "METADATA").write_bytes(metadata.encode("utf-8", "surrogateescape"))
    for name, text in files.items():
        (site / folder / {"direct_url": "direct_url.json"}.get(name, name)).write_text(text)
    return site / folder


def venv_at(root: Path, lib: str = "lib/python3.12/site-packages") -> tuple[Path, Path]:
    venv = root / ".venv"
    site = venv / lib
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.12.1\n")
    return venv, site


def ours_and_theirs(venv: Path, site: Path) -> dict[str, str]:
    """What read_venv finds installed, once asserted equal to what importlib.metadata finds."""
    ours = {name: have.version for name, have in read_venv(venv).packages.items()}
    theirs = {
        d.metadata["Name"].lower().replace("_", "-").replace(".", "-"): d.version
        for d in importlib.metadata.distributions(path=[str(site)])
        if d.metadata is not None and d.metadata["Name"] and d.version
    }
    assert ours == theirs
    return ours


def test_names_and_versions_are_those_importlib_metadata_reads(tmp_path: Path) -> None:
    venv, site = venv_at(tmp_path)
    dist_info(
        site, "Zope.Interface-6.0.dist-info", "Metadata-Version: 2.1\nName: Zope.Interface\nVersion: 6.0\n"
    )
    # Version before Name, a body that repeats the fields after the blank line.
    dist_info(
        site,
        "late_name-1.0.dist-info",
        "Metadata-Version: 2.1\nVersion: 1.0\nSummary: x\nName: late_name\n\nName: wrong\nVersion: 9\n",
    )
    (site / "eggy-0.3.egg-info").mkdir()
    (site / "eggy-0.3.egg-info" / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: eggy\nVersion: 0.3\n")
    (site / "flat-0.4.egg-info").write_text("Metadata-Version: 1.1\nName: flat\nVersion: 0.4\n")
    # Not distributions, or not readable ones: importlib finds no name for them either.
    dist_info(site, "noversion-1.dist-info", "Name: noversion\n")
    (site / "nometa-1.dist-info").mkdir()
    (site / "module.py").write_text("")
    (site / "package").mkdir()

    ours = ours_and_theirs(venv, site)
    assert set(ours) == {"zope-interface", "late-name", "eggy", "flat"}
    # Line ends as Windows or old Macs write them, and a long body repeating the fields, unread.
    dist_info(
        site, "crlf-1.0.dist-info", "Metadata-Version: 2.1\r\nName: crlf\r\nVersion: 1.0\r\n\r\nName: no"
    )
    dist_info(site, "cr-1.0.dist-info", "Metadata-Version: 2.1\rName: cr\rVersion: 1.0\r")
    dist_info(
        site, "long-1.0.dist-info", "Name: long\n" + "Summary: s\n" * 9000 + "Version: 1.0\n\n" + "x" * 10**6
    )
    assert {"crlf", "cr", "long"} <= set(ours_and_theirs(venv, site))
    # A header that is not UTF-8 (importlib.metadata raises on it) is still read.
    dist_info(site, "latin-2.0.dist-info", "Name: latin\nVersion: 2.0\nAuthor: Andr\udce9\n")
    assert read_venv(venv).packages["latin"].version == "2.0"


def test_installer_and_direct_url_are_read(tmp_path: Path) -> None:
    venv, site = venv_at(tmp_path)
    editable = {"url": "file:///work/demo", "dir_info": {"editable": True}}
    vcs = {"url": "https://example.org/r.git", "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef"}}
    dist_info(
        site, "a-1.dist-info", "Name: a\nVersion: 1\n", INSTALLER="uv\n", direct_url=json.dumps(editable)
    )
    dist_info(site, "b-1.dist-info", "Name: b\nVersion: 1\n", direct_url=json.dumps(vcs))
    dist_info(site, "c-1.dist-info", "Name: c\nVersion: 1\n", direct_url='{"url": "file:///w/c%20d.whl"}')
    dist_info(site, "d-1.dist-info", "Name: d\nVersion: 1\n", INSTALLER="pip")
    dist_info(site, "e-1.dist-info", "Name: e\nVersion: 1\n", direct_url="{not json")
    dist_info(site, "f-1.dist-info", "Name: f\nVersion: 1\n", direct_url="[1]")
    dist_info(site, "g-1.dist-info", "Name: g\nVersion: 1\n")

    packages = read_venv(venv).packages

    assert [packages[n].editable for n in "abcdefg"] == [True, False, False, False, False, False, False]
    assert packages["a"].installer == "uv"
    assert packages["a"].origin() == "editable from /work/demo"
    assert packages["b"].origin() == "git https://example.org/r.git @ 0123456789ab"
    assert packages["c"].origin() == "from /w/c d.whl"
    assert packages["d"].origin() == "installed by pip"
    assert packages["e"].direct_url is None and packages["f"].direct_url is None
    assert packages["g"].origin() == "installed"
    assert packages["a"].dist_info == site / "a-1.dist-info"


@pytest.mark.parametrize(
    ("layout", "found"),
    [
        (["Lib/site-packages"], "Lib/site-packages"),
        (["lib/python3.13t/site-packages"], "lib/python3.13t/site-packages"),
        (["lib/python3.12/site-packages", "lib/python3.13/site-packages"], "lib/python3.12/site-packages"),
        (["lib/pythonX/site-packages", "lib/python3.11/site-packages"], "lib/python3.11/site-packages"),
        (["lib/python3.12/other"], None),
        ([], None),
    ],
)
def test_site_packages_layouts(tmp_path: Path, layout: list[str], found: str | None) -> None:
    for folder in layout:
        (tmp_path / folder).mkdir(parents=True)
    assert site_packages(tmp_path) == (tmp_path / found if found else None)


@pytest.mark.parametrize(
    ("config", "lib", "python"),
    [
        ("version_info = 3.12.1\n", "python3.12", "3.12.1"),
        ("version = 3.11\n", "python3.11", "3.11"),
        ("", "python3.13", "3.13"),
        ("", "pythonX", None),
    ],
)
def test_the_python_version_comes_from_pyvenv_cfg_else_the_lib_folder(
    tmp_path: Path, config: str, lib: str, python: str | None
) -> None:
    (tmp_path / "lib" / lib / "site-packages").mkdir(parents=True)
    (tmp_path / "pyvenv.cfg").write_text(config)
    assert read_venv(tmp_path).python == python


def settled(*paths: Path) -> None:
    """Dated ten seconds ago, as what no install is writing any more (a recent time is not trusted)."""
    past = time.time_ns() - 10 * 10**9
    for path in paths:
        for each in [path, *path.rglob("*")]:
            os.utime(each, ns=(past, past))


def test_the_cache_reads_again_only_after_an_install(tmp_path: Path) -> None:
    venv, site = venv_at(tmp_path)
    dist_info(site, "a-1.dist-info", "Name: a\nVersion: 1\n")
    settled(venv)
    cache = VenvCache()
    first = cache.get(venv)
    assert cache.get(venv) is first
    dist_info(site, "b-1.dist-info", "Name: b\nVersion: 1\n")
    os.utime(site, ns=(1, 1))  # a different mtime, whatever the clock's resolution
    second = cache.get(venv)
    assert set(second.packages) == {"a", "b"}
    assert cache.get(venv) is second
    cache.forget(venv)
    assert cache.get(venv) is not second


def test_a_venv_written_to_just_now_is_read_again_though_its_times_stay(tmp_path: Path) -> None:
    # An install still writing when the venv was read (within one tick of the clock file times
    # keep): the folder it was filling looks the same afterwards, yet must not be taken as read.
    venv, site = venv_at(tmp_path)
    settled(venv)
    (site / "b-1.dist-info").mkdir()  # not readable yet: no METADATA
    cache = VenvCache()
    assert cache.get(venv).packages == {}
    stamps = [(path, path.stat()) for path in (site, site / "b-1.dist-info")]
    (site / "b-1.dist-info" / "METADATA").write_text("Name: b\nVersion: 1\n")
    for path, stat in stamps:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert set(cache.get(venv).packages) == {"b"}


def test_a_venv_uv_changed_is_read_again_keeping_the_folders_it_did_not_write(tmp_path: Path) -> None:
    venv, site = venv_at(tmp_path)
    dist_info(site, "a-1.dist-info", "Name: a\nVersion: 1\n")
    dist_info(site, "b-1.dist-info", "Name: b\nVersion: 1\n", INSTALLER="pip\n")
    dist_info(site, "gone-1.dist-info", "Name: gone\nVersion: 1\n")
    (site / "broken-1.dist-info").mkdir()
    settled(venv)
    cache = VenvCache()
    first = cache.get(venv)
    before = site.stat()
    # What uv does: a new folder for a new package, a new folder in place of an old one (a reinstall
    # at the same version; made before the old one goes, so it cannot reuse the inode), one removed.
    dist_info(site, "c-2.dist-info", "Name: c\nVersion: 2\n")
    dist_info(site, "b-1.dist-info.new", "Name: b\nVersion: 1\n", INSTALLER="uv\n")
    for name in ("b-1.dist-info", "gone-1.dist-info"):
        for file in (site / name).iterdir():
            file.unlink()
        (site / name).rmdir()
    (site / "b-1.dist-info.new").rename(site / "b-1.dist-info")
    # As a clock tick too coarse to tell the two apart would leave it: only `written` says so.
    os.utime(site, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.get(venv) is first
    second = cache.written(venv)
    assert set(second.packages) == {"a", "b", "c"}
    assert second.packages["a"] is first.packages["a"]
    assert second.packages["b"].installer == "uv"
    assert second.packages["c"].version == "2"
    assert cache.get(venv) is second
    assert cache.written(tmp_path / "other").packages == {}


def test_what_a_writer_that_has_exited_left_is_not_read_again(tmp_path: Path) -> None:
    # Times from just now are trusted once the writer is known to be done (uv exited while held).
    venv, site = venv_at(tmp_path)
    dist_info(site, "a-1.dist-info", "Name: a\nVersion: 1\n")
    cache = VenvCache()
    first = cache.get(venv)
    assert cache.get(venv) is not first  # site-packages was written just now: read again
    written = cache.written(venv)
    assert written.packages["a"] == first.packages["a"]
    assert cache.get(venv) is written


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("1.0", "1", True),
        ("1.0", "1.1", False),
        (None, "1", True),
        ("1", None, True),
        ("x", "y", False),
        ("x", "x", True),
    ],
)
def test_same_version_is_pep_440_equality(left: str | None, right: str | None, same: bool) -> None:
    assert same_version(left, right) is same


def report_of(name: str, tmp_path: Path) -> tuple[EnvReport, Path, Any]:
    case = CASES[name]
    root = tmp_path / "demo"
    venv = materialise(case, root)
    doc = read_toml(root / "pyproject.toml")
    assert isinstance(doc, TomlDocument)
    snapshot = read_venv(venv)
    selection = select("uv", root / "uv.lock", root, doc, snapshot, LockCache())
    return check_environment(doc, selection, snapshot), root, (doc, selection, snapshot)


def text_at(path: Path, where: Range) -> str:
    line = path.read_text().splitlines()[where.start.line]
    return line[where.start.character : where.end.character]


def test_findings_point_at_the_requirement_or_the_lock_entry(tmp_path: Path) -> None:
    # uv-changed: beta downgraded by hand (a dependency of alpha), gamma uninstalled, delta added.
    report, root, _ = report_of("uv-changed", tmp_path)
    by_code = {f.code: f for f in report.findings}
    missing, mismatch, extra = (
        by_code["venv-missing-package"],
        by_code["venv-version-mismatch"],
        by_code["venv-extraneous"],
    )
    lock = (root / "uv.lock").read_text().splitlines()
    assert (report.missing, report.mismatched, report.extraneous) == (1, 1, 1)

    assert missing.path == root / "pyproject.toml"
    assert text_at(missing.path, missing.range) == '"gamma"'
    assert missing.message == "gamma 0.1 is locked but not installed in .venv — sync the environment"
    assert [(r.path, lock[r.range.start.line], r.message) for r in missing.related] == [
        (root / "uv.lock", 'name = "gamma"', "uv.lock locks gamma 0.1")
    ]

    assert mismatch.path == root / "uv.lock"
    assert text_at(mismatch.path, mismatch.range) == 'name = "beta"'
    assert mismatch.message == ".venv has beta 1.0, but uv.lock pins 1.1 — sync the environment"
    [installed] = mismatch.related
    assert installed.path.parent.name == "beta-1.0.dist-info" and installed.message == "installed: 1.0"

    assert (extra.path, extra.range, extra.severity) == (root / "uv.lock", Range.at(0), Severity.HINT)
    assert extra.message == (".venv has delta 1.0, which uv.lock does not select for it; syncing removes it")
    assert extra.related[0].message == "installed: 1.0"
    assert missing.severity == mismatch.severity == Severity.WARNING


def test_an_editable_package_installed_otherwise_is_a_mismatch(tmp_path: Path) -> None:
    report, _, _ = report_of("uv-editable-reinstalled", tmp_path)
    [finding] = report.findings
    assert finding.code == "venv-version-mismatch"
    assert finding.message.startswith(".venv has demo 0.1.0 (")
    assert finding.message.endswith("), but uv.lock installs it editable — sync the environment")


def test_a_python_requires_python_refuses_is_an_error_on_it(tmp_path: Path) -> None:
    report, _, (_, _, snapshot) = report_of("uv-python-too-old", tmp_path)
    [python] = [f for f in report.findings if f.code == "venv-python-mismatch"]
    assert python.severity == Severity.ERROR
    assert text_at(python.path, python.range) == '">=3.11"'
    assert python.message == (
        f".venv runs Python {snapshot.python}, which does not satisfy requires-python >=3.11 — "
        "recreate the environment with a Python that does"
    )
    assert report.python_mismatch and not report.in_sync


def test_hover_describes_the_locked_and_the_installed_package(tmp_path: Path) -> None:
    _, root, (_, selection, snapshot) = report_of("uv-changed", tmp_path)
    lock = root / "uv.lock"
    beta = selection.packages["beta"]
    assert beta.source.startswith("registry http://127.0.0.1:")
    assert describe_requirement("beta", lock, beta, ["1.1"], snapshot).splitlines() == [
        "**beta**",
        "",
        f"- Locked: `1.1` in uv.lock line {beta.range.start.line + 1} ({beta.source})",
        "- Installed: `1.0` in .venv — beta-1.0.dist-info (installed by uv)",
    ]
    assert describe_requirement("gamma", lock, None, ["0.1", None], snapshot).splitlines()[2:] == [
        "- Locked: `0.1, dynamic` in uv.lock, not selected for this environment",
        "- Installed: not in .venv",
    ]
    assert describe_requirement("x", lock, None, ["1"], None).splitlines()[2:] == [
        "- Locked: `1` in uv.lock",
        "- Installed: no environment",
    ]
    assert describe_requirement("x", lock, None, [], None).splitlines()[2] == "- Locked: not in uv.lock"
    assert describe_requirement("x", None, None, [], None).splitlines()[2] == "- Locked: no lockfile"


def test_hover_finds_the_requirement_under_the_cursor(tmp_path: Path) -> None:
    _, root, (doc, _, _) = report_of("uv-changed", tmp_path)
    lines = (root / "pyproject.toml").read_text().splitlines()
    [row] = [i for i, line in enumerate(lines) if line.startswith("dependencies")]
    start = lines[row].index('"gamma"')
    end = start + len('"gamma"')
    for column in (start, start + 3, end):
        found = requirement_at(doc, row, column)
        assert found is not None and found[0] == "gamma"
        assert (found[1].start.character, found[1].end.character) == (start, end)
    assert requirement_at(doc, row, start - 1) is None
    assert requirement_at(doc, 0, 0) is None


def test_origins_without_a_file_url(tmp_path: Path) -> None:
    venv, site = venv_at(tmp_path)
    dist_info(site, "a-1.dist-info", "Name: a\nVersion: 1\n", direct_url='{"dir_info": {"editable": true}}')
    wheel = '{"url": "https://example.org/b-1.whl", "archive_info": {}}'
    dist_info(site, "b-1.dist-info", "Name: b\nVersion: 1\n", direct_url=wheel)
    packages = read_venv(venv).packages
    assert packages["a"].origin() == "editable from ?"
    assert packages["b"].origin() == "from https://example.org/b-1.whl"


def test_the_cache_follows_pyvenv_cfg_and_the_site_packages_folder(tmp_path: Path) -> None:
    cache = VenvCache()
    bare = tmp_path / "bare"
    bare.mkdir()
    assert cache.get(bare).site_packages is None  # no site-packages folder yet
    cache.forget(tmp_path / "never-read")

    venv, site = venv_at(tmp_path)
    assert cache.get(venv).python == "3.12.1"
    stamp = (venv / "pyvenv.cfg").stat().st_mtime_ns
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.12.2\n")
    os.utime(venv / "pyvenv.cfg", ns=(stamp + 1, stamp + 1))
    assert cache.get(venv).python == "3.12.2"

    # The interpreter's minor version changed: another site-packages folder, though its mtime is the same.
    moved = venv / "lib" / "python3.13" / "site-packages"
    moved.mkdir(parents=True)
    mtime = site.stat().st_mtime_ns
    dist_info(moved, "a-1.dist-info", "Name: a\nVersion: 1\n")
    os.utime(moved, ns=(mtime, mtime))
    site.rmdir()
    (venv / "lib" / "python3.12").rmdir()
    assert set(cache.get(venv).packages) == {"a"}


def test_hover_of_a_dynamic_version(tmp_path: Path) -> None:
    _, root, (_, selection, snapshot) = report_of("uv-changed", tmp_path)
    beta = dataclasses.replace(selection.packages["beta"], version=None)
    assert (
        describe_requirement("beta", root / "uv.lock", beta, [None], snapshot)
        .splitlines()[2]
        .startswith("- Locked: `dynamic` in uv.lock line ")
    )


def test_an_install_is_compared_with_the_selection_it_did_not_change(tmp_path: Path) -> None:
    # What the lock selects depends on the venv's interpreter, never on what is installed: after an
    # install (uv add's own sync) only the venv is read again.
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "uv-app" / "add-new-package", root)
    venv, site = venv_at(root)
    settled(venv)
    (project,) = scan_workspace([tmp_path], environ={}).projects
    drift = DriftSession()
    first = drift.check(project, None)
    dist_info(site, "idna-3.20.dist-info", "Name: idna\nVersion: 3.20\n")
    drift.venv_written(venv)
    second = drift.check(project, None)
    assert first.snapshot is not None and second.snapshot is not None
    assert "idna" in second.snapshot.packages and "idna" not in first.snapshot.packages
    assert second.selection is first.selection
    assert second.summary.missing == first.summary.missing - 1
    # Another interpreter written into pyvenv.cfg: the lock selects again, for it.
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.11.9\n")
    third = drift.check(project, None)
    assert third.selection is not second.selection
    assert not third.environment_in_sync
    assert drift.environment_in_sync(project) == third.environment_in_sync
