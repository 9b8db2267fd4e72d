// The interpreter picker (its rows: pickerItems.ts). Choosing an interpreter offers to create or
// recreate the venv with it.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { pickProject, runEnvironmentOperation } from "./environments";
import { type Action, describeInterpreter, pickerLists, type PickerTarget, type Row } from "./pickerItems";
import { describeVenv } from "./projects";
import { type InterpretersParams, type ProjectInfo, type PythonDownload, Requests } from "./protocol";
import type { InterpreterSelections } from "./selections";
import { readSettings } from "./settings";

interface Item extends vscode.QuickPickItem {
  action?: Action;
  focus?: boolean;
}

function toItems(rows: Row[]): Item[] {
  return rows.map((row) =>
    row.action ? { ...row } : { label: row.label, kind: vscode.QuickPickItemKind.Separator },
  );
}

/** Shows `items` in `quickPick` and resolves to the accepted one (undefined when dismissed). */
function pick(quickPick: vscode.QuickPick<Item>, items: Item[]): Promise<Item | undefined> {
  quickPick.items = items;
  const focused = items.find((item) => item.focus);
  if (focused) quickPick.activeItems = [focused];
  quickPick.busy = false;
  return new Promise<Item | undefined>((resolve) => {
    const accepted = quickPick.onDidAccept(() => {
      accepted.dispose();
      resolve(quickPick.selectedItems[0]);
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
}

async function enterPath(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: "Select a Python interpreter",
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: "Use this interpreter",
  });
  return picked?.[0]?.fsPath;
}

/**
 * Offers to make the project's venv use `python` (`name` is how to say it): create the venv, or
 * recreate it when its interpreter differs.
 */
async function offerEnvironment(
  helper: HelperClient,
  selections: InterpreterSelections,
  project: ProjectInfo,
  python: string,
  name: string,
  version: string | undefined,
): Promise<void> {
  if (project.venv?.python === python) return;
  if (!project.venv) {
    const create = "Create Environment";
    const choice = await vscode.window.showInformationMessage(
      `Create ${readSettings(vscode.Uri.file(project.root)).venvPath} for ${project.name ?? project.root} with ${name}?`,
      create,
      "Not now",
    );
    if (choice === create) await runEnvironmentOperation(helper, selections, project, "create");
    return;
  }
  if (version !== undefined && project.venv.version === version) return;
  const recreate = "Recreate Environment";
  const choice = await vscode.window.showWarningMessage(
    `${project.venv.name} uses Python ${project.venv.version ?? "of another version"}. Recreate ${describeVenv(project.venv)} with ${name}? The current one is replaced only once the new one is complete.`,
    recreate,
    "Not now",
  );
  if (choice === recreate) await runEnvironmentOperation(helper, selections, project, "recreate");
}

/** Writes `.python-version` in the project's folder, as `uv python pin VERSION` run there would. */
async function pinPython(project: ProjectInfo, version: string): Promise<void> {
  const file = vscode.Uri.joinPath(vscode.Uri.file(project.root), ".python-version");
  // A committed .python-version may be a link to a file outside the project: never write through it.
  const existing = await Promise.resolve(vscode.workspace.fs.stat(file)).catch(() => undefined);
  if (existing && existing.type !== vscode.FileType.File) {
    void vscode.window.showErrorMessage(`Lockstep did not pin Python: ${file.fsPath} is a link or not a regular file.`);
    return;
  }
  try {
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`${version}\n`));
  } catch (error) {
    void vscode.window.showErrorMessage(`Lockstep could not write ${file.fsPath}: ${String(error)}`);
    return;
  }
  void vscode.window.showInformationMessage(`Pinned Python ${version} for ${project.name ?? project.root} in .python-version.`);
}

/** What the picker was asked for: its rows' target, title and the interpreters request. */
export interface PickerRequest {
  target: PickerTarget;
  title: string;
  params: InterpretersParams;
  /** The build a download would bring, when nothing installed fits (a project's plan names it). */
  download?: () => Promise<PythonDownload | null>;
  /** Offer "Pin Python X.Y" (projects only). */
  pin: boolean;
}

/** Shows the picker; the accepted row's action, undefined when dismissed or the listing failed. */
export async function chooseInterpreter(helper: HelperClient, request: PickerRequest): Promise<Action | undefined> {
  const { target } = request;
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = request.title;
  quickPick.placeholder = target.requiresPython ? `requires-python ${target.requiresPython}` : "Select an interpreter";
  quickPick.matchOnDetail = true;
  quickPick.busy = true;
  let dismissed = false;
  quickPick.onDidHide(() => (dismissed = true));
  quickPick.show();
  let lists;
  try {
    const result = await helper.request(Requests.interpreters, request.params);
    // Nothing installed fits: the plan names the build a download would bring, and its size.
    const needsDownload = result.choice?.install && !result.choice.chosen;
    const download = needsDownload && request.download ? await request.download() : null;
    lists = pickerLists(target, result, download, { pin: request.pin });
  } catch (error) {
    quickPick.dispose();
    void vscode.window.showErrorMessage(`Lockstep could not list interpreters: ${String(error)}`);
    return undefined;
  }
  let item = dismissed ? undefined : await pick(quickPick, toItems(lists.main));
  if (item?.action?.kind === "show-unfit") {
    quickPick.value = "";
    quickPick.placeholder = `These do not satisfy ${target.requiresPython ? `requires-python ${target.requiresPython}` : "it"}; choosing one asks first`;
    item = await pick(quickPick, toItems(lists.unfit));
  }
  quickPick.dispose();
  const action = item?.action;
  return action?.kind === "show-unfit" ? undefined : action;
}

/**
 * The interpreter an `interpreter` or `enter-path` action names (asking first for one that does not
 * fit `what`); undefined when the user backs out.
 */
export async function chosenInterpreter(
  action: Extract<Action, { kind: "interpreter" | "enter-path" }>,
  what: string,
): Promise<{ python: string; name: string; version: string | undefined } | undefined> {
  if (action.kind === "enter-path") {
    const entered = await enterPath();
    return entered ? { python: entered, name: entered, version: undefined } : undefined;
  }
  if (!action.fits) {
    const useAnyway = "Use Anyway";
    const choice = await vscode.window.showWarningMessage(
      `${describeInterpreter(action.interpreter)} does not fit ${what}: ${action.reason ?? "it does not satisfy requires-python"}.`,
      useAnyway,
    );
    if (choice !== useAnyway) return undefined;
  }
  return { python: action.interpreter.path, name: describeInterpreter(action.interpreter), version: action.interpreter.version };
}

export async function selectInterpreter(
  helper: HelperClient,
  selections: InterpreterSelections,
  root?: string,
): Promise<void> {
  const project = await pickProject(helper, "Select an interpreter for which project?", root);
  if (!project) return;
  const settings = readSettings(vscode.Uri.file(project.root));
  const action = await chooseInterpreter(helper, {
    target: project,
    title: `Python interpreter for ${project.name ?? project.root}`,
    params: {
      requiresPython: project.requiresPython,
      pythonVersion: project.pythonVersion,
      preference: settings.pythonPreference,
    },
    download: async () => (await helper.request(Requests.planEnvironment, { root: project.root }))?.download ?? null,
    pin: true,
  });
  if (!action || action.kind === "show-unfit") return;
  if (action.kind === "pin") {
    await pinPython(project, action.version);
    return;
  }
  if (action.kind === "download") {
    await runEnvironmentOperation(helper, selections, project, project.venv ? "recreate" : "create", {
      allowDownload: true,
    });
    return;
  }
  const chosen = await chosenInterpreter(action, "this project");
  if (!chosen) return;
  await selections.set(project.root, { path: chosen.python, version: chosen.version ?? null });
  await offerEnvironment(helper, selections, project, chosen.python, chosen.name, chosen.version);
}
