"""What an executable file is, from its first bytes: a native program (and for which machine) or not.

A Python interpreter is a native program (ELF, Mach-O or PE). Shims (pyenv, asdf, mise), wrapper scripts
and Windows' zero-byte app execution aliases are not: they stand for an interpreter chosen at run time,
so discovery skips them rather than run them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from pyhelper import boundedread

_ELF_MACHINES = {
    0x03: "x86",
    0x08: "mips",
    0x14: "ppc",
    0x15: "ppc64",
    0x16: "s390x",
    0x28: "armv7",
    0x3E: "x86_64",
    0xB7: "aarch64",
    0xF3: "riscv64",
    0x102: "loongarch64",
}
_MACHO_CPUS = {7: "x86", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "aarch64"}
_PE_MACHINES = {0x14C: "x86", 0x8664: "x86_64", 0xAA64: "aarch64", 0x1C4: "armv7"}
HEADER_SIZE = 4096


@dataclass(frozen=True)
class ExecutableFormat:
    native: bool
    architecture: str | None


NOT_NATIVE = ExecutableFormat(native=False, architecture=None)


def classify_header(head: bytes) -> ExecutableFormat:
    """Format and machine from a file's first bytes (up to HEADER_SIZE)."""
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        endian = "<" if head[5] == 1 else ">"
        (machine,) = struct.unpack_from(endian + "H", head, 18)
        return ExecutableFormat(True, _ELF_MACHINES.get(machine))
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe") and len(head) >= 8:
        (cpu,) = struct.unpack_from("<i", head, 4)
        return ExecutableFormat(True, _MACHO_CPUS.get(cpu))
    if head[:4] == b"\xca\xfe\xba\xbe" and len(head) >= 8:
        # A fat Mach-O; Java class files share the magic but hold a version far above any arch count.
        (count,) = struct.unpack_from(">I", head, 4)
        if 0 < count < 20:
            cpus = {_MACHO_CPUS.get(struct.unpack_from(">i", head, 8 + 20 * i)[0]) for i in range(count)}
            return ExecutableFormat(True, "universal2" if cpus == {"x86_64", "aarch64"} else None)
    if head[:2] == b"MZ" and len(head) >= 64:
        (offset,) = struct.unpack_from("<I", head, 0x3C)
        if offset + 6 <= len(head) and head[offset : offset + 4] == b"PE\x00\x00":
            (machine,) = struct.unpack_from("<H", head, offset + 4)
            return ExecutableFormat(True, _PE_MACHINES.get(machine))
    return NOT_NATIVE


def read_format(path: str) -> ExecutableFormat:
    try:
        return classify_header(boundedread.read_head(path, HEADER_SIZE))
    except OSError:
        return NOT_NATIVE
