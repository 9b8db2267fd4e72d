import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { installedDists, uvProject } from "./harness/fixtures";
import { indexEnvironment, serveIndexAndLock } from "./harness/loopback";
import { devUv } from "./harness/paths";
import { scenario } from "./harness/scenario";
import { step, waitFor } from "./harness/waits";
import type { Workbench } from "./harness/workbench";

// alpha>=2 locks alpha 2.0 and beta 1.1; `.python-version` pins pyenv's 3.12, and autoCreate makes
// and syncs .venv from the loopback index as soon as the editor opens the folder.
const files = uvProject({ requiresPython: ">=3.10", dependencies: ["alpha>=2"], extra: { ".python-version": "3.12\n" } });
const settings = { "lockstep.autoCreate": "always" };
// The same with a group docs (delta) that uv does not sync by default.
const withDocs = { ...files, "pyproject.toml": `${files["pyproject.toml"]}\n[dependency-groups]\ndocs = ["delta"]\n` };
const DEPENDENCIES_LINE = 5; // 1-based, in the fixture's pyproject.toml
const IN_SYNC = /^3\.12\.\d+ \(\.venv\) \$\(check\)$/;
const ENV_OUT_OF_SYNC = /^3\.12\.\d+ \(\.venv\) \$\(warning\) env out of sync$/;

async function waitUntilNoProblem(workbench: Workbench, code: string): Promise<void> {
  await waitFor(`no Problems panel row with ${code}`, async () => {
    const rows = (await workbench.problems()).filter((row) => row.text.includes(code));
    return rows.length === 0 ? { ok: true, value: undefined } : { ok: false, seen: rows.map((row) => row.text) };
  });
}

/** uv.lock's package names, as written on disk. */
function lockedNames(workspace: string): string[] {
  const lock = readFileSync(join(workspace, "uv.lock"), "utf8");
  return [...lock.matchAll(/^\[\[package\]\]\nname = "([^"]+)"/gm)].map((match) => match[1]).sort();
}

scenario(
  "live-drift-add-dependency",
  { files, settings, prepare: serveIndexAndLock, timeoutMs: 180_000 },
  async ({ workbench, workspace }) => {
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });
    assert.deepEqual(lockedNames(workspace), ["alpha", "beta", "demo"]);

    await workbench.openFile("pyproject.toml");
    const line = readFileSync(join(workspace, "pyproject.toml"), "utf8").split("\n")[DEPENDENCIES_LINE - 1];
    const afterAlpha = line.indexOf('"alpha>=2"') + '"alpha>=2"'.length;
    await workbench.typeAt(DEPENDENCIES_LINE, afterAlpha + 1, ', "gamma"');

    // Unsaved: the helper checks the buffer, not the file.
    await workbench.waitForSquiggle("pyproject.toml", DEPENDENCIES_LINE);
    const problem = await workbench.waitForProblem("with lock-missing-package", (row) =>
      row.text.includes("lockstep lock-missing-package"),
    );
    assert.match(problem.text, /gamma/);
    assert.match(problem.text, new RegExp(`\\[Ln ${DEPENDENCIES_LINE}, Col ${afterAlpha + 3}\\]$`)); // the quoted string
    await workbench.waitForStatus(/\$\(warning\) lock stale$/, { icons: true });

    await workbench.save();
    await workbench.goTo(DEPENDENCIES_LINE, afterAlpha + 5); // inside "gamma", on the squiggle
    await workbench.runCodeAction("Update lockfile");
    await workbench.waitForNotificationSeen("Updating the lockfile of demo", { progress: true });
    await waitUntilNoProblem(workbench, "lock-missing-package");
    assert.deepEqual(lockedNames(workspace), ["alpha", "beta", "demo", "gamma"]);

    // gamma is locked but not installed: the lock's squiggle gives way to the environment's, on
    // the same requirement, and the status says so.
    const missing = await workbench.waitForProblem("with venv-missing-package", (row) =>
      row.text.includes("lockstep venv-missing-package"),
    );
    assert.match(missing.text, new RegExp(`\\[Ln ${DEPENDENCIES_LINE}, Col ${afterAlpha + 3}\\]$`));
    assert.match(missing.label, /^Warning: /, "a venv one Sync fixes is a warning, not an error");
    await workbench.waitForStatus(ENV_OUT_OF_SYNC, { icons: true });
    await workbench.waitForSquiggle("pyproject.toml", DEPENDENCIES_LINE, "warning");
    await workbench.runCodeAction("Sync environment");
    await workbench.waitForNotificationSeen("Syncing the environment for demo", { progress: true });
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });
    await waitUntilNoProblem(workbench, "venv-missing-package");
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1", "gamma-0.1"]);
    await waitFor("the squiggle to go", async () => {
      const lines = await workbench.squiggleLines("warning");
      return lines.length === 0 ? { ok: true, value: undefined } : { ok: false, seen: lines };
    });
  },
);

scenario(
  "live-drift-installed-by-hand",
  { files: withDocs, settings, prepare: serveIndexAndLock, timeoutMs: 180_000 },
  async ({ workbench, workspace, prepared: index }) => {
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });

    // What a person's terminal would do: pip-install another beta into the project's venv.
    const env: NodeJS.ProcessEnv = { ...process.env, ...indexEnvironment(index) };
    for (const key of index.info.unset) delete env[key];
    await step("uv pip install beta==1.0 into .venv", () =>
      promisify(execFile)(devUv(), ["pip", "install", "--quiet", "beta==1.0", "--python", join(workspace, ".venv", "bin", "python")], {
        env,
        timeout: 60_000,
      }),
    );

    // beta is not a direct dependency: the finding sits on its entry in uv.lock.
    const problem = await workbench.waitForProblem("with venv-version-mismatch", (row) =>
      row.text.includes("lockstep venv-version-mismatch"),
    );
    assert.match(problem.text, /beta/);
    const rows = (await workbench.problems()).map((row) => row.text);
    // File rows read "<name> <count>"; the problem's own row follows its file's.
    const fileRow = rows.slice(0, rows.indexOf(problem.text)).reverse().find((row) => /^\S+ \d+$/.test(row));
    assert.match(fileRow ?? "", /^uv\.lock/, `the problem should be under uv.lock (rows: ${JSON.stringify(rows)})`);
    await workbench.waitForStatus(ENV_OUT_OF_SYNC, { icons: true });

    await workbench.runCommand("Lockstep: Sync Environment");
    await workbench.waitForNotificationSeen("Syncing the environment for demo", { progress: true });
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });
    await waitUntilNoProblem(workbench, "venv-version-mismatch");
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1"]);
    assert.match(await workbench.statusTooltip(), /Groups: uv's default groups; extras: none/);

    // Choosing a group changes what the environment should hold at once, and what Sync installs.
    await workbench.runCommand("Lockstep: Choose Groups and Extras…", { opensQuickPick: true });
    const offered = await waitFor("the project's groups to be offered", async () => {
      const labels = (await workbench.quickPickItems()).map((item) => item.label);
      return labels.includes("docs") ? { ok: true, value: labels } : { ok: false, seen: labels };
    });
    assert.deepEqual(offered, ["uv's default groups", "docs"]);
    await workbench.toggleQuickPickItems(["docs"]);
    await workbench.waitForStatus(ENV_OUT_OF_SYNC, { icons: true });
    assert.match(await workbench.statusTooltip(), /Groups: uv's default groups, docs; extras: none/);
    await workbench.clickNotificationButton("the environment is to get uv's default groups, docs", "Sync Now");
    await workbench.waitForStatus(IN_SYNC, { icons: true, timeoutMs: 60_000 });
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1", "delta-1.0"]);
  },
);
