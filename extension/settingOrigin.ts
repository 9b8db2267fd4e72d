// Who set a setting: the gate that keeps a cloned repository from pointing the venv outside the
// project (the helper allows that to the user's own settings only). Pure, for unit tests; settings.ts
// asks VS Code for the layers.
import type { VenvPathOrigin } from "./protocol";

/** A setting's value in each layer, as `WorkspaceConfiguration.inspect` gives it. */
export interface Layers {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * Which layer a setting's value comes from. Workspace and folder settings (and a .code-workspace file)
 * are what a cloned repository can ship, so any value there counts as the workspace's, even when the
 * user's settings hold one too: the workspace's wins.
 */
export function originOf(inspected: Layers | undefined): VenvPathOrigin {
  if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined) return "workspace";
  return inspected?.globalValue !== undefined ? "user" : "default";
}
