"""`pyhelper audit` finds the advisories that pip-audit and `uv audit` find, on the same locked set and
the same advisories: a project locked by real uv against the loopback index, whose advisories
`pyhelper audit` reads from the index's PyPI JSON API and the other two from the index's OSV face
(tests/support/auditors.py says how each is pointed there). The same advisories: the same ids and
aliases (whichever a tool names it by) with the same fixed versions, per locked package. The set has
what tells auditors apart: a package with two advisories (one fixed in two lines), a withdrawn advisory
(nobody reports it), one advisory on two packages fixed in one of them only, a transitive package whose
declared name is not normalised (Parser_Lib), a details-only advisory with no fix, an advisory on a
version that is not the locked one, and clean packages. Every other host goes to a proxy that is not
there, so no tool reaches the internet.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from health.health_support import run_uv
from support.auditors import (
    PIP_AUDIT,
    Report,
    export_command,
    loopback_only,
    pip_audit_command,
    pip_audit_report,
    pyhelper_report,
    uv_audit_command,
    uv_audit_report,
)
from support.index import Dist, PackageIndex

CATALOGUE = [
    Dist("web", "1.0"),
    Dist("web", "1.1"),
    Dist("web", "2.0"),
    Dist("tool", "1.0", requires=("Parser_Lib>=1",)),
    Dist("Parser_Lib", "1.0"),
    Dist("cli", "1.0"),
    Dist("cli", "2.0"),
    Dist("clean", "1.0"),
]
PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["web==1.0", "tool", "cli", "clean"]

[[tool.uv.index]]
name = "loopback"
url = "{url}"
default = true
"""
SMUGGLING = {
    "id": "PYSEC-2026-10",
    "aliases": ["CVE-2026-0010", "GHSA-1111-2222-3333"],
    "summary": "Request smuggling in web",
    "fixed_in": ["1.1", "2.0"],
    "link": "https://osv.dev/vulnerability/PYSEC-2026-10",
}
WITHDRAWN = {
    "id": "GHSA-4444-5555-6666",
    "aliases": [],
    "summary": "Reported by mistake",
    "fixed_in": [],
    "withdrawn": "2026-02-01T00:00:00Z",
}
SHARED = {"id": "GHSA-7777-8888-9999", "aliases": ["CVE-2026-0012"], "summary": "Shared parsing bug"}
UNFIXED = {
    "id": "PYSEC-2026-11",
    "aliases": [],
    "details": "Unbounded recursion\non nested input",
    "fixed_in": [],
}
OLD = {"id": "PYSEC-2025-1", "aliases": [], "summary": "Only in cli 1.0", "fixed_in": ["2.0"]}

EXPECTED = {
    ("web", "1.0"): {
        frozenset({"PYSEC-2026-10", "CVE-2026-0010", "GHSA-1111-2222-3333"}): frozenset({"1.1", "2.0"}),
        frozenset({"GHSA-7777-8888-9999", "CVE-2026-0012"}): frozenset({"1.1"}),
    },
    ("parser-lib", "1.0"): {
        frozenset({"PYSEC-2026-11"}): frozenset(),
        frozenset({"GHSA-7777-8888-9999", "CVE-2026-0012"}): frozenset(),
    },
}
LOCKED = 5  # web, tool, parser-lib, cli, clean


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, uv: Path) -> dict[str, Report]:
    """Each tool's report on the same lock and advisories."""
    tmp_path = tmp_path_factory.mktemp("auditors")
    index = PackageIndex(tmp_path / "index")
    index.add(CATALOGUE)
    index.advise("web", "1.0", SMUGGLING, WITHDRAWN, {**SHARED, "fixed_in": ["1.1"]})
    index.advise("parser-lib", "1.0", UNFIXED, {**SHARED, "fixed_in": []})
    index.advise("cli", "1.0", OLD)
    with index.start():
        project = tmp_path / "app"
        project.mkdir()
        (project / "pyproject.toml").write_text(PYPROJECT.format(url=index.url))
        run_uv(uv, ["lock"], project, index, tmp_path / "uv-cache")
        env = loopback_only(index.environ(tmp_path / "uv-cache"))
        requirements = tmp_path / "requirements.txt"
        requirements.write_text(_run(export_command(uv), project, env, codes=(0,)))
        assert "web==1.0" in requirements.read_text()
        assert PIP_AUDIT.exists(), "scripts/dev-setup installs pip-audit in .dev/tools/pip-audit"
        pip_audit = _run(
            pip_audit_command(requirements, index.osv_url, tmp_path / "pip-audit"), tmp_path, env
        )
        uv_audit = _run(uv_audit_command(uv, index.osv_url), project, env)
        ours = _run(
            [sys.executable, "-m", "pyhelper", "audit", ".", "--format", "json"],
            project,
            {**env, "XDG_CACHE_HOME": str(tmp_path / "xdg")},
        )
        # Each tool asked the loopback index's own face, the one it was pointed at.
        asked = index.requests
        assert {"/v1/query", "/v1/querybatch", "/pypi/web/1.0/json"} <= set(asked), asked
    return {
        "pip-audit": pip_audit_report(pip_audit),
        "uv audit": uv_audit_report(uv_audit),
        "pyhelper audit": pyhelper_report(ours),
    }


def _run(command: list[str], cwd: Path, env: dict[str, str], codes: tuple[int, ...] = (1,)) -> str:
    """stdout of a command whose exit status must be one of `codes` (1: an auditor's "findings")."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode in codes, f"{command[0]} exited {done.returncode}: {done.stderr[-2000:]}"
    return done.stdout


def test_pip_audit_finds_the_same_advisories(audited: dict[str, Report]) -> None:
    assert audited["pyhelper audit"] == audited["pip-audit"] == Report(EXPECTED, LOCKED)


def test_uv_audit_finds_the_same_advisories(audited: dict[str, Report]) -> None:
    assert audited["pyhelper audit"] == audited["uv audit"] == Report(EXPECTED, LOCKED)
