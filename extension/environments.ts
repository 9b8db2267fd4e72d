// Create, sync, recreate and delete a project's environment (the offer when a folder opens:
// autoCreate.ts). The helper does the work (and keeps it safe: nothing half-made, nothing deleted unasked);
// this module asks the user what to do and reports what happened.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { describeDeletion, describeVenv, downloadQuestion, projectFor } from "./projects";
import { type EnvironmentParams, type EnvironmentResult, type ProjectInfo, Requests } from "./protocol";
import type { InterpreterSelections } from "./selections";
import { readSettings } from "./settings";
import { type Guarded, refusal, type ScriptOperation } from "./trust";

type Operation = Exclude<Guarded, "delete" | "lock" | "dependencies" | "init" | ScriptOperation>;

const REQUESTS: Record<Operation, typeof Requests.createEnvironment> = {
  create: Requests.createEnvironment,
  sync: Requests.syncEnvironment,
  recreate: Requests.createEnvironment,
};

const TITLES: Record<Operation, string> = {
  create: "Creating the environment",
  sync: "Syncing the environment",
  recreate: "Recreating the environment",
};

export function projectLabel(project: ProjectInfo): string {
  return project.name ?? vscode.workspace.asRelativePath(project.root);
}

/**
 * The project at `root` (a command's argument, e.g. from a quick fix), else the active editor's
 * project, the only one, or the one the user picks.
 */
export async function pickProject(
  helper: HelperClient,
  placeHolder: string,
  root?: string,
): Promise<ProjectInfo | undefined> {
  const projects = helper.projects;
  if (typeof root === "string") {
    const named = projects.find((project) => project.root === root);
    if (named) return named;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const obvious = projectFor(projects, active?.scheme === "file" ? active.fsPath : undefined);
  if (obvious) return obvious;
  if (projects.length === 0) {
    void vscode.window.showInformationMessage("Lockstep found no pyproject.toml in this workspace.");
    return undefined;
  }
  const items = projects.map((project) => ({
    label: projectLabel(project),
    description: vscode.workspace.asRelativePath(project.root),
    detail: project.venv ? `${project.venv.name} (${project.venv.version ?? "unknown version"})` : "no environment",
    project,
  }));
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.project;
}

/**
 * Runs one environment operation with progress and Cancel, and handles every outcome: asking to
 * download a fitting Python, pointing at a stale lock, or showing the log on failure.
 */
export async function runEnvironmentOperation(
  helper: HelperClient,
  selections: InterpreterSelections,
  project: ProjectInfo,
  operation: Operation,
  options: { allowDownload?: boolean; unlocked?: boolean } = {},
): Promise<EnvironmentResult | undefined> {
  if (await refused(operation, project)) return undefined;
  const settings = readSettings(vscode.Uri.file(project.root));
  const params: EnvironmentParams = {
    root: project.root,
    // The interpreter picked for this project, else the helper chooses by the project's rules.
    python: selections.get(project.root)?.path ?? null,
    replace: operation === "recreate",
    allowDownload: options.allowDownload ?? settings.pythonAutoInstall,
    unlocked: options.unlocked ?? false,
  };
  const title = `${TITLES[operation]} for ${projectLabel(project)}`;
  const request = REQUESTS[operation];
  let result = await helper.requestWithProgress(request, params, title);
  if (result?.status === "needs-python" && result.pythonRequest) {
    const { question, button } = downloadQuestion(projectLabel(project), result.message, result.pythonRequest, result.download);
    const choice = await vscode.window.showWarningMessage(question, button, "Cancel");
    if (choice !== button) return result;
    result = await helper.requestWithProgress(request, { ...params, allowDownload: true }, title);
  }
  if (result?.status === "lock-tool-missing") {
    const unlocked = "Create Unlocked";
    const choice = await vscode.window.showWarningMessage(result.message, unlocked, "Cancel");
    if (choice !== unlocked) return result;
    result = await helper.requestWithProgress(request, { ...params, unlocked: true }, title);
  }
  await report(helper, result);
  return result;
}

/**
 * Whether the trust gate (trust.ts) stops `operation`, after saying why: an untrusted workspace, or
 * a pyproject.toml that does not parse (with the offer to open it).
 */
export async function refused(operation: Guarded, project?: ProjectInfo): Promise<boolean> {
  const stop = refusal(operation, { trusted: vscode.workspace.isTrusted, project });
  if (stop?.reason === "untrusted") void vscode.window.showWarningMessage(stop.message);
  if (stop?.reason === "invalid-pyproject" && project) {
    const open = "Open pyproject.toml";
    const choice = await vscode.window.showErrorMessage(stop.message, open);
    if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(project.pyproject));
  }
  return stop !== undefined;
}

/** The operation's outcome; the projects' new state arrives by itself (the helper pushes it). */
async function report(helper: HelperClient, result: EnvironmentResult | undefined): Promise<void> {
  if (!result || result.status === "cancelled") {
    void vscode.window.showInformationMessage("Cancelled: the environment was left as it was.");
    return;
  }
  if (result.status === "ok") {
    void vscode.window.showInformationMessage(result.message);
    return;
  }
  const choice = await vscode.window.showErrorMessage(result.message, "Show Log");
  if (choice === "Show Log") helper.output.show();
}

export async function createEnvironment(helper: HelperClient, selections: InterpreterSelections, root?: string): Promise<void> {
  const project = await pickProject(helper, "Create an environment for which project?", root);
  // Before the Recreate confirmation: never ask about work that cannot run.
  if (!project || (await refused(project.venv ? "recreate" : "create", project))) return;
  if (project.venv) {
    const recreate = "Recreate";
    const choice = await vscode.window.showWarningMessage(
      `${projectLabel(project)} already has ${project.venv.name}. Recreate ${describeVenv(project.venv)}? The current one is replaced only once the new one is complete.`,
      { modal: true },
      recreate,
    );
    if (choice !== recreate) return;
    await runEnvironmentOperation(helper, selections, project, "recreate");
    return;
  }
  await runEnvironmentOperation(helper, selections, project, "create");
}

export async function syncEnvironment(helper: HelperClient, selections: InterpreterSelections, root?: string): Promise<void> {
  const project = await pickProject(helper, "Sync the environment of which project?", root);
  if (project) await runEnvironmentOperation(helper, selections, project, project.venv ? "sync" : "create");
}

export async function recreateEnvironment(helper: HelperClient, selections: InterpreterSelections, root?: string): Promise<void> {
  const project = await pickProject(helper, "Recreate the environment of which project?", root);
  if (project) await runEnvironmentOperation(helper, selections, project, "recreate");
}

export async function deleteEnvironment(helper: HelperClient, root?: string): Promise<void> {
  const project = await pickProject(helper, "Delete the environment of which project?", root);
  if (!project || (await refused("delete", project))) return;
  if (!project.venv) {
    void vscode.window.showInformationMessage(`${projectLabel(project)} has no environment to delete.`);
    return;
  }
  const remove = "Delete";
  const choice = await vscode.window.showWarningMessage(
    describeDeletion(project.venv),
    { modal: true },
    remove,
  );
  if (choice !== remove) return;
  const result = await helper.request(Requests.deleteEnvironment, { root: project.root, confirmed: true });
  await report(helper, result);
}
