"""Which locked packages apply to one environment, and how to install exactly those: the shared part.

A lock lists packages for every platform and group; a venv gets the ones whose groups the manager
installs by default (plus those the user chose) and whose markers hold for the venv's interpreter.
The defaults follow the managers: Poetry installs `main` and every non-optional group (extras only on
request); PDM installs the groups the lock was made for, else `default` and every dev group. Markers
are evaluated with `packaging` for the venv's Python (`marker_environment`: read from its pyvenv.cfg)
on this machine's platform.

Each format's `LockFormat.select` gives the packages as `Locked` entries (for comparing with a venv,
`pyhelper.drift.environment`); `pinned_install` gives a `PinnedInstall`: `name==version --hash=...`
lines that `uv pip sync` (or pip) installs without resolving, plus the project itself when the manager
would install it (editable), for formats whose `LockFormat.install` is "pinned".

`packaging` is imported only when a marker is evaluated: checking a lock never needs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pyhelper.findings import Finding, Range
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.requirements import canonicalize_name, get_in
from pyhelper.tomlfile import read_toml
from pyhelper.venvs import normalise_version, read_pyvenv_cfg, venv_python

if TYPE_CHECKING:
    from pyhelper.lockfiles import TableLock
    from pyhelper.lockfiles.format import Selecting
    from pyhelper.lockfiles.uv import UvLock, UvPackage

# A full interpreter version as `platform.python_version()` gives it: 3.12.7, 3.13.0rc1.
_FULL_VERSION = re.compile(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?\+?")
_ANY_FULL_VERSION = re.compile(r"(\d+\.\d+\.\d+)")
T = TypeVar("T")


class LockSelectionError(Exception):
    """The lock cannot be installed as it is; `status` says whether re-locking would help."""

    def __init__(self, message: str, status: Literal["failed", "needs-lock"] = "failed") -> None:
        super().__init__(message)
        self.status: Literal["failed", "needs-lock"] = status


@dataclass(frozen=True)
class Pinned:
    name: str
    """PEP 503 normalised."""
    version: str | None
    line: str
    """The requirement as a requirements-file line, e.g. `beta==1.1 --hash=sha256:...`."""


@dataclass(frozen=True)
class PinnedInstall:
    packages: tuple[Pinned, ...]
    editable: Path | None
    """The project folder to install editable after the packages, when the manager would."""
    indexes: tuple[str, ...] = ()
    """Package indexes the lock names (private sources), to use before the user's default."""

    def requirements_text(self) -> str:
        lines = [package.line for package in self.packages]
        if self.editable is not None:
            lines.append(f"-e {self.editable}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Locked:
    """One package the lock selects for the venv, and where the lock says so."""

    name: str
    version: str | None
    editable: bool
    source: str
    """Where it comes from, in words: `registry https://…`, `editable .`."""
    path: Path
    range: Range


def recorded_python_version(config: Mapping[str, str]) -> str | None:
    """The venv interpreter's version as its pyvenv.cfg records it, full (`3.12.7`, `3.13.0rc1`) when
    it can be told from the file, else as recorded (uv writes only `3.12` for its managed Pythons).

    uv's managed Pythons live in a folder named for the full version; a venv's `home` may name it
    through the minor-version link (`cpython-3.12-…` -> `cpython-3.12.7-…`), so the link is resolved.
    """
    recorded = normalise_version(config.get("version_info") or config.get("version") or "")
    if _FULL_VERSION.fullmatch(recorded):
        return recorded
    if start := _ANY_FULL_VERSION.match(recorded):
        return start.group(1)
    home = config.get("home", "")
    for place in (home, os.path.realpath(home) if home else ""):
        found = _ANY_FULL_VERSION.search(place)
        if found and (not recorded or found.group(1).startswith(recorded + ".")):
            return found.group(1)
    return recorded or None


def marker_environment(venv: Path, *, ask_interpreter: bool = True) -> dict[str, str]:
    """PEP 508 marker values for the venv's interpreter on this machine.

    `python_full_version` is the interpreter's own (`platform.python_version()`), read from pyvenv.cfg
    (`recorded_python_version`); when the file cannot tell it, the interpreter is asked, unless
    `ask_interpreter` is false (the live check, which never runs the workspace's code): then, as when
    the interpreter does not run, LockSelectionError says the version cannot be told.
    """
    from packaging.markers import default_environment

    environment = {key: str(value) for key, value in default_environment().items()}
    config = read_pyvenv_cfg(venv) or {}
    full = recorded_python_version(config)
    if full is None or not _FULL_VERSION.fullmatch(full):
        if not ask_interpreter:
            raise LockSelectionError(f"cannot tell the full Python version of {venv} from its pyvenv.cfg")
        full = _ask_version(venv)
    environment["python_full_version"] = full
    environment["python_version"] = ".".join(full.split(".")[:2])
    implementation = config.get("implementation")
    if implementation:
        environment["implementation_name"] = implementation.lower()
        environment["platform_python_implementation"] = implementation
    return environment


def _ask_version(venv: Path) -> str:
    import subprocess

    python = venv_python(venv)
    try:
        return subprocess.run(
            [str(python), "-I", "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        raise LockSelectionError(
            f"cannot tell the Python version of {venv}: {python} does not run ({error})"
        ) from None


def _holds(marker: object, environment: Mapping[str, str], extras: Sequence[str] = ()) -> bool:
    """Whether a lock's marker holds here; `extra == "x"` (Poetry 2 marks a package only an extra
    brings so) holds when that extra was chosen."""
    if not isinstance(marker, str) or not marker.strip():
        return True
    from packaging.markers import InvalidMarker, Marker

    try:
        parsed = Marker(marker)
        return any(parsed.evaluate({**environment, "extra": extra}) for extra in extras or ("",))
    # ValueError: UndefinedComparison (`python_version ~= 'x'`); KeyError: UndefinedEnvironmentName.
    except (InvalidMarker, ValueError, KeyError) as error:
        raise LockSelectionError(f"the lock holds an invalid marker {marker!r}: {error}") from error


def _files_line(name: str, version: str, files: object) -> str:
    hashes = (
        [
            entry["hash"]
            for entry in files
            if isinstance(entry, Mapping) and isinstance(entry.get("hash"), str)
        ]
        if isinstance(files, list)
        else []
    )
    return " ".join([f"{name}=={version}", *(f"--hash={digest}" for digest in hashes)])


def _table(data: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    for key in keys:
        value = data.get(key)
        data = value if isinstance(value, Mapping) else {}
    return data


def _packages(lock: Mapping[str, Any]) -> list[object]:
    # A lock whose `package` is not an array of tables (edited by hand) has no packages to select.
    packages = lock.get("package")
    return packages if isinstance(packages, list) else []


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# Poetry ------------------------------------------------------------------------------------------------


def poetry_groups(pyproject: Mapping[str, Any], choice: SyncChoice = SyncChoice()) -> set[str]:
    """`main` and the groups chosen: by default the non-optional Poetry groups and the PEP 735 groups
    (what `poetry sync` installs), with `:all:` the optional ones too, and those named."""
    groups = {"main", *choice.groups}
    for name, group in _table(pyproject, "tool", "poetry", "group").items():
        optional = isinstance(group, Mapping) and group.get("optional") is True
        if choice.all_groups or (choice.default_groups and not optional):
            groups.add(name)
    if choice.all_groups or choice.default_groups:
        groups.update(_table(pyproject, "dependency-groups"))
    return groups


def select_poetry(
    lock: Mapping[str, Any],
    environment: Mapping[str, str],
    groups: set[str],
    extras: Sequence[str] = (),
    root: Path = Path(),
) -> list[Pinned]:
    """The packages of a parsed poetry.lock for this environment; `root` anchors relative paths."""
    packages = [p for p in _packages(lock) if isinstance(p, Mapping) and isinstance(p.get("name"), str)]
    by_name = {canonicalize_name(p["name"]): p for p in packages}
    # Optional packages come only with the extras that ask for them, and with what those depend on.
    wanted_optional: set[str] = set()
    pending = [canonicalize_name(n) for extra in extras for n in _strings(_table(lock, "extras").get(extra))]
    while pending:
        name = pending.pop()
        if name in wanted_optional or name not in by_name:
            continue
        wanted_optional.add(name)
        pending.extend(canonicalize_name(dep) for dep in _table(by_name[name], "dependencies"))

    selected: list[Pinned] = []
    for name, package in by_name.items():
        if package.get("optional") is True and name not in wanted_optional:
            continue
        in_groups = [group for group in _strings(package.get("groups")) or ["main"] if group in groups]
        if not in_groups:
            continue
        # Poetry 2 writes one marker string, or a table of markers by group.
        markers = package.get("markers")
        if isinstance(markers, Mapping):
            holds = any(_holds(markers.get(group), environment, extras) for group in in_groups)
        else:
            holds = _holds(markers, environment, extras)
        if holds:
            selected.append(Pinned(name, str(package.get("version")), _poetry_line(package, root)))
    return selected


def _poetry_line(package: Mapping[str, Any], root: Path) -> str:
    name, version = str(package["name"]), str(package.get("version"))
    source = _table(package, "source")
    kind, url = source.get("type"), source.get("url")
    if kind in ("directory", "file") and isinstance(url, str):
        target = (root / url).resolve()
        if kind == "directory" and package.get("develop") is True:
            return f"-e {target}"
        return f"{name} @ {target.as_uri()}"
    if kind == "url" and isinstance(url, str):
        return f"{name} @ {url}"
    if kind == "git" and isinstance(url, str):
        return f"{name} @ git+{url}@{source.get('resolved_reference') or source.get('reference')}"
    return _files_line(name, version, package.get("files"))


def _poetry_indexes(lock: Mapping[str, Any]) -> tuple[str, ...]:
    urls: list[str] = []
    for package in _packages(lock):
        source = _table(package, "source") if isinstance(package, Mapping) else {}
        if (
            source.get("type") == "legacy"
            and isinstance(source.get("url"), str)
            and source["url"] not in urls
        ):
            urls.append(source["url"])
    return tuple(urls)


# PDM ---------------------------------------------------------------------------------------------------


def pdm_groups(
    pyproject: Mapping[str, Any], choice: SyncChoice = SyncChoice(), locked: Sequence[str] = ()
) -> set[str]:
    """The groups (PDM's word for groups and extras alike) the environment gets: `default`; by default
    what `pdm sync` installs, the groups the lock was made for (`[metadata] groups`, as far as the
    project still declares them) or without those every dev group (PEP 735 and
    `tool.pdm.dev-dependencies`); with `:all:` every dev group or every extra; and those named."""
    dev = {*_table(pyproject, "dependency-groups"), *_table(pyproject, "tool", "pdm", "dev-dependencies")}
    optional = _table(pyproject, "project", "optional-dependencies")
    chosen = {"default", *choice.groups, *choice.extras}
    chosen.update(dev if choice.all_groups else (), optional if choice.all_extras else ())
    if not choice.default_groups:
        return _pdm_names(chosen)
    if locked:
        return _pdm_names(chosen) | (_pdm_names(locked) & _pdm_names({*dev, *optional}))
    return _pdm_names({*chosen, *dev})


def _pdm_names(groups: Iterable[str]) -> set[str]:
    # `default` is its own canonical name.
    return {canonicalize_name(group) for group in groups}


def select_pdm(
    lock: Mapping[str, Any], environment: Mapping[str, str], groups: set[str], root: Path = Path()
) -> list[Pinned]:
    """The packages of a parsed pdm.lock for this environment; `root` anchors relative paths."""
    selected: dict[str, Pinned] = {}
    for package in _packages(lock):
        if not isinstance(package, Mapping) or not isinstance(package.get("name"), str):
            continue
        name = canonicalize_name(package["name"])
        package_groups = _pdm_names(_strings(package.get("groups")))
        # Locks made without the inherit_metadata strategy record no groups: everything is for everyone.
        if package_groups and not package_groups & groups:
            continue
        if not _holds(package.get("marker"), environment) or name in selected:
            continue
        selected[name] = Pinned(name, package.get("version"), _pdm_line(package, root))
    return list(selected.values())


def _pdm_line(package: Mapping[str, Any], root: Path) -> str:
    name = str(package["name"])
    if isinstance(package.get("path"), str):
        target = (root / package["path"]).resolve()
        return f"-e {target}" if package.get("editable") is True else f"{name} @ {target.as_uri()}"
    if isinstance(package.get("url"), str):
        return f"{name} @ {package['url']}"
    if isinstance(package.get("git"), str):
        return f"{name} @ git+{package['git']}@{package.get('revision')}"
    return _files_line(name, str(package.get("version")), package.get("files"))


def _pdm_installs_project(pyproject: Mapping[str, Any]) -> bool:
    distribution = _table(pyproject, "tool", "pdm").get("distribution")
    return distribution if isinstance(distribution, bool) else "build-system" in pyproject


# Both --------------------------------------------------------------------------------------------------


def pinned_poetry(selecting: Selecting, lock: TableLock) -> PinnedInstall:
    """Poetry's install of a poetry.lock: its default groups, then the project itself unless
    `package-mode = false`."""
    pyproject, root = selecting.pyproject.data, selecting.root
    data = lock.doc.data
    choice = selecting.choice
    groups = poetry_groups(pyproject, choice)
    extras = list(_table(data, "extras")) if choice.all_extras else choice.extras
    packages = select_poetry(data, selecting.environment, groups, extras, root)
    package_mode = _table(pyproject, "tool", "poetry").get("package-mode", True)
    editable = root if package_mode is not False else None
    return PinnedInstall(tuple(packages), editable, _poetry_indexes(data))


def pinned_pdm(selecting: Selecting, lock: TableLock) -> PinnedInstall:
    """`pdm sync`'s install of a pdm.lock: its groups (`pdm_groups`), the project if a distribution."""
    pyproject, root = selecting.pyproject.data, selecting.root
    locked = _strings(_table(lock.doc.data, "metadata").get("groups"))
    chosen = pdm_groups(pyproject, selecting.choice, locked)
    if unlocked := sorted(chosen - _pdm_names(locked)) if locked else []:
        # What `pdm sync` refuses too: the lock was made without them, so it pins nothing for them.
        raise LockSelectionError(
            f"{selecting.lockfile.name} was locked without the group{'s' if len(unlocked) > 1 else ''} "
            f"{', '.join(unlocked)}; lock them too (`pdm lock -G :all`), or choose other groups."
        )
    packages = select_pdm(lock.doc.data, selecting.environment, chosen, root)
    editable = root if _pdm_installs_project(pyproject) else None
    sources = _table(pyproject, "tool", "pdm").get("source")
    urls = [s.get("url") for s in sources if isinstance(s, Mapping)] if isinstance(sources, list) else []
    return PinnedInstall(tuple(packages), editable, tuple(url for url in urls if isinstance(url, str)))


def locked_from_pinned(selecting: Selecting, lock: TableLock, plan: PinnedInstall) -> dict[str, Locked]:
    """A pinned install as `Locked` entries: each at its `[[package]]` table, the project (installed
    editable by the manager, not in its own lock) at its name in pyproject.toml."""
    doc, data = lock.doc, selecting.pyproject.data
    packages = doc.data.get("package")
    index_of = {
        canonicalize_name(p["name"]): i
        for i, p in enumerate(packages if isinstance(packages, list) else [])
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    }
    found: dict[str, Locked] = {}
    for item in plan.packages:
        where = doc.range_of(("package", index_of.get(item.name, 0), "name")) or Range.at(0)
        editable = item.line.startswith("-e ")
        found[item.name] = Locked(
            item.name, item.version, editable, item.line.split(" --hash")[0], selecting.lockfile, where
        )
    project_name = get_in(data, ("project", "name")) or get_in(data, ("tool", "poetry", "name"))
    if plan.editable is not None and isinstance(project_name, str):
        version = get_in(data, ("project", "version")) or get_in(data, ("tool", "poetry", "version"))
        name = canonicalize_name(project_name)
        found[name] = Locked(
            name,
            version if isinstance(version, str) else None,
            True,
            f"editable {selecting.root}",
            selecting.pyproject.path,
            selecting.pyproject.range_of(("project", "name")) or Range.at(0),
        )
    return found


def pinned_install(
    lockfile: Path,
    project_root: Path,
    venv: Path,
    choice: SyncChoice = SyncChoice(),
) -> PinnedInstall:
    """The exact install for `venv` from a lock whose format installs "pinned" (poetry.lock, pdm.lock;
    paths in it are relative to `project_root`). A lock the manager would refuse as stale raises
    LockSelectionError("needs-lock"), as `poetry install` / `pdm sync` do; so does an unreadable one
    ("failed")."""
    from pyhelper.drift.lock import is_drift
    from pyhelper.lockfiles.format import Checking, Selecting
    from pyhelper.lockfiles.registry import format_of_file

    document = read_toml(project_root / "pyproject.toml")
    if isinstance(document, Finding):
        raise LockSelectionError(f"{document.message} (line {document.range.start.line + 1})")
    environment = marker_environment(venv)
    fmt = format_of_file(lockfile.name)
    if fmt is None or fmt.pinned is None:
        raise LockSelectionError(f"installing from {lockfile.name} without its manager is not supported")
    lock = _parse(lockfile, fmt.parse)
    if is_drift(fmt.check(Checking(project_root, document, read_toml), lock)):
        raise _stale(lockfile)
    return fmt.pinned(Selecting(lockfile, project_root, document, environment, choice), lock)


def _stale(lockfile: Path) -> LockSelectionError:
    return LockSelectionError(
        f"{lockfile.name} is out of date with pyproject.toml; update the lockfile first.", "needs-lock"
    )


def _parse(lockfile: Path, parse: Callable[[Path, str], T | Finding]) -> T:
    from pyhelper.lockfiles import UnreadableFile, read_text_stable

    try:
        text, _ = read_text_stable(lockfile)
    except UnreadableFile as error:
        raise LockSelectionError(error.finding.message) from error
    parsed = parse(lockfile, text)
    if isinstance(parsed, Finding):
        raise LockSelectionError(f"{parsed.message} (line {parsed.range.start.line + 1})")
    return parsed


# uv ----------------------------------------------------------------------------------------------------

# Lines of a uv.lock package table that selection never needs: file URLs and hashes, most of the text.
_UV_FILES = re.compile(r"^sdist = .*\n|^wheels = \[\n(?:[ \t].*\n)*\]\n", re.MULTILINE)


@dataclass(frozen=True)
class UvEdge:
    """A dependency as uv.lock records it: `version`/`source` only when the name alone is ambiguous."""

    name: str
    version: str | None
    source: str | None
    marker: str | None
    extras: tuple[str, ...]


@dataclass(frozen=True)
class UvNode:
    name: str
    version: str | None
    source_kind: str
    """registry, virtual, editable, directory, path, git or url."""
    source: str
    offset: int
    """Where its `[[package]]` header starts in the lock text."""
    dependencies: tuple[UvEdge, ...]
    optional: Mapping[str, tuple[UvEdge, ...]]
    groups: Mapping[str, tuple[UvEdge, ...]]

    @property
    def installs(self) -> bool:
        # A virtual package (a project that is not built) is never installed; its dependencies are.
        return self.source_kind != "virtual"


@dataclass(frozen=True)
class UvGraph:
    """uv.lock's packages with their dependency edges."""

    nodes: tuple[UvNode, ...]
    members: tuple[str, ...]
    """Workspace members recorded in `[manifest]` (empty for a single project)."""
    entries: Mapping[str, UvNode] = field(default_factory=dict, compare=False, repr=False)
    """Each node by the text of its `[[package]]` entry, for the graph of the lock's next version:
    `uv add` rewrites a few entries of hundreds, whose nodes are all this takes from the new text."""

    @cached_property
    def _by_name(self) -> Mapping[str, list[UvNode]]:
        by_name: dict[str, list[UvNode]] = {}
        for node in self.nodes:
            by_name.setdefault(node.name, []).append(node)
        return by_name

    def named(self, name: str) -> list[UvNode]:
        # By index: following each edge through a scan of every node was quadratic in the lock's size.
        return list(self._by_name.get(name, ()))

    def resolve(self, edge: UvEdge) -> UvNode | None:
        candidates = self.named(edge.name)
        if len(candidates) > 1:
            candidates = [
                n
                for n in candidates
                if (edge.version is None or n.version == edge.version)
                and (edge.source is None or n.source == edge.source)
            ]
        return candidates[0] if candidates else None


def uv_graph(lock: UvLock, earlier: UvGraph | None = None) -> UvGraph:
    """The graph of a parsed uv.lock, its file lists skipped unparsed (a tenth of the work). Entries
    whose text is as in `earlier` (the graph of the lock's previous version) are not parsed again."""
    from pyhelper.tomlfile import loads

    whole = lock.top_chunk.doc.data.get("package")
    starts = [package.offset for package in lock.packages]
    known = earlier.entries if earlier is not None else {}
    nodes: list[UvNode] = []
    entries: dict[str, UvNode] = {}
    for index, package in enumerate(lock.packages):
        if isinstance(whole, list):
            data = whole[index] if index < len(whole) and isinstance(whole[index], Mapping) else {}
            nodes.append(_uv_node(package, data))
            continue
        end = starts[index + 1] if index + 1 < len(starts) else len(lock.text)
        chunk = lock.text[package.offset : end]
        node = known.get(chunk)
        if node is None:
            node = _uv_node(package, loads(_UV_FILES.sub("", chunk))["package"][0])
        elif node.offset != package.offset:  # the entries before it changed length
            node = UvNode(
                node.name,
                node.version,
                node.source_kind,
                node.source,
                package.offset,
                node.dependencies,
                node.optional,
                node.groups,
            )
        entries[chunk] = node
        nodes.append(node)
    members = _strings(_table(lock.top, "manifest").get("members"))
    return UvGraph(tuple(nodes), tuple(canonicalize_name(m) for m in members), entries)


def _uv_node(package: UvPackage, data: Mapping[str, Any]) -> UvNode:
    def edges(value: object) -> tuple[UvEdge, ...]:
        found = []
        for item in value if isinstance(value, list) else []:
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                source = item.get("source")
                found.append(
                    UvEdge(
                        canonicalize_name(item["name"]),
                        item.get("version") if isinstance(item.get("version"), str) else None,
                        next(iter(source.values()), None) if isinstance(source, Mapping) else None,
                        item.get("marker") if isinstance(item.get("marker"), str) else None,
                        tuple(canonicalize_name(e) for e in _strings(item.get("extra"))),
                    )
                )
        return tuple(found)

    return UvNode(
        package.name,
        package.version,
        package.source_kind,
        package.source,
        package.offset,
        edges(data.get("dependencies")),
        {canonicalize_name(k): edges(v) for k, v in _table(data, "optional-dependencies").items()},
        {canonicalize_name(k): edges(v) for k, v in _table(data, "dev-dependencies").items()},
    )


def uv_groups(pyproject: Mapping[str, Any], choice: SyncChoice = SyncChoice()) -> set[str] | None:
    """The groups `uv sync` installs with the choice's flags (`choice.uv_sync_flags`; None: every
    group): by default `dev` unless `tool.uv.default-groups` says otherwise, and those named."""
    configured = _table(pyproject, "tool", "uv").get("default-groups")
    if choice.all_groups or (choice.default_groups and configured == "all"):
        return None
    defaults = set(_strings(configured)) if isinstance(configured, list) else {"dev"}
    return {canonicalize_name(g) for g in (*(defaults if choice.default_groups else ()), *choice.groups)}


def select_uv(
    graph: UvGraph,
    environment: Mapping[str, str],
    roots: Sequence[str],
    groups: set[str] | None,
    extras: Sequence[str] | None = (),
    requirements: Sequence[UvEdge] = (),
) -> list[UvNode]:
    """The locked packages `uv sync` installs for `roots` (project names; the workspace's members when
    empty) into an environment with these marker values: their dependencies, the chosen extras and
    groups (None: every group; extras None: every extra of the roots), transitively, markers
    evaluated; virtual packages left out.
    `requirements`: dependencies of no locked package (a PEP 723 script's, which has no package of its
    own in its lock), followed too."""
    wanted: list[str] = [canonicalize_name(r) for r in roots] or list(graph.members)
    chosen_extras = tuple(canonicalize_name(e) for e in extras or ())
    seen: set[tuple[int, str | None]] = set()
    selected: dict[int, UvNode] = {}
    pending: list[tuple[UvNode, str | None]] = _follow(graph, requirements, environment)
    for name in wanted:
        for node in graph.named(name)[:1]:
            pending.append((node, None))
            pending.extend((node, extra) for extra in (node.optional if extras is None else chosen_extras))
            for group, group_edges in node.groups.items():
                if groups is None or group in groups:
                    pending.extend(_follow(graph, group_edges, environment))
    while pending:
        node, extra = pending.pop()
        if (node.offset, extra) in seen:
            continue
        seen.add((node.offset, extra))
        if node.installs:
            selected[node.offset] = node
        edges = node.dependencies if extra is None else node.optional.get(extra, ())
        pending.extend(_follow(graph, edges, environment))
    return sorted(selected.values(), key=lambda node: (node.name, node.offset))


def _follow(
    graph: UvGraph, edges: Sequence[UvEdge], environment: Mapping[str, str]
) -> list[tuple[UvNode, str | None]]:
    found: list[tuple[UvNode, str | None]] = []
    for edge in edges:
        target = graph.resolve(edge)
        if target is None or not _holds(edge.marker, environment):
            continue
        found.append((target, None))
        found.extend((target, extra) for extra in edge.extras)
    return found
