import assert from "node:assert/strict";
import { join } from "node:path";
import { installedDists, uvProject } from "./harness/fixtures";
import { serveIndexAndLock } from "./harness/loopback";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

// alpha>=2 (with beta) and a group docs (delta) that uv does not sync by default; autoCreate makes and
// syncs .venv without it as soon as the editor opens the folder.
const project = uvProject({ requiresPython: ">=3.10", dependencies: ["alpha>=2"] });
const files = {
  ...project,
  "pyproject.toml": `${project["pyproject.toml"]}\n[dependency-groups]\ndocs = ["delta"]\n`,
  ".python-version": "3.12\n",
};
const IN_SYNC = /^3\.12\.\d+ \(\.venv\) \$\(check\)$/;

scenario(
  "sync-groups-chosen",
  { files, settings: { "lockstep.autoCreate": "always" }, prepare: serveIndexAndLock, timeoutMs: 120_000 },
  async ({ workbench, workspace }) => {
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1"]);
    assert.match(await workbench.statusTooltip(), /Groups: uv's default groups; extras: none/);

    await workbench.openFile("pyproject.toml");
    await workbench.runCommand("Lockstep: Choose Groups and Extras…", { opensQuickPick: true });
    const offered = await waitFor("the project's groups to be offered", async () => {
      const labels = (await workbench.quickPickItems()).map((item) => item.label);
      return labels.includes("docs") ? { ok: true, value: labels } : { ok: false, seen: labels };
    });
    assert.deepEqual(offered, ["uv's default groups", "docs"]);
    await workbench.toggleQuickPickItems(["docs"]);

    // The venv lacks the chosen group now: the check says so before anything is installed.
    await workbench.waitForStatus(/\$\(warning\) env out of sync$/, { icons: true });
    assert.match(await workbench.statusTooltip(), /Groups: uv's default groups, docs; extras: none/);
    await workbench.clickNotificationButton("the environment is to get uv's default groups, docs", "Sync Now");
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1", "delta-1.0"]);
  },
);
