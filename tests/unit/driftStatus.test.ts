import assert from "node:assert/strict";
import { test } from "node:test";
import type { DriftInfo, ProjectInfo } from "../../extension/protocol";
import { describeDrift, describeStatus } from "../../extension/status";

const running = { kind: "running" } as const;
const venv = { path: "/w/app/.venv", name: ".venv", python: "/w/app/.venv/bin/python", version: "3.12.7", resolved: "/w/app/.venv", link: false, listedIn: null };

function drift(overrides: Partial<DriftInfo>): DriftInfo {
  return {
    state: "in-sync",
    lockIssues: 0,
    missing: 0,
    mismatched: 0,
    extraneous: 0,
    pythonMismatch: false,
    lockfile: "/w/app/uv.lock",
    problem: null,
    revision: "0",
    ...overrides,
  };
}

function project(overrides: Partial<ProjectInfo>): ProjectInfo {
  return {
    name: "app",
    root: "/w/app",
    pyproject: "/w/app/pyproject.toml",
    manager: "uv",
    lockfile: "/w/app/uv.lock",
    pylock: [],
    requiresPython: ">=3.12",
    pyprojectError: null,
    pythonVersion: null,
    venv,
    workspaceRoot: null,
    ...overrides,
  };
}

test("in sync: a check mark next to the interpreter, normal colour", () => {
  const view = describeStatus(running, project({ drift: drift({}) }), 1);
  assert.equal(view.text, "3.12.7 (.venv) $(check)");
  assert.equal(view.tone, "normal");
  assert.match(view.tooltip, /In sync: pyproject\.toml, uv\.lock and the environment agree\./);
});

test("a stale lock says so in the warning colour and names the fix", () => {
  const view = describeStatus(running, project({ drift: drift({ state: "lock-out-of-sync", lockIssues: 2 }) }), 1);
  assert.equal(view.text, "3.12.7 (.venv) $(warning) lock stale");
  assert.equal(view.tone, "warning");
  assert.match(view.tooltip, /uv\.lock disagree \(2 issues\)/);
  assert.match(view.tooltip, /Lockstep: Update Lockfile/);
});

test("an environment out of sync counts what differs and points at Sync", () => {
  const info = drift({ state: "env-out-of-sync", missing: 1, mismatched: 2, extraneous: 1 });
  const view = describeStatus(running, project({ drift: info }), 1);
  assert.equal(view.text, "3.12.7 (.venv) $(warning) env out of sync");
  assert.equal(view.tone, "warning");
  assert.match(view.tooltip, /1 package missing, 2 packages at other versions, 1 extra package\./);
  assert.match(view.tooltip, /Lockstep: Sync Environment/);
});

test("a venv whose Python does not fit is an error that asks for a recreate", () => {
  const view = describeStatus(running, project({ drift: drift({ state: "env-out-of-sync", pythonMismatch: true }) }), 1);
  assert.equal(view.tone, "error");
  assert.match(view.tooltip, /its Python does not satisfy requires-python/);
  assert.match(view.tooltip, /Recreate Environment/);
});

test("unknown or unchecked drift adds nothing", () => {
  assert.deepEqual(describeDrift(undefined), { suffix: "", tone: "normal", lines: [] });
  assert.equal(describeStatus(running, project({ drift: drift({ state: "unknown" }) }), 1).text, "3.12.7 (.venv)");
});

test("without a venv a stale lock still shows", () => {
  const view = describeStatus(running, project({ venv: null, drift: drift({ state: "lock-out-of-sync", lockIssues: 1 }) }), 1);
  assert.equal(view.text, "$(warning) No environment $(warning) lock stale");
  assert.match(view.tooltip, /\(1 issue\)/);
});

test("a pyproject.toml that does not parse is the state, in the error colour, with nothing offered", () => {
  const problem = "pyproject.toml is not valid TOML (line 8): missing comma between array elements";
  const broken = describeStatus(running, project({ venv: null, lockfile: null, pyprojectError: problem }), 1);
  assert.equal(broken.text, "$(warning) No environment $(error) pyproject.toml invalid");
  assert.equal(broken.tone, "error");
  assert.match(broken.tooltip, /not valid TOML \(line 8\): missing comma/);
  assert.doesNotMatch(broken.tooltip, /Create Environment|lock stale|disagree/);
  // Typed but not saved: the live check's state says the same about the buffer.
  const typed = describeStatus(running, project({ venv, drift: drift({ state: "pyproject-invalid", problem }) }), 1);
  assert.equal(typed.text, "3.12.7 (.venv) $(error) pyproject.toml invalid");
  assert.equal(typed.tone, "error");
});

test("a project without a lock is never called stale: Create locks it, a venv without one is unlocked", () => {
  const none = describeStatus(running, project({ venv: null, lockfile: null, drift: drift({ state: "unlocked", lockfile: null }) }), 1);
  assert.equal(none.text, "$(warning) No environment");
  assert.match(none.tooltip, /No lockfile yet: Lockstep: Create Environment locks the dependencies/);
  const unlocked = describeStatus(running, project({ venv, lockfile: null, drift: drift({ state: "unlocked", lockfile: null }) }), 1);
  assert.equal(unlocked.text, "3.12.7 (.venv) $(unlock) unlocked");
  assert.match(unlocked.tooltip, /Unlocked: there is no lockfile/);
});
