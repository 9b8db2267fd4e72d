import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./constants";
import { createEnvironment, deleteEnvironment, recreateEnvironment, syncEnvironment } from "./environments";

type CommandId = (typeof Commands)[keyof typeof Commands];

/** Every command's handler, keyed by its id: the manifest declares the same ids. */
export function registerCommands(helper: HelperClient): vscode.Disposable[] {
  const handlers: Record<CommandId, () => unknown> = {
    [Commands.showLog]: () => helper.output.show(),
    [Commands.restartHelper]: () => helper.restart(),
    [Commands.refreshProjects]: async () => {
      const projects = await helper.refreshProjects();
      vscode.window.setStatusBarMessage(`Lockstep: ${projects.length} Python project(s) found`, 3000);
    },
    [Commands.createEnvironment]: () => createEnvironment(helper),
    [Commands.syncEnvironment]: () => syncEnvironment(helper),
    [Commands.recreateEnvironment]: () => recreateEnvironment(helper),
    [Commands.deleteEnvironment]: () => deleteEnvironment(helper),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
