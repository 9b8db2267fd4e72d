import assert from "node:assert/strict";
import { test } from "node:test";
import { constraint, dependencyRow, groupRow, nesting, projectContext, projectRow, syncState } from "../../extension/projectsView/items";
import { groupTitle, revealedVersion, rowArgument, targets } from "../../extension/projectsView/changes";
import type { DependencyInfo, DriftInfo } from "../../extension/protocol";
import { projectInfo } from "./projectInfo";

const venv = { path: "/w/app/.venv", name: ".venv", python: "/w/app/.venv/bin/python", version: "3.12.7", resolved: "/w/app/.venv", link: false, listedIn: null };
const drift = (state: DriftInfo["state"]): DriftInfo => ({
  state,
  lockIssues: 0,
  missing: 0,
  mismatched: 0,
  extraneous: 0,
  pythonMismatch: false,
  lockfile: "/w/app/uv.lock",
  problem: null,
  revision: "0",
});

function dependency(overrides: Partial<DependencyInfo>): DependencyInfo {
  return { name: "alpha", requirement: "alpha>=2", line: 4, character: 17, locked: "2.0", installed: "2.0", severity: null, code: null, message: null, health: null, ...overrides };
}

test("a project row says manager, interpreter and venv, and its state in words, icon and colour", () => {
  const row = projectRow(projectInfo("/w/app", { venv, drift: drift("in-sync") }));
  assert.equal(row.label, "app");
  assert.equal(row.description, "uv · 3.12.7 (.venv) · in sync");
  assert.deepEqual(row.icon, { id: "pass-filled", color: "testing.iconPassed" });
  assert.equal(row.contextValue, "project:venv:lock");

  const stale = projectRow(projectInfo("/w/app", { venv, drift: drift("lock-out-of-sync") }));
  assert.equal(stale.description, "uv · 3.12.7 (.venv) · lock stale");
  assert.equal(stale.icon.color, "list.warningForeground");
  const outOfDate = projectRow(projectInfo("/w/app", { venv, drift: drift("env-out-of-sync") }));
  assert.equal(outOfDate.description, "uv · 3.12.7 (.venv) · environment out of date");
  const bare = projectRow(projectInfo("/w/app", { manager: "poetry", lockfile: null, drift: drift("unknown") }));
  assert.equal(bare.description, "Poetry · no environment");
  assert.equal(bare.contextValue, "project:novenv:lock", "Poetry uses a lock even before there is one");
});

test("the state order: a broken pyproject, then a stale lock, then a missing venv", () => {
  assert.equal(syncState(projectInfo("/w/a", { pyprojectError: "pyproject.toml is not valid TOML", drift: drift("lock-out-of-sync") })), "invalid");
  assert.equal(syncState(projectInfo("/w/a", { drift: drift("lock-out-of-sync") })), "lock-stale");
  assert.equal(syncState(projectInfo("/w/a", { drift: drift("unlocked") })), "no-environment");
  assert.equal(syncState(projectInfo("/w/a", { venv, drift: drift("unlocked") })), "unlocked");
  assert.equal(syncState(projectInfo("/w/a", { venv })), "checking");
  assert.equal(projectContext(projectInfo("/w/a", { manager: "pep621", lockfile: null, pyprojectError: "bad" })), "project:novenv:nolock:invalid");
});

test("a venv a .python-envs file lists is read only: its project is offered Create, not Sync or Delete", () => {
  const listed = { ...venv, path: "/envs/a", name: "a", listedIn: "/w/a/.python-envs" };
  const row = projectRow(projectInfo("/w/a", { venv: listed }));
  assert.equal(row.contextValue, "project:novenv:lock");
  assert.match(row.tooltip, /Listed in \/w\/a\/\\\.python\\-envs \(PEP 832\): read only/);
  assert.equal(projectContext(projectInfo("/w/a", { venv })), "project:venv:lock");
});

test("a dependency row: the constraint, locked and installed versions, and the finding as badge and tooltip", () => {
  const fine = dependencyRow(dependency({}));
  assert.equal(fine.label, "alpha");
  assert.equal(fine.description, ">=2 · locked 2.0 · installed 2.0");
  assert.equal(fine.icon.id, "check");

  const drifted = dependencyRow(
    dependency({ installed: "1.0", severity: "warning", code: "venv-version-mismatch", message: ".venv has alpha 1.0, but uv.lock pins 2.0 — sync the environment" }),
  );
  assert.equal(drifted.description, ">=2 · locked 2.0 · installed 1.0 · other version installed");
  assert.deepEqual(drifted.icon, { id: "warning", color: "list.warningForeground" });
  assert.match(drifted.tooltip, /uv\\\.lock pins 2\\\.0 — sync the environment$/);

  const unlocked = dependencyRow(dependency({ locked: null, installed: null, severity: "error", code: "lock-missing-package" }));
  assert.equal(unlocked.description, ">=2 · not locked");
  assert.equal(unlocked.icon.id, "error");
});

test("the constraint leaves out the package's name as written, Poetry's tables too", () => {
  assert.equal(constraint(dependency({ name: "typing-extensions", requirement: "Typing_Extensions>=4" })), ">=4");
  assert.equal(constraint(dependency({ name: "gamma", requirement: 'gamma = "*"' })), "any version");
  assert.equal(constraint(dependency({ name: "gamma", requirement: "gamma" })), "any version");
  assert.equal(constraint(dependency({ name: "pytest", requirement: 'pytest = { version = ">=8" }' })), '{ version = ">=8" }');
});

test("groups are named as the manager names them", () => {
  const row = (kind: "main" | "extra" | "group" | "dev", name: string | null) =>
    groupRow({ kind, name, dependencies: [dependency({})] });
  assert.deepEqual([row("main", null).label, row("main", null).description], ["main", "dependencies · 1"]);
  assert.equal(row("extra", "cli").description, "extra · 1");
  assert.equal(row("group", "dev").description, "group · 1");
  assert.equal(row("dev", "test").description, "dev group · 1");
});

test("uv workspace members nest under their workspace's root project", () => {
  const root = projectInfo("/w/ws", { workspaceRoot: "/w/ws" });
  const lib = projectInfo("/w/ws/packages/lib", { workspaceRoot: "/w/ws" });
  const other = projectInfo("/w/poetic", { manager: "poetry" });
  const orphan = projectInfo("/x/member", { workspaceRoot: "/x" });
  const { top, members } = nesting([root, lib, other, orphan]);
  assert.deepEqual(top.map((p) => p.root), ["/w/ws", "/w/poetic", "/x/member"]);
  assert.deepEqual(members.get("/w/ws")?.map((p) => p.root), ["/w/ws/packages/lib"]);
});

test("Add Dependency offers main, the project's extras and groups, then new ones in the manager's words", () => {
  const groups = [
    { kind: "main" as const, name: null, dependencies: [] },
    { kind: "extra" as const, name: "cli", dependencies: [] },
    { kind: "group" as const, name: "dev", dependencies: [] },
  ];
  const items = targets("poetry", groups);
  assert.deepEqual(
    items.map((item) => [item.label, item.description, item.kind, item.group]),
    [
      ["main", "the project's dependencies", "main", null],
      ["cli", "extra", "extra", "cli"],
      ["dev", "group", "group", "dev"],
      ["New group…", "a Poetry group", "group", null],
      ["New extra…", "an optional-dependencies extra", "extra", null],
    ],
  );
  assert.equal(targets("uv", [])[1].description, "a dependency group (PEP 735)");
  assert.equal(groupTitle({ kind: "dev", name: "lint", dependencies: [] }), "dev group lint");
});

test("the commands take a code action's argument on pyproject.toml as they take the view's row", () => {
  // As the helper sends Upgrade alpha / Remove alpha on a requirement of the test group.
  const sent = JSON.parse(
    JSON.stringify({
      root: "/w/app",
      group: { kind: "group", name: "test", dependencies: [dependency({ line: 12 })] },
      dependency: dependency({ line: 12 }),
    }),
  ) as unknown;
  assert.deepEqual(rowArgument(sent), sent);
  const viewRow = { kind: "dependency", root: "/w/app", pyproject: "/w/app/pyproject.toml", group: { kind: "main", name: null, dependencies: [] }, dependency: dependency({}) };
  assert.deepEqual(rowArgument(viewRow), { root: viewRow.root, group: viewRow.group, dependency: viewRow.dependency });
  // Add Dependency… anywhere: the project only, so the target is asked for.
  assert.deepEqual(rowArgument({ root: "/w/app" }), { root: "/w/app" });
  // Nothing of the shape presets nothing: a quick fix's root string, an unknown kind, a nameless requirement.
  assert.deepEqual(rowArgument("/w/app"), {});
  assert.deepEqual(rowArgument({ root: "/w/app", group: { kind: "weird", name: null, dependencies: [] }, dependency: { requirement: "x" } }), { root: "/w/app" });
});

test("Reveal in Lockfile goes to the installed version's entry, else the one version locked", () => {
  assert.equal(revealedVersion(dependency({ locked: "2.0", installed: "1.0" })), "1.0");
  assert.equal(revealedVersion(dependency({ locked: "2.0", installed: null })), "2.0");
  assert.equal(revealedVersion(dependency({ locked: "1.0, 2.0", installed: null })), null);
  assert.equal(revealedVersion(dependency({ locked: null, installed: null })), null);
});
