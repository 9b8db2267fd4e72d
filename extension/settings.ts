import * as vscode from "vscode";
import { SETTINGS_SECTION, Settings } from "./constants";
import type { HelperSettings } from "./protocol";

export interface LockstepSettings {
  /** Python that runs the helper; empty means "look on PATH". */
  helperPython: string;
  exclude: string[];
}

export function readSettings(): LockstepSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    helperPython: config.get<string>(Settings.helperPython, "").trim(),
    exclude: config.get<string[]>(Settings.exclude, []),
  };
}

export function helperSettings(settings: LockstepSettings): HelperSettings {
  return { exclude: settings.exclude, trusted: vscode.workspace.isTrusted };
}

/** Whether a configuration change touches any Lockstep setting in `keys`. */
export function affects(event: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
