import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { scenario } from "./harness/scenario";

// pyenv's 3.10-3.13 (and older) are visible to discovery through PYENV_ROOT, /usr/bin/python3.11 too.
const files = {
  "pyproject.toml": `[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []
`,
};
const NOT_FITTING = "Do not fit this project";

// autoCreate off: its own prompt would stand beside the picker's offer.
const settings = { "lockstep.autoCreate": "never" };

scenario("interpreter-picker", { files, settings }, async ({ workbench, workspace }) => {
  await workbench.waitForStatus("No environment");
  await workbench.statusItem().click();
  const items = await workbench.quickPickItems();
  const shown = items.map((item) => `[${item.group}] ${item.label} | ${item.description} | ${item.detail}`).join("\n");

  const fitting = items.filter((item) => item.group !== NOT_FITTING && /^Python \d/.test(item.label));
  for (const minor of ["3.12", "3.13"]) {
    assert.ok(fitting.some((item) => item.label.startsWith(`Python ${minor}.`)), `a fitting ${minor} should be offered:\n${shown}`);
  }
  assert.ok(fitting.every((item) => !/^Python (2|3\.([0-9]|1[01]))\./.test(item.label)), `nothing older than 3.12 should fit:\n${shown}`);
  const eleven = items.find((item) => item.group === NOT_FITTING && item.label === "Python 3.11.7");
  assert.ok(eleven, `pyenv's 3.11.7 should be under "${NOT_FITTING}":\n${shown}`);
  assert.equal(eleven.description, "3.11.7 does not satisfy >=3.12");
  assert.ok(items.some((item) => item.label === "Enter interpreter path…"), `"Enter interpreter path…" should be offered:\n${shown}`);

  const thirteen = fitting.find((item) => item.label.startsWith("Python 3.13."));
  assert.ok(thirteen);
  await workbench.chooseQuickPickItem(thirteen.detail, thirteen.label);
  const version = thirteen.label.replace("Python ", "");
  await workbench.waitForStatus(`${version} · No environment`);
  await workbench.clickNotificationButton(`Create .venv for demo with Python ${version}?`, "Not now");
  await workbench.waitForNotificationGone(`Create .venv for demo`);
  assert.equal(existsSync(join(workspace, ".venv")), false, "choosing an interpreter alone should create nothing");
});
