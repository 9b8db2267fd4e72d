"""Lockstep's custom LSP protocol: method names and payload shapes, declared once.

Every custom request is one `Request` in `REQUESTS` (method, params TypedDict, result type) and every
notification one `Notification`; the params are checked against their TypedDict at the edge
(`pyhelper.lsp.requestparams`). The TypeScript twin `extension/protocol.ts` is generated from this
module (`scripts/twins.py`) and tests/protocol fails when the committed one differs. The enumerations
are the engine's, named here for the twin; `pyhelper.lsp.payloads` builds the payloads from the
engine's models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

from pyhelper import dependencies, environments, managing, venvs
from pyhelper.drift import session as drift
from pyhelper.health import search
from pyhelper.interpreters import model as interpreters
from pyhelper.lockfiles import format as lockfiles
from pyhelper.scripts import drift as scripts

# Requests (client -> helper)
PROJECTS = "lockstep/projects"
PLAN_ENVIRONMENT = "lockstep/planEnvironment"
CREATE_ENVIRONMENT = "lockstep/createEnvironment"
SYNC_ENVIRONMENT = "lockstep/syncEnvironment"
DELETE_ENVIRONMENT = "lockstep/deleteEnvironment"
INTERPRETERS = "lockstep/interpreters"
CHECK_DRIFT = "lockstep/checkDrift"
UPDATE_LOCK = "lockstep/updateLock"
PROJECT_DETAILS = "lockstep/projectDetails"
CHANGE_DEPENDENCY = "lockstep/changeDependency"
SEARCH_PACKAGES = "lockstep/searchPackages"
LOCK_ENTRY = "lockstep/lockEntry"
SCRIPT_STATUS = "lockstep/scriptStatus"
LOCK_SCRIPT = "lockstep/lockScript"
SYNC_SCRIPT = "lockstep/syncScript"
INIT_PROJECT = "lockstep/initProject"
SYNC_CHOICES = "lockstep/syncChoices"
# Notifications (helper -> client)
PROJECTS_CHANGED = "lockstep/projectsChanged"
SCRIPT_CHANGED = "lockstep/scriptChanged"

Manager = lockfiles.Manager
VenvPathOrigin = venvs.VenvPathOrigin
"""Where the editor found `lockstep.venv.path`: the user's own settings, the workspace's (what a
repository can ship in `.vscode/settings.json`), or nowhere (the default `.venv`)."""


class VenvInfo(TypedDict):
    path: str
    """Absolute path of the venv folder."""
    name: str
    """Folder name as a person would say it, e.g. `.venv`."""
    python: str | None
    """Absolute path of the venv's interpreter, when it exists."""
    version: str | None
    """Interpreter version read from pyvenv.cfg (e.g. `3.12.7`), when recorded."""
    resolved: str
    """The folder with every symbolic link resolved (what a confirmation shows)."""
    link: bool
    """The venv folder itself is a symbolic link: Delete removes the link, never what it points to."""
    listedIn: str | None
    """The `.python-envs` file (PEP 832) naming this venv as the project's default, when it is not the
    project's own: Lockstep reads it and never creates, syncs or deletes it."""


class _ProjectFields(TypedDict):
    name: str | None
    root: str
    pyproject: str
    manager: Manager
    lockfile: str | None
    pylock: list[str]
    requiresPython: str | None
    pythonVersion: str | None
    """Content of the `.python-version` file that applies, if any."""
    venv: VenvInfo | None
    workspaceRoot: str | None
    """For a uv workspace member: the root project's folder."""
    pyprojectError: str | None
    """Why pyproject.toml cannot be used as saved, e.g. `pyproject.toml is not valid TOML (line 8): …`.
    Then name and manager are the last good read's, and nothing that needs the file is offered."""


DriftState = drift.DriftState


class DriftInfo(TypedDict):
    state: DriftState
    """`pyproject-invalid` (the buffer or file does not parse) wins over `lock-out-of-sync`, which wins over
    `env-out-of-sync`; `unlocked`: the manager uses a lockfile and there is none; `unknown`: no venv to
    compare, or unreadable."""
    lockIssues: int
    """Lock findings that are errors or warnings."""
    missing: int
    mismatched: int
    extraneous: int
    pythonMismatch: bool
    lockfile: str | None
    problem: str | None
    """With `pyproject-invalid`: what is wrong, at which line."""
    revision: str
    """Changes whenever what `lockstep/projectDetails` answers for the project may have (a locked or
    installed version, a finding), even when the state stays: the Projects view re-reads only then."""


class HealthSummary(TypedDict):
    """What the project's last dependency health check found (`lockstep.health.*`), in counts of locked
    packages: nothing is healthy that was not checked (`unchecked`)."""

    checked: int
    """Locked packages the index answered about."""
    vulnerable: int
    """Of those, with a known advisory that is not accepted."""
    yanked: int
    outdated: int
    """Direct requirements whose locked version has a newer final release on the index."""
    unchecked: int
    """Locked packages from an index that could not be asked about."""
    offline: bool
    """Some could not be asked because the index was unreachable or network use is off."""
    problem: str | None
    """Why the first unchecked package could not be checked."""
    revision: str
    """Changes whenever what `lockstep/projectDetails` says about the project's health may have."""


class ProjectInfo(_ProjectFields, total=False):
    drift: DriftInfo
    """Added by the server once it has checked the project (a bare scan has none)."""
    health: HealthSummary
    """Added once a health check has answered for the project's lock (trusted workspaces only)."""


class ProjectsResult(TypedDict):
    projects: list[ProjectInfo]


class ProjectsParams(TypedDict, total=False):
    refresh: bool
    """Scan the workspace again before answering (the Refresh Projects command); else the latest scan."""


EnvironmentStatus = environments.EnvironmentStatus
"""`lock-tool-missing`: no lock and the manager (Poetry, PDM) is not installed; `unlocked` would go on."""


class EnvironmentParams(TypedDict, total=False):
    root: str
    """The project's folder (as in ProjectInfo.root)."""
    python: str | None
    """Absolute path of the interpreter to use; None: the helper chooses by the project's rules."""
    replace: bool
    """Create even when a venv exists, swapping it in only once the new one is complete."""
    allowDownload: bool
    """When no installed interpreter fits, install a managed CPython that does."""
    confirmed: bool
    """For deleteEnvironment: the user confirmed."""
    unlocked: bool
    """The user agreed to install pyproject.toml's declared dependencies without a lock."""
    workDoneToken: str | int


class PythonDownload(TypedDict):
    """The managed CPython a download would install, to ask about it once and concretely."""

    label: str
    """`Python 3.12.7`, `Python 3.13.1 (free-threaded)`."""
    version: str
    size: int | None
    """Bytes, when the mirror said so quickly."""
    url: str


class EnvironmentResult(TypedDict):
    status: EnvironmentStatus
    message: str
    """One sentence for the user."""
    venv: VenvInfo | None
    pythonRequest: str | None
    """With `needs-python`: the managed Python that would fit, as people say it: `Python 3.12`."""
    download: PythonDownload | None
    """With `needs-python`: the build the catalogue has for it, when it has one."""


class PythonChoice(TypedDict):
    path: str
    version: str


PlanLock = Literal["locked", "will-lock", "cannot-lock", "none"]
"""The lock a create installs from: the project's; one made first; none, for want of the manager
(then the venv is unlocked); none, as the manager uses none."""


class EnvironmentPlan(TypedDict):
    venvPath: str
    """The venv that would be created."""
    python: PythonChoice | None
    """The interpreter the project's rules choose, or None when none installed fits."""
    pythonRequest: str | None
    """When no installed interpreter fits: the managed Python that would, e.g. `Python 3.12`."""
    download: PythonDownload | None
    """When no installed interpreter fits: the build that would be downloaded, when there is one."""
    packages: int | None
    """How many locked packages a sync installs, when there is a lock."""
    lock: PlanLock
    refusal: str | None
    """Why Lockstep will not create the venv there (the place resolves outside the project and the
    user did not choose it); None when it may."""


InterpreterKind = interpreters.Kind
PythonPreference = interpreters.Preference


class InterpreterInfo(TypedDict):
    path: str
    """The executable as a person would run it."""
    version: str
    """PEP 440: `3.12.7`, `3.14.0rc2`."""
    implementation: str
    """`cpython`, `pypy`, `graalpy`."""
    kind: InterpreterKind
    managed: bool
    """A uv- or Lockstep-managed build (what python-preference calls managed)."""
    prefix: str
    """The venv folder or the installation's root."""
    architecture: str | None
    freeThreaded: bool
    name: str | None
    """Venv folder, conda env, pyenv version or managed install name."""
    base: str | None
    """For a venv: the interpreter it was made from."""


class InterpretersParams(TypedDict, total=False):
    """All optional. With none of requiresPython/pythonVersion/preference, no choice is made."""

    requiresPython: str | None
    pythonVersion: str | None
    """Content of the project's `.python-version` file."""
    preference: PythonPreference
    """The `lockstep.python.preference` setting; default `managed`."""
    availableManaged: list[str] | None
    """Versions the managed catalogue offers, to name the exact one to install."""
    refresh: bool
    """Rescan everything instead of trusting the cache."""


class InterpreterCandidate(TypedDict):
    path: str
    fits: bool
    reason: str | None
    """Why it does not fit: `3.11.7 does not satisfy >=3.12`."""


class PythonInstallRequest(TypedDict):
    implementation: str
    specifier: str
    """PEP 440 specifier for the managed build, e.g. `==3.12.*` (catalog.BuildRequest.parse reads it)."""
    freeThreaded: bool
    prereleases: bool
    version: str | None
    """Exact version, when availableManaged was given."""
    label: str
    """For the picker: `Python 3.12` -> "Download Python 3.12 (managed)"."""


class InterpreterChoice(TypedDict):
    chosen: str | None
    """Path of the chosen interpreter; None when nothing installed fits."""
    candidates: list[InterpreterCandidate]
    """Every interpreter, fitting ones first (best first), then the rest with reasons."""
    install: PythonInstallRequest | None
    message: str
    request: str | None
    """The `.python-version` line that applied."""
    notes: list[str]


class InterpretersResult(TypedDict):
    interpreters: list[InterpreterInfo]
    choice: InterpreterChoice | None


LockStatus = Literal["ok", "cancelled", "failed", "missing-tool"]


class UpdateLockParams(TypedDict, total=False):
    root: str
    python: str | None
    """The interpreter the user selected for the project; else its venv's, else the chosen one."""
    workDoneToken: str | int


class UpdateLockResult(TypedDict):
    status: LockStatus
    message: str
    """One sentence for the user (with `missing-tool`: which tool to install)."""


DependencyGroupKind = dependencies.GroupKind
FindingLevel = Literal["error", "warning", "information", "hint"]


class AdvisoryInfo(TypedDict):
    id: str
    aliases: list[str]
    """Other ids of the same advisory (CVE, GHSA)."""
    summary: str
    fixedIn: list[str]
    """The versions the advisory says fix it; empty: no fix known."""
    link: str | None


class PackageHealthInfo(TypedDict):
    """A locked package the last health check found vulnerable or yanked (as the settings show them)."""

    name: str
    version: str
    """The locked version checked."""
    through: list[str]
    """How the requirement brings it in (`["tool", "parser"]`); empty: it is the requirement's own package."""
    advisories: list[AdvisoryInfo]
    yanked: bool
    yankReason: str | None
    upgradeTo: str | None
    """The lowest version that fixes every advisory (or replaces a yanked one), when there is one."""


class DependencyHealth(TypedDict):
    """What the project's last health check says about a requirement: its locked package and those it
    brings in, from the answers already fetched (showing it asks the index nothing)."""

    level: FindingLevel | None
    """The most severe of `lock-vulnerable` / `lock-yanked` in `problems`, as the Problems panel shows it."""
    problems: list[PackageHealthInfo]
    latest: str | None
    """The newest final version on the index (None with `lockstep.health.outdated` off)."""
    versions: str | None
    """`1.0 locked · 2.0 latest`, as the inlay hint says it (None with `lockstep.health.outdated` off)."""
    outdated: bool
    """The index has a newer final version than the locked one."""
    unchecked: str | None
    """Why the requirement's locked version could not be checked; then only `problems` is known."""


class DependencyInfo(TypedDict):
    name: str
    """PEP 503 normalised."""
    requirement: str
    """As written in pyproject.toml: `alpha>=2`, Poetry's `gamma = "*"`."""
    line: int
    """0-based line of the requirement in pyproject.toml."""
    character: int
    locked: str | None
    """The version the lock installs (without an environment: every version it holds, `1.0, 2.0`)."""
    installed: str | None
    """The version in the project's environment, when installed there."""
    severity: FindingLevel | None
    """The most severe drift finding on the requirement, as the Problems panel shows it; None: none."""
    code: str | None
    """That finding's code (`lock-missing-package`, `venv-version-mismatch`)."""
    message: str | None
    """Every finding's message on the requirement, one per line."""
    health: DependencyHealth | None
    """None: no health check covers its locked version (none yet, an untrusted workspace, not locked from
    an index, or the lock changed since)."""


class DependencyGroupInfo(TypedDict):
    kind: DependencyGroupKind
    name: str | None
    """The extra's or group's name; None for the project's main dependencies."""
    dependencies: list[DependencyInfo]


class _DependencyRowFields(TypedDict):
    root: str
    """The project's folder (as in ProjectInfo.root)."""


class DependencyRow(_DependencyRowFields, total=False):
    """What Add / Remove / Upgrade Dependency get from a Python Projects view row or a code action on
    pyproject.toml: the project, and the group and requirement the row or the cursor is on."""

    group: DependencyGroupInfo
    dependency: DependencyInfo


class EnvironmentDetails(TypedDict):
    path: str
    python: str | None
    """The venv's Python version, from pyvenv.cfg."""
    packages: int
    """Distributions installed in it."""


class LockfileDetails(TypedDict):
    path: str
    selected: int | None
    """Packages the lock installs into the environment (None: no environment to select for)."""


class ProjectDetailsParams(TypedDict):
    root: str
    """The project's folder (as in ProjectInfo.root)."""


class ProjectDetails(TypedDict):
    """What the Projects view shows under a project, from its latest drift check."""

    root: str
    groups: list[DependencyGroupInfo]
    """`main` first, then the extras and groups in the order pyproject.toml declares them."""
    environment: EnvironmentDetails | None
    lockfile: LockfileDetails | None
    problem: str | None
    """Why the dependencies cannot be listed (pyproject.toml does not parse)."""


DependencyChangeKind = managing.Change


class _ChangeDependencyFields(TypedDict):
    root: str
    """The project's folder (as in ProjectInfo.root)."""
    change: DependencyChangeKind
    package: str
    """For `add` a requirement as the user typed it (`httpx>=0.27`); else the package's name."""


class ChangeDependencyParams(_ChangeDependencyFields, total=False):
    kind: DependencyGroupKind
    """Where the requirement is or goes; default `main`."""
    group: str | None
    """The extra's or group's name."""
    version: str | None
    """For `upgrade`: the version to go to; none: the newest the requirement allows."""
    python: str | None
    """The interpreter the user selected for the project; else its venv's, else the chosen one."""
    workDoneToken: str | int


class ChangeDependencyResult(UpdateLockResult):
    environmentSynced: bool
    """The manager synced the project's venv as Sync Environment would (one uv process instead of two):
    the editor sends no `lockstep/syncEnvironment` after it."""


class SearchPackagesParams(TypedDict):
    root: str
    """The project whose index is searched (as in ProjectInfo.root)."""
    query: str
    """What the user typed; a requirement's leading name is searched (`httpx>=0.27` → `httpx`)."""


PackageMatchSource = search.MatchSource


class PackageMatch(TypedDict):
    name: str
    """PEP 503 normalised."""
    source: PackageMatchSource


class PackageVersion(TypedDict):
    version: str
    prerelease: bool
    yanked: bool
    """PEP 592: every file of the version is yanked."""
    yankReason: str | None


class SearchPackagesResult(TypedDict):
    indexes: list[str]
    """The simple-API URLs searched, in the order the project's manager asks them."""
    packages: list[PackageMatch]
    """The exact name first when an index has it."""
    versions: list[PackageVersion] | None
    """The exact name's versions, newest first; None when no index has it."""
    index: str | None
    """The index the versions come from."""
    offline: bool
    """No index could be reached: the user can still type a name and a specifier."""
    problem: str | None
    """Why the search has no answer (untrusted workspace, an index unreachable or malformed)."""


class _LockEntryFields(TypedDict):
    root: str
    """The project's folder (as in ProjectInfo.root)."""
    package: str


class LockEntryParams(_LockEntryFields, total=False):
    version: str | None
    """Of several entries for the package (a lock forked by markers), the one at this version."""


class LockEntryPlace(TypedDict):
    """Where a package's entry starts in the project's lock (its `name = ...` line)."""

    path: str
    line: int
    """0-based."""
    character: int


ScriptLockState = scripts.ScriptLockState


class ScriptEnvironment(TypedDict):
    """uv's environment of a script (in uv's cache, `environments-v2/NAME-HASH`)."""

    path: str
    python: str
    version: str | None
    """From its pyvenv.cfg."""


class ScriptEnvironmentDrift(TypedDict):
    """The script's environment against `NAME.py.lock`, with `uv sync --script --check`'s verdict."""

    inSync: bool
    missing: int
    mismatched: int
    extraneous: int
    pythonMismatch: bool
    """Its Python does not satisfy the block's requires-python: only a new environment fixes it."""


class ScriptStatusParams(TypedDict):
    uri: str
    """The editor document's URI (`file:`)."""


class ScriptStatus(TypedDict):
    """A PEP 723 script as the status bar and the code lenses show it."""

    path: str
    requiresPython: str | None
    """The block's `requires-python`, as written."""
    dependencies: int
    """How many `dependencies` the block declares."""
    blockStart: int
    """0-based line of `# /// script`."""
    blockEnd: int
    """0-based line of the closing `# ///` (`blockStart` when there is none)."""
    problem: str | None
    """The block is malformed: its first problem, `line 4: …`."""
    lockfile: str
    """`NAME.py.lock` beside the script, whether or not it exists."""
    lockState: ScriptLockState
    """Read from the files alone (also in an untrusted workspace)."""
    lockIssues: int
    """Lock findings that are errors or warnings."""
    environment: ScriptEnvironment | None
    """When it exists (None in an untrusted workspace: finding it runs uv)."""
    environmentDrift: ScriptEnvironmentDrift | None
    """The environment against the lock; None without an environment, a lock, or with a stale lock
    (Lock Script first)."""
    python: str | None
    """The interpreter Run and Create use: the environment's, else the one Lockstep chooses for
    requires-python (None untrusted, or when none installed fits)."""
    runCommand: list[str]
    """argv of Run Script: `[uv, "run", "--python", python, "--script", path]` (no `--python` when
    `python` is None); only to run in a trusted workspace."""


class _ScriptActionFields(TypedDict):
    uri: str
    """The script document's URI (`file:`)."""


class ScriptActionParams(_ScriptActionFields, total=False):
    python: str | None
    """The interpreter the user picked for the script; else the environment's, else the chosen one."""
    allowDownload: bool
    """When no installed Python satisfies the block's requires-python: download the managed build
    that does (the user agreed), else answer `needs-python`."""
    workDoneToken: str | int


ScriptActionStatus = Literal["ok", "cancelled", "failed", "missing-tool", "needs-python"]


class ScriptActionResult(TypedDict):
    status: ScriptActionStatus
    message: str
    """One sentence for the user."""
    script: ScriptStatus | None
    """The script's status after the action."""
    pythonRequest: str | None
    """With `needs-python`: the managed Python that would fit, as people say it: `Python 3.12`."""
    download: PythonDownload | None
    """With `needs-python`: the build the catalogue has for it, when it has one."""


class _InitProjectFields(TypedDict):
    folder: str
    """A workspace folder without a pyproject.toml (a path the client names, checked by the helper)."""


class InitProjectParams(_InitProjectFields, total=False):
    workDoneToken: str | int


class SyncChoiceInfo(TypedDict):
    """The groups and extras one project's venv gets: `lockstep.sync.groups` / `lockstep.sync.extras` as
    they apply to the project, or the choice stored for it (`:default:` the manager's default groups,
    `:all:` every one; `pyhelper.lockfiles.choice`)."""

    root: str
    """The project's folder (as in ProjectInfo.root)."""
    groups: list[str]
    extras: list[str]


class SyncChoicesParams(TypedDict):
    choices: list[SyncChoiceInfo]
    """Every project whose choice is not the default (`[":default:"]`, `[]`); the others get the default."""


class NoParams(TypedDict, total=False):
    """A request that takes no params (any given are ignored)."""


DiagnosticLevel = Literal["error", "warning", "information", "hint", "off"]
"""A severity the `lockstep.diagnostics.severity` setting can give a code; `off` hides it."""


class HelperSettings(TypedDict):
    """What the helper receives as initializationOptions and as the `lockstep` section of
    didChangeConfiguration (read by `pyhelper.lsp.settings`). Each field but `trusted` and `venvPathOrigin`
    is the `lockstep.*` setting of the same name in camelCase (`venv.path` -> `venvPath`), declared in
    package.json; tests/protocol checks that they agree."""

    exclude: list[str]
    trusted: bool
    """Workspace Trust: in an untrusted workspace the helper runs no tool and writes nothing."""
    venvPath: str
    """Venv folder, relative to the project root (or absolute)."""
    venvPathOrigin: VenvPathOrigin
    """Who set venvPath; a place outside the project is honoured only from the user's settings."""
    venvSeed: bool
    """Install pip, setuptools and wheel into new venvs."""
    uvPath: str
    """A uv binary chosen by the user; empty: the helper's bundled uv."""
    pythonPreference: PythonPreference
    pythonInstallDir: str
    """Where managed interpreters go; empty: Lockstep's data folder."""
    pythonDownloadsJson: str
    pythonInstallMirror: str
    diagnosticsEnabled: bool
    diagnosticsSeverity: dict[str, DiagnosticLevel]
    """Per-code severity overrides, e.g. `{"venv-extraneous": "warning"}`."""
    diagnosticsExtraneous: bool
    """Show packages the venv has beyond the lock (as hints)."""
    healthNetwork: bool
    """Ask the projects' package indexes about locked versions (vulnerabilities, yanks); off: no network."""
    healthOutdated: bool
    """Show each direct requirement's locked, newest allowed and newest versions (inlay hint and hover)."""
    healthOsvUrl: str
    """An OSV-compatible `querybatch` endpoint also asked about locked versions; empty: none."""


@dataclass(frozen=True)
class Request:
    """A custom request (client -> helper): what its params and its result are."""

    method: str
    params: type
    """A TypedDict, checked before the handler runs."""
    result: object
    """A type: a TypedDict, or one with `| None`."""


@dataclass(frozen=True)
class Notification:
    """A custom notification (helper -> client) and its params."""

    method: str
    params: type


REQUESTS = (
    Request(PROJECTS, ProjectsParams, ProjectsResult),
    Request(PLAN_ENVIRONMENT, EnvironmentParams, EnvironmentPlan | None),
    Request(CREATE_ENVIRONMENT, EnvironmentParams, EnvironmentResult),
    Request(SYNC_ENVIRONMENT, EnvironmentParams, EnvironmentResult),
    Request(DELETE_ENVIRONMENT, EnvironmentParams, EnvironmentResult),
    Request(INTERPRETERS, InterpretersParams, InterpretersResult),
    Request(CHECK_DRIFT, NoParams, ProjectsResult),
    Request(UPDATE_LOCK, UpdateLockParams, UpdateLockResult),
    Request(PROJECT_DETAILS, ProjectDetailsParams, ProjectDetails | None),
    Request(CHANGE_DEPENDENCY, ChangeDependencyParams, ChangeDependencyResult),
    Request(SEARCH_PACKAGES, SearchPackagesParams, SearchPackagesResult),
    Request(LOCK_ENTRY, LockEntryParams, LockEntryPlace | None),
    Request(SCRIPT_STATUS, ScriptStatusParams, ScriptStatus | None),
    Request(LOCK_SCRIPT, ScriptActionParams, ScriptActionResult),
    Request(SYNC_SCRIPT, ScriptActionParams, ScriptActionResult),
    Request(INIT_PROJECT, InitProjectParams, UpdateLockResult),
    Request(SYNC_CHOICES, SyncChoicesParams, ProjectsResult),
)
NOTIFICATIONS = (Notification(PROJECTS_CHANGED, ProjectsResult), Notification(SCRIPT_CHANGED, ScriptStatus))

REQUEST_PARAMS: dict[str, type] = {request.method: request.params for request in REQUESTS}
"""Each custom request's params type, checked at the LSP edge (`pyhelper.lsp.requestparams`)."""
