import assert from "node:assert/strict";
import { test } from "node:test";
import { describeDeletion, describePlan, describeVenv, projectFor } from "../../extension/projects";
import { describeStatus } from "../../extension/status";
import { projectInfo } from "./projectInfo";

const project = projectInfo;

const running = { kind: "running" } as const;

test("a project with a venv shows its version and venv name", () => {
  const venv = { path: "/w/app/.venv", name: ".venv", python: "/w/app/.venv/bin/python", version: "3.12.7", resolved: "/w/app/.venv", link: false, listedIn: null };
  const view = describeStatus(running, project("/w/app", { venv }), 1);
  assert.equal(view.text, "3.12.7 (.venv)");
  assert.equal(view.tone, "normal");
  assert.match(view.tooltip, /Project: app/);
  assert.match(view.tooltip, /Manager: uv/);
  assert.match(view.tooltip, /Lockfile: \/w\/app\/uv\.lock/);
  assert.match(view.tooltip, /Interpreter: \/w\/app\/\.venv\/bin\/python/);
});

test("a venv a .python-envs file names is shown, read only: no Sync or Recreate, Create gives the project its own", () => {
  const venv = { path: "/envs/app", name: "app", python: "/envs/app/bin/python", version: "3.12.7", resolved: "/envs/app", link: false, listedIn: "/w/app/.python-envs" };
  const view = describeStatus(running, project("/w/app", { venv }), 1);
  assert.equal(view.text, "3.12.7 (app)");
  assert.match(view.tooltip, /Environment: \/envs\/app, the default of \/w\/app\/\.python-envs \(PEP 832\); Lockstep reads it and never changes it\./);
  assert.deepEqual(view.actions.map((action) => action.command), ["updateLock", "createEnvironment", "selectInterpreter"]);
});

test("a project without a venv says so, in the warning colour", () => {
  const view = describeStatus(running, project("/w/app", { lockfile: null, manager: "poetry" }), 1);
  assert.equal(view.text, "$(warning) No environment");
  assert.equal(view.tone, "warning");
  assert.match(view.tooltip, /Manager: Poetry/);
  assert.match(view.tooltip, /Lockfile: none/);
});

test("helper states: starting, restarting, failed", () => {
  assert.match(describeStatus({ kind: "starting" }, undefined, 0).text, /Lockstep: starting/);
  assert.equal(describeStatus({ kind: "restarting", crashes: 2 }, undefined, 0).tone, "warning");
  const failed = describeStatus({ kind: "failed", message: "it crashed 6 times" }, undefined, 0);
  assert.equal(failed.text, "$(error) Lockstep: helper stopped");
  assert.equal(failed.tone, "error");
  assert.equal(failed.command, "showLog");
  assert.match(failed.tooltip, /it crashed 6 times/);
});

test("no project: hidden; several and none active: a count", () => {
  assert.equal(describeStatus(running, undefined, 0).visible, false);
  assert.match(describeStatus(running, undefined, 3).text, /3 Python projects/);
});

test("the active file's innermost project wins; otherwise the single top-level project", () => {
  const projects = [project("/w"), project("/w/packages/lib"), project("/w2")];
  assert.equal(projectFor(projects, "/w/packages/lib/src/x.py")?.root, "/w/packages/lib");
  assert.equal(projectFor(projects, "/w/README.md")?.root, "/w");
  assert.equal(projectFor(projects, "/w-other/file")?.root, undefined);
  assert.equal(projectFor(projects.slice(0, 2), undefined)?.root, "/w");
  assert.equal(projectFor(projects, undefined), undefined);
});

test("the auto-create prompt says which Python and how many locked packages", () => {
  const plan = { venvPath: "/w/app/.venv", python: { path: "/usr/bin/python3.12", version: "3.12.7" }, pythonRequest: null, download: null, packages: 48, lock: "locked" as const, refusal: null };
  assert.equal(describePlan("app", plan), "Create .venv with Python 3.12.7 and install 48 locked packages for app?");
  assert.equal(
    describePlan("app", { ...plan, python: null, pythonRequest: "Python 3.13", packages: null }),
    "Create .venv with Python 3.13 (to be downloaded) for app?",
  );
  assert.equal(describePlan("app", { ...plan, packages: 1 }), "Create .venv with Python 3.12.7 and install 1 locked package for app?");
  // Not locked yet: no count can be known before locking, so none is given.
  assert.equal(
    describePlan("app", { ...plan, packages: null, lock: "will-lock" }),
    "Create .venv with Python 3.12.7, lock and install the dependencies for app?",
  );
  assert.match(describePlan("app", { ...plan, packages: null, lock: "cannot-lock" }), /for app, unlocked\? There is no lockfile/);
});

test("Delete and Recreate confirmations name the resolved folder, or the link and its target", () => {
  const folder = { path: "/w/app/envs/../.venv", name: ".venv", python: null, version: null, resolved: "/data/app/.venv", link: false, listedIn: null };
  assert.equal(describeDeletion(folder), "Delete /data/app/.venv? Everything installed in it is removed.");
  assert.equal(describeVenv(folder), "/data/app/.venv");
  const link = { ...folder, path: "/w/app/.venv", resolved: "/w/app/envs/py312", link: true };
  assert.equal(
    describeDeletion(link),
    "Remove the link /w/app/.venv? It points to /w/app/envs/py312, which is left as it is.",
  );
  assert.equal(describeVenv(link), "the link /w/app/.venv (to /w/app/envs/py312)");
});

test("a picked interpreter shows in the status bar until the venv exists", () => {
  const picked = { path: "/root/.pyenv/versions/3.13.0/bin/python3.13", version: "3.13.0" };
  const view = describeStatus(running, project("/w/app"), 1, picked);
  assert.equal(view.text, "$(warning) 3.13.0 · No environment");
  assert.equal(view.command, "selectInterpreter");
  assert.match(view.tooltip, /python3\.13 \(selected; no virtual environment yet\)/);
  const typed = describeStatus(running, project("/w/app"), 1, { path: "/opt/py/bin/python3", version: null });
  assert.equal(typed.text, "$(warning) python3 · No environment");
});
