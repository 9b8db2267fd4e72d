import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./constants";

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
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
