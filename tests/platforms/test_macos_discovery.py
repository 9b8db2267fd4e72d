"""Interpreter discovery on a fake macOS tree, run on Linux through the `Host` seam (platform `darwin`,
its system folders under a sandbox root): python.org's framework builds (the free-threaded one too),
Homebrew's Cellar reached through its links, the Command Line Tools' Python, and /usr/bin/python3,
the stub that only offers to install those tools, which is never listed. Executables carry real
Mach-O headers (thin arm64, universal2) and the installations real patchlevel.h headers: discovery
reads both without running anything (a Mach-O cannot run here anyway)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

from pyhelper.interpreters.discovery import Discovery, DiscoveryOptions
from pyhelper.interpreters.locations import Host

_ARM64, _X86_64 = 0x0100000C, 0x01000007


def thin_macho(cpu: int) -> bytes:
    return b"\xcf\xfa\xed\xfe" + struct.pack("<iiI", cpu, 0, 2) + bytes(64)


def universal2() -> bytes:
    arches = b"".join(
        struct.pack(">iiIII", cpu, 0, 16384 * (i + 1), 4096, 14) for i, cpu in enumerate((_X86_64, _ARM64))
    )
    return b"\xca\xfe\xba\xbe" + struct.pack(">I", 2) + arches + bytes(64)


def install(prefix: Path, version: str, header: bytes, *, free_threaded: bool = False) -> Path:
    """A framework version folder: bin/pythonX.Y[t] (and python3 linking to it), include/…/patchlevel.h."""
    minor = ".".join(version.split(".")[:2]) + ("t" if free_threaded else "")
    (prefix / "bin").mkdir(parents=True)
    executable = prefix / "bin" / f"python{minor}"
    executable.write_bytes(header)
    executable.chmod(0o755)
    (prefix / "bin" / ("python3t" if free_threaded else "python3")).symlink_to(executable.name)
    (prefix / "include" / f"python{minor}").mkdir(parents=True)
    (prefix / "include" / f"python{minor}" / "patchlevel.h").write_text(f'#define PY_VERSION "{version}"\n')
    return executable


def test_a_macs_framework_homebrew_and_command_line_tools_pythons_are_found_and_the_stub_is_not(
    tmp_path: Path,
) -> None:
    root, home = tmp_path / "mac", tmp_path / "mac" / "Users" / "ada"
    frameworks = root / "Library" / "Frameworks"
    python_org = install(frameworks / "Python.framework" / "Versions" / "3.12", "3.12.7", universal2())
    free_threaded = install(
        frameworks / "PythonT.framework" / "Versions" / "3.13", "3.13.1", universal2(), free_threaded=True
    )
    # Homebrew (Apple silicon): /opt/homebrew/bin/python3.13 -> Cellar's bin -> the framework inside it.
    cellar = root / "opt" / "homebrew" / "Cellar" / "python@3.13" / "3.13.2"
    brewed = install(
        cellar / "Frameworks" / "Python.framework" / "Versions" / "3.13", "3.13.2", thin_macho(_ARM64)
    )
    (cellar / "bin").mkdir()
    (cellar / "bin" / "python3.13").symlink_to(os.path.relpath(brewed, cellar / "bin"))
    (root / "opt" / "homebrew" / "bin").mkdir()
    (root / "opt" / "homebrew" / "bin" / "python3.13").symlink_to(
        "../Cellar/python@3.13/3.13.2/bin/python3.13"
    )
    tools = root / "Library" / "Developer" / "CommandLineTools" / "Library" / "Frameworks"
    clt = install(tools / "Python3.framework" / "Versions" / "3.9", "3.9.6", universal2())
    # /usr/bin/python3: a real program, and only a stub that runs (or offers to install) the tools' one.
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "python3").write_bytes(universal2())
    home.mkdir(parents=True)
    environ = {"PATH": f"{root}/usr/bin:{root}/opt/homebrew/bin", "HOME": str(home)}

    discovery = Discovery(Host("darwin", environ, str(home), root=str(root)), DiscoveryOptions())
    found = discovery.interpreters()

    listed = {i.path: (i.version, i.kind, i.architecture, i.free_threaded, i.prefix) for i in found}
    assert listed == {
        str(python_org): ("3.12.7", "system", "universal2", False, str(python_org.parent.parent)),
        str(free_threaded): ("3.13.1", "system", "universal2", True, str(free_threaded.parent.parent)),
        # Listed by the name PATH gives it; its version and prefix are the framework's it links to.
        str(root / "opt" / "homebrew" / "bin" / "python3.13"): (
            "3.13.2",
            "system",
            "aarch64",
            False,
            str(brewed.parent.parent),
        ),
        str(clt): ("3.9.6", "system", "universal2", False, str(clt.parent.parent)),
    }
    # Nothing was run: the stub, which tells no version on disk, would pop up the tools' installer.
    assert discovery.spawned == 0
