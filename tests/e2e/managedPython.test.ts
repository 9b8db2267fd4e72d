import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { uvProject } from "./harness/fixtures";
import { serveIndexAndLock, startPythonMirror } from "./harness/loopback";
import { scenario, type Preparation } from "./harness/scenario";

const files = uvProject({ requiresPython: "==3.12.*" });
const realPyenvVersions = join(process.env.PYENV_ROOT || join(homedir(), ".pyenv"), "versions");

/**
 * Discovery sees no 3.12: a pyenv root holding only 3.11 and 3.13, empty uv and Lockstep install
 * dirs; the extension host's PATH is a login shell's (/etc/profile: no pyenv; /usr/bin/python3.11).
 * The mirror serves pyenv's 3.12 repackaged as a python-build-standalone archive.
 */
async function prepare(p: Preparation) {
  const sandbox = join(p.dirs.root, "sandbox");
  const versions = join(sandbox, "pyenv", "versions");
  mkdirSync(versions, { recursive: true });
  for (const version of ["3.11.7", "3.13.0"]) symlinkSync(join(realPyenvVersions, version), join(versions, version));
  const installDir = join(sandbox, "lockstep-python");
  mkdirSync(installDir);
  mkdirSync(join(sandbox, "uv-python"));
  const pyenv312 = readdirSync(realPyenvVersions).find((name) => name.startsWith("3.12."));
  assert.ok(pyenv312, `the mirror's archive and the lock need a pyenv 3.12 in ${realPyenvVersions}`);
  const index = await serveIndexAndLock(p, join(realPyenvVersions, pyenv312, "bin", "python3.12"));
  const mirror = await startPythonMirror(join(p.dirs.root, "downloads.json"));
  p.cleanup(() => mirror.stop());
  Object.assign(p.env, {
    PYENV_ROOT: join(sandbox, "pyenv"),
    UV_PYTHON_INSTALL_DIR: join(sandbox, "uv-python"),
    LOCKSTEP_PYTHON_INSTALL_DIR: installDir,
  });
  Object.assign(p.settings, {
    "lockstep.python.downloadsJson": mirror.info.downloadsJson,
    "lockstep.python.installMirror": mirror.info.mirror,
  });
  return { index, mirror, installDir };
}

/** The venv's base interpreter is the managed one under `installDir`. */
function assertManagedVenv(workspace: string, installDir: string, version: string): void {
  const home = /^home = (.+)$/m.exec(readFileSync(join(workspace, ".venv", "pyvenv.cfg"), "utf8"))?.[1];
  assert.ok(home, "pyvenv.cfg should name its base interpreter's folder");
  assert.ok(
    realpathSync(home).startsWith(`${realpathSync(installDir)}/cpython-${version}-`),
    `the venv's interpreter should be the managed one under ${installDir}, not ${home}`,
  );
}

scenario(
  "managed-python-download",
  { files, settings: { "lockstep.autoCreate": "never" }, prepare, timeoutMs: 180_000 },
  async ({ workbench, workspace, prepared: { mirror, installDir } }) => {
    const version = mirror.info.version;
    await workbench.waitForStatus("No environment");
    await workbench.runCommand("Lockstep: Create Environment");
    const question = /No installed Python satisfies ==3\.12\.\*\. Download Python 3\.12\.\d+ \(\d+\.\d MB\) for demo\?/;
    const warning = await workbench.waitForNotification(question);
    assert.ok(warning.includes(`Download Python ${version}`), `the button should name ${version}: ${warning}`);
    assert.deepEqual(mirror.requests(), [`HEAD ${mirror.info.archive}`], "only the size is asked before the user agrees");

    await workbench.clickNotificationButton(question, `Download Python ${version}`);
    await workbench.waitForNotificationSeen("Creating the environment for demo", { progress: true });
    await workbench.waitForStatus(`${version} (.venv)`, { timeoutMs: 120_000 });
    await workbench.waitForNotificationSeen(`Created .venv with Python ${version}.`);
    await workbench.waitForNotificationGone("Creating the environment for demo"); // shown 800 ms at least

    assert.deepEqual(mirror.requests(), [`HEAD ${mirror.info.archive}`, mirror.info.archive], "the archive should be downloaded once");
    assertManagedVenv(workspace, installDir, version);
  },
);

scenario(
  "managed-python-prompt",
  { files, prepare, timeoutMs: 180_000 },
  async ({ workbench, workspace, prepared: { mirror, installDir } }) => {
    const version = mirror.info.version;
    const prompt = `Create .venv with Python ${version} (a `;
    const shown = await workbench.waitForNotification(prompt);
    assert.match(shown, /\(a \d+\.\d MB download\) and install 4 locked packages for demo\?/);
    assert.deepEqual(mirror.requests(), [`HEAD ${mirror.info.archive}`], "nothing is downloaded before the user agrees");

    await workbench.clickNotificationButton(prompt, "Create");
    await workbench.waitForStatus(`${version} (.venv)`, { timeoutMs: 120_000 });
    await workbench.waitForNotificationSeen(`Created .venv with Python ${version}.`);
    const asked = (await workbench.notificationsSeen()).filter((toast) => /No installed Python|Download Python/.test(toast.text));
    assert.deepEqual(asked, [], "the open prompt was the only question");
    assert.deepEqual(mirror.requests(), [`HEAD ${mirror.info.archive}`, mirror.info.archive]);
    assertManagedVenv(workspace, installDir, version);
  },
);
