// Integrated terminals start with the project's environment active: extension/terminalActivation.ts
// decides, this applies it through the extension's environment variable collection, one scope per
// workspace folder. VS Code itself shows open terminals a "relaunch" hint when the collection changes.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { SETTINGS_SECTION, SettingKeys } from "./configuration";
import { PYTHON_ENVIRONMENTS_ID, PYTHON_EXTENSION_ID } from "./constants";
import { affects } from "./settings";
import { activationOff, terminalEnvironment } from "./terminalActivation";

/** The Python extensions' own activation settings; either one on means they activate terminals. */
const PYTHON_ACTIVATION = [
  { extension: PYTHON_EXTENSION_ID, setting: "python.terminal.activateEnvironment", off: false },
  { extension: PYTHON_ENVIRONMENTS_ID, setting: "python-envs.terminal.autoActivationType", off: "off" },
] as const;

function pythonExtensionActivates(scope: vscode.WorkspaceFolder): boolean {
  return PYTHON_ACTIVATION.some(
    ({ extension, setting, off }) =>
      vscode.extensions.getExtension(extension) !== undefined &&
      vscode.workspace.getConfiguration(undefined, scope).get(setting) !== off,
  );
}

export class TerminalActivation implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  /** Per folder URI: what was applied (JSON), so an unchanged answer touches nothing. */
  private readonly applied = new Map<string, string>();

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly helper: HelperClient,
    private readonly output: vscode.LogOutputChannel,
  ) {
    // The venv may be gone by the next window: never restore a stale PATH before the helper speaks.
    collection.persistent = false;
    this.disposables = [
      helper.onDidChangeProjects(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        const python = PYTHON_ACTIVATION.some(({ setting }) => event.affectsConfiguration(setting));
        if (python || affects(event, ["terminalActivate"])) this.update();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
      vscode.extensions.onDidChange(() => this.update()),
    ];
    this.update();
  }

  private reset(): void {
    this.collection.clear();
    this.applied.clear();
    this.update();
  }

  private update(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const off = activationOff({
        enabled: vscode.workspace.getConfiguration(SETTINGS_SECTION, folder).get(SettingKeys.terminalActivate, true),
        trusted: vscode.workspace.isTrusted,
        pythonExtensionActivates: pythonExtensionActivates(folder),
      });
      const environment = off === undefined ? terminalEnvironment(folder.uri.fsPath, this.helper.projects) : undefined;
      const key = JSON.stringify(environment ?? off ?? null);
      if (this.applied.get(folder.uri.toString()) === key) continue;
      this.applied.set(folder.uri.toString(), key);
      const scoped = this.collection.getScoped({ workspaceFolder: folder });
      scoped.clear();
      if (environment === undefined) {
        this.output.info(`Terminals of ${folder.name}: not activated (${off ?? "no project with an environment"})`);
        continue;
      }
      for (const [name, { kind, value }] of Object.entries(environment.variables)) {
        if (kind === "prepend") scoped.prepend(name, value);
        else scoped.replace(name, value);
      }
      scoped.description = environment.description;
      this.output.info(`Terminals of ${folder.name}: ${environment.venv} of ${environment.project} is active`);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
