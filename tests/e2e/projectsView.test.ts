import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { installedDists, uvProject } from "./harness/fixtures";
import { indexEnvironment, lockAgainst, serveIndex, serveIndexAndLock } from "./harness/loopback";
import { devUv } from "./harness/paths";
import { ProjectsView } from "./harness/projectsView";
import { scenario } from "./harness/scenario";
import { step, waitFor } from "./harness/waits";

// A uv workspace (root `ws` with alpha and a dev group, member `lib` with delta) locked by real uv
// against the loopback index, and a Poetry project with its poetry.lock (tests/support/projects.py:
// alpha and epsilon main, gamma in `dev`, delta in the optional `docs` group). No venv anywhere.
const project = (name: string, dependencies: string[], more = "") => `[project]
name = "${name}"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = [${dependencies.map((d) => JSON.stringify(d)).join(", ")}]
${more}`;
const files = {
  "ws/pyproject.toml": project("ws", ["alpha>=2"], '\n[dependency-groups]\ndev = ["gamma"]\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'),
  "ws/.python-version": "3.12\n",
  "ws/packages/lib/pyproject.toml": project("lib", ["delta>=1"]),
};
const settings = { "lockstep.autoCreate": "never" };

scenario(
  "projects-view-workspace-and-poetry",
  {
    files,
    settings,
    prepare: (p) => serveIndexAndLock(p, undefined, ["ws"], ["poetic"]),
    timeoutMs: 240_000,
  },
  async ({ workbench, workspace, waitForHelper, prepared: index }) => {
    await waitForHelper();
    const view = new ProjectsView(workbench);
    await view.open();

    // Top level: the workspace root and the Poetry project; the member nests under its workspace.
    await view.waitForRow("ws", "uv · no environment", "circle-slash");
    await view.waitForRow("poetic", "Poetry · no environment", "circle-slash");
    const top = (await view.rows()).map((row) => row.path);
    assert.deepEqual(top, ["poetic", "ws"], "lib is not at the top level");
    await view.screenshot("projects-view-workspace-and-poetry", "no-environment");

    await view.expand("ws");
    await view.waitForRow("ws/main/alpha", ">=2 · locked 2.0", "package");
    await view.expand("ws/dev");
    await view.waitForRow("ws/dev/gamma", "any version · locked 0.1");
    await view.waitForRow("ws/uv.lock", "");
    await view.waitForRow("ws/lib", "uv · no environment");

    await view.expand("poetic");
    await view.waitForRow("poetic/main/alpha", ">=2 · locked 2.0");
    await view.waitForRow("poetic/dev", "group · 1");
    await view.waitForRow("poetic/docs", "group · 1");
    await view.waitForRow("poetic/poetry.lock", "");

    // Create from the row: the workspace's venv, shared by its member, which gets only the root's deps.
    await view.clickInline("ws", "Create Environment");
    await workbench.waitForNotificationSeen("Creating the environment for ws", { progress: true });
    await view.waitForRow("ws", /^uv · 3\.12\.\d+ \(\.venv\) · in sync$/, "pass-filled");
    await view.waitForRow("ws/main/alpha", ">=2 · locked 2.0 · installed 2.0", "check");
    await view.waitForRow("ws/.venv", /^Python 3\.12\.\d+ · 3 packages$/);
    await view.waitForRow("ws/uv.lock", "3 for the environment");
    await view.waitForRow("ws/lib", /^uv · 3\.12\.\d+ \(\.venv\) · environment out of date$/, "sync");
    await view.expand("ws/lib");
    await view.waitForRow("ws/lib/main/delta", ">=1 · locked 1.0 · not installed", "warning");
    // The Poetry project was not touched: still listed, still expanded, still without a venv.
    await view.waitForRow("poetic", "Poetry · no environment");
    await view.waitForRow("poetic/main/alpha", ">=2 · locked 2.0");

    // An install from a terminal: the row follows, with the drift badge.
    const env: NodeJS.ProcessEnv = { ...process.env, ...indexEnvironment(index) };
    for (const key of index.info.unset) delete env[key];
    await step("uv pip install alpha==1.0 into ws/.venv", () =>
      promisify(execFile)(
        devUv(),
        ["pip", "install", "--quiet", "alpha==1.0", "--python", join(workspace, "ws", ".venv", "bin", "python")],
        { env, timeout: 60_000 },
      ),
    );
    // code-server's watcher can still miss a venv just renamed into place (about 1 run in 6 even with
    // the site-packages watch the helper registers, which test_helper_project_details covers): Refresh,
    // as a person would.
    await workbench.runCommand("Lockstep: Refresh Projects");
    await view.waitForRow("ws/main/alpha", ">=2 · locked 2.0 · installed 1.0 · other version installed", "warning");
    await view.waitForRow("ws", /^uv · 3\.12\.\d+ \(\.venv\) · environment out of date$/, "sync");
    await view.screenshot("projects-view-workspace-and-poetry", "environment-out-of-date");
  },
);

// A synced uv project whose lock holds alpha 1.0 (locked before the index had 2.0): Add Dependency on
// its `main` row searches the loopback index and uv adds the package; a requirement nothing satisfies
// changes nothing; Upgrade on alpha's row moves the lock to a version the index lists; Remove on the
// new row takes it out again. Each change reaches pyproject.toml, uv.lock, .venv and the row.
scenario(
  "projects-view-add-dependency",
  {
    files: uvProject({ requiresPython: ">=3.10", dependencies: ["alpha>=1"], extra: { ".python-version": "3.12\n" } }),
    settings: { "lockstep.autoCreate": "always" },
    prepare: async (p) => lockAgainst(p, await serveIndex(p), ".", ["--upgrade-package", "alpha==1.0"]),
    timeoutMs: 240_000,
  },
  async ({ workbench, workspace, waitForHelper, lockstepLog }) => {
    const read = (name: string) => readFileSync(join(workspace, name), "utf8");
    await waitForHelper();
    const view = new ProjectsView(workbench);
    await view.open();
    await view.waitForRow("demo", /^uv · 3\.12\.\d+ \(\.venv\) · in sync$/, "pass-filled");
    await view.expand("demo");
    await view.waitForRow("demo/main/alpha", ">=1 · locked 1.0 · installed 1.0", "check");

    // The name box searches the loopback index: a part of the name finds it in the index's listing,
    // the whole name is looked up and brings its newest version; the version step lists the index's.
    await view.clickInline("demo/main", "Add Dependency");
    await view.typeInput("delt");
    await waitFor("the index's listing to offer delta for \"delt\"", async () => {
      const items = await workbench.quickPickItems();
      const found = items.some((item) => item.label === "delta" && item.description === "on the index");
      return found ? { ok: true, value: undefined } : { ok: false, seen: items };
    });
    await workbench.chooseQuickPickItem("delta", /^delta, 1\.0 · on 127\.0\.0\.1:\d+$/, { opensList: true });
    await waitFor("the version step to list delta's versions", async () => {
      const items = (await workbench.quickPickItems()).map((item) => item.label);
      return items.join() === "Newest allowed,1.0" ? { ok: true, value: undefined } : { ok: false, seen: items };
    });
    await workbench.chooseQuickPickItem("Newest allowed");
    await workbench.waitForNotificationSeen("Adding delta to demo", { progress: true });
    await view.waitForRow("demo/main/delta", ">=1.0 · locked 1.0 · installed 1.0", "check");
    await view.waitForRow("demo", /^uv · 3\.12\.\d+ \(\.venv\) · in sync$/, "pass-filled");
    assert.match(read("pyproject.toml"), /dependencies = \[\s*"alpha>=1",\s*"delta>=1\.0",?\s*\]/);
    assert.match(read("uv.lock"), /\nname = "delta"\nversion = "1\.0"\n/);
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-1.0", "beta-1.1", "delta-1.0"]);
    await view.screenshot("projects-view-add-dependency", "in-sync");
    // The in-sync .venv with uv's default groups: one uv process, `uv add` with its own sync.
    await waitFor("the helper's log to say uv's own sync ran", async () => {
      const log = lockstepLog();
      return /Adding delta\S* with uv's own sync/.test(log) ? { ok: true, value: undefined } : { ok: false, seen: log.slice(-400) };
    });

    // No alpha 3 exists: uv's explanation, and not a byte changed.
    const before = ["pyproject.toml", "uv.lock"].map(read);
    await view.clickInline("demo/main", "Add Dependency");
    await workbench.chooseQuickPickItem("alpha>=3", "alpha>=3, requirement as typed");
    const dialog = workbench.page.locator(".monaco-dialog-box");
    await step("the error dialog with uv's explanation", () =>
      dialog.filter({ hasText: "Adding alpha>=3 failed" }).waitFor({ timeout: 60_000 }),
    );
    assert.match(await dialog.innerText(), /No solution found/);
    assert.deepEqual(["pyproject.toml", "uv.lock"].map(read), before);
    await workbench.page.keyboard.press("Escape");
    await view.waitForRow("demo/main/delta", ">=1.0 · locked 1.0 · installed 1.0");

    // Upgrade from alpha's row: the version step lists the index's versions, newest first, the locked
    // one marked; uv moves only the lock (`alpha>=1` stays as written) and the sync installs 2.0.
    await view.clickInline("demo/main/alpha", "Upgrade Dependency");
    await waitFor("the version step to list alpha's versions", async () => {
      const items = (await workbench.quickPickItems()).map((item) => `${item.label}: ${item.description}`);
      const expected = ["Newest allowed: what alpha>=1 allows", "2.0: ", "1.0: locked"];
      return items.join("|") === expected.join("|") ? { ok: true, value: undefined } : { ok: false, seen: items };
    });
    await workbench.chooseQuickPickItem("2.0", /^2\.0\b/);
    await workbench.waitForNotificationSeen("Upgrading alpha in demo", { progress: true });
    await view.waitForRow("demo/main/alpha", ">=1 · locked 2.0 · installed 2.0", "check");
    await view.waitForRow("demo", /^uv · 3\.12\.\d+ \(\.venv\) · in sync$/, "pass-filled");
    assert.equal(read("pyproject.toml"), before[0]);
    assert.match(read("uv.lock"), /\nname = "alpha"\nversion = "2\.0"\n/);
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1", "delta-1.0"]);

    // Remove from delta's row: uv takes it out of pyproject.toml and the lock, the sync out of .venv.
    await view.clickInline("demo/main/delta", "Remove Dependency");
    await workbench.waitForNotificationSeen("Removing delta from demo", { progress: true });
    await waitFor("delta's row to leave the Projects view", async () => {
      const rows = (await view.rows()).map((row) => `${row.path}: ${row.description}`);
      const gone = !rows.some((row) => row.startsWith("demo/main/delta")) && rows.includes("demo/main: dependencies · 1");
      return gone ? { ok: true, value: undefined } : { ok: false, seen: rows };
    }, { timeoutMs: 60_000 });
    await view.waitForRow("demo", /^uv · 3\.12\.\d+ \(\.venv\) · in sync$/, "pass-filled");
    assert.match(read("pyproject.toml"), /dependencies = \[\s*"alpha>=1",?\s*\]/);
    assert.doesNotMatch(read("uv.lock"), /name = "delta"/);
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1"]);

    // A requirement written from outside the editor: the lock no longer fits.
    writeFileSync(join(workspace, "pyproject.toml"), read("pyproject.toml").replace('"alpha>=1"', '"alpha>=1", "gamma"'));
    await view.waitForRow("demo", /^uv · 3\.12\.\d+ \(\.venv\) · lock stale$/, "warning");
    await view.screenshot("projects-view-add-dependency", "lock-stale");
  },
);

// A folder with code and no project: the view's welcome button runs `uv init --bare`, the project
// appears in the view and its new pyproject.toml is opened; nothing else is written. (No pyproject.toml:
// Lockstep activates only when the button is clicked.)
scenario(
  "projects-view-create-pyproject",
  { files: { "tool.py": "print('hi')\n" }, settings, timeoutMs: 180_000 },
  async ({ workbench, workspace }) => {
    const page = workbench.page;
    await step("the Python Projects view to open from the activity bar", () =>
      page.locator('.activitybar [aria-label^="Python Projects"]').first().click(),
    );
    const button = page.locator(".part.sidebar .welcome-view-content .monaco-button", { hasText: "Create pyproject.toml" });
    await step("the welcome button Create pyproject.toml", async () => {
      await button.waitFor({ timeout: 30_000 });
      await button.click();
    });
    const view = new ProjectsView(workbench);
    const rows = await waitFor("the new project in the Projects view", async () => {
      const seen = await view.rows();
      return seen.length > 0 ? { ok: true, value: seen } : { ok: false, seen: seen.map((r) => r.path) };
    }, { timeoutMs: 60_000 });
    assert.ok(rows[0].description.endsWith("no environment"), JSON.stringify(rows));
    await step("pyproject.toml open in an editor tab", () =>
      page.locator(".tabs-container .tab", { hasText: "pyproject.toml" }).first().waitFor({ timeout: 30_000 }),
    );
    const text = readFileSync(join(workspace, "pyproject.toml"), "utf8");
    assert.match(text, /^\[project\]\nname = "[a-z0-9-]+"\nversion = "0\.1\.0"\nrequires-python = ">=3\.\d+"\ndependencies = \[\]\n$/);
    assert.deepEqual(readdirSync(workspace).filter((entry) => !entry.startsWith(".")).sort(), ["pyproject.toml", "tool.py"]);
  },
);
