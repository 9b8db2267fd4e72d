import assert from "node:assert/strict";
import { test } from "node:test";
import { answerOf, consentOf, OfferGate, offerButtons, offerQuestion, projectsToOffer, sortPlans } from "../../extension/autoCreatePrompt";
import type { EnvironmentPlan, ProjectInfo } from "../../extension/protocol";
import type { AutoCreate } from "../../extension/settings";
import { projectInfo } from "./projectInfo";

const project = (name: string, overrides: Partial<ProjectInfo> = {}) => projectInfo(`/w/${name}`, overrides);

const venv = { path: "/w/done/.venv", name: ".venv", python: "/w/done/.venv/bin/python", version: "3.12.1", resolved: "/w/done/.venv", link: false, listedIn: null };
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

test("the gate offers each project once a session; untrusted it remembers nothing, so trust brings the offer", () => {
  const gate = new OfferGate();
  const untrusted = { ...context(), trusted: false };
  assert.deepEqual(gate.next(projects, untrusted), { create: [], ask: [] });
  assert.deepEqual(names(gate.next(projects, context()).ask), ["api", "web"]);
  assert.deepEqual(gate.next(projects, context()), { create: [], ask: [] }, "offered once");
  assert.deepEqual(names(gate.next([...projects, project("new")], context()).ask), ["new"], "a new project is offered");
  gate.forget("/w/web");
  assert.deepEqual(names(gate.next(projects, context("always")).create), ["web"], "a forgotten one is offered again");
});

test("plans sorted: unplanned come back later, refused places are said and not asked", () => {
  const entries = [
    { name: "api", plan: plan("/w/api") },
    { name: "broken", plan: null },
    { name: "outside", plan: plan("/w/outside", { refusal: "lockstep.venv.path leads outside the project" }) },
    { name: "web", plan: plan("/w/web") },
  ];
  const sorted = sortPlans(entries);
  assert.deepEqual(sorted.unplanned.map((e) => e.name), ["broken"]);
  assert.deepEqual(sorted.refusals, ["lockstep.venv.path leads outside the project"]);
  assert.deepEqual(sorted.ask.map((e) => e.name), ["api", "web"]);
});

test("the answers: only Create agrees, dismissing is Not now, Never only for one project", () => {
  assert.deepEqual(offerButtons(1), ["Create", "Not now", "Never for this project"]);
  assert.deepEqual(offerButtons(3), ["Create All", "Choose…", "Not now"]);
  const answers = (count: number) => [...offerButtons(count), undefined].map((button) => answerOf(count, button));
  assert.deepEqual(answers(1), ["create", "not-now", "never", "not-now"]);
  assert.deepEqual(answers(2), ["create", "choose", "not-now", "not-now"]);
  assert.equal(answerOf(2, "Never for this project"), "not-now", "a button of the other question agrees to nothing");
});

test("answering Create agrees to the download and the unlocked venv only when the question named them", () => {
  const download = { label: "Python 3.13.1", version: "3.13.1", size: 31_200_000, url: "https://m/x.tar.gz" };
  assert.deepEqual(consentOf(plan("/w/api")), { unlocked: false }, "an installed Python: the setting decides");
  assert.deepEqual(consentOf(plan("/w/api", { python: null, download })), { allowDownload: true, unlocked: false });
  assert.deepEqual(consentOf(plan("/w/api", { download })), { unlocked: false }, "a download not needed is not agreed to");
  assert.deepEqual(consentOf(plan("/w/api", { lock: "cannot-lock" })), { unlocked: true });
  assert.deepEqual(consentOf(plan("/w/api", { lock: "will-lock" })), { unlocked: false });
  assert.deepEqual(consentOf(undefined), { unlocked: false }, "`always` asked nothing: it agrees to nothing");
});
