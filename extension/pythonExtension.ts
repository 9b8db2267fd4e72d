// The Microsoft Python extension (ms-python.python), when it is installed, is told which environment
// Lockstep chose or made, so Pylance, the debugger, test discovery and every extension that asks it
// use the same venv. Through its published API (types: @vscode/python-extension 1.0.6); whether and
// how loudly to hand over is announcement.ts's decision. Nothing is written to settings here.
import type { PythonExtension } from "@vscode/python-extension";
import * as vscode from "vscode";
import { type Announced, announcement } from "./announcement";
import type { HelperClient } from "./client";
import { PYTHON_EXTENSION_ID } from "./constants";
import { folderProject } from "./projects";
import type { InterpreterSelections } from "./selections";

type Environments = PythonExtension["environments"];

export class PythonExtensionBridge implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  /** Hand-overs run one at a time, in the order their causes came. */
  private queue = Promise.resolve();

  constructor(
    private readonly helper: HelperClient,
    private readonly selections: InterpreterSelections,
    private readonly state: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      helper.onDidChangeProjects(() => this.enqueue(() => this.announceFolders())),
      selections.onDidChange((root) => this.enqueue(() => this.shareSelection(root))),
      vscode.extensions.onDidChange(() => this.enqueue(() => this.announceFolders())),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.enqueue(() => this.announceFolders())),
    ];
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(work)
      .catch((error: unknown) => this.output.warn(`Could not tell the Python extension: ${String(error)}`));
  }

  private async environments(): Promise<Environments | undefined> {
    // A stranger's committed .venv/bin/python would be run by Pylance: only trusted workspaces.
    if (!vscode.workspace.isTrusted) return undefined;
    const extension = vscode.extensions.getExtension<PythonExtension>(PYTHON_EXTENSION_ID);
    if (!extension) return undefined;
    const api = extension.isActive ? extension.exports : await extension.activate();
    return api?.environments;
  }

  private announced(folder: vscode.WorkspaceFolder): Announced {
    return this.state.get<Announced>(`pythonExtension:${folder.uri.toString()}`) ?? {};
  }

  private remember(folder: vscode.WorkspaceFolder, announced: Announced): Thenable<void> {
    return this.state.update(`pythonExtension:${folder.uri.toString()}`, announced);
  }

  /** Each folder's project environment, handed over where announcement.ts says so. */
  private async announceFolders(): Promise<void> {
    const environments = await this.environments();
    if (!environments) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const project = folderProject(folder.uri.fsPath, this.helper.projects);
      const venv = project?.venv;
      const ours = venv?.python ? { python: venv.python, venv: venv.path } : undefined;
      const current = environments.getActiveEnvironmentPath(folder.uri)?.path;
      const announced = this.announced(folder);
      const decision = announcement(ours, current, announced);
      if (decision.kind === "none" || !ours || !venv || !project) continue;
      await environments.updateActiveEnvironmentPath(ours.python, folder.uri);
      await this.remember(folder, { lastSet: ours.python });
      this.output.info(`Told the Python extension to use ${ours.python} for ${folder.name} (it used ${current ?? "nothing"})`);
      if (decision.silently || current === undefined) continue;
      const name = `${venv.name}${venv.version ? ` (Python ${venv.version})` : ""}`;
      void this.offerUndo(environments, folder, ours.python, current, `${name} of ${project.name ?? project.root}`);
    }
  }

  private async offerUndo(environments: Environments, folder: vscode.WorkspaceFolder, ours: string, previous: string, what: string): Promise<void> {
    const undo = "Undo";
    const choice = await vscode.window.showInformationMessage(
      `The Python extension now uses ${what} for ${folder.name}, as Lockstep does; it used ${previous}.`,
      undo,
    );
    if (choice !== undo) return;
    await environments.updateActiveEnvironmentPath(previous, folder.uri);
    await this.remember(folder, { lastSet: previous, declined: ours });
    this.output.info(`Gave the Python extension back ${previous} for ${folder.name}; ${ours} is not handed over again`);
  }

  /** An interpreter picked in Lockstep's picker: the user's own latest choice, handed over as it is. */
  private async shareSelection(root: string): Promise<void> {
    const selected = this.selections.get(root);
    const environments = await this.environments();
    if (!selected || !environments) return;
    const uri = vscode.Uri.file(root);
    await environments.updateActiveEnvironmentPath(selected.path, uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) await this.remember(folder, { lastSet: selected.path });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
