"""The real-project corpus: its manifest, and the edits that turn each project into its cases.

`record.py` (run by hand, needs the registries) and `test_corpus.py` (CI, no network) both import this
module, so a case is the same files in both: the committed project copied as is, then one mutation
made here. Mutations are text edits, the way a person edits a pyproject.toml, never a re-dump of the
TOML (which would change quoting and layout, and with them Poetry's and PDM's hashes).

Mutations (each applies to the project's *target* pyproject: the root one, or for a uv workspace
whose root declares no dependency list, the first member that does):

- `committed`: no edit; the files exactly as the project committed them.
- `add-requirement`: a requirement on a package the lock does not hold (first of `SPARE_PACKAGES`).
- `tighten-satisfied`: one requirement pinned to the version the lock holds (`==<locked>`), so the
  lock still satisfies it.
- `reorder`: the first two entries of a requirement list (or two dependency keys) swapped.
- `edit-description`: the description changed (or added).
- `add-group` (uv only): a new dependency group on a package the lock already holds.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tomllib
from packaging.utils import canonicalize_name

HERE = Path(__file__).parent
PROJECTS = HERE / "projects"
MANIFEST = HERE / "manifest.json"
VERDICTS = HERE / "verdicts.json"
KNOWN_DISAGREEMENTS = HERE / "known_disagreements.json"

# Small pure-Python packages on PyPI for every Python 3; the first one a lock lacks is added.
SPARE_PACKAGES = ("tomli-w", "text-unidecode", "toolz", "pyfiglet", "colorful")
NEW_DESCRIPTION = "Edited by the Lockstep corpus"
NEW_GROUP = "lockstep-corpus"


class NotApplicable(Exception):
    """The project has nothing this mutation could edit (the recorder reports it and stops)."""


@dataclass(frozen=True)
class Project:
    name: str
    format: str  # uv | poetry | pdm | pylock
    repo: str
    commit: str
    path: str  # inside the repository ("" for its root)
    license: str  # SPDX id
    lock: str  # the lockfile the verdict is about, relative to the project
    notes: str = ""
    extra: tuple[str, ...] = ()  # files taken besides those `record.py take` finds itself

    @property
    def tree(self) -> Path:
        """The project's files, kept at their repository paths (path sources may point upwards)."""
        return PROJECTS / self.name

    @property
    def root(self) -> Path:
        """Where the checked pyproject.toml and the lock sit."""
        return self.tree / self.path

    def mutations(self) -> list[str]:
        names = ["committed", "add-requirement", "tighten-satisfied", "reorder", "edit-description"]
        return [*names, "add-group"] if self.format == "uv" else names


def load_manifest() -> list[Project]:
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))["projects"]
    return [Project(**{**entry, "extra": tuple(entry.get("extra", ()))}) for entry in entries]


def case_id(project: Project, mutation: str) -> str:
    return f"{project.name}/{mutation}"


def materialise(project: Project, mutation: str, dest: Path) -> Path:
    """Copy the project's files to `dest`, apply `mutation`; returns the copy's project root."""
    shutil.copytree(project.tree, dest)
    root = dest / project.path
    if mutation != "committed":
        MUTATIONS[mutation](root, project)
    return root


# ------------------------------------------------------------------------------ locating text


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _table_span(text: str, header: str) -> Span | None:
    """The body of `[header]` up to the next table header."""
    match = re.search(rf"^\[{re.escape(header)}\][ \t]*(#.*)?$", text, re.MULTILINE)
    if match is None:
        return None
    following = re.compile(r"^\s*\[", re.MULTILINE).search(text, match.end())
    return Span(match.end(), following.start() if following else len(text))


def _string_end(text: str, i: int) -> int:
    """Index just past the TOML string starting at `i` (basic or literal, single-line or triple)."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        return text.index(quote * 3, i + 3) + 3
    j = i + 1
    while text[j] != quote:
        j += 2 if quote == '"' and text[j] == "\\" else 1
    return j + 1


def _array_items(text: str, open_bracket: int) -> tuple[list[Span], int]:
    """Spans of the string items directly inside the array at `open_bracket`, and its end."""
    items: list[Span] = []
    depth, i = 0, open_bracket
    while True:
        char = text[i]
        if char in "\"'":
            end = _string_end(text, i)
            if depth == 1:
                items.append(Span(i, end))
            i = end
            continue
        if char == "#":
            i = text.index("\n", i)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return items, i + 1
        i += 1


def _array_in(text: str, table: str, key: str) -> tuple[int, list[Span]] | None:
    """Position of `[` and the string items of `key = [...]` inside `[table]`."""
    span = _table_span(text, table)
    if span is None:
        return None
    match = re.compile(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=[ \t]*\[", re.MULTILINE).search(
        text, span.start, span.end
    )
    if match is None:
        return None
    bracket = match.end() - 1
    return bracket, _array_items(text, bracket)[0]


def _key_line(text: str, table: str, key: str) -> int | None:
    """The end of the `key = ...` line in `[table]` (single-line values only)."""
    span = _table_span(text, table)
    if span is None:
        return None
    match = re.compile(rf"^{re.escape(key)}[ \t]*=.*$", re.MULTILINE).search(text, span.start, span.end)
    return match.end() if match else None


def _value(text: str, span: Span) -> str:
    parsed = tomllib.loads(f"v = {text[span.start : span.end]}")["v"]
    assert isinstance(parsed, str)
    return parsed


def _quote(value: str) -> str:
    return json.dumps(value)


# ------------------------------------------------------------------------------ the target file


def _members(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("pyproject.toml") if p.parent != root)


def _static_dependencies(pyproject: Path) -> bool:
    data = tomllib.loads(_read(pyproject))
    if "project" in data:
        return "dependencies" not in data["project"].get("dynamic", [])
    return "dependencies" in data.get("tool", {}).get("poetry", {})


def target(root: Path) -> Path:
    """The pyproject a mutation edits: the root's, unless only a workspace member lists dependencies."""
    if _static_dependencies(root / "pyproject.toml"):
        return root / "pyproject.toml"
    for member in _members(root):
        if _static_dependencies(member / "pyproject.toml"):
            return member / "pyproject.toml"
    raise NotApplicable("no pyproject.toml in the project lists static dependencies")


def locked_versions(root: Path, project: Project) -> dict[str, set[str]]:
    """Package name -> versions the lock holds from an index (any format; local packages left out)."""
    data = tomllib.loads(_read(root / project.lock))
    packages = data.get("package", data.get("packages", []))
    found: dict[str, set[str]] = {}
    for package in packages:
        source = package.get("source", {})
        local = source.get("type") in ("directory", "file", "git", "url") or any(
            key in source for key in ("editable", "virtual", "directory", "path", "git", "url")
        )
        if "version" in package and not local and "directory" not in package and "vcs" not in package:
            found.setdefault(canonicalize_name(package["name"]), set()).add(package["version"])
    return found


def _requirement_lists(text: str) -> list[tuple[int, list[Span]]]:
    """Every PEP 508 list a person edits: dependencies, then extras, then groups."""
    found = [_array_in(text, "project", "dependencies")]
    for table in ("project.optional-dependencies", "dependency-groups", "tool.pdm.dev-dependencies"):
        span = _table_span(text, table)
        if span is None:
            continue
        for match in re.finditer(r"^[ \t]*\"?([\w.-]+)\"?[ \t]*=[ \t]*\[", text[span.start : span.end], re.M):
            found.append(_array_in(text, table, match.group(1)))
    return [entry for entry in found if entry is not None]


def _poetry_tables(text: str) -> list[Span]:
    """Poetry's dependency tables: main, then groups (and the legacy dev-dependencies)."""
    header = r"^\[(tool\.poetry\.(?:group\.[\w.-]+\.)?dependencies|tool\.poetry\.dev-dependencies)\]"
    names = [m.group(1) for m in re.finditer(header, text, re.MULTILINE)]
    return [span for name in names if (span := _table_span(text, name)) is not None]


_HEAD = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?")


# ------------------------------------------------------------------------------ mutations


def add_requirement(root: Path, project: Project) -> None:
    path = target(root)
    text = _read(path)
    locked = locked_versions(root, project)
    spare = next(name for name in SPARE_PACKAGES if name not in locked)
    array = _array_in(text, "project", "dependencies")
    if array is not None:
        bracket, items = array
        multiline = "\n" in text[bracket : items[0].start] if items else False
        if multiline:
            indent = re.match(r"[ \t]*", text[text.rindex("\n", 0, items[0].start) + 1 :])
            insert = f"\n{indent.group(0) if indent else '    '}{_quote(spare)},"
        else:
            insert = _quote(spare) + (", " if items else "")
        _write(path, text[: bracket + 1] + insert + text[bracket + 1 :])
        return
    span = _table_span(text, "tool.poetry.dependencies")
    if span is not None:
        _write(path, text[: span.start] + f'\n{spare} = "*"' + text[span.start :])
        return
    name = _key_line(text, "project", "name")
    if name is None:
        raise NotApplicable("no dependency list to add to")
    _write(path, text[:name] + f"\ndependencies = [{_quote(spare)}]" + text[name:])


def tighten_satisfied(root: Path, project: Project) -> None:
    path = target(root)
    text = _read(path)
    locked = locked_versions(root, project)
    for _, items in _requirement_lists(text):
        for item in items:
            value = _value(text, item)
            head = _HEAD.match(value)
            if head is None or "@" in value:
                continue
            versions = locked.get(canonicalize_name(head.group(1)), set())
            if len(versions) != 1:
                continue
            marker = value[value.index(";") :] if ";" in value else ""
            pinned = f"{head.group(1)}{head.group(2) or ''}=={next(iter(versions))}{marker}"
            _write(path, text[: item.start] + _quote(pinned) + text[item.end :])
            return
    for span in _poetry_tables(text):
        for match in re.finditer(
            r'^([A-Za-z0-9][\w.-]*)[ \t]*=[ \t]*"[^"]*"', text[span.start : span.end], re.M
        ):
            versions = locked.get(canonicalize_name(match.group(1)), set())
            if match.group(1) != "python" and len(versions) == 1:
                start = span.start + match.start()
                pinned = f'{match.group(1)} = "=={next(iter(versions))}"'
                _write(path, text[:start] + pinned + text[span.start + match.end() :])
                return
    raise NotApplicable("no requirement on a package locked at a single version")


def reorder(root: Path, _project: Project) -> None:
    path = target(root)
    text = _read(path)
    for _, items in _requirement_lists(text):
        if len(items) >= 2:
            first, second = items[0], items[1]
            swapped = (
                text[: first.start]
                + text[second.start : second.end]
                + text[first.end : second.start]
                + text[first.start : first.end]
                + text[second.end :]
            )
            _write(path, swapped)
            return
    for span in _poetry_tables(text):
        lines = list(re.finditer(r"^[A-Za-z0-9][\w.-]*[ \t]*=.*$", text[span.start : span.end], re.M))
        simple = [m for m in lines if m.group(0).count("{") == m.group(0).count("}")]
        if len(simple) >= 2:
            a, b = simple[0], simple[1]
            base = span.start
            swapped = (
                text[: base + a.start()]
                + b.group(0)
                + text[base + a.end() : base + b.start()]
                + a.group(0)
                + text[base + b.end() :]
            )
            _write(path, swapped)
            return
    raise NotApplicable("no list or table with two entries to reorder")


def edit_description(root: Path, _project: Project) -> None:
    path = target(root)
    text = _read(path)
    for table in ("project", "tool.poetry"):
        span = _table_span(text, table)
        if span is None:
            continue
        body = text[span.start : span.end]
        match = re.search(r"^description[ \t]*=[ \t]*(?=[\"'])", body, re.M)
        if match is not None:
            start = span.start + match.end()
            _write(path, text[:start] + _quote(NEW_DESCRIPTION) + text[_string_end(text, start) :])
            return
        name = _key_line(text, table, "name")
        if name is not None:
            _write(path, text[:name] + f"\ndescription = {_quote(NEW_DESCRIPTION)}" + text[name:])
            return
    raise NotApplicable("no [project] or [tool.poetry] name to describe")


def add_group(root: Path, project: Project) -> None:
    path = target(root)
    text = _read(path)
    locked = sorted(locked_versions(root, project))
    line = f"{NEW_GROUP} = [{_quote(locked[0])}]\n"
    span = _table_span(text, "dependency-groups")
    if span is None:
        _write(path, text.rstrip("\n") + f"\n\n[dependency-groups]\n{line}")
    else:
        _write(path, text[: span.start] + "\n" + line.rstrip("\n") + text[span.start :])


MUTATIONS: dict[str, Callable[[Path, Project], None]] = {
    "add-requirement": add_requirement,
    "tighten-satisfied": tighten_satisfied,
    "reorder": reorder,
    "edit-description": edit_description,
    "add-group": add_group,
}
