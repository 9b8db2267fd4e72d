import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { plainProject } from "./harness/fixtures";
import { artifactsDir, devUv, helperPython } from "./harness/paths";
import { installPythonDoubles, type PythonDouble } from "./harness/pythonExtension";
import { type Preparation, scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

// The Python tooling (test doubles with the published API shapes) had /usr/bin/python3 chosen for the
// folder; the project has a .venv. Lockstep hands the venv over, says so, and Undo gives it back.
function prepare(doubles: PythonDouble[]) {
  return async (preparation: Preparation) => {
    await promisify(execFile)(devUv(), ["venv", "--quiet", "--python", helperPython(), join(preparation.workspace, ".venv")], {
      env: { ...process.env, ...preparation.env },
    });
    return installPythonDoubles(preparation, doubles, "/usr/bin/python3");
  };
}

scenario(
  "python-extension-told",
  { files: plainProject, prepare: prepare(["python"]) },
  async ({ workbench, workspace, prepared: python, lockstepLog }) => {
    await workbench.waitForStatus(/\(\.venv\)/);
    const told = /The Python extension now uses \.venv \(Python 3\.\d+\.\d+\) of demo for project, as Lockstep does; it used \/usr\/bin\/python3\./;
    await workbench.waitForNotification(told);
    const [[interpreter, folder], ...more] = python.handovers("python");
    assert.match(interpreter ?? "", new RegExp(`^${join(workspace, ".venv", "bin")}/python3?$`));
    assert.equal(folder, workspace, "the hand-over is scoped to the workspace folder");
    assert.deepEqual(more, [], "one hand-over");
    await workbench.screenshot(join(artifactsDir(), "python-extension-told.toast.png"));
    assert.match(lockstepLog(), /Terminals of project: not activated \(the Python extension activates terminals itself\)/);

    await workbench.clickNotificationButton(told, "Undo");
    await waitFor("the Python extension to be given /usr/bin/python3 back", async () => {
      const handovers = python.handovers("python");
      return handovers.length === 2 ? { ok: true, value: undefined } : { ok: false, seen: JSON.stringify(handovers) };
    });
    assert.deepEqual(python.handovers("python")[1], ["/usr/bin/python3", workspace]);
  },
);

scenario(
  "python-environments-told",
  { files: plainProject, prepare: prepare(["python", "python-envs"]) },
  async ({ workbench, workspace, prepared: doubles }) => {
    await workbench.waitForStatus(/\(\.venv\)/);
    await workbench.waitForNotification(/Python Environments now uses \.venv \(Python 3\.\d+\.\d+\) of demo for project, as Lockstep does; it used \/usr\/bin\/python3\./);
    const [[interpreter, folder], ...more] = doubles.handovers("python-envs");
    assert.match(interpreter ?? "", new RegExp(`^${join(workspace, ".venv", "bin")}/python3?$`));
    assert.equal(folder, workspace);
    assert.deepEqual(more, []);
    assert.deepEqual(doubles.handovers("python"), [], "with Python Environments installed, it alone is told");
  },
);
