"""Permission denied on the project folder or the install dir: a clear error that names the path.

The tests run as root, whom no permission bit stops, so the code under test runs as `nobody` (util-linux
`setpriv`) with the system's /usr/bin/python3 (pyenv's interpreters live under /root, which nobody
cannot enter) and PYTHONPATH naming this checkout's pyhelper and the dev venv's libraries (world
readable). Its files live in a world-readable folder of their own under the temp dir: pytest's tmp_path
is private to root. The folders it must not use are root's, with modes that also stop their owner (000
unreadable, 555 unwritable), so the tests mean the same when not run as root (then without setpriv).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pyhelper
from downloads.mirror_server import Mirror, running_mirror
from downloads.pbs_fixture import MIRROR_ROOT, downloads_json, served_path
from support.projects import uv_project

SYSTEM_PYTHON = Path("/usr/bin/python3")
AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.geteuid() == 0 else []
DENIED = "Permission denied"


class Unprivileged:
    """Runs commands as nobody, in a world-readable scratch folder (`self.scratch`)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        home = scratch / "home"
        home.mkdir(mode=0o777)
        home.chmod(0o777)
        libraries = [
            str(Path(pyhelper.__file__).parents[1]),
            sysconfig.get_paths()["purelib"],
        ]
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "PYTHONPATH": os.pathsep.join(libraries),
            "SSL_CERT_FILE": os.environ.get("SSL_CERT_FILE", ""),
        }

    def run(self, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*AS_NOBODY, *argv],
            env={**self.env, **(env or {})},
            cwd=self.scratch,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def pyhelper(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(SYSTEM_PYTHON), "-m", "pyhelper", *args)

    def engine(self, script: str, *args: str, env: dict[str, str] | None = None) -> Any:
        """Run `script` (Python printing one JSON value) as nobody; returns the value."""
        done = self.run(str(SYSTEM_PYTHON), "-c", script, *args, env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)
    return path


@pytest.fixture(scope="module")
def nobody() -> Iterator[Unprivileged]:
    scratch = Path(tempfile.mkdtemp(prefix="lockstep-permissions-"))
    scratch.chmod(0o755)
    try:
        runner = Unprivileged(scratch)
        probe = runner.run(str(SYSTEM_PYTHON), "-c", "import filelock, httpx, packaging, pyhelper")
        assert probe.returncode == 0, f"nobody cannot run pyhelper with {SYSTEM_PYTHON}: {probe.stderr}"
        yield runner
    finally:
        for current, dirs, _ in os.walk(scratch):
            for name in dirs:
                os.chmod(os.path.join(current, name), 0o755)
        shutil.rmtree(scratch)


def write_pyproject(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "0"\ndependencies = ["alpha"]\n')
    return root


def test_check_names_the_project_folder_it_cannot_read(nobody: Unprivileged) -> None:
    workspace = folder(nobody.scratch / "check-folder", 0o755)
    write_pyproject(workspace / "readable")
    hidden = write_pyproject(workspace / "hidden")
    hidden.chmod(0o000)

    for target in (hidden, workspace):
        done = nobody.pyhelper("check", str(target))
        # Before the fix: "lockfiles in sync", exit 0 (os.walk skipped what it could not list).
        assert (done.returncode, done.stderr) == (
            2,
            f"pyhelper check: cannot read {hidden}: {DENIED}\n",
        )


SCAN = """
import json, sys
from pathlib import Path
from pyhelper.projects import scan_workspace
scan = scan_workspace([Path(sys.argv[1])])
print(json.dumps({
    "projects": [str(p.root) for p in scan.projects],
    "findings": {str(path): [f.message for f in found] for path, found in scan.findings.items()},
}))
"""


def test_an_unreadable_pyproject_is_a_finding_naming_it(nobody: Unprivileged) -> None:
    workspace = folder(nobody.scratch / "check-file", 0o755)
    write_pyproject(workspace / "fine")
    closed = write_pyproject(workspace / "closed") / "pyproject.toml"
    closed.chmod(0o000)

    done = nobody.pyhelper("check", str(workspace))
    assert done.returncode == 2, done
    line = next(line for line in done.stdout.splitlines() if "closed/pyproject.toml" in line)
    assert line.endswith(f"error toml-syntax pyproject.toml cannot be read: {DENIED}"), done.stdout

    # The editor's project scan: before the fix the PermissionError ended the whole scan (no projects).
    scan = nobody.engine(SCAN, str(workspace))
    assert scan["projects"] == [str(closed.parent), str(workspace / "fine")]
    assert scan["findings"][str(closed)] == [f"pyproject.toml cannot be read: {DENIED}"]


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    with running_mirror() as server:
        yield server


def test_python_install_names_the_install_dir_it_cannot_write(nobody: Unprivileged, mirror: Mirror) -> None:
    version = "3.12.99"
    mirror.files[served_path(version)] = b"never asked for"
    catalogue = nobody.scratch / "downloads.json"
    catalogue.write_text(downloads_json([(version, "0" * 64)]))
    catalogue.chmod(0o644)
    installs = folder(nobody.scratch / "installs", 0o555)

    for install_dir, named in (
        (installs / "new", installs / "new"),
        (installs, installs / ".lock"),
    ):
        done = nobody.pyhelper(
            "python",
            "install",
            "3.12",
            "--install-dir",
            str(install_dir),
            "--mirror",
            mirror.url + MIRROR_ROOT,
            "--downloads-json",
            str(catalogue),
        )
        assert (done.returncode, done.stdout) == (1, ""), done
        assert done.stderr == f"pyhelper: cannot use {named}: {DENIED}\n"
    # Refused before downloading anything, and nothing was made.
    assert mirror.requests_for(served_path(version)) == 0
    assert list(installs.iterdir()) == []


CREATE = """
import json, sys
from pathlib import Path
from pyhelper.environments import Environments, EnvironmentOptions
from pyhelper.projects import Project
root, uv, lock_dir = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
envs = Environments(lock_dir=Path(lock_dir) if lock_dir else None)
outcome = envs.create(
    Project(root, "uv", root / "uv.lock", ">=3.10", name="demo"), Path(sys.argv[4]), settings=EnvironmentOptions(uv_path=uv)
)
print(json.dumps({"status": outcome.status, "message": outcome.message}))
"""


def test_create_names_the_project_folder_it_cannot_write(
    nobody: Unprivileged, index_env: dict[str, str], uv: Path
) -> None:
    project = uv_project(nobody.scratch / "project", uv, index_env)
    project.chmod(0o555)
    locks = folder(nobody.scratch / "locks", 0o777)
    cache = folder(nobody.scratch / "uv-cache", 0o777)
    env = {key: value for key, value in index_env.items() if key.startswith(("UV_", "PIP_"))}
    env["UV_CACHE_DIR"] = str(cache)

    outcome = nobody.engine(CREATE, str(project), str(uv), str(locks), str(SYSTEM_PYTHON), env=env)
    assert outcome["status"] == "failed"
    assert f"{project}/" in outcome["message"] and DENIED in outcome["message"], outcome
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "uv.lock"]

    # Lockstep's own cache dir (where the cross-window lock lives) unwritable: named, nothing done.
    closed_cache = folder(nobody.scratch / "closed-cache", 0o555)
    project.chmod(0o777)
    outcome = nobody.engine(
        CREATE,
        str(project),
        str(uv),
        "",
        str(SYSTEM_PYTHON),
        env={**env, "XDG_CACHE_HOME": str(closed_cache)},
    )
    assert outcome == {
        "status": "failed",
        "message": f"Cannot use {closed_cache}/lockstep: {DENIED}.",
    }
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "uv.lock"]
