"""Windows and macOS behaviour, checked on Linux through the platform seams: a venv whose interpreter
is a copy (as every Windows venv's python.exe is), uv's `-macos-` install folders, a uv path source
on another Windows drive, a launcher binary left alone when a build moves into place, and cancel
ending a tool's whole process tree."""

from __future__ import annotations

import ntpath
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from pyhelper.catalog import BuildRequest, Platform, install_name, parse_install_name
from pyhelper.downloads import InstallSettings, find_installed
from pyhelper.environments import _made_from, _relocate
from pyhelper.lockfiles.uv import relative_source
from pyhelper.uvtool import _terminate, tree_kill_command

PYENV = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
MAC_ARM = Platform("darwin", "aarch64", "none")


def _pyenv_python(version: str) -> Path:
    python = PYENV / version / "bin" / f"python{version.rsplit('.', 1)[0]}"
    assert python.is_file(), f"the test runs pyenv's real {version}"
    return python


@pytest.fixture(scope="module")
def copied_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("copies") / ".venv"
    subprocess.run(
        [str(_pyenv_python("3.12.1")), "-m", "venv", "--copies", "--without-pip", str(venv)], check=True
    )
    assert not (venv / "bin" / "python").is_symlink()
    return venv


def test_a_venv_of_copies_is_recognised_by_its_pyvenv_cfg(copied_venv: Path) -> None:
    assert _made_from(copied_venv, _pyenv_python("3.12.1"))
    assert not _made_from(copied_venv, _pyenv_python("3.11.7"))


def test_uvs_pyvenv_cfg_names_only_home(copied_venv: Path, tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_bytes((copied_venv / "bin" / "python").read_bytes())
    home = _pyenv_python("3.12.1").parent
    (venv / "pyvenv.cfg").write_text(f"home = {home}\nimplementation = CPython\nuv = 0.13.9\n")
    assert _made_from(venv, _pyenv_python("3.12.1"))
    assert not _made_from(venv, _pyenv_python("3.11.7"))
    (venv / "pyvenv.cfg").write_text("implementation = CPython\n")
    assert not _made_from(venv, _pyenv_python("3.12.1")), "no home, no executable: not known to match"


def test_macos_installs_are_named_as_uv_names_them_and_both_spellings_are_read(tmp_path: Path) -> None:
    assert install_name(Version("3.12.7"), False, MAC_ARM) == "cpython-3.12.7-macos-aarch64-none"
    for spelling in ("macos", "darwin"):
        found = parse_install_name(f"cpython-3.12.7-{spelling}-aarch64-none")
        assert found is not None and found.platform == MAC_ARM
    # A Python uv installed on a Mac is reused, not downloaded again.
    uv_dir = tmp_path / "uv"
    home = uv_dir / "cpython-3.12.7-macos-aarch64-none"
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "python3.12").write_text("")
    settings = InstallSettings(install_dir=tmp_path / "lockstep", uv_install_dir=uv_dir)
    found_installed = find_installed(BuildRequest.parse("3.12"), settings, MAC_ARM)
    assert found_installed is not None and found_installed.home == home


def test_a_path_source_on_another_drive_is_recorded_absolute() -> None:
    assert relative_source(r"D:\libs\tool", r"C:\work\app", ntpath.relpath) == "D:/libs/tool"
    assert relative_source(r"C:\work\libs\tool", r"C:\work\app", ntpath.relpath) == "../libs/tool"
    assert relative_source("/work/app/libs/tool", "/work/app") == "libs/tool"


def test_moving_a_build_into_place_rewrites_scripts_but_never_a_binary(tmp_path: Path) -> None:
    build, venv = tmp_path / ".venv.lockstep-build-1", tmp_path / ".venv"
    subprocess.run([str(_pyenv_python("3.12.1")), "-m", "venv", "--without-pip", str(build)], check=True)
    # The shape of uv's Windows launcher: a PE stub, then the interpreter path, its length, a tag.
    path = os.fsencode(build / "Scripts" / "python.exe")
    launcher = b"MZ\x90\x00" + bytes(60) + path + struct.pack("<I", len(path)) + b"UVSC"
    (build / "bin" / "tool.exe").write_bytes(launcher)
    before = {p.name: p.read_bytes() for p in (build / "bin").iterdir() if not p.is_symlink()}

    _relocate(build, venv)

    after = {p.name: p.read_bytes() for p in (build / "bin").iterdir() if not p.is_symlink()}
    assert after["tool.exe"] == launcher, "a binary is never patched"
    rewritten = {name for name in before if before[name] != after[name]}
    assert rewritten == {"activate", "activate.csh", "activate.fish"}
    assert os.fsencode(venv) in after["activate"] and os.fsencode(build) not in after["activate"]


def test_cancel_on_windows_ends_the_tool_and_everything_it_started() -> None:
    # System32's taskkill, by absolute path, over the whole tree (/T) at once (/F).
    environ = {"SystemRoot": r"D:\Win", "PATH": r"C:\workspace\evil"}
    assert tree_kill_command(4242, environ) == [r"D:\Win\System32\taskkill.exe", "/T", "/F", "/PID", "4242"]
    assert tree_kill_command(7, {})[0] == r"C:\Windows\System32\taskkill.exe"
    # Where taskkill cannot run (here: no Windows), the tool itself is still killed, not left running.
    tool = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); signal.pause()",
        ],
        start_new_session=True,
        text=True,
    )
    _terminate(tool, "win32")
    assert tool.returncode == -signal.SIGKILL
