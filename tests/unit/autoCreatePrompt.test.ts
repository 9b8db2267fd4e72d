import assert from "node:assert/strict";
import { test } from "node:test";
import { offerQuestion, projectsToOffer } from "../../extension/autoCreatePrompt";
import type { EnvironmentPlan, ProjectInfo } from "../../extension/protocol";
import type { AutoCreate } from "../../extension/settings";
import { projectInfo } from "./projectInfo";

const project = (name: string, overrides: Partial<ProjectInfo> = {}) => projectInfo(`/w/${name}`, overrides);

const venv = { path: "/w/done/.venv", name: ".venv", python: "/w/done/.venv/bin/python", version: "3.12.1", resolved: "/w/done/.venv", link: false };
const projects = [project("api"), project("web"), project("done", { venv }), project("member", { workspaceRoot: "/w/api" })];
const context = (mode: AutoCreate = "prompt", extra: Partial<Parameters<typeof projectsToOffer>[1]> = {}) => ({
  trusted: true,
  seen: new Set<string>(),
  mode: () => mode,
  never: () => false,
  ...extra,
});
const names = (list: ProjectInfo[]) => list.map((p) => p.name);

test("every project without an environment is in one offer; members and venvs are not", () => {
  const offer = projectsToOffer(projects, context());
  assert.deepEqual(names(offer.ask), ["api", "web"]);
  assert.deepEqual(offer.create, []);
  assert.deepEqual(names(projectsToOffer(projects, context("always")).create), ["api", "web"]);
});

test("nothing in an untrusted workspace, with autoCreate never, twice, or after Never for this project", () => {
  const empty = { create: [], ask: [] };
  assert.deepEqual(projectsToOffer(projects, context("prompt", { trusted: false })), empty);
  assert.deepEqual(projectsToOffer(projects, context("never")), empty);
  assert.deepEqual(names(projectsToOffer(projects, context("prompt", { seen: new Set(["/w/api"]) })).ask), ["web"]);
  assert.deepEqual(names(projectsToOffer(projects, context("prompt", { never: (p) => p.name === "web" })).ask), ["api"]);
  const perFolder = context("prompt", { mode: (p: ProjectInfo) => (p.name === "api" ? "always" : "prompt") });
  const mixed = projectsToOffer(projects, perFolder);
  assert.deepEqual([names(mixed.create), names(mixed.ask)], [["api"], ["web"]]);
});

const plan = (root: string, overrides: Partial<EnvironmentPlan> = {}): EnvironmentPlan => ({
  venvPath: `${root}/.venv`,
  python: { path: "/usr/bin/python3.12", version: "3.12.1" },
  pythonRequest: null,
  download: null,
  packages: 4,
  lock: "locked",
  refusal: null,
  ...overrides,
});

test("one project: its plan in full; several: one question naming them and any download", () => {
  assert.equal(
    offerQuestion([{ name: "api", plan: plan("/w/api") }]),
    "Create .venv with Python 3.12.1 and install 4 locked packages for api?",
  );
  const download = { label: "Python 3.13.1", version: "3.13.1", size: 31_200_000, url: "https://m/x.tar.gz" };
  assert.equal(
    offerQuestion([
      { name: "api", plan: plan("/w/api") },
      { name: "web", plan: plan("/w/web", { python: null, pythonRequest: "Python 3.13", download }) },
      { name: "worker", plan: plan("/w/worker") },
    ]),
    "3 projects have no environment: api, web, worker. Create .venv for each with the Python that fits and install its locked packages? web needs Python 3.13.1 (a 31.2 MB download).",
  );
});
