import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installedDists } from "./harness/fixtures";
import { serveIndex } from "./harness/loopback";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

// A new uv project as `uv init` leaves it: no uv.lock, and a requires-python that PATH's Python (3.11)
// does not satisfy; only pyenv's 3.12 and 3.13 (not on PATH) do. alpha>=2 and gamma[fast] lock
// alpha 2.0, beta 1.1, gamma 0.1 and delta 1.0 from the loopback index.
const PYPROJECT = `[project]
name = "fresh"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["alpha>=2", "gamma[fast]"]

[tool.uv]
`;
const files = { "pyproject.toml": PYPROJECT };
const LOCKED = ["alpha-2.0", "beta-1.1", "delta-1.0", "gamma-0.1"];
const IN_SYNC = /^3\.1[23]\.\d+ \(\.venv\) \$\(check\)$/;

scenario(
  "first-minutes-new-uv-project",
  { files, prepare: serveIndex, timeoutMs: 180_000 },
  async ({ workbench, workspace }) => {
    // No count: the packages are not known before locking. Never "out of date", never "lock stale".
    const prompt = /Create \.venv with Python 3\.1[23]\.\d+, lock and install the dependencies for fresh\?/;
    await workbench.waitForStatus("No environment");
    await workbench.clickNotificationButton(prompt, "Create");
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 90_000 });
    await workbench.waitForNotificationSeen(/Locked 4 packages in uv\.lock\. Created \.venv with Python 3\.1[23]\.\d+\./);
    assert.match(readFileSync(join(workspace, "uv.lock"), "utf8"), /requires-python = ">=3\.12"/);
    assert.deepEqual(installedDists(join(workspace, ".venv")), LOCKED);
    const seen = (await workbench.notificationsSeen()).map((toast) => toast.text).join("\n");
    assert.doesNotMatch(seen, /out of date|lock stale/i);
  },
);

scenario(
  "first-minutes-picked-interpreter-locks",
  { files, settings: { "lockstep.autoCreate": "never" }, prepare: serveIndex, timeoutMs: 180_000 },
  async ({ workbench, workspace }) => {
    await workbench.waitForStatus("No environment");
    await workbench.statusItem().click();
    const items = await workbench.quickPickItems();
    const twelve = items.find((item) => /^Python 3\.12\./.test(item.label));
    assert.ok(twelve, `pyenv's 3.12 should be offered:\n${items.map((item) => item.label).join("\n")}`);
    await workbench.chooseQuickPickItem(twelve.detail, twelve.label);
    const version = twelve.label.replace("Python ", "");
    await workbench.waitForStatus(`${version} · No environment`);
    await workbench.clickNotificationButton(`Create .venv for fresh with Python ${version}?`, "Not now");

    // uv must lock with the picked 3.12, not look for an interpreter on PATH (3.11 there).
    await workbench.runCommand("Lockstep: Update Lockfile");
    await waitFor("uv.lock to be written", async () =>
      existsSync(join(workspace, "uv.lock")) ? { ok: true, value: undefined } : { ok: false, seen: "no uv.lock" },
    );
    await workbench.runCommand("Lockstep: Create Environment");
    await workbench.waitForStatus(new RegExp(`^${version.replace(/\./g, "\\.")} \\(\\.venv\\) \\$\\(check\\)$`), {
      icons: true,
      timeoutMs: 90_000,
    });
    assert.deepEqual(installedDists(join(workspace, ".venv")), LOCKED);
    const seen = (await workbench.notificationsSeen()).map((toast) => toast.text).join("\n");
    assert.doesNotMatch(seen, /No interpreter found|failed/i);
  },
);

// The comma after "alpha>=2" is missing: line 5, where "gamma[fast]" starts (uv says the same).
const BROKEN = PYPROJECT.replace('"alpha>=2",', '"alpha>=2"');

scenario(
  "first-minutes-broken-pyproject",
  { files: { "pyproject.toml": BROKEN }, prepare: serveIndex, timeoutMs: 120_000 },
  async ({ workbench, workspace }) => {
    await workbench.waitForStatus(/No environment \$\(error\) pyproject\.toml invalid$/, { icons: true });
    const problem = await workbench.waitForProblem("with toml-syntax", (row) => row.text.includes("toml-syntax"));
    assert.match(problem.text, /missing comma between array elements.*\[Ln 5, Col 28\]$/);

    // Nothing that needs the file runs: Create says what is wrong instead.
    await workbench.runCommand("Lockstep: Create Environment");
    await workbench.waitForNotification("pyproject.toml is not valid TOML (line 5): missing comma between array elements");
    assert.equal(existsSync(join(workspace, ".venv")), false);
    const offered = (await workbench.notificationsSeen()).filter((toast) => /Create \.venv/.test(toast.text));
    assert.deepEqual(offered, [], "no environment should be offered while pyproject.toml does not parse");

    // Fixed on disk: the state recovers and the offer comes by itself, without a reload.
    writeFileSync(join(workspace, "pyproject.toml"), PYPROJECT);
    const prompt = /Create \.venv with Python 3\.1[23]\.\d+, lock and install the dependencies for fresh\?/;
    await workbench.waitForNotification(prompt);
    await workbench.waitForStatus("No environment");
    await workbench.clickNotificationButton(prompt, "Not now");
  },
);
