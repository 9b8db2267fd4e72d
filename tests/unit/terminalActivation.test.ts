import assert from "node:assert/strict";
import { test } from "node:test";
import { activationOff, terminalEnvironment } from "../../extension/terminalActivation";
import type { VenvInfo } from "../../extension/protocol";
import { projectInfo } from "./projectInfo";

function venv(path: string, version: string | null = "3.12.7"): VenvInfo {
  return { path, name: path.split(/[\\/]/).pop() ?? path, python: `${path}/bin/python`, version, resolved: path, link: false, listedIn: null };
}

const on = { enabled: true, trusted: true, pythonExtensionActivates: false };

test("terminals are activated only when enabled, trusted, and not by the Python extension too", () => {
  assert.equal(activationOff(on), undefined);
  assert.equal(activationOff({ ...on, enabled: false }), "lockstep.terminal.activate is off");
  assert.equal(activationOff({ ...on, trusted: false }), "the workspace is not trusted");
  assert.equal(activationOff({ ...on, pythonExtensionActivates: true }), "the Python extension activates terminals itself");
});

test("a folder's project with a venv: VIRTUAL_ENV, its bin first on PATH, PYTHONHOME unset", () => {
  const environment = terminalEnvironment("/w/app", [projectInfo("/w/app", { venv: venv("/w/app/.venv") })], "linux");
  assert.deepEqual(environment?.variables, {
    VIRTUAL_ENV: { kind: "replace", value: "/w/app/.venv" },
    PATH: { kind: "prepend", value: "/w/app/.venv/bin:" },
    PYTHONHOME: { kind: "replace", value: "" },
  });
  assert.equal(environment?.description, "Lockstep: .venv (Python 3.12.7) of app is active");
});

test("on Windows the venv's Scripts folder goes first, with ';'", () => {
  const project = projectInfo("C:\\w\\app", { venv: venv("C:\\w\\app\\.venv") });
  const environment = terminalEnvironment("C:\\w\\app", [project], "win32");
  assert.deepEqual(environment?.variables.PATH, { kind: "prepend", value: "C:\\w\\app\\.venv\\Scripts;" });
});

test("a project without a venv leaves its terminals alone", () => {
  assert.equal(terminalEnvironment("/w/app", [projectInfo("/w/app")], "linux"), undefined);
});

test("a uv workspace's root owns the folder's terminals; members under it do not compete", () => {
  const root = projectInfo("/w/mono", { venv: venv("/w/mono/.venv") });
  const member = projectInfo("/w/mono/packages/lib", { workspaceRoot: "/w/mono", venv: venv("/w/mono/.venv") });
  assert.equal(terminalEnvironment("/w/mono", [member, root], "linux")?.venv, "/w/mono/.venv");
});

test("several top-level projects in one folder have no obvious terminal environment", () => {
  const projects = ["api", "web"].map((name) => projectInfo(`/w/${name}`, { venv: venv(`/w/${name}/.venv`) }));
  assert.equal(terminalEnvironment("/w", projects, "linux"), undefined);
});

test("projects of other workspace folders are not considered", () => {
  const other = projectInfo("/elsewhere/app", { venv: venv("/elsewhere/app/.venv") });
  assert.equal(terminalEnvironment("/w", [other], "linux"), undefined);
});

test("a folder inside a project belongs to that project", () => {
  const project = projectInfo("/w/app", { venv: venv("/w/app/.venv", null) });
  const environment = terminalEnvironment("/w/app/docs", [project], "linux");
  assert.equal(environment?.description, "Lockstep: .venv of app is active");
});

test("a committed .venv link that leaves the project is never put on a terminal's PATH", () => {
  const outside = { ...venv("/w/app/.venv"), link: true, resolved: "/elsewhere/env" };
  assert.equal(terminalEnvironment("/w/app", [projectInfo("/w/app", { venv: outside })], "linux"), undefined);
  const inside = { ...venv("/w/app/.venv"), link: true, resolved: "/w/app/envs/py312" };
  assert.equal(terminalEnvironment("/w/app", [projectInfo("/w/app", { venv: inside })], "linux")?.venv, "/w/app/.venv");
});
