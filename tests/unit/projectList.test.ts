import assert from "node:assert/strict";
import { test } from "node:test";
import { ProjectList } from "../../extension/projectList";
import type { ProjectInfo } from "../../extension/protocol";
import { projectInfo } from "./projectInfo";

function recorder(): { list: ProjectList; renders: (readonly ProjectInfo[])[] } {
  const renders: (readonly ProjectInfo[])[] = [];
  return { list: new ProjectList((projects) => renders.push(projects)), renders };
}

const venv = { path: "/w/app/.venv", name: ".venv", python: "/w/app/.venv/bin/python", version: "3.12.1", resolved: "/w/app/.venv", link: false, listedIn: null };

test("after an environment operation, the helper's push renders once; the same list again renders nothing", () => {
  const { list, renders } = recorder();
  assert.equal(list.update([projectInfo("/w/app")]), true, "the first answer");
  // What the helper sends after Create Environment: one push with the venv; a second push or an
  // answer with the same list (a re-check that found nothing new) must not render again.
  const created = [projectInfo("/w/app", { venv, drift: { state: "in-sync", lockIssues: 0, missing: 0, mismatched: 0, extraneous: 0, pythonMismatch: false, lockfile: "/w/app/uv.lock", problem: null, revision: "0" } })];
  assert.equal(list.update(created), true);
  assert.equal(list.update(structuredClone(created)), false);
  assert.equal(list.update(structuredClone(created)), false);
  assert.deepEqual(renders, [[projectInfo("/w/app")], created]);
  assert.deepEqual(list.projects, created);
});

test("a list that differs in any field renders, and the listener gets the new list", () => {
  const { list, renders } = recorder();
  list.update([projectInfo("/w/app")]);
  list.update([projectInfo("/w/app", { pythonVersion: "3.13" })]);
  list.update([projectInfo("/w/app", { pythonVersion: "3.13" }), projectInfo("/w/lib")]);
  list.update([]);
  assert.deepEqual(
    renders.map((projects) => projects.map((p) => `${p.root}:${p.pythonVersion}`)),
    [["/w/app:null"], ["/w/app:3.13"], ["/w/app:3.13", "/w/lib:null"], []],
  );
});

test("an empty list before any project was heard of is no change", () => {
  const { list, renders } = recorder();
  assert.equal(list.update([]), false);
  assert.deepEqual(renders, []);
});
