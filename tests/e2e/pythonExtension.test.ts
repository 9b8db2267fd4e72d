import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { plainProject } from "./harness/fixtures";
import { artifactsDir, devUv, helperPython } from "./harness/paths";
import { installPythonExtensionDouble } from "./harness/pythonExtension";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

// The Python extension (its test double, with the published API shape) had /usr/bin/python3 chosen for
// the folder; the project has a .venv. Lockstep hands the venv over, says so, and Undo gives it back.
scenario(
  "python-extension-told",
  {
    files: plainProject,
    prepare: async (preparation) => {
      await promisify(execFile)(devUv(), ["venv", "--quiet", "--python", helperPython(), join(preparation.workspace, ".venv")], {
        env: { ...process.env, ...preparation.env },
      });
      return installPythonExtensionDouble(preparation, "/usr/bin/python3");
    },
  },
  async ({ workbench, workspace, prepared: python, lockstepLog }) => {
    await workbench.waitForStatus(/\(\.venv\)/);
    const told = /The Python extension now uses \.venv \(Python 3\.\d+\.\d+\) of demo for project, as Lockstep does; it used \/usr\/bin\/python3\./;
    await workbench.waitForNotification(told);
    const [[interpreter, folder], ...more] = python.updates();
    assert.match(interpreter ?? "", new RegExp(`^${join(workspace, ".venv", "bin")}/python3?$`));
    assert.equal(folder, workspace, "the hand-over is scoped to the workspace folder");
    assert.deepEqual(more, [], "one hand-over");
    await workbench.screenshot(join(artifactsDir(), "python-extension-told.png"));
    assert.match(lockstepLog(), /Terminals of project: not activated \(the Python extension activates terminals itself\)/);

    await workbench.clickNotificationButton(told, "Undo");
    await waitFor("the Python extension to be given /usr/bin/python3 back", async () => {
      const updates = python.updates();
      return updates.length === 2 ? { ok: true, value: undefined } : { ok: false, seen: JSON.stringify(updates) };
    });
    assert.deepEqual(python.updates()[1], ["/usr/bin/python3", workspace]);
  },
);
