"""Finding every Python interpreter on the machine, from disk, with a cache that notices changes.

Sources, in the order that decides which path names an interpreter found twice: the workspace's venvs,
Lockstep's managed installs, uv's, pyenv's versions, conda environments, PATH, the platform's system
folders and (Windows) the PEP 514 registry. Where an interpreter lives, not how it was found, decides its
kind: `/root/.pyenv/versions/3.12.1/bin` on PATH is still pyenv's.

Duplicates are one file reached by several names (symlinks, hard links): the first name found stays.
A venv is its own interpreter even though its executable links to the base one.

Nothing is started while the version can be read from disk (see versions.py). The listing is cached
with the modification times of every folder and file it read; `interpreters()` re-uses it while they
are unchanged, and `refresh(paths)` drops what a file watcher reported.
"""

from __future__ import annotations

import glob
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from pyhelper import boundedread
from pyhelper.interpreters import locations
from pyhelper.interpreters.executables import read_format
from pyhelper.interpreters.locations import Host, RegistryEntry
from pyhelper.interpreters.model import Interpreter, Kind
from pyhelper.interpreters.query import query_interpreter
from pyhelper.interpreters.versions import (
    DiskVersion,
    NameHint,
    executable_preference,
    minor_hints,
    normalise_version,
    parse_executable_name,
    parse_managed_name,
    parse_pyenv_name,
    read_conda_version,
    read_patchlevel,
    scan_executable,
    version_key,
)
from pyhelper.venvs import normalise_version as normalise_version_info
from pyhelper.venvs import read_pyvenv_cfg

# Folders never searched for venvs inside a workspace: tool caches and other tools' environments.
_SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".ruff_cache"})
# How deep below a workspace root venvs are looked for: `root/.venv` and `root/pkg/.venv`.
_WORKSPACE_DEPTH = 2
_EXECUTABLE_STARTS = ("python", "pypy", "graalpy")


@dataclass(frozen=True)
class DiscoveryOptions:
    workspace_roots: tuple[str, ...] = ()
    lockstep_install_dir: str | None = None
    """The `lockstep.python.installDir` setting, when set."""
    query_unreadable: bool = True
    """Run an installation (never a workspace file) whose version nothing on disk tells."""


@dataclass
class _Scan:
    """One pass over the sources: what was read (for the cache) and what was found."""

    stamps: dict[str, int | None] = field(default_factory=dict)
    seen: set[object] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    found: list[Interpreter] = field(default_factory=list)


def _stamp(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Discovery:
    """The interpreters of one machine; thread-safe, cheap to ask again."""

    def __init__(
        self,
        host: Host | None = None,
        options: DiscoveryOptions | None = None,
        registry: Callable[[], list[RegistryEntry]] = locations.read_pep514_registry,
        query: Callable[[str], DiskVersion | None] = query_interpreter,
    ) -> None:
        self._host = host or Host.current()
        self._options = options or DiscoveryOptions()
        self._registry = registry
        self._query = query
        self._lock = threading.Lock()
        self._listing: list[Interpreter] | None = None
        """The last scan's result while it is known to be current, else None."""
        self._found: list[Interpreter] = []
        """The last scan's result, current or not."""
        self._stamps: dict[str, int | None] = {}
        # executable -> (fingerprint, result): a rescan re-reads only what changed.
        self._probes: dict[str, tuple[tuple[object, ...], Interpreter | None]] = {}
        self._roots: dict[Kind, str] = {}
        self.spawned = 0
        """How many interpreter processes discovery has started (only for versions not on disk)."""

    @property
    def options(self) -> DiscoveryOptions:
        return self._options

    def configure(self, options: DiscoveryOptions) -> None:
        with self._lock:
            if options != self._options:
                self._options = options
                self._listing = None

    def interpreters(self) -> list[Interpreter]:
        with self._lock:
            if self._listing is None or any(_stamp(p) != s for p, s in self._stamps.items()):
                scan = _Scan()
                self._scan(scan)
                self._listing = self._found = sorted(scan.found, key=_display_order)
                self._stamps = scan.stamps
            return list(self._listing)

    def refresh(self, changed_paths: Iterable[str] | None = None) -> bool:
        """Forget what `changed_paths` (all, when None) may have changed; True if any could matter.

        Meant for the server's didChangeWatchedFiles (then notify the client when True). Folders and
        files the scan read are re-checked by their times anyway; this catches what times miss:
        changes inside an installation or venv (its bin/, headers, pyvenv.cfg)."""
        with self._lock:
            if changed_paths is None:
                self._probes.clear()
                self._listing = None
                return True
            prefixes = [i.prefix for i in self._found]
            touched = False
            for changed in (os.path.abspath(p) for p in changed_paths):
                if not self._relevant(changed, prefixes):
                    continue
                touched = True
                for executable in list(self._probes):
                    prefix = locations.prefix_of(self._host, executable)
                    if _is_within(executable, changed) or _is_within(changed, prefix):
                        del self._probes[executable]
            if touched:
                self._listing = None
            return touched

    def _relevant(self, changed: str, prefixes: list[str]) -> bool:
        parent = os.path.dirname(changed)
        if os.path.basename(changed) == "pyvenv.cfg" or changed in self._stamps:
            return True
        # An installation's own files (bin/python3.12, include/python3.12), not what it holds
        # (site-packages changes with every install and says nothing about the interpreter).
        if any(p in (changed, parent, os.path.dirname(parent)) for p in prefixes):
            return True
        # A folder appearing in or leaving a folder the scan listed: maybe a venv or an installation.
        return parent in self._stamps and (os.path.isdir(changed) or not os.path.exists(changed))

    def watched_paths(self) -> list[str]:
        """Every folder and file the last scan read: watching them is enough to keep the cache true."""
        with self._lock:
            return sorted(self._stamps)

    # -- sources ---------------------------------------------------------------------------------

    def _scan(self, scan: _Scan) -> None:
        host = self._host
        self._roots = {
            "lockstep-managed": os.path.realpath(
                locations.lockstep_install_dir(host, self._options.lockstep_install_dir)
            ),
            "uv-managed": os.path.realpath(locations.uv_install_dir(host)),
            "pyenv": os.path.realpath(locations.pyenv_versions_dir(host)),
        }
        for root in self._options.workspace_roots:
            self._workspace_venvs(scan, root, _WORKSPACE_DEPTH)
        self._managed(scan, self._roots["lockstep-managed"])
        self._managed(scan, self._roots["uv-managed"])
        for entry in self._list(scan, self._roots["pyenv"]):
            self._prefix(scan, os.path.join(self._roots["pyenv"], entry))
        self._conda(scan)
        shims = {os.path.realpath(d) for d in locations.shim_dirs(host)}
        for folder in host.search_path():
            if os.path.realpath(folder) not in shims:
                self._folder(scan, folder)
        for pattern in locations.system_dir_patterns(host):
            for folder in sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]:
                self._folder(scan, folder)
        for executable, architecture in locations.pep514_executables(self._registry()):
            self._candidate(scan, executable, architecture)

    def _list(self, scan: _Scan, folder: str) -> list[str]:
        scan.stamps[folder] = _stamp(folder)
        try:
            return sorted(os.listdir(folder))
        except OSError:
            return []

    def _workspace_venvs(self, scan: _Scan, folder: str, depth: int) -> None:
        # The folder's own time changes when a venv's pyvenv.cfg appears inside it.
        scan.stamps[folder] = _stamp(folder)
        if self._is_venv(scan, folder):
            self._prefix(scan, folder)
            return
        if depth == 0:
            return
        for entry in self._list(scan, folder):
            path = os.path.join(folder, entry)
            if entry not in _SKIP_DIRS and os.path.isdir(path):
                self._workspace_venvs(scan, path, depth - 1)

    def _managed(self, scan: _Scan, root: str) -> None:
        for entry in self._list(scan, root):
            path = os.path.join(root, entry)
            # uv's minor-version links (cpython-3.12-...) point at a patch folder listed on its own.
            if not entry.startswith(".") and not os.path.islink(path):
                self._prefix(scan, path)

    def _conda(self, scan: _Scan) -> None:
        host = self._host
        prefixes: list[str] = []
        environments = locations.conda_environments_file(host)
        scan.stamps[environments] = _stamp(environments)
        try:
            text = boundedread.read_text(environments, boundedread.CONDA_ENVIRONMENTS, errors="replace")
            prefixes.extend(line.strip() for line in text.splitlines() if line.strip())
        except OSError:
            pass
        for root in locations.conda_roots(host):
            prefixes.append(root)
            envs = os.path.join(root, "envs")
            prefixes.extend(os.path.join(envs, entry) for entry in self._list(scan, envs))
        for prefix in prefixes:
            if os.path.isdir(os.path.join(prefix, "conda-meta")):
                self._prefix(scan, prefix)

    def _prefix(self, scan: _Scan, prefix: str) -> None:
        """An installation or venv folder: its own interpreter, by the most telling name first."""
        host = self._host
        if self._is_venv(scan, prefix):
            self._candidate(scan, locations.venv_python(host, prefix))
            return
        folder = locations.install_bin_dir(host, prefix)
        for name in sorted(
            _python_names(os.listdir(folder) if os.path.isdir(folder) else []), key=_name_order
        ):
            self._candidate(scan, os.path.join(folder, name))

    def _folder(self, scan: _Scan, folder: str) -> None:
        # /bin and /usr/bin are often one folder; PATH and the system folders overlap.
        real = os.path.realpath(folder)
        if real in scan.folders:
            return
        scan.folders.add(real)
        for name in sorted(_python_names(self._list(scan, folder)), key=_name_order):
            self._candidate(scan, os.path.join(folder, name))

    def _is_venv(self, scan: _Scan, folder: str) -> bool:
        config = os.path.join(folder, "pyvenv.cfg")
        stamp = _stamp(config)
        if stamp is not None:
            scan.stamps[config] = stamp
        return stamp is not None

    # -- one executable --------------------------------------------------------------------------

    def _candidate(self, scan: _Scan, executable: str, architecture: str | None = None) -> None:
        host = self._host
        executable = os.path.abspath(executable)
        venv = locations.prefix_of(host, executable)
        is_venv = os.path.isfile(os.path.join(venv, "pyvenv.cfg"))
        try:
            info = os.stat(executable)
        except OSError:
            return
        key: object = os.path.realpath(venv) if is_venv else (info.st_dev, info.st_ino)
        if key in scan.seen:
            return
        config = _stamp(os.path.join(venv, "pyvenv.cfg")) if is_venv else None
        fingerprint = (info.st_ino, info.st_mtime_ns, info.st_size, config)
        cached = self._probes.get(executable)
        if cached is not None and cached[0] == fingerprint:
            result = cached[1]
        else:
            result = self._probe_venv(venv, executable) if is_venv else self._probe_install(executable)
            self._probes[executable] = (fingerprint, result)
        if result is None:
            return
        scan.seen.add(key)
        if architecture and result.architecture is None:
            result = replace(result, architecture=architecture)
        scan.found.append(result)

    def _probe_install(self, executable: str) -> Interpreter | None:
        host = self._host
        real = os.path.realpath(executable)
        if executable in locations.stub_executables(host) or real in locations.stub_executables(host):
            return None
        header = read_format(real)
        if not header.native:
            return None
        prefix = locations.prefix_of(host, real)
        hint = parse_executable_name(os.path.basename(real)) or parse_executable_name(
            os.path.basename(executable)
        )
        implementation = hint.implementation if hint else "cpython"
        kind, name = self._classify(prefix)
        disk = self._disk_version(prefix, real, hint, kind, name)
        if disk is None:
            disk = self._ask(real)
            if disk is None:
                return None
        implementation = disk.implementation or implementation
        managed = parse_managed_name(name) if name and kind in ("uv-managed", "lockstep-managed") else None
        if managed is not None:
            implementation = managed.implementation
        return Interpreter(
            path=executable,
            version=disk.version,
            implementation=implementation,
            kind=kind,
            prefix=prefix,
            architecture=header.architecture,
            free_threaded=disk.free_threaded or bool(hint and hint.free_threaded),
            name=name,
        )

    def _disk_version(
        self, prefix: str, real: str, hint: NameHint | None, kind: Kind, name: str | None
    ) -> DiskVersion | None:
        host = self._host
        free_threaded = bool(hint and hint.free_threaded)
        minor = hint.minor_version if hint else None
        if minor is None:
            libs = {m for m, _ in minor_hints(prefix, host.windows)}
            minor = libs.pop() if len(libs) == 1 else None
        found = read_patchlevel(prefix, minor, free_threaded, host.windows)
        if found is None and kind == "conda":
            found = read_conda_version(prefix)
        if found is None and name is not None:
            if kind in ("uv-managed", "lockstep-managed"):
                managed = parse_managed_name(name)
                if managed is not None and normalise_version(managed.version) == managed.version:
                    found = DiskVersion(managed.version, managed.free_threaded, "folder name")
            elif kind == "pyenv":
                parsed = parse_pyenv_name(name)
                if parsed is not None:
                    found = DiskVersion(parsed[1], parsed[2], "folder name")
        if found is None and minor is not None:
            scanned = scan_executable(real, minor)
            if scanned is not None:
                found = DiskVersion(scanned, free_threaded, "executable")
        if found is not None and minor is not None and not found.version.startswith(minor + "."):
            # A name or header that disagrees with the executable's own name is not this interpreter's.
            return None
        return found

    def _ask(self, executable: str) -> DiskVersion | None:
        if not self._options.query_unreadable:
            return None
        roots = [os.path.realpath(r) for r in self._options.workspace_roots]
        if any(_is_within(executable, root) for root in roots):
            return None
        self.spawned += 1
        return self._query(executable)

    def _probe_venv(self, venv: str, executable: str) -> Interpreter | None:
        config = read_pyvenv_cfg(Path(venv))
        if config is None:
            return None
        # uv writes version_info, virtualenv version_info as 3.12.7.final.0, the stdlib's venv version.
        recorded = normalise_version(
            normalise_version_info(config.get("version_info") or config.get("version") or "")
        )
        real = os.path.realpath(executable)
        base_path = config.get("executable")
        if not base_path and not _is_within(real, os.path.realpath(venv)):
            base_path = real
        if not base_path and config.get("home"):
            home = config["home"]
            names = sorted(_python_names(os.listdir(home) if os.path.isdir(home) else []), key=_name_order)
            base_path = os.path.join(home, names[0]) if names else None
        base = self._probe_install(base_path) if base_path and os.path.exists(base_path) else None
        version = recorded
        # A base upgraded in place (same minor) is what the venv runs now; its version is the exact one.
        if base is not None and (
            recorded is None or version_key(base.version)[:2] == version_key(recorded)[:2]
        ):
            version = base.version
        if version is None:
            return None
        minor = ".".join(version.split(".")[:2])
        free_threaded = (base is not None and base.free_threaded) or os.path.isdir(
            os.path.join(venv, "lib", f"python{minor}t")
        )
        implementation = base.implementation if base else (config.get("implementation") or "cpython").lower()
        return Interpreter(
            path=executable,
            version=version,
            implementation=implementation,
            kind="venv",
            prefix=venv,
            architecture=base.architecture if base else read_format(real).architecture,
            free_threaded=free_threaded,
            name=os.path.basename(venv),
            base=base.path if base else base_path,
        )

    def _classify(self, prefix: str) -> tuple[Kind, str | None]:
        if os.path.isdir(os.path.join(prefix, "conda-meta")):
            return "conda", os.path.basename(prefix)
        for kind, root in self._roots.items():
            if _is_within(prefix, root) and prefix != root:
                return kind, os.path.relpath(prefix, root).split(os.sep)[0]
        return "system", None


def _python_names(names: Iterable[str]) -> Iterator[str]:
    # The prefix test first: /usr/bin holds thousands of names and only a few are Pythons.
    return (
        name
        for name in names
        if name[:1] in "pPgG" and name.lower().startswith(_EXECUTABLE_STARTS) and parse_executable_name(name)
    )


def _name_order(name: str) -> tuple[int, str]:
    return executable_preference(name), name


_KIND_ORDER: tuple[Kind, ...] = ("venv", "lockstep-managed", "uv-managed", "pyenv", "conda", "system")


def _display_order(interpreter: Interpreter) -> tuple[int, tuple[int, ...], str]:
    """Venvs first, then managed installs, pyenv, conda, system; newest first within each."""
    negated = tuple(-part for part in version_key(interpreter.version))
    return _KIND_ORDER.index(interpreter.kind), negated, interpreter.path


def discover(host: Host | None = None, options: DiscoveryOptions | None = None) -> list[Interpreter]:
    """One-shot discovery (the CLI); the server keeps a `Discovery` for its cache."""
    return Discovery(host, options).interpreters()
