"""pylock.toml (PEP 751): judged as the tool that wrote it judges it.

A file PDM wrote (`created-by = "pdm"`, or a `[tool.pdm]` table, which only PDM writes) is checked as
`pdm lock --check --lockfile pylock.toml` checks it (PDM 2.29, `Project.is_lockfile_hash_match`): the
first entry of `[tool.pdm] hashes`, `{<hashlib algorithm> = "<hex>"}`, must equal PDM's content hash
of pyproject.toml (`pdm.content_hash`, the same as pdm.lock's `content_hash`), so any change of the
dependency lists' text (a satisfied tighten, a reorder) is drift and the description is not. A file
holding no hash is stale for PDM; one recording `lock_inputs` instead is checked by PDM its own way,
and only the requirement rule below applies to it.

Any other file (`uv export`, by hand) records no input hash, so PEP 751's own meaning decides: the
lock must install what the project requires. A requirement of `[project] dependencies` whose marker
holds for this environment must name a package the lock installs here (its marker evaluated with
packaging, with the lock's `default-groups` and no extras) at a version the specifier admits; and the
lock's `requires-python` must admit every Python the project's does. For PDM files these findings
explain a hash mismatch (or, under a matching hash, say the lock was edited by hand).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pyhelper import codes
from pyhelper.findings import Finding, Range, Severity
from pyhelper.lockfiles import TableLock, pdm, versions_by_name
from pyhelper.lockfiles.compare import LockView, Want, compare_requirements, hashed_lock_findings
from pyhelper.lockfiles.format import LockFormat, of_pyproject
from pyhelper.requirements import get_in, python_covers, requirement_list, table
from pyhelper.tomlfile import TomlDocument, parse_toml


class PyLock(TableLock):
    """A PEP 751 lock: only the packages whose marker holds for the default environment count."""

    packages_key = "packages"

    def _read_versions(self) -> dict[str, list[str | None]]:
        environment = _lock_environment(self.doc.data)
        return versions_by_name(self.doc.data.get("packages"), lambda p: _applies(p, environment))

    @property
    def by_pdm(self) -> bool:
        return self.doc.data.get("created-by") == "pdm" or isinstance(
            get_in(self.doc.data, ("tool", "pdm")), dict
        )

    @property
    def fix(self) -> str:
        if self.by_pdm:
            # Beside a pdm.lock the file is an export of it; alone, `pdm lock` writes it directly.
            if (self.doc.path.parent / "pdm.lock").exists():
                return f"re-export it (`pdm export -f pylock -o {self.doc.path.name}`)"
            return f"re-lock it (`pdm lock --lockfile {self.doc.path.name}`)"
        created_by = self.doc.data.get("created-by")
        if created_by == "uv":
            return f"re-export it (`uv export --format pylock.toml -o {self.doc.path.name}`)"
        if created_by == "pip":
            return f"re-lock it (`pip lock -o {self.doc.path.name}` with the requirements it was made from)"
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
    view = LockView(lock.doc.path, lock.fix, lock.versions)
    findings = _requirement_findings(doc, lock, view)
    settings = table(get_in(lock.doc.data, ("tool", "pdm")))
    if not lock.by_pdm or "lock_inputs" in settings:
        return findings
    check_command = f"pdm lock --check --lockfile {lock.doc.path.name}"
    algorithm, value = next(iter(table(settings.get("hashes")).items()), ("", ""))
    if not isinstance(value, str) or not value:
        where = lock.doc.range_of(("tool", "pdm")) or lock.doc.range_of(("created-by",)) or Range.at(0)
        return findings or [
            Finding(
                lock.doc.path,
                where,
                Severity.WARNING,
                codes.LOCK_STALE,
                f"{lock.doc.path.name} was written by PDM but records no content hash "
                f"(`[tool.pdm] hashes`), so `{check_command}` fails — {view.fix}",
            )
        ]
    return hashed_lock_findings(
        findings,
        matches=value == pdm.content_hash(doc.data, algorithm),
        lock=view,
        hash_range=lock.doc.range_of(("tool", "pdm", "hashes")) or Range.at(0),
        check_command=check_command,
    )


def _requirement_findings(doc: TomlDocument, lock: PyLock, view: LockView) -> list[Finding]:
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
    findings = compare_requirements(wants, None, view, "")
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
                f"{wanted} — {view.fix}",
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
    entries=PyLock.entries,
    file_names=("pylock.toml",),
    # PEP 751: `pylock.toml`, or `pylock.<name>.toml` where the name has no dots.
    file_pattern=re.compile(r"^pylock\.[^.]+\.toml$"),
    watch_globs=("pylock*.toml",),
    install="uv-pip-sync",
)
