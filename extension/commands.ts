import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./configuration";
import { checkDrift, updateLock } from "./drift";
import { createEnvironment, deleteEnvironment, recreateEnvironment, syncEnvironment } from "./environments";
import { initProject } from "./initProject";
import { selectInterpreter } from "./picker";
import {
  addDependency,
  removeDependency,
  revealInLockfile,
  upgradeDependency,
  upgradeLockedPackage,
} from "./projectsView/dependencyCommands";
import { openLockfile, openPyproject, type ProjectsView, rootOf as rootArgument } from "./projectsView/view";
import { actOnScript, runScript, selectScriptInterpreter } from "./scripts/commands";
import type { ScriptStore } from "./scripts/store";
import type { InterpreterSelections } from "./selections";
import { chooseSyncGroups, type SyncChoices } from "./syncChoices";

type CommandId = (typeof Commands)[keyof typeof Commands];

/** Every command's handler, keyed by its id: the manifest declares the same ids. */
export function registerCommands(
  helper: HelperClient,
  selections: InterpreterSelections,
  view: ProjectsView,
  scripts: ScriptStore,
  choices: SyncChoices,
): vscode.Disposable[] {
  // The picker applies to the script the argument names, else to the active editor's script.
  const scriptToPick = (target: unknown) => {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (typeof target === "string") return scripts.get(target);
    return active?.scheme === "file" ? scripts.get(active.fsPath) : undefined;
  };
  // Project commands take an optional project root, so quick fixes can name the project, or the
  // Projects view's row they were run on.
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [Commands.showLog]: () => helper.output.show(),
    [Commands.restartHelper]: () => helper.restart(),
    [Commands.refreshProjects]: async () => {
      view.tree.refreshAll();
      const projects = await helper.fetchProjects(true);
      vscode.window.setStatusBarMessage(`Lockstep: ${projects.length} Python project(s) found`, 3000);
    },
    [Commands.initProject]: () => initProject(helper),
    [Commands.selectInterpreter]: (root) => {
      const script = scriptToPick(root);
      if (script) return selectScriptInterpreter(helper, scripts, selections, script);
      return selectInterpreter(helper, selections, rootArgument(root));
    },
    [Commands.createEnvironment]: (root) => createEnvironment(helper, selections, rootArgument(root)),
    [Commands.syncEnvironment]: (root) => syncEnvironment(helper, selections, rootArgument(root)),
    [Commands.recreateEnvironment]: (root) => recreateEnvironment(helper, selections, rootArgument(root)),
    [Commands.deleteEnvironment]: (root) => deleteEnvironment(helper, rootArgument(root)),
    [Commands.chooseSyncGroups]: (root) => chooseSyncGroups(helper, choices, selections, view.tree, rootArgument(root)),
    [Commands.checkDrift]: () => checkDrift(helper),
    [Commands.updateLock]: (root) => updateLock(helper, selections, rootArgument(root)),
    [Commands.openPyproject]: (root) => openPyproject(helper, root),
    [Commands.openLockfile]: (root) => openLockfile(helper, root),
    [Commands.addDependency]: (row) => addDependency(helper, selections, view.tree, row),
    [Commands.removeDependency]: (row) => removeDependency(helper, selections, view.tree, row),
    [Commands.upgradeDependency]: (row) => upgradeDependency(helper, selections, view.tree, row),
    [Commands.revealInLockfile]: (row) => revealInLockfile(helper, view.tree, row),
    // Scripts: a path (code lens, quick fix, tooltip link), else the active editor's script.
    [Commands.runScript]: (target) => runScript(scripts, selections, target),
    [Commands.createScriptEnvironment]: (target) => actOnScript(helper, scripts, selections, "sync", target),
    [Commands.lockScript]: (target) => actOnScript(helper, scripts, selections, "lock", target),
    [Commands.upgradeLockedPackage]: (root, name, version) =>
      upgradeLockedPackage(helper, selections, root, name, version),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
