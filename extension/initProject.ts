// Create a pyproject.toml in a workspace folder that has none (the Projects view's welcome button):
// the helper runs `uv init --bare --no-workspace` (pyhelper/initproject.py says why those flags) and
// rescans, so the new project appears in the view by itself; the new file is opened, as a person
// who asked for it expects to see it.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { refused } from "./environments";
import { Requests } from "./protocol";

/** The helper once it has started (or given up): a folder with no pyproject.toml activates Lockstep
 * only when the welcome button is clicked, so the helper is often still starting then. */
function started(helper: HelperClient): Promise<void> {
  const settled = () => helper.state.kind === "running" || helper.state.kind === "failed";
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = helper.onDidChangeState(() => {
      if (!settled()) return;
      listener.dispose();
      resolve();
    });
  });
}

export async function initProject(helper: HelperClient): Promise<void> {
  if (await refused("init")) return;
  await started(helper);
  const taken = new Set(helper.projects.map((project) => project.root));
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => !taken.has(folder.uri.fsPath));
  if (folders.length === 0) {
    void vscode.window.showInformationMessage("Every workspace folder already has a pyproject.toml.");
    return;
  }
  const folder =
    folders.length === 1
      ? folders[0]
      : (
          await vscode.window.showQuickPick(
            folders.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })),
            { placeHolder: "Create pyproject.toml in which folder?" },
          )
        )?.folder;
  if (!folder) return;
  const result = await helper.requestWithProgress(
    Requests.initProject,
    { folder: folder.uri.fsPath },
    `Creating pyproject.toml in ${folder.name}`,
  );
  if (!result || result.status === "cancelled") {
    void vscode.window.showInformationMessage("Cancelled: no file was written.");
    return;
  }
  if (result.status === "ok") {
    vscode.window.setStatusBarMessage(`Lockstep: ${result.message}`, 4000);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, "pyproject.toml"));
    return;
  }
  const choice = await vscode.window.showErrorMessage(result.message, "Show Log");
  if (choice === "Show Log") helper.output.show();
}
