// The gate before every command that changes a project: nothing in an untrusted workspace, and
// nothing but a pointer to the error while pyproject.toml does not parse. Pure, for unit tests;
// environments.ts and drift.ts show the refusal. The helper refuses the same operations by itself
// (operations.py): asking here first means no confirmation and no progress for work that cannot run.
import type { ProjectInfo } from "./protocol";

export type Guarded = "create" | "sync" | "recreate" | "delete" | "lock" | "dependencies" | "init" | ScriptOperation;

/** A PEP 723 script's commands (scripts/commands.ts). */
export type ScriptOperation = "run-script" | "sync-script" | "lock-script";

const INSTALLING = "Lockstep creates and syncs environments only in trusted workspaces: installing runs code from the project.";

const UNTRUSTED: Record<Guarded, string> = {
  create: INSTALLING,
  sync: INSTALLING,
  recreate: INSTALLING,
  delete: "Lockstep deletes environments only in trusted workspaces: trust the folder first.",
  lock: "Lockstep updates lockfiles only in trusted workspaces: locking runs the project's build backends.",
  dependencies:
    "Lockstep changes dependencies only in trusted workspaces: the project's manager runs its build backends to lock.",
  "run-script": "Lockstep runs scripts only in trusted workspaces: Run Script runs the script's code and installs its dependencies.",
  "sync-script": "Lockstep creates script environments only in trusted workspaces: installing runs code from the script's dependencies.",
  "lock-script": "Lockstep locks scripts only in trusted workspaces: locking runs the build backends of the script's dependencies.",
  init: "Lockstep creates projects only in trusted workspaces: uv reads the folder's own configuration.",
};

export type Refusal = { reason: "untrusted"; message: string } | { reason: "invalid-pyproject"; message: string };

/**
 * Why `operation` must not start, or undefined when it may. Without `project` (before the user
 * picked one) only trust is checked. Deleting a venv reads nothing of pyproject.toml, so a broken
 * one does not stop it.
 */
export function refusal(operation: Guarded, context: { trusted: boolean; project?: ProjectInfo }): Refusal | undefined {
  if (!context.trusted) return { reason: "untrusted", message: UNTRUSTED[operation] };
  const error = context.project?.pyprojectError;
  if (error && operation !== "delete") return { reason: "invalid-pyproject", message: `${error}. Fix it first.` };
  return undefined;
}
