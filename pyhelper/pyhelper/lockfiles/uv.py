"""uv.lock: read it fast, and compare it with the workspace's pyproject files as `uv lock --check` does.

uv decides a lock is stale when what the pyproject files now ask for differs from what the lock
recorded when it was made: each local package's `requires-dist`, `requires-dev` groups,
`provides-extras` and version, the workspace's members, the manifest's constraints and overrides,
the resolution options and `requires-python`. Differences of spelling that uv normalises away (name
case and `-_.`, order, whitespace, equivalent specifiers and markers) are not drift. A lock whose
entries contradict themselves (a version edited by hand) is refused by uv, so it is drift too.

Reading: uv writes the lock in a fixed layout, so instead of parsing all of a 1.4 MB file (most of it
wheel URLs and hashes), the reader finds the `[[package]]` headers with one regular expression, reads
name/version/source from the lines that follow each, and gives tomllib only the top of the file. The
few local packages' tables, their dependency edges commented out, are read by `_read_entry`, which
reads the subset of TOML uv writes there (tomllib reads anything else). When the layout is not the
expected one it parses the whole file.
"""

import bisect
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pyhelper import boundedread, codes, markers
from pyhelper.findings import Finding, Range, Related, Severity
from pyhelper.lockfiles.compare import Have, LockView, Parts, Want, compare_requirements
from pyhelper.lockfiles.format import Checking, Loader, LockEntry, LockFormat, Selecting, Workspaces, in_lists
from pyhelper.requirements import (
    Declared,
    canonicalize_name,
    dependency_groups,
    get_in,
    python_ranges_equal,
    quick_key,
    requirement_list,
    specifier_key,
    table,
)
from pyhelper.tomlfile import KeyPath, TOMLDecodeError, TomlDocument, loads, parse_toml

if TYPE_CHECKING:
    from pyhelper.lockfiles.selection import Locked, UvGraph, UvNode

_RUN = "run `uv lock`"
# The first lock revision whose member entries record `default-groups` (written by uv 0.13).
_DEFAULT_GROUPS_REVISION = 5

_ENTRY = re.compile(
    r'\[\[package\]\]\nname = "([^"\\\n]*)"\n(?:version = "([^"\\\n]*)"\n)?'
    r'source = \{ ([a-z]+) = "([^"\\\n]*)"'
)
_FIRST_FILE = re.compile(r'url = "[^"\n]*/([^/"\n]+)"')
# What a git source records besides the repository, in the order uv writes them.
_GIT_REFS = ("subdirectory", "branch", "tag", "rev")
_LOCAL_SOURCES = frozenset({"virtual", "editable", "directory"})
# Keys of a recorded requirement that are not where it comes from.
_REQUIREMENT_KEYS = frozenset({"name", "specifier", "marker", "extras", "group"})
# tool.uv setting -> [options] key in the lock, for the options uv re-resolves on.
_OPTIONS = {
    "resolution": "resolution-mode",
    "prerelease": "prerelease-mode",
    "fork-strategy": "fork-strategy",
    "exclude-newer": "exclude-newer",
}


class Chunk(NamedTuple):
    """A parsed piece of the lock and where it starts in the lock text."""

    doc: TomlDocument
    base: int


class UvPackage(NamedTuple):
    name: str
    version: str | None
    source_kind: str
    source: str
    offset: int


class UvLocal(NamedTuple):
    """A workspace member's (or other local package's) entry, parsed (by the fast reader without its
    dependency edges: see `_without_edges`)."""

    package: UvPackage
    data: dict[str, Any]
    chunk: Chunk
    path: KeyPath


class UvLock:
    def __init__(
        self,
        path: Path,
        text: str,
        top: dict[str, Any],
        top_chunk: Chunk,
        packages: list[UvPackage],
        local: dict[str, UvLocal],
        problems: list[tuple[int, str]],
    ) -> None:
        self.path, self.text, self.top, self.top_chunk = path, text, top, top_chunk
        self.packages, self.local = packages, local
        self.problems = problems
        """(offset, message) for entries uv would refuse to read."""
        self.by_name: dict[str, list[UvPackage]] = {}
        for package in packages:
            self.by_name.setdefault(package.name, []).append(package)

    @cached_property
    def _newlines(self) -> list[int]:
        """Where each line break is: a place's line is found by bisection, not by counting the breaks
        before it (which made placing every selected package quadratic in the lock's size)."""
        return [match.start() for match in re.finditer("\n", self.text)]

    def range_at(self, offset: int, length: int = 0) -> Range:
        line = bisect.bisect_left(self._newlines, offset)
        column = offset - (self._newlines[line - 1] + 1 if line else 0)
        return Range.at(line, column, length)

    def line_at(self, offset: int) -> Range:
        """From `offset` to the end of its line."""
        end = self.text.find("\n", offset)
        return self.range_at(offset, (len(self.text) if end < 0 else end) - offset)

    def range_in(self, chunk: Chunk, path: KeyPath) -> Range:
        span = chunk.doc.span(path)
        if span is None:
            return self.range_at(chunk.base)
        return self.range_at(chunk.base + span.start, span.end - span.start)

    def versions(self, name: str) -> list[str | None]:
        return [package.version for package in self.by_name.get(name, [])]

    def entries(self) -> list[LockEntry]:
        depends: dict[int, dict[str, None]] = {}
        for owner, _, name, _, _ in self._edges():
            depends.setdefault(owner.offset, {})[name] = None
        return [
            LockEntry(
                package.name,
                package.version,
                self.line_at(max(self.text.find("name = ", package.offset), package.offset)),
                package.source if package.source_kind == "registry" else None,
                package.source_kind == "registry",
                tuple(depends.get(package.offset, ())),
            )
            for package in self.packages
        ]

    @cached_property
    def dependency_problems(self) -> list[tuple[int, str]]:
        """(offset, message) for dependency edges uv cannot resolve to one locked package, so that it
        refuses the whole lock (uv's PackageIdForDependency::unwire and UnrecognizedDependency): an
        edge without `source` must name a package locked once, and every edge an existing entry.
        Found once per parsed lock, on the check's first use."""
        problems: list[tuple[int, str]] = []
        if self._edges_resolve():
            return problems
        for owner, offset, name, version, source in self._edges():
            problem = self._edge_problem(owner, name, version, source)
            if problem is not None:
                problems.append((offset, problem))
        return problems

    def _edges_resolve(self) -> bool:
        """Whether every edge of a lock read by the fast reader resolves, judged on the distinct edges
        (most are repeated); False means "look edge by edge" (`_edges` finds the
        same edges, with their owners and places, and a parsed-whole lock is always read that way)."""
        if isinstance(self.top_chunk.doc.data.get("package"), list) or not self.packages:
            return False
        text = self.text
        # The packages' text without their [package.metadata] (requirements, not edges), as in `_edges`.
        cuts = [self.packages[0].offset]
        headers = [package.offset for package in self.packages]
        for start in _line_starts(text, "[package.metadata]\n"):
            after = bisect.bisect_right(headers, start)
            if start > cuts[-1]:
                cuts += [start, headers[after] if after < len(headers) else len(text)]
        cuts.append(len(text))
        distinct = set()
        for begin, end in zip(cuts[::2], cuts[1::2], strict=False):
            # str.find, not the regex engine's scan: that goes character by character.
            at = text.find(_EDGE_LINE, begin, end)
            while at >= 0:
                match = _EDGE.match(text, at + 5, end)
                if match:
                    distinct.add(match.groups())
                at = text.find(_EDGE_LINE, at + 5, end)
        owner = self.packages[0]
        return all(
            self._edge_problem(owner, canonicalize_name(name), version, (kind, source) if kind else None)
            is None
            for name, version, kind, source in distinct
        )

    def _edges(self) -> Iterator[tuple[UvPackage, int, str, str | None, tuple[str, str] | None]]:
        whole = self.top_chunk.doc.data.get("package")
        if isinstance(whole, list):  # the file was parsed whole: read the edges from the data
            entries = (item for item in whole if _is_entry(item))
            for package, item in zip(self.packages, entries, strict=False):
                for edge in _edges_of(item):
                    pinned = edge.get("version")
                    origin = next(iter(table(edge.get("source")).items()), None)
                    yield (
                        package,
                        package.offset,
                        canonicalize_name(edge["name"]),
                        pinned if isinstance(pinned, str) else None,
                        (str(origin[0]), str(origin[1])) if origin else None,
                    )
            return
        # uv writes each edge on a line of its own, keys in a fixed order; requires-dist and
        # requires-dev (in a package's [package.metadata], after its edges) are requirements, not edges.
        text, packages = self.text, self.packages
        headers = [package.offset for package in packages]
        metadata = _line_starts(text, "[package.metadata]\n")
        at = text.find(_EDGE_LINE)
        while at >= 0:
            start = at + 5
            owner = bisect.bisect_right(headers, start) - 1
            last_metadata = bisect.bisect_right(metadata, start) - 1
            match = _EDGE.match(text, start)
            if owner >= 0 and match and (last_metadata < 0 or metadata[last_metadata] < headers[owner]):
                name, version, kind, source = match.groups()
                yield (
                    packages[owner],
                    start,
                    canonicalize_name(name),
                    version,
                    (kind, source) if kind else None,
                )
            at = text.find(_EDGE_LINE, start)

    def _edge_problem(
        self, owner: UvPackage, name: str, version: str | None, source: tuple[str, str] | None
    ) -> str | None:
        candidates = self.by_name.get(name, [])
        what = f"uv.lock's entry for {owner.name} depends on {name}"
        refused = f"so uv refuses the lock — {_RUN}"
        if not candidates:
            return f"{what}, which uv.lock does not hold (an entry removed by hand?), {refused}"
        if source is None and len(candidates) > 1:
            return f"{what} without saying which of its {len(candidates)} entries, {refused}"
        if source is None and version is None:
            return None
        for package in candidates:
            if (source is None or (package.source_kind, package.source) == source) and (
                version is None or package.version == version
            ):
                return None
        wanted = " ".join(part for part in (version, source and f"from {source[0]} {source[1]}") if part)
        return f"{what} {wanted}, which uv.lock does not hold, {refused}"


# A dependency edge as uv writes it: `{ name = "x", version = "1", source = { registry = "…" }, … }`.
_EDGE_LINE = '\n    { name = "'
_EDGE = re.compile(
    r'\{ name = "([^"\\\n]+)"(?:, version = "([^"\\\n]*)")?(?:, source = \{ ([a-z]+) = "([^"\\\n]*)")?'
)


def _is_entry(item: object) -> bool:
    return isinstance(item, dict) and isinstance(item.get("name"), str)


def _edges_of(item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A parsed package entry's dependency edges: dependencies, then by extra and by group."""
    lists: list[object] = [item.get("dependencies")]
    for key in ("optional-dependencies", "dev-dependencies"):
        lists.extend(table(item.get(key)).values())
    for edges in lists:
        for edge in edges if isinstance(edges, list) else []:
            if _is_entry(edge):
                yield edge


def parse_lock(path: Path, text: str) -> UvLock | Finding:
    """Read uv.lock; a file that is not TOML is a `toml-syntax` finding."""
    fast = _scan(path, text)
    if fast is not None:
        return fast
    parsed = parse_toml(path, text)
    if isinstance(parsed, Finding):
        return parsed
    return _from_document(parsed)


def _scan(path: Path, text: str) -> UvLock | None:
    """The fast reader; None when the text is not laid out as uv writes it."""
    if "\r" in text or not text.startswith("version = "):
        return None
    headers = _line_starts(text, "[[package]]\n")
    entries = [_ENTRY.match(text, start) for start in headers]
    if not headers or not all(entries):
        return None
    try:
        top = loads(text[: headers[0]])
    except TOMLDecodeError:
        return None
    metadata_owners = {
        bisect.bisect_right(headers, at) - 1 for at in _line_starts(text, "[package.metadata]\n")
    }
    ends = [*headers[1:], len(text)]
    packages: list[UvPackage] = []
    local: dict[str, UvLocal] = {}
    problems: list[tuple[int, str]] = []
    for index, (start, end, entry) in enumerate(zip(headers, ends, entries, strict=False)):
        assert entry is not None
        name, version, kind, source = entry.groups()
        package = UvPackage(canonicalize_name(name), version, kind, source, start)
        packages.append(package)
        if kind in _LOCAL_SOURCES or index in metadata_owners:
            chunk_text = _without_edges(text[start:end])
            try:
                data = _read_entry(chunk_text) or loads(chunk_text)
            except TOMLDecodeError:
                return None
            chunk = Chunk(TomlDocument(path, chunk_text, data), start)
            local[package.name] = UvLocal(package, data["package"][0], chunk, ("package", 0))
        elif kind == "registry" and version is not None:
            first = _FIRST_FILE.search(text, start, end)
            problem = _file_version_problem(package, first.group(1) if first else None)
            if problem:
                problems.append((start, problem))
    top_chunk = Chunk(TomlDocument(path, text[: headers[0]], top), 0)
    return UvLock(path, text, top, top_chunk, packages, local, problems)


# An entry's dependency edge, one per line before its [package.metadata] (where requirement lines look
# the same): `_without_edges` comments them out.
_EDGE_WHOLE_LINE = re.compile(r'^    \{ name = "[^\n]*', re.MULTILINE)


def _without_edges(entry: str) -> str:
    """A package entry with its dependency edges commented out, every other character where it was: the
    check reads a local entry's version, `default-groups` and `[package.metadata]`, never its edges
    (`_edges` reads those from the text), and the edges are most of tomllib's work on the entry. Its
    `dependencies`, `optional-dependencies` and `dev-dependencies` arrays parse as empty."""
    metadata = entry.find("\n[package.metadata]\n")
    edges = entry if metadata < 0 else entry[:metadata]
    blanked = _EDGE_WHOLE_LINE.sub(lambda line: "#" + " " * (len(line[0]) - 1), edges)
    return blanked if metadata < 0 else blanked + entry[metadata:]


# One token of the values uv writes in a local entry: a string without escapes, a boolean, a bracket or
# brace, a comma, or a bare key and its `=`.
_TOKEN = re.compile(
    r'[ ]*(?:"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"|(true|false)\b|([\[\]{},])|([A-Za-z0-9_-]+) = )'
)
_TABLE_HEADER = re.compile(r"\[package((?:\.[A-Za-z0-9_-]+)+)\]")


class _Unusual(Exception):
    """Not in the layout `_read_entry` reads: tomllib reads the entry instead."""


def _read_entry(entry: str) -> dict[str, Any] | None:
    """A local package's entry as tomllib reads it (`{"package": [table]}`), for the subset of TOML uv
    writes there: `[[package]]`, then `key = value` lines and `[package.…]` tables, values being
    strings without escapes, booleans, inline tables, and arrays on one line or one item per line.
    None for anything else (tomllib then decides, errors included). tomllib reads a string character by
    character, which made these few entries a sixth of a workspace check's instructions."""
    lines = entry.split("\n")
    if lines[0] != "[[package]]":
        return None
    package: dict[str, Any] = {}
    current = package
    tables: set[str] = set()
    # Tables that headers made (explicitly or as a header's parents): the only ones a header may enter.
    headed = {id(package)}
    try:
        index = 1
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line or line[0] == "#":
                continue
            if line[0] == "[":
                header = _TABLE_HEADER.fullmatch(line)
                if header is None or header.group(1) in tables:
                    return None
                tables.add(header.group(1))
                current = package
                for key in header.group(1)[1:].split("."):
                    if key not in current:
                        current[key] = {}
                        headed.add(id(current[key]))
                    current = current[key]
                    if id(current) not in headed:
                        return None
                continue
            key = _TOKEN.match(line)
            if key is None or key.group(4) is None or key.group(4) in current:
                return None
            if line == key.group(0) + "[":  # an array, one item per line until `]`
                items: list[Any] = []
                while lines[index] != "]":
                    item = lines[index]
                    index += 1
                    if item.startswith("#") or not item:
                        continue
                    if not item.startswith("    ") or not item.endswith(","):
                        return None
                    value, end = _value(item, 4)
                    if end != len(item) - 1:
                        return None
                    items.append(value)
                index += 1
                current[key.group(4)] = items
                continue
            value, end = _value(line, key.end())
            if end != len(line):
                return None
            current[key.group(4)] = value
    except (_Unusual, IndexError, RecursionError):  # nesting too deep: tomllib's reader says so
        return None
    return {"package": [package]}


def _value(line: str, at: int) -> tuple[Any, int]:
    """The value starting at `at` and where it ends; raises _Unusual for anything `_TOKEN` cannot spell."""
    token = _TOKEN.match(line, at)
    if token is None:
        raise _Unusual
    string, boolean, bracket, _ = token.groups()
    if string is not None:
        return string, token.end()
    if boolean is not None:
        return boolean == "true", token.end()
    if bracket == "[":
        items: list[Any] = []
        at = token.end()
        while True:
            closing = _TOKEN.match(line, at)
            if closing is not None and closing.group(3) == "]":
                return items, closing.end()
            value, at = _value(line, at)
            items.append(value)
            after = _TOKEN.match(line, at)
            if after is None or after.group(3) not in (",", "]"):
                raise _Unusual
            at = after.end() if after.group(3) == "," else at
    if bracket == "{":
        table: dict[str, Any] = {}
        at = token.end()
        part = _TOKEN.match(line, at)
        if part is not None and part.group(3) == "}":
            return table, part.end()
        while True:  # key = value, then `,` and the next (no trailing comma) or `}`
            if part is None or part.group(4) is None or part.group(4) in table:
                raise _Unusual
            table[part.group(4)], at = _value(line, part.end())
            after = _TOKEN.match(line, at)
            if after is None or after.group(3) not in (",", "}"):
                raise _Unusual
            if after.group(3) == "}":
                return table, after.end()
            part = _TOKEN.match(line, after.end())
    raise _Unusual


def _line_starts(text: str, line: str) -> list[int]:
    """Offsets of every line equal to `line` (str.find is much faster than a multi-line regex here)."""
    found = [0] if text.startswith(line) else []
    needle = "\n" + line
    at = text.find(needle)
    while at >= 0:
        found.append(at + 1)
        at = text.find(needle, at + 1)
    return found


def _from_document(doc: TomlDocument) -> UvLock:
    top = {key: value for key, value in doc.data.items() if key != "package"}
    chunk = Chunk(doc, 0)
    packages: list[UvPackage] = []
    local: dict[str, UvLocal] = {}
    problems: list[tuple[int, str]] = []
    raw = doc.data.get("package")
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        source = table(item.get("source"))
        kind, value = next(iter(source.items()), ("", ""))
        span = doc.span(("package", index))
        offset = span.start if span else 0
        version = item.get("version") if isinstance(item.get("version"), str) else None
        package = UvPackage(canonicalize_name(item["name"]), version, str(kind), str(value), offset)
        packages.append(package)
        if kind in _LOCAL_SOURCES or "metadata" in item:
            local[package.name] = UvLocal(package, item, chunk, ("package", index))
        elif kind == "registry" and version is not None:
            wheels = item.get("wheels")
            files = [item.get("sdist"), *(wheels if isinstance(wheels, list) else [])]
            urls = [f["url"] for f in files if isinstance(f, dict) and isinstance(f.get("url"), str)]
            problem = _file_version_problem(package, urls[0].rsplit("/", 1)[-1] if urls else None)
            if problem:
                problems.append((offset, problem))
    return UvLock(doc.path, doc.text, top, chunk, packages, local, problems)


def _file_version_problem(package: UvPackage, filename: str | None) -> str | None:
    """uv refuses a lock whose entry's files are of another version (a version edited by hand)."""
    if filename is None or package.version is None:
        return None
    if filename.endswith(".whl"):
        parts = filename.split("-")
        file_version = parts[1] if len(parts) >= 5 else None
    else:
        stem = re.sub(r"\.(tar\.gz|zip|tar\.bz2|tar\.xz|tgz|tar)$", "", filename)
        file_version = stem.rsplit("-", 1)[-1] if "-" in stem else None
    if file_version is None or file_version == package.version:
        return None
    from packaging.version import InvalidVersion, Version

    try:
        if Version(file_version) == Version(package.version):
            return None
    except InvalidVersion:
        return None
    return (
        f"uv.lock's entry for {package.name} says {package.version}, but its files are version "
        f"{file_version}: the entry was edited by hand, and uv will refuse the lock — {_RUN}"
    )


# ----------------------------------------------------------------------------------- the workspace


class Member(NamedTuple):
    root: Path
    doc: TomlDocument

    @property
    def project(self) -> dict[str, Any]:
        project = self.doc.data.get("project")
        return project if isinstance(project, dict) else {}

    @property
    def name(self) -> str | None:
        name = self.project.get("name")
        return canonicalize_name(name) if isinstance(name, str) else None

    @property
    def uv(self) -> dict[str, Any]:
        uv = get_in(self.doc.data, ("tool", "uv"))
        return uv if isinstance(uv, dict) else {}

    @property
    def dynamic_requirements(self) -> list[str]:
        """The requirement lists `[project] dynamic` leaves to the build backend."""
        dynamic = _strings(self.project.get("dynamic"))
        return [field for field in ("dependencies", "optional-dependencies") if field in dynamic]

    @property
    def is_package(self) -> bool:
        flag = self.uv.get("package")
        return flag if isinstance(flag, bool) else "build-system" in self.doc.data


def workspace_root(project_root: Path, load: Loader, workspaces: Workspaces) -> Path:
    """The root of the uv workspace `project_root` belongs to (itself when it is no member).

    As uv does (`find_workspace`), the nearest ancestor with a pyproject.toml decides: a workspace that
    includes it, or anything else (a project, a file of tool settings, a workspace that does not
    include it), where it stands alone, whatever workspaces further up say. What each ancestor
    declares is kept in `workspaces`, for the other members.
    """
    for parent in project_root.parents:
        if parent not in workspaces:
            workspaces[parent] = _declared_members(parent, load)
        members = workspaces[parent]
        if members is not None:
            return parent if project_root in members else project_root
    return project_root


def _declared_members(folder: Path, load: Loader) -> tuple[Path, ...] | None:
    """The members of the uv workspace `folder` declares: none when its pyproject.toml declares no
    workspace (uv stops looking there all the same); None when it has no pyproject.toml."""
    candidate = folder / "pyproject.toml"
    if not candidate.is_file():
        return None
    try:
        if "workspace" not in boundedread.read_text(candidate, boundedread.PYPROJECT):
            return ()
    except (OSError, UnicodeDecodeError):
        return ()
    doc = load(candidate)
    if isinstance(doc, TomlDocument) and isinstance(get_in(doc.data, ("tool", "uv", "workspace")), dict):
        return tuple(member_dirs(folder, doc))
    return ()


def member_dirs(root: Path, doc: TomlDocument) -> list[Path]:
    """Member folders named by `[tool.uv.workspace]` (globs), the root excluded."""
    workspace = get_in(doc.data, ("tool", "uv", "workspace"))
    if not isinstance(workspace, dict):
        return []
    excluded: set[Path] = set()
    for pattern in _strings(workspace.get("exclude")):
        excluded.update(_glob(root, pattern))
    found: list[Path] = []
    for pattern in _strings(workspace.get("members")):
        for match in sorted(_glob(root, pattern)):
            if match != root and match not in excluded and (match / "pyproject.toml").is_file():
                found.append(match)
    return found


def _glob(root: Path, pattern: str) -> list[Path]:
    """Folders matching a workspace glob. Members live inside the workspace: a pattern reaching out of it
    (`..`) matches none rather than walk the disk; so do patterns pathlib refuses (empty, absolute, `.`)."""
    if ".." in Path(pattern).parts:
        return []
    try:
        return list(root.glob(pattern))
    except (ValueError, NotImplementedError, IndexError):
        return []


def relative_source(
    target: Path | str, root: Path | str, relpath: Callable[[str, str], str] = os.path.relpath
) -> str:
    """A path source as uv.lock records it: relative to the workspace root, forward slashes; on
    Windows a path on another drive has no relative form and uv records it absolute (`D:/libs/x`)."""
    try:
        return Path(relpath(str(target), str(root))).as_posix().replace("\\", "/")
    except ValueError:
        return str(target).replace("\\", "/")


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# --------------------------------------------------------------------------------------- the check

Source = tuple[tuple[str, str], ...]


class SourceEntry(NamedTuple):
    """One `tool.uv.sources` entry: where the package comes from, for which environments, extra, group."""

    source: Source
    marker: markers.Expr
    extra: str | None
    group: str | None


Sources = dict[str, "list[SourceEntry] | None"]


def check(root: Path, root_doc: TomlDocument, lock: UvLock, load: Loader) -> list[Finding]:
    """Findings for the workspace at `root` (a single project is a workspace of one)."""
    findings: list[Finding] = []
    members = [Member(root, root_doc)] if "project" in root_doc.data else []
    for folder in member_dirs(root, root_doc):
        doc = load(folder / "pyproject.toml")
        if isinstance(doc, Finding):
            findings.append(doc)
        else:
            members.append(Member(folder, doc))
    workspace = _Workspace(root, Member(root, root_doc), members, lock)
    findings.extend(
        Finding(lock.path, lock.line_at(offset), Severity.ERROR, codes.LOCK_INVALID, message)
        for offset, message in (*lock.problems, *lock.dependency_problems)
    )
    findings.extend(workspace.requires_python())
    findings.extend(workspace.options())
    for member in members:
        findings.extend(workspace.member(member))
    findings.extend(workspace.removed_members())
    findings.extend(workspace.manifest())
    return findings


def check_script(doc: TomlDocument, lock: UvLock) -> list[Finding]:
    """Findings for a PEP 723 script (its block's TOML, positioned in the script) against its
    `NAME.py.lock`, as `uv lock --script NAME.py --check` decides: a lock whose `[manifest]
    requirements` are the script's `dependencies` (lowered through its `[tool.uv.sources]`), with the
    script's constraints, overrides, build constraints, resolution options and requires-python. uv
    treats the script as a workspace of no members rooted at the script's folder, so the workspace's
    comparisons apply unchanged."""
    script = doc.path
    root = script.parent
    fix = f"run `uv lock --script {script.name}`"
    workspace = _Workspace(root, Member(root, doc), [], lock, fix, script.name)
    findings = [
        Finding(
            lock.path,
            lock.line_at(offset),
            Severity.ERROR,
            codes.LOCK_INVALID,
            message.replace("uv.lock", lock.path.name).replace(_RUN, fix),
        )
        for offset, message in (*lock.problems, *lock.dependency_problems)
    ]
    findings.extend(workspace.script_requires_python())
    findings.extend(workspace.options())
    sources = workspace.script_sources()
    wants = [w for d in requirement_list(doc, ("dependencies",)) for w in _want(d, sources)]
    haves = workspace.recorded(lock.top_chunk, ("manifest", "requirements"), sources)
    # uv reads no package entry for a script it does not reach from the manifest: one removed from the
    # lock by hand passes its check (uv 0.13), so only the recorded requirements are compared.
    findings += compare_requirements(wants, haves, workspace.view, f"for {script.name}", check_locked=False)
    findings.extend(workspace.removed_members())
    findings.extend(workspace.manifest())
    return findings


class _Workspace:
    def __init__(
        self,
        root: Path,
        root_member: Member,
        members: list[Member],
        lock: UvLock,
        fix: str = _RUN,
        declared_in: str = "pyproject.toml",
    ) -> None:
        self.root, self.root_member, self.members, self.lock = root, root_member, members, lock
        self.fix, self.declared_in = fix, declared_in
        """How to re-lock, and what declares the requirements (a script's lock says `NAME.py`)."""
        python = lock.top.get("requires-python")
        python = python if isinstance(python, str) else None
        self.view = LockView(lock.path, fix, lock.versions, python, "uv", declared_in)
        self._relatives: dict[Path, str] = {}
        """Each path source's recorded form, made once: every member is lowered with the root's sources."""

    def requires_python(self) -> list[Finding]:
        recorded = self.view.python
        wanted = [
            (member, value)
            for member in self.members
            if isinstance(value := member.project.get("requires-python"), str)
        ]
        if not wanted or recorded is None or python_ranges_equal(",".join(v for _, v in wanted), recorded):
            return []
        related = self._related(self.lock.top_chunk, ("requires-python",))
        blamed = [(m, v) for m, v in wanted if not python_ranges_equal(v, recorded)] or wanted
        return [
            Finding(
                member.doc.path,
                member.doc.range_of(("project", "requires-python")) or Range.at(0),
                Severity.ERROR,
                codes.LOCK_REQUIRES_PYTHON,
                f"uv.lock was resolved for Python {recorded}, but requires-python is now {value} — {_RUN}",
                related,
            )
            for member, value in blamed
        ]

    def script_requires_python(self) -> list[Finding]:
        """A script's top-level requires-python against the lock's. A script without one is locked for
        the interpreter uv finds (`>=3.X` of its minor version), which a static reader cannot know:
        nothing is compared then."""
        doc = self.root_member.doc
        wanted, recorded = doc.data.get("requires-python"), self.view.python
        if not isinstance(wanted, str) or recorded is None or python_ranges_equal(wanted, recorded):
            return []
        return [
            Finding(
                doc.path,
                doc.range_of(("requires-python",)) or Range.at(0),
                Severity.ERROR,
                codes.LOCK_REQUIRES_PYTHON,
                f"{self.lock.path.name} was resolved for Python {recorded}, but requires-python is now "
                f"{wanted} — {self.fix}",
                self._related(self.lock.top_chunk, ("requires-python",)),
            )
        ]

    def script_sources(self) -> Sources:
        return self._sources(self.root_member)

    def recorded(self, chunk: Chunk, path: KeyPath, sources: Sources) -> list[Have]:
        return self._recorded(chunk, path, sources)

    def options(self) -> list[Finding]:
        recorded = self.lock.top.get("options")
        recorded = recorded if isinstance(recorded, dict) else {}
        settings, refused = _settings(self.root_member.uv)
        # uv warns and ignores the file's settings, so the lock's options are compared with none.
        ignored = f" (uv ignores the [tool.uv] settings: {refused})" if refused else ""
        findings: list[Finding] = []
        for setting, option in _OPTIONS.items():
            want, have = _chosen(setting, settings.get(setting)), _chosen(setting, recorded.get(option))
            if setting == "exclude-newer" and isinstance(span := recorded.get("exclude-newer-span"), str):
                # A relative cutoff is locked as a span beside a placeholder timestamp (uv's
                # ExcludeNewerWire); only a change of the span re-resolves, not the clock's tick.
                have = span
            if want is not None and not _same_option(setting, want, have):
                findings.append(
                    Finding(
                        self.root_member.doc.path,
                        self.root_member.doc.range_of(("tool", "uv", setting)) or Range.at(0),
                        Severity.WARNING,
                        codes.LOCK_STALE,
                        f"{self.lock.path.name} was resolved with {setting} = {have or 'the default'}; it "
                        f"is now {want}, so uv will re-lock — {self.fix}",
                    )
                )
            elif want is None and have is not None:
                findings.append(
                    Finding(
                        self.lock.path,
                        self.lock.range_in(self.lock.top_chunk, ("options", option)),
                        Severity.WARNING,
                        codes.LOCK_EXTRANEOUS,
                        f"{self.lock.path.name} was resolved with {option} = {have}, which "
                        f"{self.declared_in} no longer sets{ignored} — {self.fix}",
                    )
                )
        return findings + self._exclude_newer_packages(
            table(settings.get("exclude-newer-package")), table(recorded.get("exclude-newer-package"))
        )

    def _exclude_newer_packages(self, wanted: dict[str, Any], recorded: dict[str, Any]) -> list[Finding]:
        """`[tool.uv.exclude-newer-package]` against the lock's: any package added, removed or changed
        re-resolves (uv's ExcludeNewerPackageChange)."""
        have = {canonicalize_name(k): _cutoff(v) for k, v in recorded.items()}
        want = {canonicalize_name(k): _cutoff(v) for k, v in wanted.items()}
        changed = sorted(name for name in set(have) | set(want) if have.get(name) != want.get(name))
        if not changed:
            return []
        where = self.root_member.doc.range_of(("tool", "uv", "exclude-newer-package"))
        return [
            Finding(
                self.root_member.doc.path if where else self.lock.path,
                where or self.lock.range_in(self.lock.top_chunk, ("options", "exclude-newer-package")),
                Severity.WARNING,
                codes.LOCK_STALE,
                f"{self.lock.path.name} was resolved with other exclude-newer-package cutoffs (for "
                f"{', '.join(changed)}), so uv will re-lock — {self.fix}",
            )
        ]

    def member(self, member: Member) -> list[Finding]:
        name = member.name
        if name is None:
            return []
        local = self.lock.local.get(name)
        if local is None:
            return [
                Finding(
                    member.doc.path,
                    member.doc.range_of(("project", "name")) or Range.at(0),
                    Severity.ERROR,
                    codes.LOCK_MISSING_PACKAGE,
                    f"{name} is a workspace member but not in uv.lock — {_RUN}",
                )
            ]
        sources = self._sources(member)
        findings = self._version(member, local) + self._default_groups(member, local)
        dynamic = member.dynamic_requirements
        if dynamic:
            findings.append(self._taken_as_declared(member, dynamic))
        else:
            findings += compare_requirements(
                self._wanted_dist(member, sources),
                self._recorded(local.chunk, (*local.path, "metadata", "requires-dist"), sources),
                self.view,
                f"for {name}",
            )
        recorded = get_in(local.data, ("metadata", "requires-dev"))
        findings += self._groups(
            _wanted_groups(member, sources),
            recorded,
            local.chunk,
            (*local.path, "metadata", "requires-dev"),
            name,
            sources,
            # Empty groups are recorded from revision 1 on (uv's includes_empty_groups).
            empty_groups_of=member.doc if self._revision >= 1 else None,
        )
        if "optional-dependencies" not in dynamic:
            findings += self._extras(member, local)
        return findings

    def _default_groups(self, member: Member, local: UvLocal) -> list[Finding]:
        """`[tool.uv] default-groups` against the member's locked entry. uv 0.13 records it in each
        member's entry (absent: uv's default, `dev`) from lock revision 5 on, and re-resolves when it
        differs; older revisions did not record it, and uv does not compare it for them."""
        if self._revision < _DEFAULT_GROUPS_REVISION:
            return []
        wanted, recorded = member.uv.get("default-groups"), local.data.get("default-groups")
        if _group_choice(wanted) == _group_choice(recorded):
            return []
        where = member.doc.range_of(("tool", "uv", "default-groups"))
        return [
            Finding(
                member.doc.path if where else self.lock.path,
                where or self.lock.range_in(local.chunk, local.path),
                Severity.WARNING,
                codes.LOCK_STALE,
                f"uv.lock records default-groups = {_shown_groups(recorded)} for {member.name}; it is now "
                f"{_shown_groups(wanted)}, so uv will re-lock — {_RUN}",
                self._related(local.chunk, (*local.path, "default-groups")) if recorded is not None else (),
            )
        ]

    def _taken_as_declared(self, member: Member, dynamic: list[str]) -> Finding:
        """uv builds a package whose requirement lists are dynamic to learn them; a static reader
        cannot, so the lock's record of them stands (said once, as information)."""
        fields = " and ".join(f"`{field}`" for field in dynamic)
        verb, them = ("are", "them") if len(dynamic) > 1 else ("is", "it")
        return Finding(
            member.doc.path,
            member.doc.range_of(("project", "dynamic")) or Range.at(0),
            Severity.INFORMATION,
            codes.DYNAMIC_REQUIREMENTS,
            f"{member.name}'s {fields} {verb} dynamic (computed by its build backend), so Lockstep takes "
            f"uv.lock's record of {them} as declared; `uv lock --check` builds the package to compare",
        )

    def _groups(
        self,
        wanted: dict[str, list[Want]],
        recorded: object,
        chunk: Chunk,
        path: KeyPath,
        owner: str,
        sources: Sources | None = None,
        empty_groups_of: TomlDocument | None = None,
    ) -> list[Finding]:
        raw_names: dict[str, str] = {canonicalize_name(g): g for g in table(recorded)}
        findings: list[Finding] = []
        for group in sorted(set(wanted) | set(raw_names)):
            haves = self._recorded(chunk, (*path, raw_names.get(group, group)), sources or {})
            findings += compare_requirements(
                wanted.get(group, []), haves, self.view, f"in the {group} group of {owner}"
            )
        if empty_groups_of is not None:
            findings += self._empty_groups(wanted, recorded, raw_names, chunk, path, owner, empty_groups_of)
        return findings

    def _empty_groups(
        self,
        wanted: dict[str, list[Want]],
        recorded: object,
        raw_names: dict[str, str],
        chunk: Chunk,
        path: KeyPath,
        owner: str,
        doc: TomlDocument,
    ) -> list[Finding]:
        """An empty group counts as a group: added or removed, uv re-resolves."""
        declared = {canonicalize_name(g): g for g in table(doc.data.get("dependency-groups"))}
        findings = [
            Finding(
                doc.path,
                _key_range(doc, ("dependency-groups", declared.get(group, group))),
                Severity.WARNING,
                codes.LOCK_STALE,
                f"the empty group {group} of {owner} is not recorded in uv.lock — {_RUN}",
            )
            for group in sorted(wanted)
            if not wanted[group] and group not in raw_names
        ]
        findings += [
            Finding(
                self.lock.path,
                self.lock.range_in(chunk, (*path, raw)),
                Severity.WARNING,
                codes.LOCK_EXTRANEOUS,
                f"uv.lock records an empty group {group} of {owner} that pyproject.toml no longer "
                f"has — {_RUN}",
            )
            for group, raw in sorted(raw_names.items())
            if group not in wanted and table(recorded).get(raw) == []
        ]
        return findings

    @property
    def _revision(self) -> int:
        revision = self.lock.top.get("revision", 0)
        return revision if isinstance(revision, int) else 0

    def _version(self, member: Member, local: UvLocal) -> list[Finding]:
        wanted = member.project.get("version")
        recorded = local.package.version
        if (
            not isinstance(wanted, str)
            or recorded in (None, wanted)
            or specifier_key(f"=={wanted}") == specifier_key(f"=={recorded}")
        ):
            return []
        return [
            Finding(
                member.doc.path,
                member.doc.range_of(("project", "version")) or Range.at(0),
                Severity.WARNING,
                codes.LOCK_STALE,
                f"uv.lock records {member.name} {recorded}; the version is now {wanted}, "
                f"so uv will re-lock — {_RUN}",
                self._related(local.chunk, (*local.path, "version")),
            )
        ]

    def _extras(self, member: Member, local: UvLocal) -> list[Finding]:
        optional = member.project.get("optional-dependencies")
        wanted = {canonicalize_name(e): e for e in optional} if isinstance(optional, dict) else {}
        provided = get_in(local.data, ("metadata", "provides-extras"))
        recorded = {canonicalize_name(e) for e in _strings(provided)}
        findings = [
            Finding(
                member.doc.path,
                _key_range(member.doc, ("project", "optional-dependencies", raw)),
                Severity.WARNING,
                codes.LOCK_STALE,
                f"the extra {extra} of {member.name} is not recorded in uv.lock — {_RUN}",
            )
            for extra, raw in wanted.items()
            if extra not in recorded
        ]
        findings += [
            Finding(
                self.lock.path,
                self.lock.range_in(local.chunk, (*local.path, "metadata", "provides-extras")),
                Severity.WARNING,
                codes.LOCK_EXTRANEOUS,
                f"uv.lock records an extra {extra} of {member.name} that pyproject.toml no longer "
                f"has — {_RUN}",
            )
            for extra in sorted(recorded - set(wanted))
        ]
        return findings

    def removed_members(self) -> list[Finding]:
        recorded = get_in(self.lock.top, ("manifest", "members"))
        wanted = {member.name for member in self.members}
        return [
            Finding(
                self.lock.path,
                self.lock.range_in(self.lock.top_chunk, ("manifest", "members", index)),
                Severity.WARNING,
                codes.LOCK_EXTRANEOUS,
                f"uv.lock records a workspace member {name} that the workspace no longer has — {_RUN}",
            )
            for index, name in enumerate(recorded if isinstance(recorded, list) else [])
            if isinstance(name, str) and canonicalize_name(name) not in wanted
        ]

    def manifest(self) -> list[Finding]:
        settings_doc = self.root_member.doc
        # uv lowers them with the workspace's sources, as it does requirements (a constraint on a
        # package from a path records its directory).
        sources = self._sources(self.root_member)
        findings: list[Finding] = []
        for setting, key, what in (
            ("constraint-dependencies", "constraints", "constraints"),
            ("override-dependencies", "overrides", "overrides"),
            ("build-constraint-dependencies", "build-constraints", "build constraints"),
        ):
            declared = requirement_list(settings_doc, ("tool", "uv", setting))
            wants = [want for item in declared for want in _want(item, sources)]
            haves = self._recorded(self.lock.top_chunk, ("manifest", key), sources)
            if key != "build-constraints":
                # uv (0.13.9) leaves out a constraint or override on a package that the lock neither
                # holds nor records one for: it changes nothing the lock resolved. Build constraints
                # it compares whole (tests/drift/test_uv_offline.py asks uv).
                named = self.lock.by_name.keys() | {have.name for have in haves}
                wants = [want for want in wants if want.item.name is None or want.item.name in named]
            # A constraint need not name a package the lock holds (it may constrain nothing).
            findings += compare_requirements(wants, haves, self.view, f"in the uv {what}", check_locked=False)
        if "project" not in settings_doc.data:
            wanted = {g: [Want(d) for d in items] for g, items in dependency_groups(settings_doc).items()}
            recorded = get_in(self.lock.top, ("manifest", "dependency-groups"))
            findings += self._groups(
                wanted, recorded, self.lock.top_chunk, ("manifest", "dependency-groups"), "the workspace"
            )
        return findings

    # -- sources and requirements

    def _sources(self, member: Member) -> dict[str, list[SourceEntry] | None]:
        """tool.uv.sources as the lock records them: the member's own entry for a name, else the
        root's (uv's lowering.rs); None for a name whose source is not modelled."""
        sources: dict[str, list[SourceEntry] | None] = {}
        owners = (self.root_member, member) if self._lowered_in_workspace(member) else (member,)
        for owner in owners:
            table = owner.uv.get("sources")
            for name, value in table.items() if isinstance(table, dict) else ():
                name = canonicalize_name(name)
                entries = value if isinstance(value, list) else [value]
                lowered = [self._source_entry(member, owner.root, name, entry) for entry in entries]
                sources[name] = None if None in lowered else [e for e in lowered if e is not None]
        return sources

    def _lowered_in_workspace(self, member: Member) -> bool:
        """Whether uv lowers the member's requirements with the workspace root's sources. uv reads a
        member's metadata from the workspace it discovers from the member's own folder, where the
        nearest pyproject.toml above decides (uv-workspace's find_workspace): a member nested in
        another project's folder (`examples/x` under a project `examples/`) is lowered alone, and
        the lock records its requirement on a sibling member as a plain registry one."""
        try:
            # The folders between the root and the member (from the member's path below the root: testing
            # each of its ancestors against the root was 2% of a workspace's check).
            between = member.root.relative_to(self.root).parents
        except ValueError:
            return True  # not below the root: no folder between
        return all(
            not (self.root / folder / "pyproject.toml").is_file() for folder in between if folder.parts
        )

    def _source_entry(self, member: Member, owner_root: Path, name: str, value: object) -> SourceEntry | None:
        if not isinstance(value, dict):
            return None
        source = self._source(member, owner_root, name, value)
        scope = value.get("marker")
        try:
            marker = markers.parse(scope) if isinstance(scope, str) else markers.TRUE
        except ValueError:
            return None
        extra, group = value.get("extra"), value.get("group")
        if source is None or not all(v is None or isinstance(v, str) for v in (extra, group)):
            return None
        extra = canonicalize_name(extra) if isinstance(extra, str) else None
        group = canonicalize_name(group) if isinstance(group, str) else None
        if source[0][0] == "index" and member.name is not None and (extra or group):
            # An index source scoped to an extra or group carries the conflict it resolves in
            # (uv's lowering: ConflictItem of the project being lowered and that extra, else group).
            source = tuple(sorted((*source, ("conflict", _conflict_key(member.name, extra, group)))))
        return SourceEntry(source, marker, extra, group)

    def _source(self, member: Member, owner_root: Path, name: str, value: dict[str, Any]) -> Source | None:
        if value.get("workspace") is True:
            required = next((m for m in self.members if m.name == name), None)
            if required is None:
                return None
            kind = "editable" if required.is_package and value.get("editable", True) else "virtual"
            return ((kind, self._relative(required.root)),)
        if isinstance(value.get("index"), str):
            # The project's own indexes first, then the workspace's (uv's lowering).
            indexes = [*_indexes(member.uv), *_indexes(self.root_member.uv)]
            urls = [i.get("url") for i in indexes if i.get("name") == value["index"]]
            return (("index", urls[0]),) if urls and isinstance(urls[0], str) else None
        if isinstance(value.get("git"), str):
            refs = [
                (k, value[k])
                for k in ("subdirectory", "branch", "tag", "rev")
                if isinstance(value.get(k), str)
            ]
            return (("git", _git_key(value["git"], refs)),)
        if isinstance(value.get("path"), str):
            target = Path(os.path.normpath(owner_root / value["path"]))
            kind = "path" if target.is_file() else "editable" if value.get("editable") else "directory"
            return ((kind, self._relative(target)),)
        if isinstance(value.get("url"), str):
            return (("url", value["url"]),)
        return None

    def _relative(self, target: Path) -> str:
        if target not in self._relatives:
            self._relatives[target] = relative_source(target, self.root)
        return self._relatives[target]

    def _wanted_dist(self, member: Member, sources: Sources) -> list[Want]:
        wants = [
            w for d in requirement_list(member.doc, ("project", "dependencies")) for w in _want(d, sources)
        ]
        optional = member.project.get("optional-dependencies")
        for extra in optional if isinstance(optional, dict) else {}:
            path = ("project", "optional-dependencies", extra)
            for item in requirement_list(member.doc, path):
                wants.extend(_want(item, sources, extra=canonicalize_name(extra)))
        return wants

    def _recorded(self, chunk: Chunk, path: KeyPath, sources: Sources) -> list[Have]:
        entries = get_in(chunk.doc.data, path)
        haves: list[Have] = []
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            name = canonicalize_name(entry["name"])
            extras = _strings(entry.get("extras"))
            marker = _string(entry.get("marker")) or None
            specifier = _string(entry.get("specifier"))
            source: Source = tuple(
                sorted((k, _recorded_source(k, v)) for k, v in entry.items() if k not in _REQUIREMENT_KEYS)
            )
            if name in sources and sources[name] is None:
                source = ()
            spelled = name + (f"[{','.join(extras)}]" if extras else "") + specifier
            spelled += f"; {marker}" if marker else ""
            quick = quick_key(spelled)
            text = spelled + "".join(f" from {kind} {value}" for kind, value in source)
            haves.append(
                Have(
                    name,
                    None if quick is None else (*quick, source),
                    _recorded_parts(name, extras, specifier, marker, source),
                    text,
                    _locator(self.lock, chunk, (*path, index)),
                )
            )
        return haves

    def _related(self, chunk: Chunk, path: KeyPath) -> tuple[Related, ...]:
        return (Related(self.lock.path, self.lock.range_in(chunk, path), "recorded here"),)


def _recorded_parts(
    name: str, extras: list[str], specifier: str, marker: str | None, source: Source
) -> Callable[[], Parts]:
    return lambda: (
        (name, frozenset(canonicalize_name(e) for e in extras), specifier_key(specifier), source),
        marker,
    )


def _locator(lock: UvLock, chunk: Chunk, path: KeyPath) -> Callable[[], Range]:
    return lambda: lock.range_in(chunk, path)


def _wanted_groups(member: Member, sources: Sources) -> dict[str, list[Want]]:
    groups = {
        g: [w for d in items for w in _want(d, sources, group=g)]
        for g, items in dependency_groups(member.doc).items()
    }
    legacy = requirement_list(member.doc, ("tool", "uv", "dev-dependencies"))
    if legacy:
        groups.setdefault("dev", []).extend(w for d in legacy for w in _want(d, sources, group="dev"))
    return groups


def _want(
    item: Declared, sources: Sources, *, extra: str | None = None, group: str | None = None
) -> list[Want]:
    """The requirements uv records for one declared requirement (uv's LoweredRequirement): one per
    `tool.uv.sources` entry that applies (its marker and-ed on), and the requirement itself, from the
    index, for the environments no entry's marker covers."""
    # Only a requirement with an `@` can name a URL: the others need no parsing here (packaging's import
    # is most of a cold check's time).
    parsed = item.parsed if "@" in item.text else None
    if parsed is not None and parsed.url:
        url = parsed.url
        if url.startswith("git+"):
            return [Want(item, extra, (("git", _git_key(url.removeprefix("git+"), [])),))]
        return [Want(item, extra, (("url", url),))]
    entries = sources.get(item.name) if item.name is not None else []
    if entries is None:  # a source not modelled: the recorded requirement's source is not compared
        return [Want(item, extra)]
    entries = [e for e in entries or [] if e.extra in (None, extra) and e.group in (None, group)]
    if not entries:
        return [Want(item, extra)]
    wants = [Want(item, extra, entry.source, entry.marker) for entry in entries]
    rest = markers.negate(markers.either(*(entry.marker for entry in entries)))
    if rest is not markers.FALSE and markers.normal_form(rest) is not False:
        wants.append(Want(item, extra, (), rest))
    return wants


def _group_choice(value: object) -> object:
    """default-groups as uv compares it: `all`, or the set of normalised group names (absent: dev)."""
    if value is None:
        return frozenset({"dev"})
    if isinstance(value, list):
        return frozenset(canonicalize_name(g) for g in value if isinstance(g, str))
    return value


def _shown_groups(value: object) -> str:
    if value is None:
        return "the default (dev)"
    return (
        f'"{value}"' if isinstance(value, str) else "[" + ", ".join(f'"{g}"' for g in _strings(value)) + "]"
    )


def _recorded_source(key: str, value: object) -> str:
    if key == "git" and isinstance(value, str):
        return _git_key(value, [])
    if key == "conflict" and isinstance(value, dict):
        extra, group = value.get("extra"), value.get("group")
        return _conflict_key(
            _string(value.get("package")),
            canonicalize_name(extra) if isinstance(extra, str) else None,
            canonicalize_name(group) if isinstance(group, str) else None,
        )
    return str(value)


def _conflict_key(package: str, extra: str | None, group: str | None) -> str:
    """A conflict item as uv compares it (package, then extra or group, names normalised), shown as
    `package[extra]` or `package:group`."""
    name = canonicalize_name(package)
    return f"{name}[{extra}]" if extra else f"{name}:{group}" if group else name


def _git_key(url: str, refs: list[tuple[str, str]]) -> str:
    """A git source as uv compares it (RequirementSourceWire::Git): the repository without
    credentials, query or commit fragment, then subdirectory and the requested branch, tag or rev.
    `url` is the lock's `…?rev=…#commit`, a PEP 508 `…@rev#subdirectory=…` or a source's `git`."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url)
    found = dict(parse_qsl(parts.query))
    path = parts.path
    if not parts.query and "@" in path.rsplit("/", 1)[-1]:
        path, _, found["rev"] = path.rpartition("@")
    fragment = dict(parse_qsl(parts.fragment)) if "=" in parts.fragment else {}
    if "subdirectory" in fragment:
        found["subdirectory"] = fragment["subdirectory"]
    found.update(refs)
    host = parts.hostname or ""
    location = f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{path}"
    ordered = [(k, found[k]) for k in _GIT_REFS if k in found]
    return location + ("?" + "&".join(f"{k}={v}" for k, v in ordered) if ordered else "")


def _indexes(settings: dict[str, Any]) -> list[dict[str, Any]]:
    indexes = settings.get("index")
    return [i for i in indexes if isinstance(i, dict)] if isinstance(indexes, list) else []


def _key_range(doc: TomlDocument, path: KeyPath) -> Range:
    span = doc.key_span(path)
    # Every caller names a key its document holds (a declared group or extra): the fallback never runs.
    return doc.range(span) if span else doc.range_of(path) or Range.at(0)  # pragma: no mutate


# The values uv's settings schema takes for the options compared (uv's ResolutionMode, PrereleaseMode
# and ForkStrategy, kebab-case).
_CHOICES = {
    "resolution": ("highest", "lowest", "lowest-direct"),
    "prerelease": ("disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit"),
    "fork-strategy": ("fewest", "requires-python"),
}


# uv 0.13's defaults, which the lock does not record (`resolution = "highest"` is no option set), and
# the deprecated spelling of one.
_DEFAULTS = {"resolution": "highest", "prerelease": "if-necessary", "fork-strategy": "requires-python"}
_ALIASES = {"if-necessary-or-explicit": "if-necessary"}


def _chosen(setting: str, value: object) -> object:
    """An option as uv records it: None for its default."""
    value = _ALIASES.get(value, value) if isinstance(value, str) else value
    return None if value == _DEFAULTS.get(setting) else value


def _settings(settings: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """`[tool.uv]` as uv's settings see it, and why uv ignores it, if it does. uv reads the table twice:
    as the workspace (sources, members, dependency lists), and as settings, all or nothing — one value
    its schema refuses and uv warns "Failed to parse `pyproject.toml` during settings discovery" and
    takes none of the file's settings, the resolution options included (uv 0.13)."""
    for setting, choices in _CHOICES.items():
        value = settings.get(setting)
        if value is not None and value not in choices:
            return {}, f"{setting} = {value!r} is not one of {', '.join(choices)}"
    cutoffs = [("exclude-newer", settings.get("exclude-newer"))]
    packages = settings.get("exclude-newer-package")
    cutoffs += [(f"exclude-newer-package.{k}", v) for k, v in table(packages).items()]
    for setting, value in cutoffs:
        if value is not None and _cutoff(value) == _REFUSED:
            return {}, f"{setting} = {value!r} is no date, timestamp or span of weeks, days or less"
    return settings, None


def _same_option(setting: str, want: object, have: object) -> bool:
    if setting != "exclude-newer":
        return str(want) == str(have)
    wanted, recorded = _cutoff(want), _cutoff(have)
    if wanted == recorded:
        return True
    # A later absolute cutoff keeps the lock: everything in it was uploaded before the old cutoff, so
    # uv 0.13 reuses it (an earlier cutoff re-resolves).
    return wanted[0] == recorded[0] == "at" and wanted[1] >= recorded[1]  # type: ignore[operator]


# A span as jiff (uv's time library) holds it: sign, then years, months, weeks, days, hours, minutes,
# seconds, milli-, micro- and nanoseconds. uv compares spans field by field (`7 days` is not `1 week`).
_SPAN_FIELDS = ("Y", "M", "W", "D", "H", "min", "S", "ms", "us", "ns")
_NANOS = {"H": 3600 * 10**9, "min": 60 * 10**9, "S": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
# jiff's friendly duration labels (fmt::friendly), longest first so `mo` is not read as `m`.
_LABELS = {
    **dict.fromkeys(("years", "year", "yrs", "yr", "y"), "Y"),
    **dict.fromkeys(("months", "month", "mos", "mo"), "M"),
    **dict.fromkeys(("weeks", "week", "wks", "wk", "w"), "W"),
    **dict.fromkeys(("days", "day", "d"), "D"),
    **dict.fromkeys(("hours", "hour", "hrs", "hr", "h"), "H"),
    **dict.fromkeys(("minutes", "minute", "mins", "min", "m"), "min"),
    **dict.fromkeys(("seconds", "second", "secs", "sec", "s"), "S"),
    **dict.fromkeys(("milliseconds", "millisecond", "millis", "milli", "msecs", "msec", "ms"), "ms"),
    **dict.fromkeys(("microseconds", "microsecond", "micros", "micro", "usecs", "usec", "us"), "us"),
    **dict.fromkeys(("\u00b5secs", "\u00b5sec", "\u00b5s"), "us"),
    **dict.fromkeys(("nanoseconds", "nanosecond", "nanos", "nano", "nsecs", "nsec", "ns"), "ns"),
}
# Patterns, not compiled ones: few projects set exclude-newer, and compiling these at import was 3% of
# every cold check's instructions; `re.compile` at the use compiles each once (re's cache).
_WS = "[ \t\n\f\r]"
_LABEL = "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True))
_FRIENDLY_UNIT = rf"([0-9]+)(?:[.,]([0-9]{{1,9}}))?{_WS}*({_LABEL})(?![a-z\u00b5])(?:,{_WS}+|{_WS}*)"
_FRIENDLY_HMS = r"([0-9]+):([0-9]+):([0-9]+)(?:[.,]([0-9]{1,9}))?"
_ISO_TIME = r"(?:([0-9]+)(?:[.,]([0-9]{{1,9}}))?{})?"
_ISO_SPAN = (
    r"([+-]?)P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?"
    rf"(?:T{_ISO_TIME.format('H')}{_ISO_TIME.format('M')}{_ISO_TIME.format('S')})?"
)
_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ].*)?"
_REFUSED = ("refused", None)


def _cutoff(value: object) -> tuple[str, object]:
    """An exclude-newer value as uv compares it (uv's ExcludeNewerValue::from_str): ("at", time),
    ("span", fields), ("off", None) for a package's `false`, or ("refused", None) for a value uv
    cannot read, which makes uv ignore every setting of the file (see `_settings`)."""
    if value is False:
        return ("off", None)
    if isinstance(value, dict):  # a package's relative cutoff: { timestamp = ..., span = ... }
        value = value.get("span", value.get("timestamp"))
    if not isinstance(value, str):
        return _REFUSED
    # Imported here: only a project that sets exclude-newer needs it, and a cold check pays for it.
    from datetime import datetime, timedelta, timezone

    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is not None:
        return ("at", moment)
    if date := re.compile(_DATE).fullmatch(value):
        # A date (or a date and time without an offset): the start of the next day, local time.
        year, month, day_of_month = (int(part) for part in date.groups())
        day = datetime(year, month, day_of_month)  # local time, as uv
        return ("at", (day + timedelta(days=1)).astimezone(timezone.utc))
    span = _span(value)
    if span is None or span[1] or span[2]:
        # uv refuses years and months ("use days instead"): their length varies.
        return _REFUSED
    return ("span", span)


def _span(text: str) -> tuple[int, ...] | None:
    """jiff's Span of an ISO 8601 or "friendly" duration, as (sign, *fields); None if not one."""
    iso = re.compile(_ISO_SPAN, re.IGNORECASE).fullmatch(text)
    if iso:
        groups = iso.groups()
        dates, times = groups[1:5], groups[5:]
        if all(g is None for g in dates + times) or ("T" in text.upper() and all(g is None for g in times)):
            return None
        units: list[tuple[str | None, str | None, str]] = [
            (n, None, u) for n, u in zip(dates, "YMWD", strict=True)
        ]
        units += [(times[i], times[i + 1], u) for i, u in zip((0, 2, 4), ("H", "min", "S"), strict=True)]
        present = [(n, fraction, unit) for n, fraction, unit in units if n is not None]
        if any(fraction is not None for _, fraction, _ in present[:-1]):
            return None
        return _fields(groups[0] == "-", [(int(n), fraction, unit) for n, fraction, unit in present])
    sign, rest = (text[0], text[1:]) if text[:1] in ("+", "-") else ("", text)
    ago = re.search(rf"{_WS}ago$", rest) if not sign else None
    rest = rest[: ago.start()] if ago else rest
    found: list[tuple[int, str | None, str]] = []
    position = 0
    friendly_hms, friendly_unit = re.compile(_FRIENDLY_HMS), re.compile(_FRIENDLY_UNIT)
    while position < len(rest):
        hms = friendly_hms.fullmatch(rest, position)
        if hms and not any(unit in ("H", "min", "S") for *_, unit in found):
            found += [(int(hms[1]), None, "H"), (int(hms[2]), None, "min"), (int(hms[3]), hms[4], "S")]
            break
        unit = friendly_unit.match(rest, position)
        if unit is None or unit.end() == position:
            return None
        found.append((int(unit[1]), unit[2], _LABELS[unit[3]]))
        position = unit.end()
    order = [_SPAN_FIELDS.index(u) for *_, u in found]
    if not found or order != sorted(set(order)) or any(f is not None for _, f, _ in found[:-1]):
        return None
    if found[-1][1] is not None and found[-1][2] in "YMWD":
        return None  # a fraction only of hours or a smaller unit
    return _fields(sign == "-" or ago is not None, found)


def _fields(negative: bool, units: list[tuple[int, str | None, str]]) -> tuple[int, ...]:
    counts = dict.fromkeys(_SPAN_FIELDS, 0)
    for n, fraction, unit in units:
        counts[unit] = n
        if fraction:
            # jiff spreads a fraction over the smaller units (`1.5 hours` is PT1H30M).
            nanos = int(fraction.ljust(9, "0")) * _NANOS[unit] // 1_000_000_000
            for smaller in _SPAN_FIELDS[_SPAN_FIELDS.index(unit) + 1 :]:
                counts[smaller], nanos = divmod(nanos, _NANOS[smaller])
    values = tuple(counts[f] for f in _SPAN_FIELDS)
    return (-1 if negative and any(values) else 1 if any(values) else 0, *values)


# ------------------------------------------------------------------------------------- the format

# `[[package]]\n` precedes the `name = ...` line a selected package's findings point at.
_HEADER = len("[[package]]\n")


def _select(selecting: Selecting, lock: UvLock) -> dict[str, "Locked"]:
    """What `uv sync` installs: the project's (or the workspace's) packages, groups and extras chosen."""
    # Imported when a venv is compared, never to check a lock (start-up time).
    from pyhelper.lockfiles.selection import select_uv, uv_groups

    data = selecting.pyproject.data
    name = get_in(data, ("project", "name"))
    roots = [name] if isinstance(name, str) else []
    choice = selecting.choice
    groups = uv_groups(data, choice)
    extras = None if choice.all_extras else choice.extras
    graph = _graph(selecting, lock)
    return _located(selecting.lockfile, lock, select_uv(graph, selecting.environment, roots, groups, extras))


def select_script(selecting: Selecting, lock: UvLock) -> dict[str, "Locked"]:
    """What `uv sync --script` installs from `NAME.py.lock`: the block's `dependencies` (in
    `selecting.pyproject`, the block's document), transitively; a script has no package of its own in
    its lock, and no groups."""
    from packaging.requirements import InvalidRequirement, Requirement

    from pyhelper.lockfiles.selection import UvEdge, select_uv

    edges = []
    for line in _strings(selecting.pyproject.data.get("dependencies")):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue  # the lock check reports it at its line
        marker = str(requirement.marker) if requirement.marker is not None else None
        extras = tuple(canonicalize_name(extra) for extra in sorted(requirement.extras))
        edges.append(UvEdge(canonicalize_name(requirement.name), None, None, marker, extras))
    graph = _graph(selecting, lock)
    return _located(selecting.lockfile, lock, select_uv(graph, selecting.environment, (), set(), (), edges))


def _graph(selecting: Selecting, lock: UvLock) -> "UvGraph":
    from pyhelper.lockfiles.selection import UvGraph, uv_graph

    cache = selecting.cache
    if cache is None:
        return uv_graph(lock)

    def graph_of(path: Path, text: str, earlier: UvGraph | None = None) -> UvGraph:
        # The lock at hand is the file just read (always, but for a write in between): not parsed again.
        return uv_graph(lock, earlier=earlier) if text == lock.text else _graph_of(path, text)

    # The kind only has to differ from the parsed lock's ("uv"), and `revise` only reuses the earlier
    # graph's unchanged entries (speed): mutating either changes no graph.
    return cache.get(selecting.lockfile, "uv-graph", graph_of, revise=graph_of)  # pragma: no mutate


def _located(path: Path, lock: UvLock, nodes: Iterable["UvNode"]) -> dict[str, "Locked"]:
    """The selected nodes as Locked entries, each at its `name = ` line in the lock. The lines are
    counted from one place to the next in the lock's order (one pass over the text), not looked up
    in a table of every line break, which cost as much as the selection itself."""
    from pyhelper.lockfiles.selection import Locked

    selected = list(nodes)
    text, places = lock.text, {}
    line = previous = 0
    for start in sorted({node.offset + _HEADER for node in selected}):
        line += text.count("\n", previous, start)
        end = text.find("\n", start)
        column = start - (text.rfind("\n", 0, start) + 1)
        places[start] = Range.at(line, column, max(0, end - start))
        previous = start
    found: dict[str, Locked] = {}
    for node in selected:
        source = f"{node.source_kind} {node.source}"
        found[node.name] = Locked(
            node.name,
            node.version,
            node.source_kind == "editable",
            source,
            path,
            places[node.offset + _HEADER],
        )
    return found


def _graph_of(path: Path, text: str) -> "UvGraph":
    from pyhelper.lockfiles import UnreadableFile
    from pyhelper.lockfiles.selection import uv_graph

    lock = parse_lock(path, text)
    if isinstance(lock, Finding):
        raise UnreadableFile(lock)
    return uv_graph(lock)


def _check(checking: Checking, lock: UvLock) -> list[Finding]:
    return check(checking.root, checking.doc, lock, checking.load)


FORMAT: LockFormat[UvLock] = LockFormat(
    name="uv",
    manager="uv",
    parse=parse_lock,
    check=_check,
    versions=UvLock.versions,
    entries=UvLock.entries,
    file_names=("uv.lock",),
    declared=lambda data: "uv" in table(data.get("tool")),
    select=_select,
    selection_inputs=lambda data: get_in(data, ("tool", "uv", "default-groups")),
    requirement_places=lambda doc: in_lists(doc, [("tool", "uv", "dev-dependencies")]),
    install="uv-sync",
    lock_command=("uv", "lock"),
    shared_root=workspace_root,
)
