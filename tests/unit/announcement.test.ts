import assert from "node:assert/strict";
import { test } from "node:test";
import { announcement } from "../../extension/announcement";

const ours = { python: "/w/app/.venv/bin/python", venv: "/w/app/.venv" };

test("nothing to hand over without a venv interpreter", () => {
  assert.deepEqual(announcement(undefined, "/usr/bin/python3", {}), { kind: "none" });
});

test("the Python extension already uses the venv (its interpreter or its folder)", () => {
  assert.deepEqual(announcement(ours, ours.python, {}), { kind: "none" });
  assert.deepEqual(announcement(ours, ours.venv, {}), { kind: "none" });
});

test("no choice made there (a bare command, or nothing): handed over silently", () => {
  assert.deepEqual(announcement(ours, "python", {}), { kind: "set", silently: true });
  assert.deepEqual(announcement(ours, undefined, {}), { kind: "set", silently: true });
});

test("what Lockstep set earlier is replaced silently", () => {
  assert.deepEqual(announcement(ours, "/usr/bin/python3.12", { lastSet: "/usr/bin/python3.12" }), {
    kind: "set",
    silently: true,
  });
});

test("another interpreter the user chose there is replaced only with a word and an Undo", () => {
  assert.deepEqual(announcement(ours, "/opt/conda/bin/python", { lastSet: "/usr/bin/python3.12" }), {
    kind: "set",
    silently: false,
  });
  assert.deepEqual(announcement(ours, "C:\\Python312\\python.exe", {}), { kind: "set", silently: false });
});

test("an undone hand-over is not repeated until the venv changes", () => {
  const undone = { lastSet: "/opt/conda/bin/python", declined: ours.python };
  assert.deepEqual(announcement(ours, "/opt/conda/bin/python", undone), { kind: "none" });
  const recreated = { python: "/w/app/.venv2/bin/python", venv: "/w/app/.venv2" };
  assert.equal(announcement(recreated, "/opt/conda/bin/python", undone).kind, "set");
});
