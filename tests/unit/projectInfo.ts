// A ProjectInfo as the helper reports it, for the unit tests: a uv project at `root` with a lock,
// requires-python >=3.12 and no venv, unless `overrides` say otherwise.
import type { ProjectInfo } from "../../extension/protocol";

export function projectInfo(root: string, overrides: Partial<ProjectInfo> = {}): ProjectInfo {
  return {
    name: root.split("/").pop() ?? null,
    root,
    pyproject: `${root}/pyproject.toml`,
    manager: "uv",
    lockfile: `${root}/uv.lock`,
    pylock: [],
    requiresPython: ">=3.12",
    pythonVersion: null,
    venv: null,
    workspaceRoot: null,
    pyprojectError: null,
    ...overrides,
  };
}
