import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./constants";
import { createEnvironment, deleteEnvironment, recreateEnvironment, syncEnvironment } from "./environments";
import { selectInterpreter } from "./picker";
import type { InterpreterSelections } from "./selections";

type CommandId = (typeof Commands)[keyof typeof Commands];

/** Every command's handler, keyed by its id: the manifest declares the same ids. */
export function registerCommands(helper: HelperClient, selections: InterpreterSelections): vscode.Disposable[] {
  const handlers: Record<CommandId, () => unknown> = {
    [Commands.showLog]: () => helper.output.show(),
    [Commands.restartHelper]: () => helper.restart(),
    [Commands.refreshProjects]: async () => {
      const projects = await helper.refreshProjects();
      vscode.window.setStatusBarMessage(`Lockstep: ${projects.length} Python project(s) found`, 3000);
    },
    [Commands.selectInterpreter]: () => selectInterpreter(helper, selections),
    [Commands.createEnvironment]: () => createEnvironment(helper, selections),
    [Commands.syncEnvironment]: () => syncEnvironment(helper, selections),
    [Commands.recreateEnvironment]: () => recreateEnvironment(helper, selections),
    [Commands.deleteEnvironment]: () => deleteEnvironment(helper),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
