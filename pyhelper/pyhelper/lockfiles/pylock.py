"""pylock.toml (PEP 751): stale when the default environment's requirements are not met by the lock.

PEP 751 records no hash of its inputs and no tool checks it, so the rule is Lockstep's own: a
requirement of `[project] dependencies` whose marker holds for this environment must name a package
the lock installs here (its marker evaluated with packaging, with the lock's `default-groups` and no
extras) at a version the specifier admits; and the lock's `requires-python` must admit every Python
the project's does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pyhelper import codes
from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles import TableLock, versions_by_name
from pyhelper.lockfiles.compare import LockView, Want, compare_requirements
from pyhelper.lockfiles.format import LockFormat, of_pyproject
from pyhelper.requirements import get_in, python_covers, requirement_list
from pyhelper.tomlfile import TomlDocument, parse_toml


class PyLock(TableLock):
    """A PEP 751 lock: only the packages whose marker holds for the default environment count."""

    def __post_init__(self) -> None:
        environment = _lock_environment(self.doc.data)
        self.by_name = versions_by_name(self.doc.data.get("packages"), lambda p: _applies(p, environment))

    @property
    def fix(self) -> str:
        created_by = self.doc.data.get("created-by")
        if created_by == "pdm":
            return f"re-export it (`pdm export -f pylock -o {self.doc.path.name}`)"
        if created_by == "uv":
            return f"re-export it (`uv export --format pylock.toml -o {self.doc.path.name}`)"
        return "re-create it with the tool that made it"


def _applies(package: dict[str, Any], environment: dict[str, Any]) -> bool:
    from packaging.markers import InvalidMarker, Marker, UndefinedEnvironmentName

    marker = package.get("marker")
    if not isinstance(marker, str):
        return True
    try:
        return Marker(marker).evaluate(environment, "lock_file")
    # UndefinedEnvironmentName is a KeyError: `extra` is not defined in the lock_file context.
    except (InvalidMarker, UndefinedEnvironmentName, ValueError, TypeError):
        return True


def _lock_environment(data: dict[str, Any]) -> dict[str, Any]:
    groups = data.get("default-groups")
    return {
        "extras": set(),
        "dependency_groups": {g for g in groups if isinstance(g, str)} if isinstance(groups, list) else set(),
    }


def parse_lock(path: Path, text: str) -> PyLock | Finding:
    doc = parse_toml(path, text)
    return doc if isinstance(doc, Finding) else PyLock(doc)


def check(doc: TomlDocument, lock: PyLock) -> list[Finding]:
    from packaging.markers import InvalidMarker, Marker

    wants = []
    for item in requirement_list(doc, ("project", "dependencies")):
        if item.parsed is not None and item.parsed.marker is not None:
            try:
                if not Marker(item.parsed.marker).evaluate():
                    continue
            except (InvalidMarker, ValueError):  # ValueError: UndefinedComparison (`python_version ~= 'x'`)
                pass
        wants.append(Want(item))
    findings = compare_requirements(wants, None, LockView(lock.doc.path, lock.fix, lock.versions), "")
    wanted = get_in(doc.data, ("project", "requires-python"))
    recorded = lock.doc.data.get("requires-python")
    if isinstance(wanted, str) and isinstance(recorded, str) and not python_covers(recorded, wanted):
        findings.append(
            Finding(
                doc.path,
                doc.range_of(("project", "requires-python")) or Range.at(0),
                Severity.ERROR,
                codes.LOCK_REQUIRES_PYTHON,
                f"{lock.doc.path.name} is for Python {recorded}, which does not cover requires-python "
                f"{wanted} — {lock.fix}",
            )
        )
    return findings


# Any tool writes pylock files, so they never decide a project's manager; uv installs them itself.
FORMAT: LockFormat[PyLock] = LockFormat(
    name="pylock",
    manager=None,
    parse=parse_lock,
    check=of_pyproject(check),
    versions=PyLock.versions,
    file_names=("pylock.toml",),
    # PEP 751: `pylock.toml`, or `pylock.<name>.toml` where the name has no dots.
    file_pattern=re.compile(r"^pylock\.[^.]+\.toml$"),
    watch_globs=("pylock*.toml",),
    install="uv-pip-sync",
)
