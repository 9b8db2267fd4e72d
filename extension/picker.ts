// The interpreter picker: the project's venv, then interpreters that fit its requires-python
// (grouped by kind), then the rest with the reason they do not fit, then "Enter interpreter path…"
// and "Download Python X.Y (managed)". Choosing one offers to create or recreate the venv with it.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { pickProject, runEnvironmentOperation } from "./environments";
import {
  type InterpreterInfo,
  type InterpreterKind,
  type InterpretersParams,
  type InterpretersResult,
  Methods,
  type ProjectInfo,
} from "./protocol";
import type { InterpreterSelections } from "./selections";
import { readSettings } from "./settings";

const KIND_LABELS: Record<InterpreterKind, string> = {
  venv: "Virtual environments",
  "lockstep-managed": "Managed by Lockstep",
  "uv-managed": "Managed by uv",
  pyenv: "pyenv",
  conda: "Conda",
  system: "System",
};

type Action =
  | { kind: "interpreter"; interpreter: InterpreterInfo; fits: boolean; reason: string | null }
  | { kind: "enter-path" }
  | { kind: "download"; request: string };

interface Item extends vscode.QuickPickItem {
  action?: Action;
}

function describe(interpreter: InterpreterInfo): string {
  const implementation = interpreter.implementation === "cpython" ? "Python" : interpreter.implementation;
  const flavour = interpreter.freeThreaded ? " (free-threaded)" : "";
  return `${implementation} ${interpreter.version}${flavour}`;
}

export function buildItems(project: ProjectInfo, result: InterpretersResult): Item[] {
  const byPath = new Map(result.interpreters.map((i) => [i.path, i]));
  const candidates = result.choice?.candidates ?? result.interpreters.map((i) => ({ path: i.path, fits: true, reason: null }));
  const items: Item[] = [];
  const venvPython = project.venv?.python;
  const venv = venvPython ? byPath.get(venvPython) : undefined;
  if (venv && project.venv) {
    items.push({ label: "Project environment", kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: `$(folder-active) ${describe(venv)} (${project.venv.name})`,
      description: "current",
      detail: venv.path,
      action: { kind: "interpreter", interpreter: venv, fits: true, reason: null },
    });
  }
  const fitting = candidates.filter((c) => c.fits && c.path !== venvPython);
  const chosen = result.choice?.chosen;
  for (const kind of Object.keys(KIND_LABELS) as InterpreterKind[]) {
    const ofKind = fitting.flatMap((c) => {
      const interpreter = byPath.get(c.path);
      return interpreter?.kind === kind ? [interpreter] : [];
    });
    if (ofKind.length === 0) continue;
    items.push({ label: KIND_LABELS[kind], kind: vscode.QuickPickItemKind.Separator });
    for (const interpreter of ofKind) {
      items.push({
        label: `${interpreter.path === chosen ? "$(star-full) " : ""}${describe(interpreter)}`,
        description: [interpreter.name, interpreter.path === chosen ? "recommended" : undefined].filter(Boolean).join(" · "),
        detail: interpreter.path,
        action: { kind: "interpreter", interpreter, fits: true, reason: null },
      });
    }
  }
  const notFitting = candidates.filter((c) => !c.fits && c.path !== venvPython);
  if (notFitting.length > 0) {
    items.push({ label: "Do not fit this project", kind: vscode.QuickPickItemKind.Separator });
    for (const candidate of notFitting) {
      const interpreter = byPath.get(candidate.path);
      if (!interpreter) continue;
      items.push({
        label: `$(circle-slash) ${describe(interpreter)}`,
        description: candidate.reason ?? "does not fit",
        detail: interpreter.path,
        action: { kind: "interpreter", interpreter, fits: false, reason: candidate.reason },
      });
    }
  }
  items.push({ label: "", kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: "$(edit) Enter interpreter path…", action: { kind: "enter-path" } });
  const install = result.choice?.install;
  if (install) {
    items.push({
      label: `$(cloud-download) Download ${install.label} (managed)`,
      description: install.version ?? install.specifier,
      action: { kind: "download", request: install.version ?? install.specifier },
    });
  }
  return items;
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
    `${project.venv.name} uses Python ${project.venv.version ?? "of another version"}. Recreate it with ${name}? The current one is replaced only once the new one is complete.`,
    recreate,
    "Not now",
  );
  if (choice === recreate) await runEnvironmentOperation(helper, selections, project, "recreate");
}

/** Hands the choice to the Microsoft Python extension, when it is installed, so both agree. */
async function shareWithPythonExtension(python: string, project: ProjectInfo): Promise<void> {
  const extension = vscode.extensions.getExtension<{
    environments?: { updateActiveEnvironmentPath(path: string, resource?: vscode.Uri): Promise<void> };
  }>("ms-python.python");
  if (!extension) return;
  const api = extension.isActive ? extension.exports : await extension.activate();
  await api.environments?.updateActiveEnvironmentPath(python, vscode.Uri.file(project.root));
}

export async function selectInterpreter(helper: HelperClient, selections: InterpreterSelections): Promise<void> {
  const project = await pickProject(helper, "Select an interpreter for which project?");
  if (!project) return;
  const settings = readSettings(vscode.Uri.file(project.root));
  const params: InterpretersParams = {
    requiresPython: project.requiresPython,
    pythonVersion: project.pythonVersion,
    preference: settings.pythonPreference,
  };
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = `Python interpreter for ${project.name ?? project.root}`;
  quickPick.placeholder = project.requiresPython
    ? `requires-python ${project.requiresPython}`
    : "Select an interpreter";
  quickPick.matchOnDetail = true;
  quickPick.busy = true;
  quickPick.show();
  const picked = new Promise<Item | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
  });
  try {
    const result = await helper.request<InterpretersResult>(Methods.interpreters, params);
    quickPick.items = buildItems(project, result);
    quickPick.busy = false;
  } catch (error) {
    quickPick.hide();
    void vscode.window.showErrorMessage(`Lockstep could not list interpreters: ${String(error)}`);
    return;
  }
  const item = await picked;
  quickPick.dispose();
  const action = item?.action;
  if (!action) return;
  if (action.kind === "download") {
    await runEnvironmentOperation(helper, selections, project, project.venv ? "recreate" : "create", {
      allowDownload: true,
    });
    return;
  }
  let python: string;
  let name: string;
  let version: string | undefined;
  if (action.kind === "enter-path") {
    const entered = await enterPath();
    if (!entered) return;
    python = entered;
    name = entered;
  } else {
    if (!action.fits) {
      const useAnyway = "Use Anyway";
      const choice = await vscode.window.showWarningMessage(
        `${describe(action.interpreter)} does not fit this project: ${action.reason ?? "it does not satisfy requires-python"}.`,
        useAnyway,
      );
      if (choice !== useAnyway) return;
    }
    python = action.interpreter.path;
    name = describe(action.interpreter);
    version = action.interpreter.version;
  }
  await selections.set(project.root, { path: python, version: version ?? null });
  await shareWithPythonExtension(python, project);
  await offerEnvironment(helper, selections, project, python, name, version);
}
