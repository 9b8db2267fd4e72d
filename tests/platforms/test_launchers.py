"""On Windows, console scripts of a new venv are `.exe` launchers holding the interpreter's path, which
are never patched: the venv is built relocatable, so they are right where it ends up exactly as uv
wrote them. Proved here with real uv on Linux through the `platform` seam: uv's installer writes the
same relative interpreter path into a POSIX script as into a Windows launcher's resource, and the
move into place must rewrite none of them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pyhelper.environments import Environments, Event
from pyhelper.projects import Project
from support.index import Dist, PackageIndex
from support.projects import uv_project

# A real entry point that prints the running interpreter's sys.path: where the script's Python is.
WHEREAMI = Dist("whereami", "1.0", scripts={"whereami": "site:_script"})


def test_windows_builds_console_scripts_that_run_from_the_final_place_unchanged_by_the_move(
    uv: Path, pythons: dict[str, Path], tmp_path: Path
) -> None:
    index = PackageIndex(tmp_path / "index")
    index.add([WHEREAMI])
    as_built: dict[str, bytes] = {}

    def snapshot_the_build(event: Event) -> None:
        if event.message.startswith("Moving the new"):
            (build,) = (tmp_path / "app").glob(".venv.lockstep-build-*")
            as_built.update((p.name, p.read_bytes()) for p in (build / "bin").iterdir() if not p.is_symlink())

    with index.start():
        environ = index.environ(tmp_path / "cache")
        root = uv_project(tmp_path / "app", uv, environ, ["whereami"])
        project = Project(root, "uv", root / "uv.lock", ">=3.10", name="app")
        environments = Environments(
            environ, lock_dir=tmp_path / "locks", journal_dir=tmp_path / "journal", platform="win32"
        )
        outcome = environments.create(project, pythons["3.12"], progress=snapshot_the_build)
    assert outcome.status == "ok", outcome.message

    venv = root / ".venv"
    scripts = {p.name: p.read_bytes() for p in (venv / "bin").iterdir() if not p.is_symlink()}
    assert "whereami" in as_built and scripts == as_built, "the move rewrote no script"
    shown = subprocess.run([str(venv / "bin" / "whereami")], capture_output=True, text=True, check=True)
    assert f"'{venv / 'lib' / 'python3.12' / 'site-packages'}'," in shown.stdout
    named = [p for p in venv.rglob("*") if p.is_file() and b".lockstep-build-" in p.read_bytes()]
    assert named == [], "nothing in the venv names the folder it was built in"
    # The venv is an ordinary one from now on: later installs write ordinary (final) paths.
    assert "relocatable" not in (venv / "pyvenv.cfg").read_text()
