import * as vscode from "vscode";
import { DEFAULTS, HELPER_SETTINGS, SETTINGS_SECTION, SettingKeys, type SettingValues } from "./configuration";
import type { HelperSettings, VenvPathOrigin } from "./protocol";
import { originOf } from "./settingOrigin";
import { settingValue } from "./settingValue";

export type AutoCreate = SettingValues["autoCreate"];

/** Every setting's value (of its declared type, text trimmed), and where `venvPath` came from. */
export interface LockstepSettings extends SettingValues {
  /** Who set `venvPath`: only the user's own settings may point outside the project. */
  venvPathOrigin: VenvPathOrigin;
}

/** The settings for `scope` (a project folder), or the window's when omitted. */
export function readSettings(scope?: vscode.Uri): LockstepSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const values = Object.fromEntries(
    (Object.keys(SettingKeys) as (keyof SettingValues)[]).map((name) => {
      return [name, settingValue(config.get<unknown>(SettingKeys[name]), DEFAULTS[name])];
    }),
  ) as unknown as SettingValues;
  return { ...values, venvPathOrigin: originOf(config.inspect<string>(SettingKeys.venvPath)) };
}

type HelperSettingValues = Pick<SettingValues, (typeof HELPER_SETTINGS)[number]>;

/** What the helper is sent: the settings it reads, and what the editor knows besides. */
export function helperSettings(settings: LockstepSettings): HelperSettings {
  const values = Object.fromEntries(HELPER_SETTINGS.map((name) => [name, settings[name]])) as HelperSettingValues;
  return { ...values, trusted: vscode.workspace.isTrusted, venvPathOrigin: settings.venvPathOrigin };
}

/** Whether a configuration change touches any of the Lockstep settings `names`. */
export function affects(event: vscode.ConfigurationChangeEvent, names: readonly (keyof SettingValues)[]): boolean {
  return names.some((name) => event.affectsConfiguration(`${SETTINGS_SECTION}.${SettingKeys[name]}`));
}
