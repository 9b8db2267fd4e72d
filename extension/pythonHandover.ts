// The Python tooling in the window (pythonTools.ts: Python Environments, else the Python extension) is
// told which environment Lockstep chose or made, so Pylance, the debugger, test discovery and every
// extension that asks it use the same venv. Whether and how loudly is announcement.ts's decision.
// Nothing is written to settings here.
import * as vscode from "vscode";
import { type Announced, announcement } from "./announcement";
import type { HelperClient } from "./client";
import { folderProject, toolVenv } from "./projects";
import { type PythonTool, pythonTool } from "./pythonTools";
import type { InterpreterSelections } from "./selections";

export class PythonHandover implements vscode.Disposable {
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
      .catch((error: unknown) => this.output.warn(`Could not tell the Python tooling: ${String(error)}`));
  }

  private async tool(): Promise<PythonTool | undefined> {
    // A stranger's committed .venv/bin/python would be run by Pylance: only trusted workspaces.
    return vscode.workspace.isTrusted ? pythonTool() : undefined;
  }

  private announced(folder: vscode.WorkspaceFolder): Announced {
    return this.state.get<Announced>(`pythonHandover:${folder.uri.toString()}`) ?? {};
  }

  private remember(folder: vscode.WorkspaceFolder, announced: Announced): Thenable<void> {
    return this.state.update(`pythonHandover:${folder.uri.toString()}`, announced);
  }

  /** Each folder's project environment, handed over where announcement.ts says so. */
  private async announceFolders(): Promise<void> {
    const tool = await this.tool();
    if (!tool) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const project = folderProject(folder.uri.fsPath, this.helper.projects);
      const venv = toolVenv(project);
      const ours = venv?.python ? { python: venv.python, venv: venv.path } : undefined;
      const current = await tool.current(folder.uri);
      const decision = announcement(ours, current, this.announced(folder));
      if (decision.kind === "none" || !ours || !venv || !project) continue;
      await tool.use(ours.python, folder.uri);
      await this.remember(folder, { lastSet: ours.python });
      this.output.info(`Told ${tool.name} to use ${ours.python} for ${folder.name} (it used ${current ?? "nothing"})`);
      if (decision.silently || current === undefined) continue;
      const name = `${venv.name}${venv.version ? ` (Python ${venv.version})` : ""}`;
      void this.offerUndo(tool, folder, ours.python, current, `${name} of ${project.name ?? project.root}`);
    }
  }

  private async offerUndo(tool: PythonTool, folder: vscode.WorkspaceFolder, ours: string, previous: string, what: string): Promise<void> {
    const undo = "Undo";
    const name = tool.name.charAt(0).toUpperCase() + tool.name.slice(1);
    const choice = await vscode.window.showInformationMessage(
      `${name} now uses ${what} for ${folder.name}, as Lockstep does; it used ${previous}.`,
      undo,
    );
    if (choice !== undo) return;
    await tool.use(previous, folder.uri);
    await this.remember(folder, { lastSet: previous, declined: ours });
    this.output.info(`Gave ${tool.name} back ${previous} for ${folder.name}; ${ours} is not handed over again`);
  }

  /** An interpreter picked in Lockstep's picker: the user's own latest choice, handed over as it is. */
  private async shareSelection(root: string): Promise<void> {
    const selected = this.selections.get(root);
    const tool = await this.tool();
    if (!selected || !tool) return;
    const uri = vscode.Uri.file(root);
    await tool.use(selected.path, uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) await this.remember(folder, { lastSet: selected.path });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
