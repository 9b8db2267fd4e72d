import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { artifactsDir } from "./harness/paths";
import { scenario } from "./harness/scenario";
import { step, waitFor } from "./harness/waits";

// pyenv's 3.10-3.13 (and older) are visible to discovery through PYENV_ROOT, /usr/bin/python3.11 too.
const files = {
  "pyproject.toml": `[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []
`,
};
// autoCreate off: its own prompt would stand beside the picker's offer.
const settings = { "lockstep.autoCreate": "never" };

scenario("interpreter-picker", { files, settings }, async ({ workbench, workspace }) => {
  await workbench.waitForStatus("No environment");
  await workbench.statusItem().click();
  const items = await workbench.quickPickItems();
  const shown = items.map((item) => `[${item.group}] ${item.label} | ${item.description} | ${item.detail}`).join("\n");

  // The actions first: however many interpreters there are, they stay in view.
  assert.equal(items[0]?.label, "Enter interpreter path…", `the list should start with its actions:\n${shown}`);
  const fitting = items.filter((item) => /^Python \d/.test(item.label));
  for (const minor of ["3.12", "3.13"]) {
    assert.ok(fitting.some((item) => item.label.startsWith(`Python ${minor}.`)), `a fitting ${minor} should be offered:\n${shown}`);
  }
  assert.ok(fitting.every((item) => !/^Python (2|3\.([0-9]|1[01]))\./.test(item.label)), `nothing older than 3.12 should be listed:\n${shown}`);
  for (const item of fitting) {
    assert.ok(!item.description.includes(item.label.replace("Python ", "")), `the version should show once: ${item.label} | ${item.description}`);
  }
  const fold = items.at(-1)!;
  assert.match(fold.label, /^Show \d+ interpreters that don't fit…$/, `the last entry should fold the rest:\n${shown}`);

  await workbench.chooseQuickPickItem("don't fit", "don't fit", { opensList: true });
  // The same quick pick changes its items: wait until the first list has gone.
  const unfit = await waitFor("the quick pick to list the interpreters that don't fit", async () => {
    const listed = await workbench.quickPickItems();
    return listed.some((item) => item.label === fold.label) ? { ok: false, seen: listed.length } : { ok: true, value: listed };
  });
  const unfitShown = unfit.map((item) => `${item.label} | ${item.description}`).join("\n");
  assert.equal(unfit.length, Number(/\d+/.exec(fold.label)![0]), `the folded entry should count them:\n${unfitShown}`);
  const eleven = unfit.find((item) => item.label === "Python 3.11.7");
  assert.ok(eleven, `pyenv's 3.11.7 should be among those that do not fit:\n${unfitShown}`);
  assert.equal(eleven.description, "does not satisfy >=3.12");
  await workbench.screenshot(join(artifactsDir(), "interpreter-picker.unfit.png"));
  await workbench.page.keyboard.press("Escape");
  await step("the quick pick to close", () => workbench.page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 10_000 }));

  await workbench.statusItem().click();
  // The widget is reused: wait until it shows the first list again, not the second.
  const again = await waitFor("the quick pick to list the interpreters again", async () => {
    const listed = await workbench.quickPickItems();
    return listed[0]?.label === "Enter interpreter path…" ? { ok: true, value: listed } : { ok: false, seen: listed.map((i) => i.label) };
  });
  const thirteen = again.find((item) => /^Python 3\.13\./.test(item.label));
  assert.ok(thirteen, `a 3.13 should be listed:\n${again.map((item) => item.label).join("\n")}`);
  await workbench.chooseQuickPickItem(thirteen.detail, thirteen.label);
  const version = thirteen.label.replace("Python ", "");
  await workbench.waitForStatus(`${version} · No environment`);
  await workbench.clickNotificationButton(`Create .venv for demo with Python ${version}?`, "Not now");
  await workbench.waitForNotificationGone(`Create .venv for demo`);
  assert.equal(existsSync(join(workspace, ".venv")), false, "choosing an interpreter alone should create nothing");
});

scenario("interpreter-pin", { files, settings }, async ({ workbench, workspace }) => {
  await workbench.waitForStatus("No environment");
  await workbench.statusItem().click();
  const items = await workbench.quickPickItems();
  const pin = items.find((item) => item.label.startsWith("Pin Python"));
  assert.ok(pin, `the picker should offer a pin:\n${items.map((item) => item.label).join("\n")}`);
  assert.match(pin.label, /^Pin Python 3\.13 for this project$/, "the recommended (newest fitting) Python is the one offered");
  assert.equal(pin.description, "writes .python-version, as uv python pin does");
  await workbench.chooseQuickPickItem("Pin Python", pin.label);
  await workbench.waitForNotification("Pinned Python 3.13 for demo in .python-version.");
  assert.equal(readFileSync(join(workspace, ".python-version"), "utf8"), "3.13\n", "the file uv python pin 3.13 writes");
  assert.match(readFileSync(join(workspace, "pyproject.toml"), "utf8"), /requires-python = ">=3\.12"/, "requires-python is never edited");

  // The helper reads the new pin: the picker no longer offers it.
  await waitFor("the picker to stop offering the pin it wrote", async () => {
    await workbench.statusItem().click();
    const listed = await workbench.quickPickItems();
    await workbench.page.keyboard.press("Escape");
    await workbench.page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 10_000 });
    const offered = listed.filter((item) => item.label.startsWith("Pin Python")).map((item) => item.label);
    return offered.length === 0 ? { ok: true, value: undefined } : { ok: false, seen: offered };
  });
});
