import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { plainProject } from "./harness/fixtures";
import { startPythonMirror } from "./harness/loopback";
import { scenario, type Preparation } from "./harness/scenario";

const pyenv38 = join(process.env.PYENV_ROOT || join(homedir(), ".pyenv"), "versions", "3.8.18", "bin");

/**
 * A machine whose only Python is too old for the helper: the extension host's PATH holds pyenv's real
 * 3.8 (no shim, no /usr/bin), the setting is empty, uv has no managed Pythons. The loopback mirror
 * serves pyenv's 3.12 repackaged as a python-build-standalone archive.
 */
async function prepare(p: Preparation) {
  assert.ok(existsSync(join(pyenv38, "python3")), `the scenario needs pyenv's real 3.8.18 in ${pyenv38}`);
  const mirror = await startPythonMirror(join(p.dirs.root, "downloads.json"));
  p.cleanup(() => mirror.stop());
  p.env.PATH = pyenv38;
  Object.assign(p.settings, {
    "lockstep.helper.python": "",
    "lockstep.python.downloadsJson": mirror.info.downloadsJson,
    "lockstep.python.installMirror": mirror.info.mirror,
  });
  return { mirror };
}

scenario(
  "bootstrap-helper-python",
  { files: plainProject, prepare, timeoutMs: 180_000 },
  async ({ workbench, server, waitForHelper, lockstepLog, prepared: { mirror } }) => {
    const version = mirror.info.version;
    const offer = "Install a managed CPython for Lockstep's helper?";
    const shown = await workbench.waitForNotification(offer);
    assert.match(shown, /needs Python 3\.10 or newer to run its helper and found none \(\S+\/3\.8\.18\/bin\/python3 is 3\.8\.18/);
    assert.deepEqual(mirror.requests(), [], "nothing is downloaded before the user agrees");

    await workbench.clickNotificationButton(offer, "Install Python");
    await workbench.waitForNotificationSeen("Installing Python for Lockstep", { progress: true });
    await workbench.waitForStatus("No environment", { timeoutMs: 120_000 });
    await waitForHelper();
    assert.deepEqual(mirror.requests(), [mirror.info.archive], "the archive is downloaded once");

    const storage = join(server.dirs.userData, "User", "globalStorage", "lockstep-dev.lockstep", "python");
    // uv answers with the minor version's link (cpython-3.12-…), which outlives a patch upgrade
    const minor = version.split(".").slice(0, 2).join(".");
    const started = new RegExp(
      `Starting the helper with Python ${version} at ${storage}/cpython-${minor}(\\.\\d+)?-linux-x86_64-gnu/bin/python3\\S* \\(from Lockstep's install\\)`,
    );
    assert.match(lockstepLog(), started, "the helper should run on the managed install in the extension's storage");
    const localBin = join(server.dirs.home, ".local", "bin");
    assert.deepEqual(existsSync(localBin) ? readdirSync(localBin) : [], [], "nothing is linked onto the user's PATH");
  },
);
