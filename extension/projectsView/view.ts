// The Python Projects view in the editor: the tree, the context keys its welcome content and menus
// read (package.json), and the commands that only the view needs (open a project's files).
import * as vscode from "vscode";
import type { HelperClient, HelperState } from "../client";
import { pickProject } from "../environments";
import type { SyncChoices } from "../syncChoices";
import { ProjectsTree } from "./tree";

export const PROJECTS_VIEW_ID = "lockstep.projects";

/** `lockstep.helper`: the helper's state for the view's welcome content (unset: not activated). */
function helperContext(state: HelperState): string {
  return state.kind === "restarting" ? "starting" : state.kind;
}

export class ProjectsView implements vscode.Disposable {
  readonly tree: ProjectsTree;
  private readonly subscriptions: vscode.Disposable[];

  constructor(helper: HelperClient, choices: SyncChoices) {
    this.tree = new ProjectsTree(helper, choices);
    const view = vscode.window.createTreeView(PROJECTS_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.subscriptions = [
      this.tree,
      view,
      helper.onDidChangeState((state) => this.setContext(state)),
      helper.onDidChangeProjects((projects) => void vscode.commands.executeCommand("setContext", "lockstep.projectCount", projects.length)),
    ];
    this.setContext(helper.state);
  }

  private setContext(state: HelperState): void {
    void vscode.commands.executeCommand("setContext", "lockstep.helper", helperContext(state));
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}

/** The project a view command is for: the row's (a tree node carries its project's root), else asked. */
export async function projectOf(helper: HelperClient, argument: unknown, placeHolder: string) {
  return pickProject(helper, placeHolder, rootOf(argument));
}

/** A project root from a command's argument: a root (quick fixes, links) or a view row. */
export function rootOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "root" in value && typeof value.root === "string") return value.root;
  return undefined;
}

export async function openPyproject(helper: HelperClient, argument: unknown): Promise<void> {
  const project = await projectOf(helper, argument, "Open pyproject.toml of which project?");
  if (project) await vscode.window.showTextDocument(vscode.Uri.file(project.pyproject));
}

export async function openLockfile(helper: HelperClient, argument: unknown): Promise<void> {
  const project = await projectOf(helper, argument, "Open the lockfile of which project?");
  if (!project) return;
  if (!project.lockfile) {
    void vscode.window.showInformationMessage(`${project.name ?? project.root} has no lockfile yet: Update Lockfile makes one.`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(project.lockfile));
}
