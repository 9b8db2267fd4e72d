"""Environment drift: does a project's venv hold exactly what its lock selects for it?

Read from disk, never by starting the venv's Python: `site-packages/*.dist-info` (METADATA's Name and
Version, `direct_url.json` for editable, path and VCS installs) against the packages the lock selects
for that venv (`pyhelper.lockfiles.selection`: markers evaluated for the venv's interpreter, the groups
the manager installs by default plus the ones chosen). The verdict is `uv sync --check`'s: the venv is
in sync when nothing is missing, no version differs and nothing else is installed (sync is exact).

Codes (findings on the requirement in pyproject.toml when the package is a direct dependency of the
project, else on its lock entry):

- `venv-missing-package` (warning): locked for this venv, not installed.
- `venv-version-mismatch` (warning): installed in another version (or not editable where it should be).
- `venv-extraneous` (hint): installed, not in the lock's selection; `uv sync` would remove it.
- `venv-python-mismatch` (error, on requires-python): the venv's Python does not satisfy it.

Packages out of step are warnings: the files are right and one Sync fixes the venv (errors are for what
the user must change by hand: a file that does not parse, a lock that no longer fits). A venv whose
Python the project refuses cannot be synced into shape, only recreated: that stays an error.

    report = check_environment(project_root, venv, pyproject=doc, lock=(fmt, path), cache=..., venvs=...)

`VenvCache` keeps one read of each venv until its site-packages folder or pyvenv.cfg changes (an
install or uninstall adds or removes a `*.dist-info` folder, which changes the folder's mtime); then
it reads only the distribution folders that are new or changed. A time from the last 0.1 s is not
trusted to show the next change (an install may still be writing), so what it stamps is read again.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pyhelper import boundedread, codes
from pyhelper.codes import Code
from pyhelper.findings import Finding, Range, Related, Severity
from pyhelper.lockfiles import LockCache, UnreadableFile
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.lockfiles.format import RequirementPlace, in_lists
from pyhelper.lockfiles.selection import Locked, recorded_python_version
from pyhelper.requirements import canonicalize_name, get_in, table
from pyhelper.tomlfile import KeyPath, TomlDocument
from pyhelper.venvs import read_pyvenv_cfg

_SYNC = "sync the environment"
_SITE_VERSION = re.compile(r"^python(\d+\.\d+)t?$")


# Reading the venv ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    name: str
    """PEP 503 normalised."""
    version: str
    dist_info: Path
    installer: str | None
    direct_url: Mapping[str, Any] | None
    """PEP 610 `direct_url.json`, for packages installed from a path, URL or VCS."""

    @property
    def editable(self) -> bool:
        return bool(table(table(self.direct_url).get("dir_info")).get("editable"))

    def origin(self) -> str:
        """Where it was installed from, in words."""
        url = table(self.direct_url).get("url")
        if self.editable:
            return f"editable from {_file_path(url)}"
        if "vcs_info" in table(self.direct_url):
            vcs = table(table(self.direct_url).get("vcs_info"))
            return f"{vcs.get('vcs', 'vcs')} {url} @ {str(vcs.get('commit_id', ''))[:12]}"
        if isinstance(url, str):
            return f"from {_file_path(url)}"
        return f"installed by {self.installer}" if self.installer else "installed"


@dataclass(frozen=True)
class VenvSnapshot:
    venv: Path
    site_packages: Path | None
    python: str | None
    """The interpreter's full version, from pyvenv.cfg (or its `home` path, or X.Y from site-packages)."""
    packages: Mapping[str, Installed]


def _file_path(url: object) -> str:
    if not isinstance(url, str):
        return "?"
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" else url


def site_packages(venv: Path) -> Path | None:
    """The venv's site-packages folder (`lib/pythonX.Y[t]/site-packages`, `Lib/site-packages`)."""
    windows = venv / "Lib" / "site-packages"
    if windows.is_dir():
        return windows
    try:
        names = sorted(os.listdir(venv / "lib"))
    except OSError:
        return None
    for name in names:
        if _SITE_VERSION.match(name) and (venv / "lib" / name / "site-packages").is_dir():
            return venv / "lib" / name / "site-packages"
    return None


def _python_version(config: Mapping[str, str], site: Path | None) -> str | None:
    recorded = recorded_python_version(config)
    if recorded:
        return recorded
    match = _SITE_VERSION.match(site.parent.name) if site else None
    return match.group(1) if match else None


def _metadata_fields(path: Path) -> tuple[str, str] | None:
    """Name and Version from a METADATA/PKG-INFO header, read line by line up to them (the body, most of
    the file, is never read: reading the cap's worth at once took twice as long per distribution)."""
    name = version = None
    try:
        with boundedread.open_regular(path, None) as file:
            left = boundedread.DIST_INFO.max_bytes
            while left > 0 and (raw := file.readline(left)):
                left -= len(raw)
                # A line ends at b"\n" (never inside a UTF-8 sequence); splitlines as the whole text would.
                for line in raw.decode("utf-8", "replace").splitlines():
                    if not line.strip():
                        return None
                    key, _, value = line.partition(":")
                    if key == "Name":
                        name = value.strip()
                    elif key == "Version":
                        version = value.strip()
                    if name and version:
                        return name, version
    except OSError:
        return None
    return None


def _read_optional(path: Path) -> str | None:
    try:
        return boundedread.read_text(path, boundedread.DIST_INFO, errors="replace")
    except OSError:
        return None


def read_venv(venv: Path) -> VenvSnapshot:
    """What is installed in `venv`; an unreadable distribution is skipped (uv would reinstall it)."""
    return _read_venv(venv, {})[0]


_Stamp = tuple[int, int, int]
"""A distribution folder's (or egg-info file's) inode, mtime and ctime."""
_Entries = dict[str, tuple["_Stamp | None", "Installed | None"]]
"""Each `*.dist-info`/`*.egg-info` entry of site-packages as last read (None: unreadable, skipped),
with its stamp when that can be trusted to show a later change."""

_SETTLED_NS = 100_000_000
"""A file time this close to a read may hide a change made during it: times are only as fine as the
kernel's clock tick (10 ms at most), so a folder an install was still writing keeps the time it had
when read. Such a time is not trusted: what it stamps is read again next time. (A file system whose
times are seconds apart, as FAT's, would need more.)"""


def _settled(stat: os.stat_result, started_ns: int, margin_ns: int) -> bool:
    return stat.st_mtime_ns < started_ns - margin_ns


def _read_venv(
    venv: Path, earlier: Mapping[str, tuple[_Stamp | None, Installed | None]], margin_ns: int = _SETTLED_NS
) -> tuple[VenvSnapshot, _Entries]:
    """`read_venv`, taking from `earlier` each entry whose stamp is unchanged: installers write a new
    folder for every install (uv and pip never rewrite one in place), so after `uv add` only the new
    distributions are read, not the hundreds that were there already. Stamps within `margin_ns` of
    the read are not kept (`_SETTLED_NS`)."""
    started = time.time_ns()
    config = read_pyvenv_cfg(venv) or {}
    site = site_packages(venv)
    packages: dict[str, Installed] = {}
    entries: _Entries = {}
    try:
        names = sorted(os.listdir(site)) if site else []
    except OSError:
        names = []
    for entry in names:
        if site is None or not entry.endswith((".dist-info", ".egg-info")):
            continue
        try:
            stat = os.stat(os.path.join(site, entry))
        except OSError:
            continue
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
        known = earlier.get(entry)
        installed = known[1] if known is not None and known[0] == stamp else _read_distribution(site / entry)
        entries[entry] = (stamp if _settled(stat, started, margin_ns) else None, installed)
        if installed is not None:
            packages[installed.name] = installed
    return VenvSnapshot(venv, site, _python_version(config, site), packages), entries


def _read_distribution(entry: Path) -> Installed | None:
    if entry.name.endswith(".dist-info"):
        fields = _metadata_fields(entry / "METADATA")
    else:
        fields = _metadata_fields(entry / "PKG-INFO" if entry.is_dir() else entry)
    if fields is None:
        return None
    raw_url = _read_optional(entry / "direct_url.json")
    try:
        direct = json.loads(raw_url) if raw_url else None
    except ValueError:
        direct = None
    installer = _read_optional(entry / "INSTALLER")
    return Installed(
        canonicalize_name(fields[0]),
        fields[1],
        entry,
        installer.strip() if installer else None,
        direct if isinstance(direct, dict) else None,
    )


def _mtime(path: Path | None) -> int | None:
    try:
        return path.stat().st_mtime_ns if path else None
    except OSError:
        return None


class VenvCache:
    """Venv reads keyed by the mtimes of site-packages and pyvenv.cfg: unchanged venvs are not re-read.
    A venv read again is read entry by entry (`_read_venv`): unchanged distribution folders are kept."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int | None, ...], bool, VenvSnapshot, _Entries]] = {}
        """Per venv: the mtimes of pyvenv.cfg and site-packages when read, whether they could be
        trusted to show a later change (`_SETTLED_NS`), the read."""

    def get(self, venv: Path) -> VenvSnapshot:
        return self._read(venv, _SETTLED_NS, reuse=True)

    def written(self, venv: Path) -> VenvSnapshot:
        """`venv` as its writer left it: uv, run while Lockstep held the venv, is done with it. Read again
        even if site-packages' mtime looks the same (file times are only as fine as the kernel's clock
        tick), entry by entry, and its times from just now trusted: nothing is writing any more, so
        the next `get` (the next Add Dependency's check before uv) need not read what uv wrote again."""
        return self._read(venv, 0, reuse=False)

    def _read(self, venv: Path, margin_ns: int, *, reuse: bool) -> VenvSnapshot:
        site, started = site_packages(venv), time.time_ns()
        key = (_mtime(venv / "pyvenv.cfg"), _mtime(site), hash(site))
        entry = self._entries.get(venv)
        if reuse and entry is not None and entry[0] == key and entry[1]:
            return entry[2]
        snapshot, entries = _read_venv(venv, entry[3] if entry is not None else {}, margin_ns)
        trusted = all(mtime is None or mtime < started - margin_ns for mtime in key[:2])
        self._entries[venv] = (key, trusted, snapshot, entries)
        return snapshot

    def last(self, venv: Path) -> VenvSnapshot | None:
        """The venv as last read, without looking at it again; None if never read."""
        entry = self._entries.get(venv)
        return entry[2] if entry is not None else None

    def forget(self, venv: Path) -> None:
        self._entries.pop(venv, None)


# What the lock selects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LockSelection:
    lockfile: Path
    manager: str
    packages: Mapping[str, Locked]
    problem: Finding | None = None
    """Why nothing could be selected (an unreadable lock, an invalid marker)."""
    kept: frozenset[str] = frozenset()
    """Installed packages the manager's own sync leaves in place when the lock does not select them."""


def select(
    fmt: str,
    lockfile: Path,
    root: Path,
    pyproject: TomlDocument,
    snapshot: VenvSnapshot,
    cache: LockCache,
    chosen: SyncChoice = SyncChoice(),
    selector: Callable[[Any, Any], dict[str, Locked]] | None = None,
) -> LockSelection:
    """What the lock of format `fmt` (a `LockFormat.name`) selects for the venv; `selector` in place
    of the format's own (a PEP 723 script's selection from its lock: `uv.select_script`)."""
    from pyhelper.lockfiles.format import Selecting
    from pyhelper.lockfiles.registry import format_named
    from pyhelper.lockfiles.selection import LockSelectionError, marker_environment

    lock_format = format_named(fmt)
    selector = selector or (lock_format.select if lock_format is not None else None)
    if lock_format is None or selector is None:
        return LockSelection(lockfile, fmt, {})
    try:
        # Never the venv's interpreter: the live check runs in workspaces not yet trusted.
        environment = marker_environment(snapshot.venv, ask_interpreter=False)
        lock = cache.get(lockfile, lock_format.name, lock_format.parse)
        if isinstance(lock, Finding):
            raise UnreadableFile(lock)
        selecting = Selecting(lockfile, root, pyproject, environment, chosen, cache)
        packages = selector(selecting, lock)
    except UnreadableFile as error:
        return LockSelection(lockfile, fmt, {}, error.finding)
    except LockSelectionError as error:
        return LockSelection(
            lockfile, fmt, {}, Finding(lockfile, Range.at(0), Severity.ERROR, codes.LOCK_INVALID, str(error))
        )
    return LockSelection(lockfile, fmt, packages, kept=lock_format.sync_keeps)


# Comparing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnvReport:
    venv: Path
    findings: tuple[Finding, ...]
    """Every finding, extraneous packages included (as hints)."""
    missing: int = 0
    mismatched: int = 0
    extraneous: int = 0
    python_mismatch: bool = False
    changed: tuple[str, ...] = ()
    """Packages a sync would install, reinstall or remove."""
    problem: Finding | None = None
    """The lock could not be read: no verdict."""

    @property
    def in_sync(self) -> bool:
        """`uv sync --check`'s verdict (extraneous packages count: sync is exact)."""
        return not (self.missing or self.mismatched or self.extraneous or self.python_mismatch)


def same_version(left: str | None, right: str | None) -> bool:
    if left is None or right is None or left == right:
        return True
    from packaging.version import InvalidVersion, Version

    try:
        return Version(left) == Version(right)
    except InvalidVersion:
        return False


def requirement_places(doc: TomlDocument) -> Iterator[RequirementPlace]:
    """Every requirement the pyproject declares: PEP 621 and PEP 735 lists, then each manager's own."""
    from pyhelper.lockfiles import registry

    data = doc.data
    lists: list[KeyPath] = [("project", "dependencies")]
    lists += [
        ("project", "optional-dependencies", k)
        for k in table(get_in(data, ("project", "optional-dependencies")))
    ]
    lists += [("dependency-groups", k) for k in table(data.get("dependency-groups"))]
    yield from in_lists(doc, lists)
    for fmt in registry.FORMATS:
        yield from fmt.requirement_places(doc)


def requirement_ranges(
    doc: TomlDocument, places: Iterable[RequirementPlace] | None = None
) -> dict[str, Range]:
    """The first place each package is required in the pyproject, or among `places` of another
    document (what an env finding points at)."""
    found: dict[str, Range] = {}
    for name, path, is_key in requirement_places(doc) if places is None else places:
        if name in found:
            continue
        span = doc.key_span(path) if is_key else doc.span(path)
        if span is not None:
            found[name] = doc.range(span)
    return found


class Declaring(NamedTuple):
    """Where the document that declares the dependencies keeps them, when it is no pyproject.toml (a
    PEP 723 script block): its direct requirements' ranges, its requires-python key, the
    environment's name in messages."""

    direct: Mapping[str, Range]
    requires_python: KeyPath
    name: str


def check_environment(
    pyproject: TomlDocument,
    selection: LockSelection,
    snapshot: VenvSnapshot,
    declaring: Declaring | None = None,
) -> EnvReport:
    """Compare the venv with what the lock selects for it."""
    findings: list[Finding] = []
    venv_name = declaring.name if declaring is not None else snapshot.venv.name
    requires_at = declaring.requires_python if declaring is not None else ("project", "requires-python")
    python = _python_finding(pyproject, snapshot, requires_at, venv_name)
    if python is not None:
        findings.append(python)
    if selection.problem is not None:
        return EnvReport(
            snapshot.venv, tuple(findings), python_mismatch=python is not None, problem=selection.problem
        )
    direct = declaring.direct if declaring is not None else None
    lock_name = selection.lockfile.name
    missing = mismatched = 0
    changed: list[str] = []
    for name, locked in selection.packages.items():
        have = snapshot.packages.get(name)
        wrong_version = have is not None and not same_version(have.version, locked.version)
        if have is not None and not wrong_version and not (locked.editable and not have.editable):
            continue  # in step, as nearly all are: nothing to build for it
        if direct is None:  # where pyproject.toml declares each requirement: read for a finding only
            direct = requirement_ranges(pyproject)
        locked_at = Related(
            locked.path, locked.range, f"{lock_name} locks {name} {locked.version or ''}".rstrip()
        )
        changed.append(name)
        related: tuple[Related, ...] = (locked_at,)
        if have is None:
            missing += 1
            code = codes.VENV_MISSING_PACKAGE
            message = f"{name} {locked.version or ''} is locked but not installed in {venv_name} — {_SYNC}"
        else:
            mismatched += 1
            what = (
                f"{have.version}, but {lock_name} pins {locked.version}"
                if wrong_version
                else f"{have.version} ({have.origin()}), but {lock_name} installs it editable"
            )
            message = f"{venv_name} has {name} {what} — {_SYNC}"
            installed_at = Related(have.dist_info / "METADATA", Range.at(0), f"installed: {have.version}")
            code, related = codes.VENV_VERSION_MISMATCH, (locked_at, installed_at)
        findings.append(_placed(pyproject, direct, locked, Severity.WARNING, code, message, related))
    extra = [
        have
        for name, have in snapshot.packages.items()
        if name not in selection.packages and name not in selection.kept
    ]
    for have in extra:
        changed.append(have.name)
        findings.append(
            Finding(
                selection.lockfile,
                Range.at(0),
                Severity.HINT,
                codes.VENV_EXTRANEOUS,
                f"{venv_name} has {have.name} {have.version}, which {lock_name} does not select for it; "
                "syncing removes it",
                (Related(have.dist_info / "METADATA", Range.at(0), f"installed: {have.version}"),),
            )
        )
    return EnvReport(
        snapshot.venv,
        tuple(findings),
        missing,
        mismatched,
        len(extra),
        python_mismatch=python is not None,
        changed=tuple(sorted(changed)),
    )


def _placed(
    pyproject: TomlDocument,
    direct: Mapping[str, Range],
    locked: Locked,
    severity: Severity,
    code: Code,
    message: str,
    related: tuple[Related, ...],
) -> Finding:
    if locked.name in direct:
        return Finding(pyproject.path, direct[locked.name], severity, code, message, related)
    return Finding(locked.path, locked.range, severity, code, message, related[1:])


def _python_finding(
    pyproject: TomlDocument, snapshot: VenvSnapshot, requires_at: KeyPath, venv_name: str
) -> Finding | None:
    requires = get_in(pyproject.data, requires_at)
    if not isinstance(requires, str) or snapshot.python is None:
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        fits = SpecifierSet(requires).contains(Version(snapshot.python), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return None
    if fits:
        return None
    return Finding(
        pyproject.path,
        pyproject.range_of(requires_at) or Range.at(0),
        Severity.ERROR,
        codes.VENV_PYTHON_MISMATCH,
        f"{venv_name} runs Python {snapshot.python}, which does not satisfy requires-python "
        f"{requires} — recreate the environment with a Python that does",
    )


# Hover --------------------------------------------------------------------------------------------


def requirement_at(doc: TomlDocument, line: int, character: int) -> tuple[str, Range] | None:
    """The package required at a position of pyproject.toml, with the requirement's range."""
    from pyhelper.findings import Position

    at = Position(line, character)
    for name, path, is_key in requirement_places(doc):
        span = doc.key_span(path) if is_key else doc.span(path)
        if span is None:
            continue
        where = doc.range(span)
        if where.start <= at <= where.end:
            return name, where
    return None


def describe_requirement(
    name: str,
    lockfile: Path | None,
    locked: Locked | None,
    lock_versions: Sequence[str | None],
    snapshot: VenvSnapshot | None,
) -> str:
    """Markdown: the locked version and the installed one, and where each comes from."""
    lines = [f"**{name}**", ""]
    if locked is not None:
        lines.append(
            f"- Locked: `{locked.version or 'dynamic'}` in {locked.path.name} "
            f"line {locked.range.start.line + 1} ({locked.source})"
        )
    elif lockfile is None:
        lines.append("- Locked: no lockfile")
    elif lock_versions:
        versions = ", ".join(v or "dynamic" for v in lock_versions)
        selected = "" if snapshot is None else ", not selected for this environment"
        lines.append(f"- Locked: `{versions}` in {lockfile.name}{selected}")
    else:
        lines.append(f"- Locked: not in {lockfile.name}")
    if snapshot is None:
        lines.append("- Installed: no environment")
    else:
        have = snapshot.packages.get(name)
        if have is None:
            lines.append(f"- Installed: not in {snapshot.venv.name}")
        else:
            lines.append(
                f"- Installed: `{have.version}` in {snapshot.venv.name} — "
                f"{have.dist_info.name} ({have.origin()})"
            )
    return "\n".join(lines)
