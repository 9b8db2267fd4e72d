"""The catalogue of managed CPython builds (python-build-standalone) and the choice of one.

Sources: the `versions.json` that the `pbs-installer` package ships (maintained upstream, refreshed with
each release), or an override in uv's `download-metadata.json` format. A mirror replaces the GitHub
release prefix, as uv's `UV_PYTHON_INSTALL_MIRROR` does. Everything here is pure: reading and fetching
the override file is the caller's job (see `downloads.py`).
"""

from __future__ import annotations

import json
import platform as _platform
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

GITHUB_PREFIX = "https://github.com/astral-sh/python-build-standalone/releases/download"
ASTRAL_PREFIX = "https://releases.astral.sh/github/python-build-standalone/releases/download"
"""Where uv's own download list points (the same releases); a mirror stands for either prefix."""
PBS_INSTALLER_SOURCE = "pbs-installer's versions.json"

# pbs-installer and uv spell a few platforms differently; uv's spelling names the install folders.
_OS_NAMES = {"macos": "darwin", "win32": "windows", "cygwin": "windows"}
_ARCH_NAMES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "arm64": "aarch64",
    "i386": "x86",
    "i486": "x86",
    "i586": "x86",
    "i686": "x86",
}
_UV_OS_NAMES = {"darwin": "macos"}
_INSTALL_ONLY_SUFFIXES = ("-install_only.tar.gz", "-install_only_stripped.tar.gz")
_FREETHREADED = "freethreaded"
_KIND_NAMES: dict[type[Any], str] = {str: "a string", int: "an integer"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_INSTALL_NAME = re.compile(
    r"cpython-(?P<version>\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)(?:\+(?P<variant>[a-z+]+))?"
    r"-(?P<os>[a-z0-9_]+)-(?P<arch>[a-z0-9_]+)-(?P<libc>[a-z0-9_]+)"
)


class CatalogError(ValueError):
    """A request, catalogue or override file that cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class Platform:
    os: str
    """`linux`, `darwin` or `windows`."""
    arch: str
    """`x86_64`, `aarch64`, `x86`, ..."""
    libc: str
    """`gnu`, `musl`, or `none` off Linux."""

    def __str__(self) -> str:
        return f"{self.os}-{self.arch}-{self.libc}"


def normalise_os(name: str) -> str:
    name = name.lower()
    return _OS_NAMES.get(name, name)


def normalise_arch(name: str) -> str:
    name = name.lower()
    return _ARCH_NAMES.get(name, name)


def host_platform() -> Platform:
    os_name = normalise_os(sys.platform)
    arch = normalise_arch(_platform.machine())
    libc = "none"
    if os_name == "linux":
        # glibc reports itself; a Linux whose C library does not is musl (Alpine) for our purposes.
        libc = "gnu" if _platform.libc_ver()[0] == "glibc" else "musl"
    return Platform(os_name, arch, libc)


@dataclass(frozen=True)
class Build:
    """One downloadable install_only archive."""

    version: Version
    freethreaded: bool
    platform: Platform
    url: str
    sha256: str | None

    @property
    def key(self) -> str:
        """uv's name for the installation, used as the folder name: `cpython-3.12.7-linux-x86_64-gnu`."""
        return install_name(self.version, self.freethreaded, self.platform)

    @property
    def filename(self) -> str:
        return unquote(self.url.rsplit("/", 1)[-1])


def install_name(version: Version, freethreaded: bool, platform: Platform) -> str:
    variant = f"+{_FREETHREADED}" if freethreaded else ""
    # uv's folder names say `macos`: with the same name, each finds what the other installed.
    os_name = _UV_OS_NAMES.get(platform.os, platform.os)
    return f"cpython-{version}{variant}-{os_name}-{platform.arch}-{platform.libc}"


@dataclass(frozen=True)
class InstallName:
    version: Version
    freethreaded: bool
    platform: Platform


def parse_install_name(name: str) -> InstallName | None:
    """Read a managed installation's folder name (uv's or Lockstep's); None for anything else."""
    match = _INSTALL_NAME.fullmatch(name)
    if match is None or match["variant"] not in (None, _FREETHREADED):
        return None
    return InstallName(
        Version(match["version"]),
        match["variant"] == _FREETHREADED,
        Platform(normalise_os(match["os"]), normalise_arch(match["arch"]), match["libc"]),
    )


@dataclass(frozen=True)
class BuildRequest:
    """What the user asked for: `3.12`, `3.12.7`, `cpython@3.12`, `3.13t`, `==3.12.*`, `>=3.11,<3.13`."""

    text: str
    specifier: SpecifierSet
    freethreaded: bool

    @classmethod
    def parse(cls, text: str) -> BuildRequest:
        body = text.strip().lower()
        for prefix in ("cpython@", "cpython-", "cpython", "python"):
            if body.startswith(prefix):
                body = body[len(prefix) :]
                break
        freethreaded = re.fullmatch(r"\d+(\.\d+){1,2}t", body) is not None
        if freethreaded:
            body = body[:-1]
        if re.fullmatch(r"\d+(\.\d+)?", body):
            spec = f"=={body}.*"
        elif re.fullmatch(r"\d+(\.\d+)*\.\*|\d+\.\d+\.\d+((a|b|rc)\d+)?", body):
            spec = f"=={body}"
        else:
            spec = body
        if not spec:
            raise CatalogError("empty Python request: give a version such as 3.12 or a specifier")
        try:
            specifier = SpecifierSet(spec)
        except InvalidSpecifier:
            raise CatalogError(
                f"{text.strip()!r} is not a Python version (3.12, 3.12.7) or specifier (>=3.11,<3.13)"
            ) from None
        return cls(text.strip(), specifier, freethreaded)

    def pick(self, versions: Iterable[Version]) -> Version | None:
        """The newest version that fits; a pre-release only if the request names one or nothing else fits."""
        fitting = list(self.specifier.filter(versions))
        return max(fitting) if fitting else None

    def __str__(self) -> str:
        return self.text


def choose_build(builds: Iterable[Build], request: BuildRequest, platform: Platform, source: str) -> Build:
    """The newest build for `platform` that satisfies `request`; a stripped archive wins a tie."""
    candidates = [b for b in builds if b.platform == platform and b.freethreaded == request.freethreaded]
    version = request.pick({b.version for b in candidates})
    if version is None:
        raise CatalogError(f"no CPython build matching {request} for {platform} in {source}")
    return max(
        (b for b in candidates if b.version == version), key=lambda b: b.filename.endswith("_stripped.tar.gz")
    )


def rewrite_mirror(url: str, mirror: str | None) -> str:
    """Point a GitHub release URL at the mirror (same meaning as uv's UV_PYTHON_INSTALL_MIRROR)."""
    prefix = next((p for p in (GITHUB_PREFIX, ASTRAL_PREFIX) if url.startswith(p + "/")), None)
    if mirror is None or prefix is None:
        return url
    return mirror.rstrip("/") + url[len(prefix) :]


@lru_cache(maxsize=1)
def pbs_builds() -> tuple[Build, ...]:
    """The catalogue pbs-installer ships, read on first use only (it is ~1 MB of JSON)."""
    from importlib import resources

    try:
        text = resources.files("pbs_installer").joinpath("versions.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise CatalogError(f"{PBS_INSTALLER_SOURCE} is missing ({exc}); reinstall pyhelper") from None
    return tuple(_pbs_entries(json.loads(text)))


def _pbs_entries(payload: list[dict[str, Any]]) -> Iterable[Build]:
    for release in payload:
        python_version = release["python_version"]
        if python_version["implementation"] != "cpython":
            continue
        for file in release["files"]:
            filename: str = file["filename"]
            if not (file["install_only"] and filename.endswith(_INSTALL_ONLY_SUFFIXES)):
                continue
            # The filename carries the full version, pre-release included (`cpython-3.14.0rc1+2025...`).
            version = Version(filename.split("-", 2)[1].split("+", 1)[0])
            os_name = normalise_os(file["platform"])
            yield Build(
                version=version,
                freethreaded=bool(python_version["freethreaded"]),
                platform=Platform(
                    os_name, normalise_arch(file["arch"]), "gnu" if os_name == "linux" else "none"
                ),
                url=file["url"],
                sha256=file["sha256"],
            )


def _json_of(text: str, source: str, kind: type[Any], kind_name: str) -> Any:
    """The downloads document in `text`, which must be of `kind`; a clear error naming `source` if not."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogError(f"{source} is not valid JSON: {exc}") from None
    if not isinstance(data, kind):
        raise CatalogError(f"{source}: expected {kind_name} of downloads, found {type(data).__name__}")
    return data


def parse_uv_python_list(text: str, source: str) -> tuple[Build, ...]:
    """Read `uv python list --only-downloads --output-format json`: uv's own download list, which has
    builds the bundled catalogue lacks (musl). It gives no sha256 (uv checks its own when it installs)."""
    builds = []
    for entry in _json_of(text, source, list, "a JSON list"):
        if not isinstance(entry, dict) or entry.get("implementation") != "cpython":
            continue
        fields = [entry.get(name) for name in ("version", "os", "arch", "libc", "url", "variant")]
        texts = [value for value in fields if isinstance(value, str)]
        if len(texts) != len(fields):
            raise CatalogError(f"{source}: entry {entry.get('key')!r} lacks version, os, arch, libc or url")
        version, os_name, arch, libc, url, variant = texts
        if variant not in ("default", _FREETHREADED):
            continue
        try:
            parsed = Version(version)
        except InvalidVersion:
            raise CatalogError(f"{source}: entry {entry.get('key')!r} has no valid version") from None
        platform = Platform(normalise_os(os_name), normalise_arch(arch), libc.lower())
        builds.append(Build(parsed, variant == _FREETHREADED, platform, url, None))
    return tuple(builds)


def parse_downloads_json(text: str, source: str) -> tuple[Build, ...]:
    """Read uv's download-metadata.json format (old `arch: "x86_64"` and new `arch: {family, variant}`).

    Other implementations, debug builds and micro-architecture variants (x86_64_v3) are skipped; a
    malformed CPython entry is an error naming the entry and field, never a crash.
    """
    builds: list[Build] = []
    for key, entry in _json_of(text, source, dict, "a JSON object").items():
        build = _uv_entry(key, entry, source)
        if build is not None:
            builds.append(build)
    return tuple(builds)


def _uv_entry(key: str, entry: object, source: str) -> Build | None:
    where = f"{source}: entry {key!r}"
    if not isinstance(entry, dict):
        raise CatalogError(f"{where} is not an object")
    if entry.get("name") != "cpython":
        return None

    def field(name: str, kind: type[Any]) -> Any:
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CatalogError(f"{where}: {name!r} is missing or not {_KIND_NAMES[kind]}")
        return value

    arch = entry.get("arch")
    if isinstance(arch, dict):
        if arch.get("variant") is not None:
            return None
        arch = arch.get("family")
    if not isinstance(arch, str):
        raise CatalogError(f"{where}: 'arch' is missing or not a string or {{family, variant}} object")
    variant = entry.get("variant")
    if variant not in (None, "default", _FREETHREADED):
        return None
    sha256 = entry.get("sha256")
    if sha256 is not None and not (isinstance(sha256, str) and _SHA256.fullmatch(sha256.lower())):
        raise CatalogError(f"{where}: 'sha256' is not 64 hex digits")
    prerelease = entry.get("prerelease") or ""
    if not isinstance(prerelease, str):
        raise CatalogError(f"{where}: 'prerelease' is not a string")
    try:
        version = Version(f"{field('major', int)}.{field('minor', int)}.{field('patch', int)}{prerelease}")
    except InvalidVersion:
        raise CatalogError(f"{where}: the version fields do not form a version") from None
    return Build(
        version=version,
        freethreaded=variant == _FREETHREADED,
        platform=Platform(normalise_os(field("os", str)), normalise_arch(arch), field("libc", str).lower()),
        url=field("url", str),
        sha256=sha256.lower() if isinstance(sha256, str) else None,
    )
