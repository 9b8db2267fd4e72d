import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { artifactsDir, devUv } from "./harness/paths";
import { uvProject } from "./harness/fixtures";
import { serveIndex } from "./harness/loopback";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";
import type { Workbench } from "./harness/workbench";

// A uv project (no venv) with a PEP 723 script beside it, unlocked: the script is a project of its
// own, with its environment in uv's cache (the scenario's UV_CACHE_DIR), made from the loopback index.
const SCRIPT = `# /// script
# requires-python = ">=3.10"
# dependencies = ["alpha>=1"]
# ///
import sys

import alpha

print(f"report: alpha {alpha.__version__} on {sys.version_info[0]}.{sys.version_info[1]}")
`;
const DEPENDENCIES_LINE = 3; // 1-based
const files = {
  ...uvProject({ requiresPython: ">=3.10", dependencies: ["beta"] }),
  "report.py": SCRIPT,
};
const settings = {
  "lockstep.autoCreate": "never",
  // The DOM renderer puts the terminal's text where the test can read it.
  "terminal.integrated.gpuAcceleration": "off",
};
const PROJECT = /^\$\(warning\) No environment$/;

async function waitUntilNoProblem(workbench: Workbench, code: string): Promise<void> {
  await waitFor(`no Problems panel row with ${code}`, async () => {
    const rows = (await workbench.problems()).filter((row) => row.text.includes(code));
    return rows.length === 0 ? { ok: true, value: undefined } : { ok: false, seen: rows.map((row) => row.text) };
  });
}

scenario(
  "scripts-lock-create-run",
  { files, settings, prepare: (p) => serveIndex(p), timeoutMs: 240_000 },
  async ({ workbench, workspace, prepared: index }) => {
    const lock = join(workspace, "report.py.lock");
    await workbench.waitForStatus(PROJECT, { icons: true, timeoutMs: 60_000 });

    await workbench.openFile("report.py");
    await workbench.waitForStatus("$(warning) No environment (report.py) $(unlock) unlocked", { icons: true });
    assert.deepEqual(await waitForLenses(workbench), ["Run Script", "Create Script Environment", "Lock Script"]);

    // Back on the project's file the project shows again; on the script, the script.
    await workbench.openFile("pyproject.toml");
    await workbench.waitForStatus(PROJECT, { icons: true });
    await workbench.openFile("report.py");
    await workbench.waitForStatus(/\(report\.py\)/, { icons: true });

    await workbench.clickCodeLens("Lock Script");
    await workbench.waitForNotificationSeen("Locking report.py", { progress: true });
    await workbench.waitForStatus("$(warning) No environment (report.py) $(check)", { icons: true, timeoutMs: 60_000 });
    assert.ok(existsSync(lock), "Lock Script writes report.py.lock beside the script");
    assert.match(readFileSync(lock, "utf8"), /name = "alpha"/);

    // An edit to the block, unsaved: the lock no longer matches, at the requirement.
    const line = SCRIPT.split("\n")[DEPENDENCIES_LINE - 1];
    await workbench.typeAt(DEPENDENCIES_LINE, line.indexOf("alpha>=1") + "alpha>=1".length + 1, ",<3");
    const stale = await workbench.waitForProblem("with lock-stale", (row) => row.text.includes("lockstep lock-stale"));
    assert.match(stale.text, /uv lock --script report\.py/);
    await workbench.waitForStatus(/\(report\.py\) \$\(warning\) lock stale$/, { icons: true });
    await workbench.clickCodeLens("Lock Script"); // saves the buffer first: uv reads the file
    await waitUntilNoProblem(workbench, "lock-stale");
    await workbench.waitForStatus("$(warning) No environment (report.py) $(check)", { icons: true, timeoutMs: 60_000 });
    assert.match(readFileSync(lock, "utf8"), /specifier = ">=1,<3"/);

    await workbench.clickCodeLens("Create Script Environment");
    await workbench.waitForNotificationSeen("Creating the environment of report.py", { progress: true });
    await workbench.waitForStatus(/^3\.\d+\.\d+ \(report\.py\) \$\(check\)$/, { icons: true, timeoutMs: 90_000 });
    assert.deepEqual(await waitForLenses(workbench, "Sync Script Environment"), ["Run Script", "Sync Script Environment", "Lock Script"]);

    // The picker applies to the script: 3.10 (which its requires-python allows) makes its environment
    // again with it, as uv does with --python; Run uses it too.
    await workbench.statusItem().click();
    const listed = await waitFor("the script's interpreter picker to list a 3.10", async () => {
      const items = await workbench.quickPickItems();
      return items.some((item) => /^Python 3\.10\./.test(item.label)) ? { ok: true, value: items } : { ok: false, seen: items.map((i) => i.label) };
    });
    const ten = listed.find((item) => /^Python 3\.10\./.test(item.label))!;
    await workbench.chooseQuickPickItem(ten.detail, ten.label);
    await workbench.clickNotificationButton(/report\.py's environment uses Python 3\.\d+\.\d+\. Make it again with Python 3\.10/, "Switch Environment");
    const status = await workbench.waitForStatus(/^3\.10\.\d+ \(report\.py\) \$\(check\)$/, { icons: true, timeoutMs: 90_000 });
    const tooltip = await workbench.statusTooltip();
    assert.match(tooltip, /Environment: .*uv-cache\/environments-v2\/report-[0-9a-f]+ \(uv's cache\)/);
    assert.equal(readFileSync(join(workspace, "report.py"), "utf8"), SCRIPT.replace(">=1", ">=1,<3"), "requires-python is never edited");

    await workbench.clickCodeLens("Run Script");
    await workbench.waitForTerminalLine(/^report: alpha 2\.0 on 3\.10\s*$/, { timeoutMs: 60_000 });
    await workbench.screenshot(join(artifactsDir(), "scripts-lock-create-run.terminal.png"));

    // A person's next command in that terminal: another beta into the script's environment, which
    // lives outside the workspace (in uv's cache). The environment no longer matches the lock.
    const environment = /Environment: (.+) \(uv's cache\)/.exec(tooltip)?.[1] ?? "";
    await workbench.runInTerminal(`${devUv()} pip install --quiet beta==1.0 --python ${join(environment, "bin", "python")}; echo "INSTALLED=$?"`);
    await workbench.waitForTerminalLine(/^INSTALLED=0\s*$/, { timeoutMs: 60_000 });
    await workbench.waitForStatus(/^3\.\d+\.\d+ \(report\.py\) \$\(warning\) env out of sync$/, { icons: true, timeoutMs: 30_000 });
    const mismatch = await workbench.waitForProblem("with venv-version-mismatch", (row) =>
      row.text.includes("lockstep venv-version-mismatch"),
    );
    assert.match(mismatch.text, /the environment of report\.py has beta 1\.0, but report\.py\.lock pins 1\.1/);
    await workbench.clickCodeLens("Sync Script Environment");
    await workbench.waitForStatus(status, { icons: true, timeoutMs: 60_000 });
    await waitUntilNoProblem(workbench, "venv-version-mismatch");

    // uv found alpha on the loopback index, the only one it was given.
    assert.ok(index.requests().some((path) => path.includes("/alpha")), JSON.stringify(index.requests()));
    await workbench.openFile("pyproject.toml");
    await workbench.waitForStatus(PROJECT, { icons: true });
    await workbench.openFile("report.py");
    await workbench.waitForStatus(status, { icons: true });
  },
);

async function waitForLenses(workbench: Workbench, expected = "Lock Script"): Promise<string[]> {
  return waitFor(`the script's code lenses to include ${expected}`, async () => {
    const lenses = await workbench.codeLenses();
    return lenses.includes(expected) ? { ok: true, value: lenses } : { ok: false, seen: lenses };
  });
}

// Restricted Mode: the script shows (read from the files alone) and its lenses say why they do not run.
scenario(
  "scripts-untrusted-run-nothing",
  {
    files,
    settings: { ...settings, "security.workspace.trust.enabled": true },
    prepare: (p) => serveIndex(p),
  },
  async ({ workbench, workspace, prepared: index }) => {
    await workbench.waitForStatus(PROJECT, { icons: true, timeoutMs: 60_000 });
    await workbench.openFile("report.py");
    await workbench.waitForStatus("$(warning) No environment (report.py) $(unlock) unlocked", { icons: true });
    const tooltip = await workbench.statusTooltip();
    assert.match(tooltip, /not looked for in Restricted Mode/);

    await workbench.clickCodeLens("Run Script");
    await workbench.waitForNotification("Lockstep runs scripts only in trusted workspaces");
    await workbench.clickCodeLens("Lock Script");
    await workbench.waitForNotification("Lockstep locks scripts only in trusted workspaces");
    await workbench.clickCodeLens("Create Script Environment");
    await workbench.waitForNotification("Lockstep creates script environments only in trusted workspaces");

    assert.equal(existsSync(join(workspace, "report.py.lock")), false, "no lock should be written");
    const progress = (await workbench.notificationsSeen()).filter((toast) => toast.progress);
    assert.deepEqual(progress, [], "no script operation should have started");
    assert.equal(await workbench.page.locator(".terminal-wrapper").count(), 0, "no terminal should be opened");
    assert.deepEqual(index.requests(), [], "nothing should be fetched from the package index");
  },
);
