// Drift commands: re-check every project and show the Problems panel; re-lock a project with its
// manager (uv, Poetry, PDM) through the helper, with progress and Cancel. The helper re-checks after,
// and pushes the projects' new states (lockstep/projectsChanged): nothing here asks for them again.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { pickProject, refused } from "./environments";
import { Requests, type UpdateLockParams } from "./protocol";
import type { InterpreterSelections } from "./selections";

export async function checkDrift(helper: HelperClient): Promise<void> {
  await helper.request(Requests.checkDrift, {});
  await vscode.commands.executeCommand("workbench.actions.view.problems");
}

export async function updateLock(helper: HelperClient, selections: InterpreterSelections, root?: string): Promise<void> {
  // Trust first: an untrusted workspace is told so before being asked which project.
  if (await refused("lock")) return;
  const project = await pickProject(helper, "Update the lockfile of which project?", root);
  if (!project || (await refused("lock", project))) return;
  // uv locks with the interpreter the user selected (else the helper's choice), never PATH's.
  const params: UpdateLockParams = { root: project.root, python: selections.get(project.root)?.path ?? null };
  const result = await helper.requestWithProgress(
    Requests.updateLock,
    params,
    `Updating the lockfile of ${project.name ?? project.root}`,
  );
  if (!result || result.status === "cancelled") {
    void vscode.window.showInformationMessage("Cancelled: the lockfile was left as it was.");
    return;
  }
  if (result.status === "ok") {
    vscode.window.setStatusBarMessage(`Lockstep: ${result.message}`, 4000);
    return;
  }
  const choice = await vscode.window.showErrorMessage(result.message, "Show Log");
  if (choice === "Show Log") helper.output.show();
}
