"""Every target's VSIX (`npm run package:all`) holds the right uv binary and declares its platform.

The binary's header is read, not its name: PE machine for Windows, Mach-O CPU type for macOS, ELF
class, machine and float ABI for Linux, and for Alpine a musl (or static) binary, never one that needs
glibc's loader; its executable bit must survive the zip. Building nine VSIXes costs minutes of CPU, so
the set is kept in ~/.cache/lockstep/vsix-targets/<hash of the inputs>/ and rebuilt only when one
of them changes. The build runs offline: uv's wheels come from the cache `scripts/dev-setup` filled, the
helper's dependencies from uv's cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyhelper.filelocks import hold_file_lock

REPO = Path(__file__).resolve().parents[2]
TARGETS = (
    "win32-x64",
    "win32-arm64",
    "darwin-x64",
    "darwin-arm64",
    "linux-x64",
    "linux-arm64",
    "linux-armhf",
    "alpine-x64",
    "alpine-arm64",
)
# What this test's claims depend on (the binary, its mode, the manifest): the manifest, what ships,
# how packages are built, and the bundled uv's version. The helper's and extension's sources do not
# change them, so editing those does not cost nine rebuilds.
INPUTS = ("package.json", ".vscodeignore", "scripts/build.mjs", "scripts/targets.mjs")
PE_MACHINES = {0x8664: "x86_64", 0xAA64: "aarch64"}
MACHO_CPUS = {0x01000007: "x86_64", 0x0100000C: "aarch64"}
ELF_MACHINES = {62: "x86_64", 183: "aarch64", 40: "arm"}
EF_ARM_ABI_FLOAT_HARD = 0x400


@dataclass(frozen=True)
class Binary:
    format: str
    arch: str
    bits: int
    interpreter: str | None = None
    hard_float: bool = False


def _elf(data: bytes) -> Binary:
    bits = {1: 32, 2: 64}[data[4]]
    assert data[5] == 1, "little-endian"
    (machine,) = struct.unpack_from("<H", data, 18)
    # e_phoff, then e_flags, e_ehsize, e_phentsize, e_phnum (after e_entry/e_phoff/e_shoff)
    word = "Q" if bits == 64 else "I"
    (phoff,) = struct.unpack_from(f"<{word}", data, 32 if bits == 64 else 28)
    flags, _, phentsize, phnum = struct.unpack_from("<IHHH", data, 48 if bits == 64 else 36)
    interpreter = None
    for index in range(phnum):
        at = phoff + index * phentsize
        if struct.unpack_from("<I", data, at)[0] == 3:  # PT_INTERP: p_offset and p_filesz
            offset, size = (
                struct.unpack_from("<Q16xQ", data, at + 8)
                if bits == 64
                else struct.unpack_from("<I8xI", data, at + 4)
            )
            interpreter = data[offset : offset + size].rstrip(b"\0").decode()
    hard_float = bool(flags & EF_ARM_ABI_FLOAT_HARD)
    return Binary("ELF", ELF_MACHINES[machine], bits, interpreter, hard_float)


def read_binary(data: bytes) -> Binary:
    if data[:4] == b"\x7fELF":
        return _elf(data)
    if data[:2] == b"MZ":
        (pe,) = struct.unpack_from("<I", data, 0x3C)
        assert data[pe : pe + 4] == b"PE\0\0", "a PE signature after the DOS stub"
        (machine,) = struct.unpack_from("<H", data, pe + 4)
        return Binary("PE", PE_MACHINES[machine], 64)
    if data[:4] == b"\xcf\xfa\xed\xfe":
        (cpu,) = struct.unpack_from("<I", data, 4)
        return Binary("Mach-O", MACHO_CPUS[cpu], 64)
    raise AssertionError(f"not an executable format: {data[:4]!r}")


def expected(target: str) -> tuple[str, str, int]:
    system, arch = target.split("-")
    fmt = {"win32": "PE", "darwin": "Mach-O", "linux": "ELF", "alpine": "ELF"}[system]
    return fmt, {"x64": "x86_64", "arm64": "aarch64", "armhf": "arm"}[arch], 32 if arch == "armhf" else 64


def _inputs_hash() -> str:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *INPUTS], cwd=REPO, check=True, capture_output=True
    ).stdout
    digest = hashlib.sha256()
    for name in sorted(filter(None, listed.split(b"\0"))):
        path = REPO / os.fsdecode(name)
        if path.is_file():
            digest.update(name + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    uv = subprocess.run(
        [str(REPO / ".dev" / "venv" / "bin" / "uv"), "--version"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    digest.update(uv.encode())
    return digest.hexdigest()[:24]


@pytest.fixture(scope="module")
def vsixes() -> dict[str, Path]:
    cache = Path(os.environ.get("LOCKSTEP_CACHE") or Path.home() / ".cache" / "lockstep")
    built = cache / "vsix-targets" / _inputs_hash()
    # The cache is shared (pytest-xdist's workers, other checkouts on the machine): one process builds,
    # the others wait for the lock and find the set complete.
    with hold_file_lock(built.with_name(built.name + ".lock")):
        if not all((built / f"lockstep-{target}.vsix").is_file() for target in TARGETS):
            _build_into(built)
    return {target: built / f"lockstep-{target}.vsix" for target in TARGETS}


def _build_into(built: Path) -> None:
    env = {**os.environ, "UV_OFFLINE": "1", "PIP_NO_INDEX": "1"}
    subprocess.run(
        ["node", "scripts/build.mjs", "--package-all"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    partial = built.with_name(built.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for target in TARGETS:
        shutil.copy2(REPO / "dist" / f"lockstep-{target}.vsix", partial)
    shutil.rmtree(built, ignore_errors=True)
    partial.rename(built)


@pytest.mark.parametrize("target", TARGETS)
def test_each_vsix_holds_its_platforms_uv(vsixes: dict[str, Path], target: str) -> None:
    with zipfile.ZipFile(vsixes[target]) as vsix:
        names = vsix.namelist()
        manifest = vsix.read("extension.vsixmanifest").decode()
        package = json.loads(vsix.read("extension/package.json"))
        binaries = [n for n in names if n.startswith("extension/bundled/libs/bin/")]
        exe = "uv.exe" if target.startswith("win32") else "uv"
        assert binaries == [f"extension/bundled/libs/bin/{exe}"], "only uv's binary is shipped"
        info = vsix.getinfo(binaries[0])
        binary = read_binary(vsix.read(info))
        mode = info.external_attr >> 16
    assert f'TargetPlatform="{target}"' in manifest
    assert package["extensionKind"] == ["workspace"]
    assert (binary.format, binary.arch, binary.bits) == expected(target)
    if binary.format != "PE":
        assert mode & 0o111 == 0o111, f"uv must stay executable, mode is {oct(mode)}"
    if target == "linux-armhf":
        assert binary.hard_float, "armhf is the hard-float ABI"
    if target.startswith("alpine"):
        assert binary.interpreter in (None, f"/lib/ld-musl-{binary.arch}.so.1"), binary.interpreter
    if target.startswith("linux") and binary.interpreter is not None:
        assert "musl" not in binary.interpreter, binary.interpreter


def test_the_binary_reader_tells_formats_apart() -> None:
    # The test's own oracle checked on the interpreter running it and on bytes that are no binary.
    host = read_binary(Path(os.path.realpath("/proc/self/exe")).read_bytes()[: 1 << 20])
    assert host.format == "ELF" and host.bits == 64 and host.interpreter
    with pytest.raises(AssertionError, match="not an executable"):
        read_binary(b"#!/bin/sh\n")
