"""A project's declared dependencies as its manager groups them, each with its locked and installed
version and the drift findings on it: what the Python Projects view shows under a project.

Nothing is parsed or checked here: the requirements are the ones `pyhelper.drift.environment` places
(PEP 621, PEP 735 and each lock format's own tables), the versions and findings are the project's
latest drift check (`pyhelper.drift.session.ProjectDrift`), and the locked versions of a package the
check did not select come from the parsed lock the drift session caches.

    groups = dependency_groups(doc, drift, lock_versions)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pyhelper.drift.environment import requirement_places
from pyhelper.findings import Finding, Range
from pyhelper.requirements import get_in
from pyhelper.tomlfile import KeyPath, TomlDocument

if TYPE_CHECKING:
    from pyhelper.drift.session import ProjectDrift

GroupKind = Literal["main", "extra", "group", "dev"]
"""`main`: the project's own dependencies; `extra`: an optional-dependencies table; `group`: a PEP 735
dependency group or a Poetry group (uv's and Poetry's legacy dev-dependencies are the `dev` group);
`dev`: a PDM dev-dependencies group."""


@dataclass(frozen=True)
class Dependency:
    name: str
    """PEP 503 normalised."""
    requirement: str
    """As written: `alpha>=2`, or Poetry's `gamma = "*"`."""
    range: Range
    """Where it is written in pyproject.toml."""
    locked: str | None
    """The version the lock installs into the environment; without an environment, every version the
    lock holds (`1.0, 2.0`); None when the lock has none (or there is no lock)."""
    installed: str | None
    """The version in the project's environment; None when not installed or there is none."""
    findings: tuple[Finding, ...]
    """The drift findings about this requirement (most severe first)."""


@dataclass(frozen=True)
class DependencyGroup:
    kind: GroupKind
    name: str | None
    """The extra's or group's name as written; None for `main`."""
    dependencies: tuple[Dependency, ...]


def group_of(path: KeyPath) -> tuple[GroupKind, str | None] | None:
    """Which group a requirement at this key path of pyproject.toml belongs to."""
    match path:
        case ("project", "dependencies", int()) | ("tool", "poetry", "dependencies", str()):
            return "main", None
        case ("project", "optional-dependencies", str(extra), int()):
            return "extra", extra
        case ("dependency-groups", str(group), int()) | (
            "tool",
            "poetry",
            "group",
            str(group),
            "dependencies",
            str(),
        ):
            return "group", group
        case ("tool", "uv", "dev-dependencies", int()) | ("tool", "poetry", "dev-dependencies", str()):
            return "group", "dev"
        case ("tool", "pdm", "dev-dependencies", str(group), int()):
            return "dev", group
    return None


def _requirement_text(doc: TomlDocument, path: KeyPath, is_key: bool) -> str:
    if not is_key:
        value = get_in(doc.data, path)
        return value if isinstance(value, str) else str(path[-1])
    key, value = doc.key_span(path), doc.span(path)
    if key is not None and value is not None and value.end > key.start:
        return " ".join(doc.text[key.start : value.end].split())
    return str(path[-1])


def _within(inner: Range, outer: Range) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def dependency_groups(
    doc: TomlDocument,
    drift: ProjectDrift | None,
    lock_versions: Callable[[str], Sequence[str | None]],
) -> list[DependencyGroup]:
    """The groups in the order pyproject.toml declares them, `main` first; `drift` is the project's
    latest check of this document (None: not checked yet), `lock_versions(name)` every version the
    project's lock holds of a package."""
    selection = drift.selection if drift is not None else None
    snapshot = drift.snapshot if drift is not None else None
    findings = drift.findings.get(doc.path, ()) if drift is not None else ()
    grouped: dict[tuple[GroupKind, str | None], list[Dependency]] = {("main", None): []}
    for name, path, is_key in requirement_places(doc):
        group = group_of(path)
        span = doc.key_span(path) if is_key else doc.span(path)
        if group is None or span is None:
            continue
        where = doc.range(span)
        chosen = selection.packages.get(name) if selection is not None else None
        if chosen is not None:
            locked = chosen.version
        else:
            versions = lock_versions(name)
            locked = ", ".join(version or "dynamic" for version in versions) or None
        have = snapshot.packages.get(name) if snapshot is not None else None
        about = sorted((f for f in findings if _within(f.range, where)), key=lambda f: f.severity)
        grouped.setdefault(group, []).append(
            Dependency(
                name=name,
                requirement=_requirement_text(doc, path, is_key),
                range=where,
                locked=locked,
                installed=have.version if have is not None else None,
                findings=tuple(about),
            )
        )
    return [DependencyGroup(kind, name, tuple(items)) for (kind, name), items in grouped.items()]
