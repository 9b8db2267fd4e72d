"""`pyhelper python list` as a user runs it, and the `lockstep/interpreters` payload."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import cast

from interpreters.interp_layouts import (
    copy_install,
    make_venv,
    real_prefix,
    real_version,
    write_shim,
)
from interpreters.interp_sandbox import Sandbox
from pyhelper.lsp.interpreters import interpreters_payload
from pyhelper.lsp.protocol import InterpretersParams


def _list(sandbox: Sandbox, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyhelper", "python", "list", *args],
        capture_output=True,
        text=True,
        env=sandbox.env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def _sandbox_machine(sandbox: Sandbox, ws: Path) -> tuple[Path, Path, Path]:
    pyenv = copy_install(real_prefix("3.11"), sandbox.pyenv_versions / "3.11.7", "3.11")
    managed = copy_install(real_prefix("3.12"), sandbox.uv_dir / "cpython-3.12.1-linux-x86_64-gnu", "3.12")
    venv = make_venv(ws / ".venv", managed)
    write_shim(sandbox.home / ".pyenv" / "shims" / "python3")
    sandbox.path_dirs.append(sandbox.home / ".pyenv" / "shims")
    return pyenv, managed, venv


def test_json_lists_every_interpreter_with_its_fields(sandbox: Sandbox, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    pyenv, managed, venv = _sandbox_machine(sandbox, ws)

    result = _list(sandbox, "--format", "json", "--workspace", str(ws))

    assert result.returncode == 0, result.stderr
    rows = {row["path"]: row for row in json.loads(result.stdout)}
    assert rows[str(pyenv)]["version"] == real_version(pyenv)
    assert (rows[str(pyenv)]["implementation"], rows[str(pyenv)]["kind"]) == (
        "cpython",
        "pyenv",
    )
    assert rows[str(managed)]["kind"] == "uv-managed" and rows[str(managed)]["managed"] is True
    venv_row = rows[str(venv / "bin" / "python")]
    assert venv_row["kind"] == "venv" and venv_row["base"] == str(managed)
    assert venv_row["version"] == real_version(venv / "bin" / "python")
    assert set(venv_row) >= {
        "path",
        "version",
        "implementation",
        "kind",
        "prefix",
        "architecture",
        "freeThreaded",
    }
    assert not any("/shims/" in path for path in rows)
    assert next(iter(rows)) == str(venv / "bin" / "python"), "venvs are listed first"


def test_text_lists_one_line_per_interpreter_and_defaults_to_the_current_folder(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    pyenv, managed, venv = _sandbox_machine(sandbox, ws)

    result = _list(sandbox, cwd=ws)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    venv_line = next(line for line in lines if str(venv / "bin" / "python") in line)
    assert venv_line.split()[:3] == [
        real_version(venv / "bin" / "python"),
        "cpython",
        "venv",
    ]
    assert f"base {managed}" in venv_line
    pyenv_line = next(line for line in lines if str(pyenv) in line)
    assert pyenv_line.split()[:3] == [real_version(pyenv), "cpython", "pyenv"]


def test_unknown_format_is_a_usage_error(sandbox: Sandbox) -> None:
    result = _list(sandbox, "--format", "yaml")
    assert result.returncode == 2
    assert "invalid choice: 'yaml'" in result.stderr


def test_payload_with_a_project_choice(sandbox: Sandbox, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    pyenv, managed, _ = _sandbox_machine(sandbox, ws)
    discovery = sandbox.discovery(workspace=[ws])

    plain = interpreters_payload(discovery)
    assert plain["choice"] is None
    assert str(pyenv) in {i["path"] for i in plain["interpreters"]}

    payload = interpreters_payload(discovery, {"requiresPython": ">=3.12", "preference": "managed"})
    choice = payload["choice"]
    assert choice is not None
    assert choice["chosen"] == str(managed)
    reasons = {c["path"]: c["reason"] for c in choice["candidates"]}
    assert reasons[str(pyenv)] == f"{real_version(pyenv)} does not satisfy >=3.12"

    missing = interpreters_payload(
        discovery,
        {
            "requiresPython": ">=3.12",
            "pythonVersion": "3.14\n",
            "availableManaged": ["3.14.2"],
        },
    )
    assert missing["choice"] is not None and missing["choice"]["chosen"] is None
    assert missing["choice"]["install"] == {
        "implementation": "cpython",
        "specifier": "==3.14.*,>=3.12",
        "freeThreaded": False,
        "prereleases": False,
        "version": "3.14.2",
        "label": "Python 3.14.2",
    }
    assert missing["choice"]["request"] == "3.14"

    odd = interpreters_payload(discovery, cast(InterpretersParams, {"preference": "newest"}))
    assert odd["choice"] is not None and odd["choice"]["notes"] == [
        "unknown python-preference 'newest'; used managed"
    ]

    # `refresh` rescans: an install removed behind the cache's back is gone at once.
    (sandbox.pyenv_versions / "3.11.7" / "bin" / "python3.11").unlink()
    refreshed = interpreters_payload(discovery, {"refresh": True})
    assert str(pyenv) not in {i["path"] for i in refreshed["interpreters"]}
