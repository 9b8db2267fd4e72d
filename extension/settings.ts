import * as vscode from "vscode";
import { SETTINGS_SECTION, Settings } from "./constants";
import type { DiagnosticLevel, HelperSettings, PythonPreference, VenvPathOrigin } from "./protocol";

export type AutoCreate = "prompt" | "always" | "never";

export interface LockstepSettings {
  /** Python that runs the helper; empty means "look on PATH". */
  helperPython: string;
  exclude: string[];
  autoCreate: AutoCreate;
  venvPath: string;
  /** Who set `venvPath`: only the user's own settings may point outside the project. */
  venvPathOrigin: VenvPathOrigin;
  venvSeed: boolean;
  uvPath: string;
  pythonPreference: PythonPreference;
  pythonAutoInstall: boolean;
  pythonInstallDir: string;
  pythonDownloadsJson: string;
  pythonInstallMirror: string;
  diagnosticsEnabled: boolean;
  diagnosticsSeverity: Record<string, DiagnosticLevel>;
  diagnosticsExtraneous: boolean;
}

/** The settings for `scope` (a project folder), or the window's when omitted. */
export function readSettings(scope?: vscode.Uri): LockstepSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const text = (key: string) => config.get<string>(key, "").trim();
  return {
    helperPython: text(Settings.helperPython),
    exclude: config.get<string[]>(Settings.exclude, []),
    autoCreate: config.get<AutoCreate>(Settings.autoCreate, "prompt"),
    venvPath: text(Settings.venvPath) || ".venv",
    venvPathOrigin: originOf(config.inspect<string>(Settings.venvPath)),
    venvSeed: config.get<boolean>(Settings.venvSeed, false),
    uvPath: text(Settings.uvPath),
    pythonPreference: config.get<PythonPreference>(Settings.pythonPreference, "managed"),
    pythonAutoInstall: config.get<boolean>(Settings.pythonAutoInstall, false),
    pythonInstallDir: text(Settings.pythonInstallDir),
    pythonDownloadsJson: text(Settings.pythonDownloadsJson),
    pythonInstallMirror: text(Settings.pythonInstallMirror),
    diagnosticsEnabled: config.get<boolean>(Settings.diagnosticsEnabled, true),
    diagnosticsSeverity: config.get<Record<string, DiagnosticLevel>>(Settings.diagnosticsSeverity, {}),
    diagnosticsExtraneous: config.get<boolean>(Settings.diagnosticsExtraneous, false),
  };
}

export function helperSettings(settings: LockstepSettings): HelperSettings {
  return {
    exclude: settings.exclude,
    trusted: vscode.workspace.isTrusted,
    venvPath: settings.venvPath,
    venvPathOrigin: settings.venvPathOrigin,
    venvSeed: settings.venvSeed,
    uvPath: settings.uvPath,
    pythonPreference: settings.pythonPreference,
    pythonInstallDir: settings.pythonInstallDir,
    pythonDownloadsJson: settings.pythonDownloadsJson,
    pythonInstallMirror: settings.pythonInstallMirror,
    diagnosticsEnabled: settings.diagnosticsEnabled,
    diagnosticsSeverity: settings.diagnosticsSeverity,
    diagnosticsExtraneous: settings.diagnosticsExtraneous,
  };
}

/**
 * Which layer a setting's value comes from. Workspace and folder settings (and a .code-workspace file)
 * are what a cloned repository can ship, so any value there counts as the workspace's, even when the
 * user's settings hold one too: the workspace's wins.
 */
export function originOf(inspected: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): VenvPathOrigin {
  if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined) return "workspace";
  return inspected?.globalValue !== undefined ? "user" : "default";
}

/** Whether a configuration change touches any Lockstep setting in `keys`. */
export function affects(event: vscode.ConfigurationChangeEvent, keys: readonly string[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
