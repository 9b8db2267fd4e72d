// Lockstep's custom LSP protocol: method names and payload shapes. The Python twin is
// pyhelper/pyhelper/protocol.py; keep the two in step.

export const Methods = {
  projects: "lockstep/projects",
  projectsChanged: "lockstep/projectsChanged",
  planEnvironment: "lockstep/planEnvironment",
  createEnvironment: "lockstep/createEnvironment",
  syncEnvironment: "lockstep/syncEnvironment",
  deleteEnvironment: "lockstep/deleteEnvironment",
  interpreters: "lockstep/interpreters",
  checkDrift: "lockstep/checkDrift",
  updateLock: "lockstep/updateLock",
} as const;

export type Manager = "uv" | "poetry" | "pdm" | "hatch" | "pep621";

/**
 * Where the editor found `lockstep.venv.path`: the user's own settings, the workspace's (what a
 * repository can ship in `.vscode/settings.json`), or nowhere (the default `.venv`).
 */
export type VenvPathOrigin = "user" | "workspace" | "default";

export interface VenvInfo {
  /** Absolute path of the venv folder. */
  path: string;
  /** Folder name as a person would say it, e.g. `.venv`. */
  name: string;
  /** Absolute path of the venv's interpreter, when it exists. */
  python: string | null;
  /** Interpreter version read from pyvenv.cfg, e.g. `3.12.7`. */
  version: string | null;
  /** The folder with every symbolic link resolved (what a confirmation shows). */
  resolved: string;
  /** The venv folder itself is a symbolic link: Delete removes the link, never what it points to. */
  link: boolean;
}

export interface ProjectInfo {
  name: string | null;
  root: string;
  pyproject: string;
  manager: Manager;
  lockfile: string | null;
  pylock: string[];
  requiresPython: string | null;
  /** Content of the `.python-version` file that applies, if any. */
  pythonVersion: string | null;
  venv: VenvInfo | null;
  /** For a uv workspace member: the root project's folder. */
  workspaceRoot: string | null;
  /**
   * Why pyproject.toml cannot be used as saved (`pyproject.toml is not valid TOML (line 8): …`). Name
   * and manager are then the last good read's, and nothing that needs the file is offered.
   */
  pyprojectError: string | null;
  /** Set once the helper has checked the project. */
  drift?: DriftInfo;
}

export type DriftState = "in-sync" | "lock-stale" | "env-out-of-sync" | "unlocked" | "pyproject-invalid" | "unknown";

export interface DriftInfo {
  /**
   * `pyproject-invalid` (buffer or file does not parse) wins over `lock-stale`, which wins over
   * `env-out-of-sync`; `unlocked`: the manager uses a lockfile and there is none; `unknown`: no venv.
   */
  state: DriftState;
  /** Lock findings that are errors or warnings. */
  lockIssues: number;
  missing: number;
  mismatched: number;
  extraneous: number;
  pythonMismatch: boolean;
  lockfile: string | null;
  /** With `pyproject-invalid`: what is wrong, at which line. */
  problem: string | null;
}

export type LockStatus = "ok" | "cancelled" | "failed" | "missing-tool";

export interface UpdateLockResult {
  status: LockStatus;
  /** One sentence for the user (with `missing-tool`: which tool to install). */
  message: string;
}

export type DiagnosticLevel = "error" | "warning" | "information" | "hint" | "off";

export interface ProjectsParams {
  /** Scan the workspace again before answering (the Refresh Projects command); else the latest scan. */
  refresh?: boolean;
}

export interface ProjectsResult {
  projects: ProjectInfo[];
}

export type PythonPreference = "only-managed" | "managed" | "system" | "only-system";

/** What the helper receives as initializationOptions and in didChangeConfiguration. */
export interface HelperSettings {
  exclude: string[];
  /** Workspace Trust: in an untrusted workspace the helper runs no tool and writes nothing. */
  trusted: boolean;
  /** Venv folder, relative to the project root (or absolute). */
  venvPath: string;
  /** Who set venvPath; a place outside the project is honoured only from the user's settings. */
  venvPathOrigin: VenvPathOrigin;
  /** Install pip, setuptools and wheel into new venvs. */
  venvSeed: boolean;
  /** A uv binary chosen by the user; empty: the helper's bundled uv. */
  uvPath: string;
  pythonPreference: PythonPreference;
  /** Where managed interpreters go; empty: Lockstep's data folder. */
  pythonInstallDir: string;
  pythonDownloadsJson: string;
  pythonInstallMirror: string;
  diagnosticsEnabled: boolean;
  /** Per-code severity overrides, e.g. `{"venv-extraneous": "warning"}`. */
  diagnosticsSeverity: Record<string, DiagnosticLevel>;
  /** Show packages the venv has beyond the lock (as hints). */
  diagnosticsExtraneous: boolean;
}

/** `lock-tool-missing`: no lock and the manager (Poetry, PDM) is not installed; `unlocked` would go on. */
export type EnvironmentStatus =
  | "ok"
  | "cancelled"
  | "failed"
  | "lock-stale"
  | "lock-tool-missing"
  | "needs-python"
  | "busy";

export interface EnvironmentParams {
  /** The project's folder (as in ProjectInfo.root). */
  root: string;
  /** Absolute path of the interpreter to use; null: the helper chooses by the project's rules. */
  python?: string | null;
  /** Create even when a venv exists, swapping it in only once the new one is complete. */
  replace?: boolean;
  /** When no installed interpreter fits, install a managed CPython that does. */
  allowDownload?: boolean;
  /** For deleteEnvironment: the user confirmed. */
  confirmed?: boolean;
  /** The user agreed to install pyproject.toml's declared dependencies without a lock. */
  unlocked?: boolean;
  workDoneToken?: string;
}

/** The managed CPython a download would install. */
export interface PythonDownload {
  /** `Python 3.12.7`, `Python 3.13.1 (free-threaded)`. */
  label: string;
  version: string;
  /** Bytes, when the mirror said so quickly. */
  size: number | null;
  url: string;
}

export interface EnvironmentResult {
  status: EnvironmentStatus;
  /** One sentence for the user. */
  message: string;
  venv: VenvInfo | null;
  /** With `needs-python`: the managed Python that would fit, as people say it: `Python 3.12`. */
  pythonRequest: string | null;
  /** With `needs-python`: the build the catalogue has for it, when it has one. */
  download: PythonDownload | null;
}

export interface EnvironmentPlan {
  /** The venv that would be created. */
  venvPath: string;
  /** The interpreter the project's rules choose, or null when none installed fits. */
  python: { path: string; version: string } | null;
  /** When no installed interpreter fits: the managed Python that would, e.g. `Python 3.12`. */
  pythonRequest: string | null;
  /** When no installed interpreter fits: the build that would be downloaded, when there is one. */
  download: PythonDownload | null;
  /** How many locked packages a sync installs, when there is a lock. */
  packages: number | null;
  lock: PlanLock;
  /** Why Lockstep will not create the venv there (outside the project, not the user's choice). */
  refusal: string | null;
}

/**
 * The lock a create installs from: the project's; one made first; none, for want of the manager
 * (the venv would be unlocked); none, as the manager uses none.
 */
export type PlanLock = "locked" | "will-lock" | "cannot-lock" | "none";

export interface UpdateLockParams {
  root: string;
  /** The interpreter the user selected for the project; else its venv's, else the chosen one. */
  python?: string | null;
  workDoneToken?: string;
}

export type InterpreterKind = "system" | "pyenv" | "uv-managed" | "lockstep-managed" | "conda" | "venv";

export interface InterpreterInfo {
  /** The executable as a person would run it. */
  path: string;
  /** PEP 440: `3.12.7`, `3.14.0rc2`. */
  version: string;
  /** `cpython`, `pypy`, `graalpy`. */
  implementation: string;
  kind: InterpreterKind;
  /** A uv- or Lockstep-managed build. */
  managed: boolean;
  /** The venv folder or the installation's root. */
  prefix: string;
  architecture: string | null;
  freeThreaded: boolean;
  /** Venv folder, conda env, pyenv version or managed install name. */
  name: string | null;
  /** For a venv: the interpreter it was made from. */
  base: string | null;
}

/** All optional. With none of requiresPython/pythonVersion/preference, no choice is made. */
export interface InterpretersParams {
  requiresPython?: string | null;
  /** Content of the project's `.python-version` file. */
  pythonVersion?: string | null;
  preference?: PythonPreference;
  /** Versions the managed catalogue offers, to name the exact one to install. */
  availableManaged?: string[] | null;
  /** Rescan everything instead of trusting the cache. */
  refresh?: boolean;
}

export interface InterpreterCandidate {
  path: string;
  fits: boolean;
  /** Why it does not fit: `3.11.7 does not satisfy >=3.12`. */
  reason: string | null;
}

export interface PythonInstallRequest {
  implementation: string;
  /** PEP 440 specifier for the managed build, e.g. `==3.12.*`. */
  specifier: string;
  freeThreaded: boolean;
  prereleases: boolean;
  /** Exact version, when availableManaged was given. */
  version: string | null;
  /** For the picker: `Python 3.12`. */
  label: string;
}

export interface InterpreterChoice {
  /** Path of the chosen interpreter; null when nothing installed fits. */
  chosen: string | null;
  /** Every interpreter, fitting ones first (best first), then the rest with reasons. */
  candidates: InterpreterCandidate[];
  install: PythonInstallRequest | null;
  message: string;
  /** The `.python-version` line that applied. */
  request: string | null;
  notes: string[];
}

export interface InterpretersResult {
  interpreters: InterpreterInfo[];
  choice: InterpreterChoice | null;
}
