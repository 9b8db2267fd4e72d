import assert from "node:assert/strict";
import { test } from "node:test";
import { describeStatus } from "../../extension/status";
import { TOOLTIP_COMMANDS, tooltipMarkdown } from "../../extension/tooltip";
import { projectInfo } from "./projectInfo";

const running = { kind: "running" } as const;
const venv = { path: "/w/my_app/.venv", name: ".venv", python: "/w/my_app/.venv/bin/python", version: "3.12.7", resolved: "/w/my_app/.venv", link: false, listedIn: null };
const project = projectInfo("/w/my_app", { venv });
const link = (command: string, root?: string) =>
  `(command:${command}${root === undefined ? "" : `?${encodeURIComponent(JSON.stringify([root]))}`})`;

test("a project with a venv links Sync, Update lockfile and Select interpreter for that project", () => {
  const markdown = tooltipMarkdown(describeStatus(running, project, 1));
  const links = markdown.split("\n---\n")[1];
  assert.equal(
    links.trim(),
    [
      `[$(sync) Sync]${link("lockstep.syncEnvironment", "/w/my_app")}`,
      `[$(lock) Update Lockfile]${link("lockstep.updateLock", "/w/my_app")}`,
      `[$(list-selection) Select Interpreter]${link("lockstep.selectInterpreter")}`,
    ].join(" | "),
  );
});

test("the text is escaped markdown with its line breaks kept", () => {
  const markdown = tooltipMarkdown(describeStatus(running, project, 1));
  assert.match(markdown, /^Project: my\\_app {2}\nFolder: \/w\/my\\_app {2}\n/);
  assert.match(markdown, /requires\\-python: \\>=3\\\.12/);
});

test("the links follow the state: a stale lock first, a missing venv, a stopped helper", () => {
  const titles = (markdown: string) => [...markdown.matchAll(/\[\$\([\w-]+\) ([^\]]+)\]/g)].map((m) => m[1]);
  const stale = { ...project, drift: { state: "lock-out-of-sync" as const, lockIssues: 1, missing: 0, mismatched: 0, extraneous: 0, pythonMismatch: false, lockfile: project.lockfile, problem: null, revision: "0" } };
  assert.deepEqual(titles(tooltipMarkdown(describeStatus(running, stale, 1))), ["Update Lockfile", "Sync", "Select Interpreter"]);
  assert.deepEqual(titles(tooltipMarkdown(describeStatus(running, { ...project, venv: null }, 1))), [
    "Create Environment",
    "Select Interpreter",
  ]);
  const failed = describeStatus({ kind: "failed", message: "it crashed" }, undefined, 0);
  assert.deepEqual(titles(tooltipMarkdown(failed)), ["Show Log", "Restart Helper"]);
});

test("only Lockstep's commands are trusted", () => {
  assert.ok(TOOLTIP_COMMANDS.length > 0);
  assert.ok(TOOLTIP_COMMANDS.every((id) => id.startsWith("lockstep.")));
});
