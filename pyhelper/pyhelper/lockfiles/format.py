"""`LockFormat`: everything Lockstep knows about one lock format, as its module exports it.

Each format module (`uv`, `poetry`, `pdm`, `pylock`) ends with one `FORMAT = LockFormat(...)`, and
`pyhelper.lockfiles.registry.FORMATS` lists them. The engine asks that object, never the format's
name: which files are its locks, which manager it belongs to, how to parse and check a lock, what a
lock installs into one environment, and which commands lock and install it.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar

from pyhelper.findings import Finding, Range
from pyhelper.lockfiles.choice import SyncChoice
from pyhelper.requirements import canonicalize_name, get_in, requirement_list, table
from pyhelper.tomlfile import KeyPath, TomlDocument

Manager = Literal["uv", "poetry", "pdm", "hatch", "pep621"]
"""The tools a project can be managed by: the lock formats' managers, Hatch, and plain PEP 621."""

if TYPE_CHECKING:
    from pyhelper.lockfiles import LockCache
    from pyhelper.lockfiles.selection import Locked, PinnedInstall

L = TypeVar("L")

Loader = Callable[[Path], "TomlDocument | Finding"]
"""Reads a pyproject file (the editor's unsaved buffer standing in for the open one)."""

Workspaces = dict[Path, "tuple[Path, ...] | None"]
"""The members of the workspace each folder's pyproject.toml declares (none when it declares no
workspace; None: the folder has no pyproject.toml), found once per run of the drift check (a tree's
walk, one check of a buffer): every member asks for its workspace's. Never kept longer, as members come
and go on disk."""

Install = Literal["uv-sync", "uv-pip-sync", "pinned"]
"""How a venv gets a lock's packages: `uv sync --locked` (uv reads its own lock), `uv pip sync LOCK`
(uv reads the file), or a pinned, hashed list Lockstep selects from the lock (`LockFormat.pinned`)."""


class Checking(NamedTuple):
    """What a check compares a lock with."""

    root: Path
    """The folder holding the lock (for a uv workspace, its root)."""
    doc: TomlDocument
    """The pyproject.toml in `root`."""
    load: Loader
    """Reads the other pyproject files the check needs (a workspace's members)."""


RequirementPlace = tuple[str, KeyPath, bool]
"""(PEP 503 name, key path, whether the path's last key is the name) of a requirement in a pyproject."""


def in_lists(doc: TomlDocument, paths: Iterable[KeyPath]) -> Iterator[RequirementPlace]:
    """The requirements of PEP 508 string arrays at `paths`."""
    for path in paths:
        for item in requirement_list(doc, path):
            if item.name is not None:
                yield item.name, item.path, False


def in_tables(doc: TomlDocument, paths: Iterable[KeyPath]) -> Iterator[RequirementPlace]:
    """The requirements of tables keyed by package name at `paths` (Poetry's), `python` left out."""
    for path in paths:
        for key in table(get_in(doc.data, path)):
            if key != "python":
                yield canonicalize_name(key), (*path, key), True


def of_pyproject(check: Callable[[TomlDocument, L], list[Finding]]) -> Callable[[Checking, L], list[Finding]]:
    """A `LockFormat.check` for a lock compared with the project's own pyproject.toml only."""
    return lambda checking, lock: check(checking.doc, lock)


class Selecting(NamedTuple):
    """What the selection of a lock's packages for one environment depends on."""

    lockfile: Path
    root: Path
    """The project's folder: relative paths in the lock start there."""
    pyproject: TomlDocument
    environment: Mapping[str, str]
    """PEP 508 marker values of the environment (`selection.marker_environment`)."""
    choice: SyncChoice = SyncChoice()
    """The groups and extras the environment gets."""
    cache: "LockCache | None" = None
    """Where a format keeps what it derives from a parsed lock (uv's dependency graph)."""


class LockEntry(NamedTuple):
    """One package a lock pins, for questions asked of its version (dependency health)."""

    name: str
    """PEP 503 name."""
    version: str | None
    range: Range
    """Where its entry starts in the lock (its `name = ...` line)."""
    index_url: str | None
    """The index the lock says it comes from (uv's registry URL, Poetry's source URL); None: the project's
    default index. Only entries `from_index` are asked about."""
    from_index: bool
    """Whether it comes from a package index (not the project itself, a path, a URL or git)."""
    dependencies: tuple[str, ...]
    """PEP 503 names it depends on (any extra, any group, any marker), for the chain that brings it in."""


class LockFormat(Generic[L]):
    """One lock format. `L` is the parsed lock its `parse` returns.

    A plain class rather than a dataclass: every cold `pyhelper check` imports it, and the dataclass
    machinery (the module and its generated methods) was a third of such a check's instructions.
    """

    def __init__(
        self,
        *,
        name: str,
        manager: Manager | None,
        parse: Callable[[Path, str], L | Finding],
        check: Callable[[Checking, L], list[Finding]],
        versions: Callable[[L, str], Sequence[str | None]],
        file_names: tuple[str, ...] = (),
        file_pattern: re.Pattern[str] | None = None,
        watch_globs: tuple[str, ...] = (),
        declared: Callable[[Mapping[str, Any]], bool] = lambda _: False,
        select: "Callable[[Selecting, L], dict[str, Locked]] | None" = None,
        selection_inputs: Callable[[Mapping[str, Any]], object] = lambda _: (),
        sync_keeps: frozenset[str] = frozenset(),
        install: Install | None = None,
        pinned: "Callable[[Selecting, L], PinnedInstall] | None" = None,
        lock_command: tuple[str, ...] = (),
        lock_tool_docs: str | None = None,
        requirement_places: Callable[[TomlDocument], Iterable[RequirementPlace]] = lambda _: (),
        shared_root: Callable[[Path, Loader, Workspaces], Path] | None = None,
        entries: Callable[[L], Sequence[LockEntry]] = lambda _: (),
    ) -> None:
        self.name = name
        """Short and stable: the `LockCache` kind, `drift.environment.LockSelection.manager`, messages."""
        self.manager = manager
        """The manager whose lock this is: a project holding one is managed by it. None for a format any
        tool writes (pylock.toml), which then never decides the manager."""
        self.parse = parse
        """The lock's text as a model; a `toml-syntax` finding when it is not one."""
        self.check = check
        """pyproject vs lock: the findings of `pyhelper.drift.lock` (its docstring lists the codes)."""
        self.versions = versions
        """Every version the lock holds of a package (PEP 503 name), for hover."""
        self.file_names = file_names
        """Exact names of its lock files."""
        self.file_pattern = file_pattern
        """For formats whose files carry a name of their own (`pylock.<name>.toml`)."""
        self.watch_globs = watch_globs
        """File-watcher globs for its files (default: `file_names`)."""
        self.declared = declared
        """Whether a parsed pyproject says `manager` manages it (when no lock decides)."""
        self.select = select
        """The packages the lock installs into one environment, by PEP 503 name (None: not modelled)."""
        self.selection_inputs = selection_inputs
        """The pyproject values `select` reads besides the lock (a cache key)."""
        self.sync_keeps = sync_keeps
        """Installed packages the manager's own sync leaves in place when the lock does not select them
        (`uv sync` is exact and removes everything)."""
        self.install = install
        self.pinned = pinned
        """For `install == "pinned"`: the exact install, raising `LockSelectionError("needs-lock")` when
        the manager would refuse the lock as stale."""
        self.lock_command = lock_command
        """What re-locks the project (`("poetry", "lock")`); empty: nothing does. `uv` is the uv Lockstep
        runs; other programs are looked up on PATH."""
        self.lock_tool_docs = lock_tool_docs
        """Where to get the lock command's program when it is not installed."""
        self.requirement_places = requirement_places
        """Where its manager's own requirement tables are in a pyproject (beyond PEP 621 and PEP 735),
        for placing environment findings and hover (`in_lists`, `in_tables`)."""
        self.shared_root = shared_root
        """For formats whose lock may sit above the project (a uv workspace): the folder whose lock covers
        the project at this path (the path itself when none does), recording the folders it looked at."""
        self.entries = entries
        """Every package the lock pins, with where its entry is and what it depends on."""

    def __repr__(self) -> str:
        return f"LockFormat({self.name!r})"

    def names_file(self, name: str) -> bool:
        """Whether a file called `name` is one of this format's locks."""
        return name in self.file_names or bool(self.file_pattern and self.file_pattern.match(name))

    @property
    def lock_name(self) -> str:
        """The file name to speak of ("poetry.lock"; the first name for formats with several)."""
        return self.file_names[0] if self.file_names else f"the {self.name} lock"
