"""The engine's models as the protocol's payloads: the camelCase dicts are built here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pyhelper.findings import Severity
from pyhelper.lsp.protocol import (
    DependencyGroupInfo,
    DependencyInfo,
    DriftInfo,
    FindingLevel,
    InterpreterChoice,
    InterpreterInfo,
    ProjectDetails,
    ProjectInfo,
    VenvInfo,
)

if TYPE_CHECKING:
    from pyhelper.dependencies import Dependency, DependencyGroup
    from pyhelper.drift.environment import VenvSnapshot
    from pyhelper.drift.session import DriftSummary
    from pyhelper.findings import Finding
    from pyhelper.interpreters.choice import InterpreterDecision
    from pyhelper.interpreters.model import Interpreter
    from pyhelper.projects import Project
    from pyhelper.venvs import Venv


def venv_info(venv: Venv) -> VenvInfo:
    return {
        "path": str(venv.path),
        "name": venv.name,
        "python": str(venv.python) if venv.python else None,
        "version": venv.version,
        "resolved": str(venv.resolved),
        "link": venv.link,
        "listedIn": str(venv.listed_in) if venv.listed_in else None,
    }


def project_info(project: Project, drift: DriftSummary | None = None) -> ProjectInfo:
    """The project as `lockstep/projects` lists it; with its drift once checked."""
    info: ProjectInfo = {
        "name": project.name,
        "root": str(project.root),
        "pyproject": str(project.pyproject),
        "manager": project.manager,
        "lockfile": str(project.lockfile) if project.lockfile else None,
        "pylock": [str(path) for path in project.pylock],
        "requiresPython": project.requires_python,
        "pythonVersion": project.python_version,
        "venv": venv_info(project.venv) if project.venv else None,
        "workspaceRoot": str(project.workspace_root) if project.workspace_root else None,
        "pyprojectError": project.pyproject_error,
    }
    if drift is not None:
        info["drift"] = drift_info(drift)
    return info


def drift_info(drift: DriftSummary) -> DriftInfo:
    return {
        "state": drift.state,
        "lockIssues": drift.lock_issues,
        "missing": drift.missing,
        "mismatched": drift.mismatched,
        "extraneous": drift.extraneous,
        "pythonMismatch": drift.python_mismatch,
        "lockfile": str(drift.lockfile) if drift.lockfile else None,
        "problem": drift.problem,
        "revision": drift.revision,
    }


def interpreter_info(interpreter: Interpreter) -> InterpreterInfo:
    return {
        "path": interpreter.path,
        "version": interpreter.version,
        "implementation": interpreter.implementation,
        "kind": interpreter.kind,
        "managed": interpreter.managed,
        "prefix": interpreter.prefix,
        "architecture": interpreter.architecture,
        "freeThreaded": interpreter.free_threaded,
        "name": interpreter.name,
        "base": interpreter.base,
    }


def choice_info(choice: InterpreterDecision) -> InterpreterChoice:
    install = choice.install
    return {
        "chosen": choice.chosen.path if choice.chosen else None,
        "candidates": [
            {"path": c.interpreter.path, "fits": c.fits, "reason": c.reason} for c in choice.candidates
        ],
        "install": None
        if install is None
        else {
            "implementation": install.implementation,
            "specifier": install.specifier,
            "freeThreaded": install.free_threaded,
            "prereleases": install.prereleases,
            "version": install.version,
            "label": install.label,
        },
        "message": choice.message,
        "request": choice.request.text if choice.request else None,
        "notes": list(choice.notes),
    }


_LEVELS: dict[Severity, FindingLevel] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "information",
    Severity.HINT: "hint",
}


def dependency_info(dependency: Dependency, findings: Sequence[Finding]) -> DependencyInfo:
    """A requirement row; `findings` are the dependency's as the user's settings show them."""
    worst = min(findings, key=lambda f: f.severity, default=None)
    return {
        "name": dependency.name,
        "requirement": dependency.requirement,
        "line": dependency.range.start.line,
        "character": dependency.range.start.character,
        "locked": dependency.locked,
        "installed": dependency.installed,
        "severity": _LEVELS[worst.severity] if worst else None,
        "code": worst.code if worst else None,
        "message": "\n".join(f.message for f in findings) or None,
    }


def dependency_group_info(
    group: DependencyGroup, shown: Callable[[Sequence[Finding]], Sequence[Finding]]
) -> DependencyGroupInfo:
    return {
        "kind": group.kind,
        "name": group.name,
        "dependencies": [dependency_info(d, shown(d.findings)) for d in group.dependencies],
    }


def project_details(
    project: Project,
    groups: Sequence[DependencyGroup],
    shown: Callable[[Sequence[Finding]], Sequence[Finding]],
    snapshot: VenvSnapshot | None,
    selected: int | None,
    problem: str | None,
) -> ProjectDetails:
    """What the Projects view lists under a project; `shown` applies the diagnostics settings."""
    venv = project.venv
    return {
        "root": str(project.root),
        "groups": [dependency_group_info(group, shown) for group in groups],
        "environment": None
        if venv is None
        else {
            "path": str(venv.path),
            "python": venv.version,
            "packages": len(snapshot.packages) if snapshot is not None else 0,
        },
        "lockfile": None
        if project.lockfile is None
        else {"path": str(project.lockfile), "selected": selected},
        "problem": problem,
    }
