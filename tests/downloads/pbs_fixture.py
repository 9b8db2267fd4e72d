"""Real install_only archives for the managed-Python tests and benchmark, made from pyenv's CPython 3.12.

The archive has python-build-standalone's layout (`python/bin/python3.12`, `python/lib/python3.12/...`,
`python/include`). pyenv builds link libpython shared with an absolute RUNPATH; the copies get
`$ORIGIN`-relative ones (patched in place, the string only gets shorter), so the unpacked interpreter
runs from wherever it lands, as a real python-build-standalone build does.

Shared by tests/downloads (small, stripped archive) and bench/install.py (a bigger one, 30-40 MB).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from pyhelper.filelocks import hold_file_lock

GITHUB_PREFIX = "https://github.com/astral-sh/python-build-standalone/releases/download"
RELEASE_TAG = "20990101"
TRIPLE = "x86_64-unknown-linux-gnu"
# Left out to keep the archive small; none is needed to start the interpreter and import the stdlib.
SKIPPED_STDLIB = {
    "test",
    "idlelib",
    "tkinter",
    "turtledemo",
    "ensurepip",
    "lib2to3",
    "__pycache__",
}
SKIPPED_DYNLOAD = re.compile(r"_test|xx|_ctypes_test|_tkinter")
BUILDER_VERSION = "2"
MIRROR_ROOT = "/pbs"
"""Where the test mirror serves releases: the configured mirror URL is `<server>/pbs`."""


@dataclass(frozen=True)
class Archive:
    path: Path
    version: str
    sha256: str

    @property
    def key(self) -> str:
        return f"cpython-{self.version}-linux-x86_64-gnu"

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def release_path(version: str) -> str:
    """Where a release file sits below the release prefix (`<tag>/<file>`, `+` quoted as GitHub does)."""
    return f"{RELEASE_TAG}/cpython-{version}%2B{RELEASE_TAG}-{TRIPLE}-install_only.tar.gz"


def served_path(version: str) -> str:
    """The URL path of a version's archive on the test mirror (as the request log shows it)."""
    return f"{MIRROR_ROOT}/{release_path(version)}"


def source_python() -> Path:
    """pyenv's newest CPython 3.12 on this machine (a real interpreter to repackage)."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found = sorted(
        root.glob("3.12.*"),
        key=lambda p: [int(x) for x in p.name.split(".") if x.isdigit()],
    )
    found = [p for p in found if (p / "bin" / "python3.12").is_file()]
    if not found:
        raise RuntimeError(f"the managed-Python fixtures need a pyenv CPython 3.12 under {root}")
    return found[-1]


def build_archive(out_dir: Path, *, bulky: bool = False) -> Archive:
    """Build (or reuse from `out_dir`) the install_only archive of the pyenv 3.12 interpreter.

    `bulky` keeps debug symbols and the test suite: about 35 MB, for the benchmark.
    """
    source = source_python()
    version = source.name
    filename = f"cpython-{version}+{RELEASE_TAG}-{TRIPLE}-install_only{'' if bulky else '_stripped'}.tar.gz"
    path = out_dir / f"v{BUILDER_VERSION}" / filename
    # Several builders share `out_dir` (pytest-xdist's workers, the benchmark, the E2E mirror): one
    # builds, the others wait and reuse it, so none removes the staging folder another is filling.
    with hold_file_lock(path.with_name(filename + ".lock")):
        if not path.exists():
            staging = path.parent / (filename + ".staging")
            shutil.rmtree(staging, ignore_errors=True)
            _stage(source, staging / "python", bulky=bulky)
            partial = path.with_suffix(".partial")
            write_tar_gz(partial, staging)
            shutil.rmtree(staging)
            partial.rename(path)
    return Archive(path, version, sha256_of(path))


def _stage(source: Path, dest: Path, *, bulky: bool) -> None:
    minor = ".".join(source.name.split(".")[:2])
    skipped_stdlib = {"__pycache__"} if bulky else SKIPPED_STDLIB

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(source)
        if rel == Path("lib") / f"python{minor}":
            return {n for n in names if n in skipped_stdlib or n.startswith("config-")}
        if rel == Path("lib") / f"python{minor}" / "site-packages":
            return {n for n in names if n != "README.txt"}
        if rel.name == "lib-dynload" and not bulky:
            return {n for n in names if SKIPPED_DYNLOAD.match(n)}
        return {n for n in names if n in skipped_stdlib}

    (dest / "bin").mkdir(parents=True)
    shutil.copy2(source / "bin" / f"python{minor}", dest / "bin" / f"python{minor}")
    for alias in ("python3", "python"):
        (dest / "bin" / alias).symlink_to(f"python{minor}")
    shutil.copytree(source / "include", dest / "include")
    shutil.copytree(source / "lib", dest / "lib", symlinks=True, ignore=ignore)
    shutil.rmtree(dest / "lib" / "pkgconfig", ignore_errors=True)
    for elf in _elf_files(dest):
        if not bulky and shutil.which("strip"):
            subprocess.run(["strip", "--strip-unneeded", str(elf)], check=True)
        _relocate(elf, old=str(source / "lib"), new_lib=dest / "lib")


def _elf_files(tree: Path) -> list[Path]:
    found = []
    for path in sorted(tree.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _relocate(elf: Path, *, old: str, new_lib: Path) -> None:
    """Point an absolute RUNPATH at the copied lib folder, relative to the file ($ORIGIN)."""
    data = elf.read_bytes()
    needle = old.encode() + b"\0"
    if needle not in data:
        return
    relative = os.path.relpath(new_lib, elf.parent)
    replacement = f"$ORIGIN/{relative}".encode()
    if len(replacement) >= len(needle) or data.count(needle) != 1:
        raise RuntimeError(f"cannot relocate {elf}: RUNPATH {old!r} is not patchable in place")
    patched = data.replace(needle, replacement + b"\0" * (len(needle) - len(replacement)))
    elf.write_bytes(patched)


def write_tar_gz(path: Path, root: Path, *, level: int = 6) -> None:
    """Tar everything under `root` (member names relative to it), gzip at the usual level."""
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        for item in sorted(root.rglob("*")):
            tar.add(item, arcname=str(item.relative_to(root)), recursive=False)


def tar_gz_bytes(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    """A small archive from hand-made members (for unsafe-archive tests)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def sha256_of(body: Path | bytes) -> str:
    if isinstance(body, bytes):
        return hashlib.sha256(body).hexdigest()
    digest = hashlib.sha256()
    with body.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def downloads_json(entries: list[tuple[str, str]]) -> str:
    """uv's download-metadata.json (current format) for (version, sha256), at `release_path(version)`."""
    data = {}
    for version, sha256 in entries:
        major, minor, patch = (int(x) for x in version.split("."))
        data[f"cpython-{version}-linux-x86_64-gnu"] = {
            "name": "cpython",
            "arch": {"family": "x86_64", "variant": None},
            "os": "linux",
            "libc": "gnu",
            "major": major,
            "minor": minor,
            "patch": patch,
            "prerelease": "",
            "url": f"{GITHUB_PREFIX}/{release_path(version)}",
            "sha256": sha256,
            "variant": None,
            "build": RELEASE_TAG,
        }
    return json.dumps(data, indent=2)


def leftovers(install_dir: Path) -> list[str]:
    """What an install left in its dir besides the lock and an empty temp folder."""
    if not install_dir.exists():
        return []
    names = [p.name for p in install_dir.iterdir() if p.name not in (".lock", ".temp")]
    temp = install_dir / ".temp"
    if temp.exists():
        names += [f".temp/{p.name}" for p in temp.iterdir()]
    return sorted(names)
