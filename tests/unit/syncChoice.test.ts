import assert from "node:assert/strict";
import { test } from "node:test";
import type { DependencyGroupInfo } from "../../extension/protocol";
import { projectRow } from "../../extension/projectsView/items";
import { describeStatus } from "../../extension/status";
import {
  choiceBadge,
  choiceFromPicked,
  choiceItems,
  choicesToSend,
  DEFAULT_CHOICE,
  describeChoice,
  isDefaultChoice,
} from "../../extension/syncChoice";
import { projectInfo } from "./projectInfo";

const group = (kind: DependencyGroupInfo["kind"], name: string | null): DependencyGroupInfo => ({ kind, name, dependencies: [] });
const GROUPS = [group("main", null), group("extra", "x"), group("group", "dev"), group("group", "docs"), group("dev", "lint")];

test("the picker offers the manager's defaults, then each group and extra, checked as the choice has them", () => {
  const items = choiceItems(GROUPS, { groups: [":default:", "docs"], extras: ["x"] }, "uv");
  assert.deepEqual(
    items.map((item) => [item.label, item.description, item.picked, item.kind]),
    [
      ["uv's default groups", "what the manager's own sync installs", true, "defaults"],
      ["x", "extra", true, "extra"],
      ["dev", "group", false, "group"],
      ["docs", "group", true, "group"],
      ["lint", "dev group", false, "group"],
    ],
  );
  const all = choiceItems(GROUPS, { groups: [":all:"], extras: [":all:"] }, "poetry");
  assert.equal(all[0].label, "Poetry's non-optional groups");
  assert.deepEqual(
    all.map((item) => item.picked),
    [false, true, true, true, true],
    ":all: checks every group and every extra",
  );
});

test("what is picked becomes the settings' names, and the default choice is the settings' default", () => {
  const items = choiceItems(GROUPS, DEFAULT_CHOICE, "pdm");
  assert.deepEqual(choiceFromPicked(items.filter((item) => item.picked)), DEFAULT_CHOICE);
  assert.deepEqual(choiceFromPicked([items[2], items[1]]), { groups: ["dev"], extras: ["x"] });
  assert.ok(isDefaultChoice({ groups: [":default:"], extras: [] }));
  assert.ok(!isDefaultChoice({ groups: [], extras: [] }), "no groups at all is a choice of its own");
});

test("only the projects whose choice is not the default are sent to the helper", () => {
  const choices: Record<string, { groups: string[]; extras: string[] }> = {
    "/w/a": { groups: [":default:"], extras: [] },
    "/w/b": { groups: ["docs"], extras: ["x"] },
  };
  assert.deepEqual(
    choicesToSend(["/w/a", "/w/b"], (root) => choices[root]),
    [{ root: "/w/b", groups: ["docs"], extras: ["x"] }],
  );
});

test("the view's row and the status bar's tooltip say which groups and extras the environment gets", () => {
  assert.equal(describeChoice(DEFAULT_CHOICE, "uv"), "uv's default groups; extras: none");
  assert.equal(describeChoice({ groups: [":default:", "docs"], extras: [":all:"] }, "pdm"), "PDM's locked groups, docs; extras: every extra");
  assert.equal(choiceBadge(DEFAULT_CHOICE), undefined);
  assert.equal(choiceBadge({ groups: [], extras: ["x"] }), "groups: none, extras: x");

  const project = projectInfo("/w/app");
  const row = projectRow(project, { groups: [":default:", "docs"], extras: [] });
  assert.equal(row.description, "uv · no environment · groups: defaults, docs");
  assert.match(row.tooltip, /Groups: uv's default groups, docs; extras: none/);
  assert.equal(projectRow(project).description, "uv · no environment", "the default choice adds no words to the row");

  const status = describeStatus({ kind: "running" }, project, 1, undefined, { groups: ["docs"], extras: ["x"] });
  assert.match(status.tooltip, /Groups: docs; extras: x/);
});
