import * as vscode from "vscode";
import { HelperClient } from "./client";
import { registerCommands } from "./commands";
import { AutoCreate } from "./autoCreate";
import { HELPER_SETTINGS } from "./configuration";
import { OUTPUT_CHANNEL_NAME } from "./constants";
import { PythonHandover } from "./pythonHandover";
import { ProjectsView } from "./projectsView/view";
import { InterpreterSelections } from "./selections";
import { ScriptLenses } from "./scripts/lenses";
import { ScriptStore } from "./scripts/store";
import { affects } from "./settings";
import { StatusBar } from "./statusBar";
import { SyncChoices } from "./syncChoices";
import { TerminalActivation } from "./terminals";

let helper: HelperClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  helper = new HelperClient(context.extensionUri, context.globalStorageUri, output);
  const selections = new InterpreterSelections(context.workspaceState);
  const choices = new SyncChoices(helper, context.workspaceState);
  const view = new ProjectsView(helper, choices);
  const scripts = new ScriptStore(helper);
  context.subscriptions.push(
    output,
    helper,
    selections,
    choices,
    scripts,
    new ScriptLenses(scripts),
    new StatusBar(helper, selections, scripts, choices),
    new AutoCreate(helper, selections, context.workspaceState),
    new TerminalActivation(context.environmentVariableCollection, helper, output),
    new PythonHandover(helper, selections, context.workspaceState, output),
    view,
    ...registerCommands(helper, selections, view, scripts, choices),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affects(event, ["helperPython"])) void helper?.restart();
      else if (affects(event, HELPER_SETTINGS)) helper?.notifySettingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => helper?.notifySettingsChanged()),
  );
  // Starting the helper is not awaited: activation must not wait for a Python process.
  void helper.start();
  output.info(`Lockstep ${context.extension.packageJSON.version} activated in ${Date.now() - started} ms`);
}

export async function deactivate(): Promise<void> {
  await helper?.stop();
  helper = undefined;
}
