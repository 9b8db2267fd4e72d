"""Finding the Python projects in a workspace and telling which tool manages each.

Pure functions over the file system: folders in, `Project`s and findings out. Nothing here knows about
LSP; the server only calls `scan_workspace` and forwards the result.

Decisions worth knowing:
- The folders walked are `pyhelper.walk`'s (the CLI walks the same): excluded names, venvs and
  symbolic links are skipped.
- uv workspaces follow uv's rules for uv run in the project's folder (where Lockstep runs it): a
  project with `[tool.uv.workspace]` is a root; else the nearest pyproject.toml above it decides, a
  workspace whose `members` globs match it and no `exclude` glob, or anything else (a project, tool
  settings), below which it stands alone. That pyproject.toml is also looked for above each
  workspace folder, so opening a member folder on its own still finds its root. Every member, the
  root included, gets `workspaceRoot`; members share the root's `uv.lock` and venv.
- Manager: `pyhelper.lockfiles.registry.classify_manager` (a lockfile decides first, uv.lock before
  poetry.lock before pdm.lock, then the pyproject's own configuration, Hatch, else plain PEP 621).
- The venv is the one `venvs.venv_location` names (`UV_PROJECT_ENVIRONMENT` for uv projects, else the
  `lockstep.venv.path` setting, else `.venv`), reported only when a `pyvenv.cfg` says it is one, and
  not when that place is refused (outside the project and not the user's choice). With no venv there,
  the default environment of a `.python-envs` file beside the lock (PEP 832) is reported, read only
  (`pyhelper.pythonenvs`).
- `pythonVersion` is the nearest `.python-version` from the project up to its workspace folder.
- `requiresPython` is `[project] requires-python` only; Poetry's `python = "^3.10"` is not PEP 440.
- A pyproject.toml that does not parse (being edited, a missing comma) keeps the name, manager and
  requires-python of its last good read in this session (`remembered`), and `pyprojectError` says what
  is wrong: a typo must not turn a uv project into "PEP 621" under a folder path. One broken since
  before the session is salvaged line by line (`[tool.uv]`-style headers, `[project]`'s name and
  requires-python), which is all classifying it needs.
"""

import fnmatch
import os
import re
from collections.abc import Collection, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pyhelper import boundedread, pythonenvs
from pyhelper.findings import Finding
from pyhelper.lockfiles import registry
from pyhelper.lockfiles.format import Manager
from pyhelper.lockfiles.registry import classify_manager
from pyhelper.tomlfile import TomlDocument, read_toml, syntax_problem
from pyhelper.venvs import Venv, VenvRefused, VenvSetting, describe_venv, venv_location
from pyhelper.walk import PYPROJECT, PYVENV_CFG, folders

PYTHON_VERSION_FILE = ".python-version"


class Project(NamedTuple):
    """A Python project of the workspace: where it is, which tool manages it, its lock and venv."""

    root: Path
    manager: Manager
    lockfile: Path | None = None
    requires_python: str | None = None
    """`[project] requires-python` only; Poetry's `python = "^3.10"` is not PEP 440."""
    workspace_root: Path | None = None
    """For a uv workspace member: the root, whose lock and venv the members share."""
    name: str | None = None
    pylock: tuple[Path, ...] = ()
    """Locks any tool writes (pylock.toml), which install without the project's manager."""
    python_version: str | None = None
    """Content of the `.python-version` file that applies, if any."""
    venv: Venv | None = None
    pyproject_error: str | None = None
    """Why pyproject.toml cannot be used as saved, e.g. `pyproject.toml is not valid TOML (line 8): …`.
    Then name and manager are the last good read's, and nothing that needs the file is offered."""

    @property
    def pyproject(self) -> Path:
        return self.root / PYPROJECT

    @property
    def env_root(self) -> Path:
        """Where the venv (and lock) of the project live: its root, or its uv workspace's."""
        return self.workspace_root or self.root


class Scan(NamedTuple):
    projects: list[Project]
    """Sorted by root path."""
    findings: dict[Path, tuple[Finding, ...]]
    """Every pyproject.toml found, with its findings (an empty tuple when it reads cleanly), and each
    `.python-version` or `pyvenv.cfg` a project uses that was refused (a FIFO, a device, too large)."""


class _Candidate(NamedTuple):
    root: Path
    entries: frozenset[str]
    """Names in the project folder, so lockfiles and venvs are known without more system calls."""
    folder: Path
    """The workspace folder it was found in."""


def _walk(folder: Path, exclude: Collection[str], strict: bool = False) -> Iterator[_Candidate]:
    for current, names in folders(folder, exclude, strict):
        if PYPROJECT in names:
            yield _Candidate(Path(current), frozenset(names), folder)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _string(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _strings(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _glob_parts_match(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_parts_match(pattern[1:], parts[skip:]) for skip in range(len(parts) + 1))
    return (
        bool(parts)
        and fnmatch.fnmatchcase(parts[0], pattern[0])
        and _glob_parts_match(pattern[1:], parts[1:])
    )


def glob_matches(pattern: str, relative: Path) -> bool:
    """Whether a workspace glob (`packages/*`, `libs/**`) matches a path relative to the root.

    As in uv's glob walk, `*` stays within one path component and `**` spans any number.
    """
    pattern_parts = [part for part in pattern.replace("\\", "/").split("/") if part not in ("", ".")]
    return _glob_parts_match(pattern_parts, relative.parts)


def is_workspace_member(root: Path, workspace: Mapping[str, Any], project: Path) -> bool:
    """Whether `project` belongs to the uv workspace rooted at `root` (`[tool.uv.workspace]` table)."""
    if project == root:
        return True
    try:
        relative = project.relative_to(root)
    except ValueError:
        return False
    if any(glob_matches(pattern, relative) for pattern in _strings(workspace, "exclude")):
        return False
    return any(glob_matches(pattern, relative) for pattern in _strings(workspace, "members"))


def uv_workspace_table(data: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The `[tool.uv.workspace]` table of a parsed pyproject, if it declares one."""
    if data is None:
        return None
    uv = _table(_table(data, "tool"), "uv")
    workspace = uv.get("workspace")
    return workspace if isinstance(workspace, Mapping) else None


def find_python_version(start: Path, stop: Path) -> str | None:
    """The stripped content of the `.python-version` nearest to `start`, looking up to `stop` (inclusive).

    uv looks upward from the project the same way; a folder outside `stop` is only looked at itself.
    Raises RefusedFile for a `.python-version` that is no regular file or too large (a finding on it).
    """
    for folder in (start, *start.parents):
        try:
            path = folder / PYTHON_VERSION_FILE
            content = boundedread.read_text(path, boundedread.PYTHON_VERSION, errors="replace").strip()
        except boundedread.RefusedFile:
            raise
        except OSError:
            content = None
        if content:
            return content
        if folder == stop or not folder.is_relative_to(stop):
            return None
    return None


def _outer_uv_root(folder: Path) -> tuple[Path, TomlDocument] | None:
    """The uv workspace root above `folder`, for when a member folder is opened on its own: the nearest
    pyproject.toml above it, if that declares a workspace (any other one is where uv stops: `_uv_root_of`)."""
    for parent in folder.parents:
        if (parent / PYPROJECT).is_file():
            document = read_toml(parent / PYPROJECT)
            if isinstance(document, TomlDocument) and uv_workspace_table(document.data) is not None:
                return parent, document
            return None
    return None


def _entries(folder: Path) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def scan_workspace(
    folders: Sequence[Path],
    exclude: Collection[str] = (),
    venv: VenvSetting | None = None,
    environ: Mapping[str, str] | None = None,
    remembered: MutableMapping[Path, Mapping[str, Any]] | None = None,
) -> Scan:
    """Find and describe every project in the given workspace folders.

    `exclude`: folder names or name patterns to skip beyond `BUILTIN_EXCLUDES`; `venv`: the
    `lockstep.venv.path` setting and its origin; `environ`: where `UV_PROJECT_ENVIRONMENT` is read
    (default: ours); `remembered`: each project's last pyproject that parsed, kept up to date here
    (the server's).
    """
    remembered = {} if remembered is None else remembered
    environ = os.environ if environ is None else environ
    venv = venv or VenvSetting()
    candidates: dict[Path, _Candidate] = {}
    for folder in sorted(folders):
        for candidate in _walk(folder, exclude):
            candidates.setdefault(candidate.root, candidate)

    documents = {root: read_toml(root / PYPROJECT) for root in candidates}
    for root, document in documents.items():
        if isinstance(document, TomlDocument):
            remembered[root] = document.data
    data = {
        root: doc.data
        if isinstance(doc, TomlDocument)
        else remembered.get(root) or _salvaged(root / PYPROJECT)
        for root, doc in documents.items()
    }
    problems = {
        root: syntax_problem(doc) for root, doc in documents.items() if not isinstance(doc, TomlDocument)
    }
    entries = {root: candidate.entries for root, candidate in candidates.items()}
    for folder in folders:
        outer = _outer_uv_root(folder)
        if outer is not None and outer[0] not in data:
            data[outer[0]] = outer[1].data
            entries[outer[0]] = _entries(outer[0])
    uv_roots = {
        root: table for root, config in data.items() if (table := uv_workspace_table(config)) is not None
    }

    findings = {root / PYPROJECT: document_findings(document) for root, document in documents.items()}
    projects = []
    for root, candidate in candidates.items():
        project, refused = _describe(
            candidate,
            data[root],
            _uv_root_of(root, uv_roots, data.keys()),
            entries,
            venv,
            environ,
            problems.get(root),
        )
        projects.append(project)
        for finding in refused:  # a file shared by several projects (a workspace's venv) is reported once
            findings[finding.path] = tuple(dict.fromkeys((*findings.get(finding.path, ()), finding)))
    projects.sort(key=lambda project: str(project.root))
    return Scan(projects, findings)


_TOOL_HEADER = re.compile(r"\[tool\.(uv|poetry|pdm|hatch)(\.envs)?\b")
_STRING_SETTING = re.compile(r"""(name|requires-python)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)')""")


def _salvaged(pyproject: Path) -> dict[str, Any] | None:
    """What a pyproject.toml that does not parse still says about its project, read line by line."""
    try:
        text = boundedread.read_text(pyproject, boundedread.PYPROJECT, errors="replace")
    except OSError:
        return None
    tool: dict[str, Any] = {}
    project: dict[str, str] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("["):
            section = line.split("#", 1)[0].strip()
            if header := _TOOL_HEADER.match(section):
                tool.setdefault(header.group(1), {}).update({"envs": {}} if header.group(2) else {})
        elif section == "[project]" and (setting := _STRING_SETTING.match(line)):
            project.setdefault(setting.group(1), setting.group(2) or setting.group(3) or "")
    return {"project": project, "tool": tool}


def document_findings(document: TomlDocument | Finding) -> tuple[Finding, ...]:
    """What is wrong with one pyproject.toml, as read (for now: whether it parses)."""
    return (document,) if isinstance(document, Finding) else ()


def _uv_root_of(
    project: Path, uv_roots: Mapping[Path, Mapping[str, Any]], pyprojects: Collection[Path]
) -> Path | None:
    """The workspace uv puts `project` in when run in its folder (as every Lockstep command for it is):
    its own if it declares one, else the nearest folder above with a pyproject.toml decides (uv's
    `find_workspace`): a workspace that includes it, or anything else (a project, a file of tool
    settings), which makes it a project of its own even if a workspace further up lists it."""
    if project in uv_roots:
        return project
    for folder in project.parents:
        if folder in uv_roots:
            return folder if is_workspace_member(folder, uv_roots[folder], project) else None
        if folder in pyprojects:
            return None
    return None


def _any_tool_lock(name: str) -> bool:
    return any(fmt.manager is None and fmt.names_file(name) for fmt in registry.FORMATS)


def _describe(
    candidate: _Candidate,
    data: Mapping[str, Any] | None,
    uv_root: Path | None,
    entries: Mapping[Path, frozenset[str]],
    venv_setting: VenvSetting,
    environ: Mapping[str, str],
    problem: str | None,
) -> tuple[Project, list[Finding]]:
    """The project's description, and findings on the files it uses that were refused."""
    root = candidate.root
    lock_folder = uv_root or root
    manager: Manager = "uv" if uv_root else classify_manager(data, candidate.entries)
    fmt = registry.format_for_manager(manager)
    lockfile = (
        min((name for name in entries[lock_folder] if fmt.names_file(name)), default=None) if fmt else None
    )
    project = _table(data or {}, "project")
    refused: list[Finding] = []
    try:
        python_version = find_python_version(root, candidate.folder)
    except boundedread.RefusedFile as error:
        python_version = None
        refused.append(boundedread.unreadable_finding(Path(error.filename), error))
    try:
        venv_folder = venv_location(lock_folder, manager, environ, venv_setting)
    except VenvRefused:
        venv_folder = None  # not the project's venv: Create says why (see pyhelper.environments)
    venv = describe_venv(venv_folder) if venv_folder else None
    config = venv_folder / PYVENV_CFG if venv_folder else None
    if venv is None and config and (why := boundedread.refusal(config, boundedread.PYVENV_CFG)) is not None:
        refused.append(boundedread.unreadable_finding(config, why))
    elif venv is None and venv_folder and pythonenvs.PYTHON_ENVS in entries[lock_folder]:
        # No venv where Lockstep would make one: the project may list its environment elsewhere.
        listed = pythonenvs.listed_default(lock_folder)
        if listed is not None:
            venv = listed.venv
            refused.extend([listed.finding] if listed.finding else [])
    described = Project(
        root=root,
        manager=manager,
        lockfile=lock_folder / lockfile if lockfile else None,
        requires_python=_string(project, "requires-python"),
        workspace_root=uv_root,
        name=_string(project, "name") or _string(_table(_table(data or {}, "tool"), "poetry"), "name"),
        pylock=tuple(sorted((root / name for name in candidate.entries if _any_tool_lock(name)), key=str)),
        python_version=python_version,
        venv=venv,
        pyproject_error=problem,
    )
    return described, refused
