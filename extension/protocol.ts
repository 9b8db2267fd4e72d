// Lockstep's custom LSP protocol: method names and payload shapes. The Python twin is
// pyhelper/pyhelper/protocol.py; keep the two in step.

export const Methods = {
  projects: "lockstep/projects",
  projectsChanged: "lockstep/projectsChanged",
} as const;

export type Manager = "uv" | "poetry" | "pdm" | "hatch" | "pep621";

export interface VenvInfo {
  /** Absolute path of the venv folder. */
  path: string;
  /** Folder name as a person would say it, e.g. `.venv`. */
  name: string;
  /** Absolute path of the venv's interpreter, when it exists. */
  python: string | null;
  /** Interpreter version read from pyvenv.cfg, e.g. `3.12.7`. */
  version: string | null;
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
}

export interface ProjectsResult {
  projects: ProjectInfo[];
}

/** What the helper receives as initializationOptions and in didChangeConfiguration. */
export interface HelperSettings {
  exclude: string[];
  /** Workspace Trust: in an untrusted workspace the helper runs no tool and writes nothing. */
  trusted: boolean;
}
