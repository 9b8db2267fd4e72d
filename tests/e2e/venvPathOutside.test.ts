import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plainProject, treeSnapshot as snapshot } from "./harness/fixtures";
import { helperPython } from "./harness/paths";
import { scenario } from "./harness/scenario";

// A cloned repository whose .vscode/settings.json points the venv at a folder beside the project,
// where the user keeps a real venv of their own.
const files = {
  ...plainProject,
  ".vscode/settings.json": JSON.stringify({ "lockstep.venv.path": "../outside/env" }, null, 2),
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

scenario(
  "venv-path-outside-refused",
  {
    files,
    prepare: async (p) => {
      const outside = join(p.dirs.root, "outside", "env");
      execFileSync(helperPython(), ["-m", "venv", "--without-pip", outside]);
      writeFileSync(join(outside, "precious.txt"), "mine");
      return { outside, before: snapshot(join(p.dirs.root, "outside")) };
    },
  },
  async ({ workbench, workspace, prepared: { outside, before } }) => {
    const refusal = `lockstep.venv.path from the workspace settings names ${outside}, outside the project ${workspace}`;
    // On open, auto-create ("prompt") asks nothing: it says why it will not create the venv there.
    await workbench.waitForNotification(refusal);
    await workbench.waitForStatus("No environment");

    // Asked explicitly, the helper refuses as well (its own rule, whatever the editor asks): the
    // failure toast with "Show Log".
    await workbench.runCommand("Lockstep: Create Environment");
    await workbench.waitForNotificationSeen(new RegExp(`^(?=.*Show Log).*${escape(refusal)}`));
    await workbench.waitForNotificationGone("Creating the environment for demo");

    assert.deepEqual(snapshot(join(workspace, "..", "outside")), before, "the folder outside must be untouched");
    assert.equal(existsSync(join(workspace, ".venv")), false);
  },
);
