import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./constants";
import { checkDrift, updateLock } from "./drift";
import { createEnvironment, deleteEnvironment, recreateEnvironment, syncEnvironment } from "./environments";
import { selectInterpreter } from "./picker";
import type { InterpreterSelections } from "./selections";

type CommandId = (typeof Commands)[keyof typeof Commands];

function rootArgument(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Every command's handler, keyed by its id: the manifest declares the same ids. */
export function registerCommands(helper: HelperClient, selections: InterpreterSelections): vscode.Disposable[] {
  // Environment commands take an optional project root, so quick fixes can name the project.
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [Commands.showLog]: () => helper.output.show(),
    [Commands.restartHelper]: () => helper.restart(),
    [Commands.refreshProjects]: async () => {
      const projects = await helper.fetchProjects(true);
      vscode.window.setStatusBarMessage(`Lockstep: ${projects.length} Python project(s) found`, 3000);
    },
    [Commands.selectInterpreter]: () => selectInterpreter(helper, selections),
    [Commands.createEnvironment]: (root) => createEnvironment(helper, selections, rootArgument(root)),
    [Commands.syncEnvironment]: (root) => syncEnvironment(helper, selections, rootArgument(root)),
    [Commands.recreateEnvironment]: (root) => recreateEnvironment(helper, selections, rootArgument(root)),
    [Commands.deleteEnvironment]: (root) => deleteEnvironment(helper, rootArgument(root)),
    [Commands.checkDrift]: () => checkDrift(helper),
    [Commands.updateLock]: (root) => updateLock(helper, selections, rootArgument(root)),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
