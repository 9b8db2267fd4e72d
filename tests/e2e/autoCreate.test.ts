import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { installedDists, uvProject } from "./harness/fixtures";
import { serveIndexAndLock } from "./harness/loopback";
import { artifactsDir } from "./harness/paths";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

// `.python-version` pins pyenv's 3.12; the lock holds alpha 2.0, beta 1.1, gamma 0.1, delta 1.0.
const files = uvProject({ requiresPython: ">=3.10", extra: { ".python-version": "3.12\n" } });
const LOCKED = ["alpha-2.0", "beta-1.1", "delta-1.0", "gamma-0.1"];

/** Every file and folder under `root` with its size and modification time. */
function snapshot(root: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      entries.push(`${relative(root, path)} ${stat.size} ${stat.mtimeMs}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
  return entries.sort();
}

scenario(
  "auto-create-always",
  { files, settings: { "lockstep.autoCreate": "always" }, prepare: serveIndexAndLock },
  async ({ workbench, workspace, prepared: index }) => {
    await workbench.waitForNotificationSeen("Creating the environment for demo", { progress: true });
    await workbench.waitForStatus(/^3\.12\.\d+ \(\.venv\)$/, { timeoutMs: 60_000 });
    await workbench.waitForNotificationSeen(/Created \.venv with Python 3\.12\.\d+\./);
    await workbench.waitForNotificationGone("Creating the environment for demo"); // shown 800 ms at least
    assert.deepEqual(installedDists(join(workspace, ".venv")), LOCKED);
    assert.ok(
      index.requests().some((path) => path.endsWith(".whl")),
      "the wheels should come from the loopback index",
    );

    // The tooltip's links act on the project, as the Python extension's do.
    const tooltip = await workbench.statusTooltip();
    for (const title of ["Sync", "Update Lockfile", "Select Interpreter"]) {
      assert.ok(tooltip.includes(title), `the tooltip should link "${title}":\n${tooltip}`);
    }
    await workbench.screenshot(join(artifactsDir(), "auto-create-always.tooltip.png"));
    await workbench.clickTooltipLink("Sync");
    await workbench.waitForNotificationSeen(".venv is in sync.");
  },
);

scenario(
  "auto-create-prompt-not-now",
  { files, prepare: async (p) => ({ index: await serveIndexAndLock(p), before: snapshot(p.workspace) }) },
  async ({ workbench, workspace, prepared: { index, before } }) => {
    const prompt = /Create \.venv with Python 3\.12\.\d+ and install 4 locked packages for demo\?/;
    const asked = index.requests().length;
    await workbench.clickNotificationButton(prompt, "Not now");
    await workbench.waitForNotificationGone(prompt);
    await workbench.waitForStatus("No environment");
    assert.deepEqual(snapshot(workspace), before, "Not now should leave the folder as it was");
    assert.equal(index.requests().length, asked, "nothing should be fetched from the index");
  },
);

// Three projects without an environment: one question for all of them, not a toast each.
const three = Object.fromEntries(
  ["api", "web", "worker"].flatMap((name) =>
    Object.entries(files).map(([path, content]) => [`${name}/${path}`, content.replace('name = "demo"', `name = "${name}"`)]),
  ),
);

scenario(
  "auto-create-three-projects",
  { files: three, prepare: (p) => serveIndexAndLock(p, undefined, ["api", "web", "worker"]), timeoutMs: 180_000 },
  async ({ workbench, workspace }) => {
    const question = "3 projects have no environment: api, web, worker.";
    await workbench.waitForNotification(question);
    const offers = (await workbench.notificationsSeen()).filter((toast) => /Create \.venv|no environment:/.test(toast.text));
    assert.equal(offers.length, 1, `one prompt for the three projects: ${JSON.stringify(offers)}`);
    await workbench.screenshot(join(artifactsDir(), "auto-create-three-projects.prompt.png"));

    await workbench.clickNotificationButton(question, "Create All");
    await workbench.waitForNotificationSeen("Creating the environment for api", { progress: true, timeoutMs: 60_000 });
    await waitFor("the three venvs to be complete", async () => {
      const made = ["api", "web", "worker"].filter((name) => existsSync(join(workspace, name, ".venv", "pyvenv.cfg")));
      return made.length === 3 ? { ok: true, value: undefined } : { ok: false, seen: made };
    }, { timeoutMs: 90_000 });
    await workbench.waitForNotificationSeen(/Created \.venv with Python 3\.12\.\d+\./);
    for (const name of ["api", "web", "worker"]) {
      await waitFor(`${name}'s locked packages`, async () => {
        const dists = installedDists(join(workspace, name, ".venv"));
        return dists.join() === LOCKED.join() ? { ok: true, value: undefined } : { ok: false, seen: dists };
      });
    }
    const offersAfter = (await workbench.notificationsSeen()).filter((toast) => /Create \.venv with|no environment:/.test(toast.text));
    assert.equal(offersAfter.length, 1, "creating them raised no further prompt");
  },
);
