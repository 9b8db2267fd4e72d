"""`pyhelper audit` and the health engine against a loopback index (tests/support/index.py) and a project
locked by real uv: findings on the lock entry and the requirement (direct or through a chain), accepted
advisories, the on-disk cache (no request while fresh, 304 when stale, only what changed after a lock
change), offline and hostile answers (exit 2, nothing called healthy), the upgrade that fixes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from health.health_support import ADVISORY, audit, line_of, run_uv
from pyhelper.health.audit import check_health
from pyhelper.health.cache import HttpCache
from pyhelper.health.client import IndexClient
from pyhelper.health.index import list_versions
from pyhelper.health.locked import LockedProject, locked_project
from pyhelper.lockfiles import LockCache
from pyhelper.managing import DependencyChange, change_dependency
from support.index import Dist, PackageIndex


def test_vulnerable_and_yanked_on_the_lock_entry_and_the_requirement_that_brings_them(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.add([Dist("web", "1.1")])
    health_index.advise("web", "1.0", ADVISORY)
    health_index.yank("parser", "1.0", "broken metadata")

    status, output = audit(locked_app)

    assert status == 1, output
    report = json.loads(output)
    found = {(d["file"], d["code"], d["range"]["start"]["line"]): d["message"] for d in report["diagnostics"]}
    lock, pyproject = locked_app / "uv.lock", locked_app / "pyproject.toml"
    web_entry = line_of(lock, 'name = "web"')
    parser_entry = line_of(lock, 'name = "parser"')
    assert set(found) == {
        ("uv.lock", "lock-vulnerable", web_entry),
        ("pyproject.toml", "lock-vulnerable", line_of(pyproject, '"web>=1"')),
        ("uv.lock", "lock-yanked", parser_entry),
        ("pyproject.toml", "lock-yanked", line_of(pyproject, '"tool"')),
    }
    vulnerable = found["uv.lock", "lock-vulnerable", web_entry]
    assert "PYSEC-2026-1 (CVE-2026-0001, GHSA-aaaa-bbbb-cccc)" in vulnerable
    assert vulnerable.endswith("fixed in 1.1 — upgrade to 1.1")
    through = found["pyproject.toml", "lock-yanked", line_of(pyproject, '"tool"')]
    assert through.startswith("tool brings in parser (through tool → parser): parser 1.0 is yanked")
    assert "broken metadata" in through
    web = next(p for p in report["packages"] if p["name"] == "web")
    assert (web["upgradeTo"], web["latest"], web["latestAllowed"]) == ("1.1", "1.1", "1.1")
    assert report["notChecked"] == []


def test_a_healthy_lock_is_clean_and_says_what_was_checked(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    status, output = audit(locked_app, output_format="text")
    assert status == 0, output
    assert output.strip() == "3 locked packages checked, no known vulnerabilities or yanked versions"


def test_accepted_advisories_by_flag_alias_and_config_with_a_reason(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.advise("web", "1.0", ADVISORY)
    assert audit(locked_app, "GHSA-aaaa-bbbb-cccc")[0] == 0

    pyproject = locked_app / "pyproject.toml"
    original = pyproject.read_text()
    pyproject.write_text(original + '\n[tool.lockstep]\nignore-advisories = [{ id = "PYSEC-2026-1" }]\n')
    status, output = audit(locked_app, output_format="text")
    assert status == 2
    assert "PYSEC-2026-1 needs a `reason`" in output

    pyproject.write_text(
        original
        + '\n[tool.lockstep]\nignore-advisories = [{ id = "PYSEC-2026-1", reason = "not reachable" }]\n'
    )
    status, output = audit(locked_app, output_format="text")
    assert status == 0, output
    assert "1 accepted advisory ignored" in output


def test_cache_fresh_answers_without_a_request_stale_by_304_and_a_lock_change_asks_only_what_changed(
    locked_app: Path, health_index: PackageIndex, health_cache: Path, uv: Path, uv_cache: Path
) -> None:
    before = len(health_index.requests)
    assert audit(locked_app)[0] == 0
    first = health_index.requests[before:]
    assert sorted(first) == sorted(
        [f"/simple/{name}/" for name in ("parser", "tool", "web")]
        + ["/pypi/parser/1.0/json", "/pypi/tool/1.0/json", "/pypi/web/1.0/json"]
    )

    # Fresh (max-age): a reopened workspace shows health without a request.
    before = len(health_index.requests)
    assert audit(locked_app)[0] == 0
    assert health_index.requests[before:] == []

    # Stale (an hour later): asked again with the ETag, answered 304, the answers come from the cache.
    project = locked_project(locked_app / "pyproject.toml", LockCache())
    assert isinstance(project, LockedProject)
    later = HttpCache(clock=time.time() + 3600)
    before = len(health_index.requests)
    with IndexClient() as client:
        result = check_health(project, client, later)
    assert len(health_index.requests[before:]) == 6
    assert result.requests == 0 and result.unchecked == [] and len(result.packages) == 3

    # The lock changes (web 1.0 -> 1.1): only web is asked about, its new release and its page, which is
    # fresh in the cache but predates 1.1 (so it cannot say whether 1.1 is yanked).
    health_index.add([Dist("web", "1.1")])
    run_uv(uv, ["lock", "--upgrade-package", "web"], locked_app, health_index, uv_cache)
    health_index.yank("web", "1.1", "broken build")
    before = len(health_index.requests)
    status, output = audit(locked_app)
    assert status == 1
    assert sorted(health_index.requests[before:]) == ["/pypi/web/1.1/json", "/simple/web/"]
    assert [d["message"] for d in json.loads(output)["diagnostics"] if d["file"] == "uv.lock"] == [
        "web 1.1 is yanked from its index: broken build"
    ]
    # The page asked again is fresh and lists 1.1: the next check asks nothing.
    before = len(health_index.requests)
    assert audit(locked_app)[0] == 1
    assert health_index.requests[before:] == []


def test_offline_is_exit_2_and_nothing_is_called_healthy(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    status, output = audit(locked_app, output_format="text", offline=True)
    assert status == 2
    assert output.splitlines()[-1] == "0 locked packages checked, health not checked (offline)"

    health_index.stop()
    status, output = audit(locked_app, output_format="text")
    assert status == 2
    assert "no known vulnerabilities" not in output
    assert "web 1.0 not checked (offline): " in output
    assert output.splitlines()[-1] == "0 locked packages checked, health not checked (offline)"


def test_offline_with_fresh_answers_uses_them(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.advise("web", "1.0", ADVISORY)
    assert audit(locked_app)[0] == 1
    health_index.stop()
    status, output = audit(locked_app, offline=True)
    assert status == 1, output
    assert {d["code"] for d in json.loads(output)["diagnostics"]} == {"lock-vulnerable"}


@pytest.mark.parametrize(
    ("path", "mode", "message"),
    [
        ("/pypi/web/1.0/json", "malformed", "/pypi/web/1.0/json is not valid JSON"),
        ("/pypi/web/1.0/json", "huge", "the answer is larger than 8 MB"),
        ("/pypi/web/1.0/json", "endless", "the answer is larger than 8 MB"),
        ("/simple/web/", "huge", "the answer is larger than 64 MB"),
        ("/simple/web/", "wrong-type", "/simple/web/ is not a simple API page (its type is text/plain)"),
        (
            "/pypi/web/1.0/json",
            "wrong-type",
            "/pypi/web/1.0/json is not a JSON answer (its type is text/plain)",
        ),
    ],
)
def test_a_hostile_index_is_a_clear_error_not_health(
    locked_app: Path, health_index: PackageIndex, health_cache: Path, path: str, mode: str, message: str
) -> None:
    health_index.misbehave(path, mode)
    status, output = audit(locked_app, output_format="text")
    assert status == 2
    assert "web 1.0 not checked: " in output and message in output, output
    assert "2 locked packages checked, 1 not checked" in output
    # Nothing of the hostile answer was kept: once the index behaves, web is checked.
    health_index.misbehave(path, None)
    assert audit(locked_app)[0] == 0


def test_pep_691_json_pages_and_a_malformed_one(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.simple_json = True
    health_index.max_age = 0  # every check revalidates, so the malformed page below is read
    health_index.yank("parser", "1.0", "")
    status, output = audit(locked_app)
    assert status == 1
    messages = [d["message"] for d in json.loads(output)["diagnostics"] if d["file"] == "uv.lock"]
    assert messages == ["parser 1.0 is yanked from its index (no reason given)"]

    health_index.misbehave("/simple/tool/", "malformed")
    status, output = audit(locked_app, output_format="text")
    assert status == 2
    assert "/simple/tool/ is not valid JSON" in output


def test_github_and_sarif_point_at_the_lock_and_the_pyproject(
    locked_app: Path, health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.advise("web", "1.0", ADVISORY)
    status, github = audit(locked_app, output_format="github")
    assert status == 1
    assert github.count("::warning file=uv.lock,") == 1
    assert github.count("::warning file=pyproject.toml,") == 1
    status, sarif = audit(locked_app, output_format="sarif")
    document = json.loads(sarif)
    results = document["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "uv.lock",
        "pyproject.toml",
    }
    assert document["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "lock-vulnerable"
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_the_upgrade_fix_runs_real_uv_and_clears_the_finding(
    locked_app: Path,
    health_index: PackageIndex,
    health_cache: Path,
    uv: Path,
    uv_cache: Path,
    pythons: dict[str, Path],
) -> None:
    health_index.add([Dist("web", "1.1")])
    health_index.advise("web", "1.0", ADVISORY)
    assert audit(locked_app)[0] == 1

    done = change_dependency(
        "uv",
        locked_app,
        locked_app,
        pythons["3.12"],
        DependencyChange("upgrade", "web", version="1.1"),
        uv_path=str(uv),
        environ=health_index.environ(uv_cache),
    )
    assert done.status == "ok", done.message
    run_uv(uv, ["sync", "--locked", "--python", str(pythons["3.12"])], locked_app, health_index, uv_cache)

    assert 'name = "web"\nversion = "1.1"' in (locked_app / "uv.lock").read_text()
    installed = list((locked_app / ".venv").glob("lib/python3*/site-packages/web-1.1.dist-info"))
    assert installed, "uv sync installed web 1.1"
    assert audit(locked_app)[0] == 0


def test_list_versions_newest_first_with_pre_releases_and_yanks_marked(
    health_index: PackageIndex, health_cache: Path
) -> None:
    health_index.add([Dist("web", "1.1"), Dist("web", "2.0rc1")])
    health_index.yank("web", "1.1", "oops")
    found = list_versions("web", health_index.url)
    assert not isinstance(found, str)
    assert [(v.version, v.prerelease, v.yanked, v.yank_reason) for v in found] == [
        ("2.0rc1", True, False, None),
        ("1.1", False, True, "oops"),
        ("1.0", False, False, None),
    ]
    missing = list_versions("nothing-here", health_index.url)
    assert missing == f"{health_index.url}/nothing-here/ — HTTP 404"


def test_the_cli_exit_status(locked_app: Path, health_index: PackageIndex, health_cache: Path) -> None:
    health_index.advise("web", "1.0", ADVISORY)
    environ = {**os.environ, "XDG_CACHE_HOME": str(health_cache.parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "pyhelper", "audit", str(locked_app), "--format", "text"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "lock-vulnerable" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "pyhelper", "audit", str(locked_app.parent / "nowhere")],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert done.returncode == 2 and "is not a folder" in done.stderr
