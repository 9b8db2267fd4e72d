"""`pyhelper check` on scripts as a real process: a script file, a folder's locked scripts, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scripts"


def pyhelper(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyhelper", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_stale_script_is_drift_at_its_requirement_line(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "generated/tighten-satisfied", tmp_path / "s")
    done = pyhelper("s/app.py", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(
        "s/app.py:6:7: warning lock-stale app.py.lock records `idna>=3.0`"
    )
    assert "run `uv lock --script app.py`" in done.stdout


def test_a_folder_check_finds_locked_scripts_and_skips_unlocked_ones(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "generated/in-sync", tmp_path / "tree/ok")
    shutil.copytree(FIXTURES / "generated/add-dependency", tmp_path / "tree/deep/stale")
    (tmp_path / "tree/loose.py").write_text('# /// script\n# dependencies = ["rich"]\n# ///\n')
    done = pyhelper("tree", cwd=tmp_path)
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()[:-1]] == ["tree/deep/stale/app.py"]
    assert pyhelper("tree/ok", cwd=tmp_path).stdout == "lockfiles in sync\n"


def test_a_malformed_block_exits_two_and_a_plain_file_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "generated/block-duplicate", tmp_path / "s")
    done = pyhelper("s/app.py", cwd=tmp_path)
    assert done.returncode == 2 and "script-block-duplicate" in done.stdout
    (tmp_path / "plain.py").write_text("print(1)\n")
    done = pyhelper("plain.py", cwd=tmp_path)
    assert done.returncode == 2 and "not a PEP 723 script" in done.stderr
