// Run Script, Create Script Environment, Lock Script and the interpreter picker for a PEP 723 script.
// The helper runs uv for Create and Lock (trust-gated on its side too); Run types the helper's
// `uv run --script` line into a terminal. Nothing here runs in an untrusted workspace.
import { dirname } from "node:path";
import * as vscode from "vscode";
import type { HelperClient } from "../client";
import { refused } from "../environments";
import { chooseInterpreter, chosenInterpreter } from "../picker";
import { downloadQuestion } from "../projects";
import { Requests, type ScriptActionResult, type ScriptStatus } from "../protocol";
import type { InterpreterSelections } from "../selections";
import { readSettings } from "../settings";
import type { ScriptStore } from "./store";
import { runArgv, scriptName, shellLine, shellOf } from "./view";

/**
 * The script a command is about: `target` (a path from a lens, a quick fix or a tooltip link, or a
 * URI from a menu), else the active editor's file. Says so and answers undefined for a file that
 * holds no script block.
 */
export async function scriptFor(store: ScriptStore, target: unknown): Promise<ScriptStatus | undefined> {
  const uri =
    typeof target === "string"
      ? vscode.Uri.file(target)
      : target instanceof vscode.Uri
        ? target
        : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== "file") {
    void vscode.window.showInformationMessage("Open a Python script with a `# /// script` block (PEP 723) first.");
    return undefined;
  }
  const script = store.get(uri.fsPath) ?? (await store.refresh(uri));
  if (!script) {
    void vscode.window.showInformationMessage(
      `${vscode.workspace.asRelativePath(uri)} has no \`# /// script\` block (PEP 723): Lockstep's script commands need one.`,
    );
  }
  return script;
}

/** The script's unsaved edits are what uv must read: save them first (false when that failed). */
async function saved(script: ScriptStatus): Promise<boolean> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === "file" && d.uri.fsPath === script.path);
  if (!document?.isDirty || (await document.save())) return true;
  void vscode.window.showErrorMessage(`Lockstep did not run uv: ${scriptName(script)} could not be saved.`);
  return false;
}

type ScriptAction = "lock" | "sync";

const ACTIONS = {
  lock: { request: Requests.lockScript, operation: "lock-script", doing: "Locking" },
  sync: { request: Requests.syncScript, operation: "sync-script", doing: "Creating the environment of" },
} as const;

/** Lock Script or Create Script Environment through the helper, with progress and Cancel. */
export async function actOnScript(
  helper: HelperClient,
  store: ScriptStore,
  selections: InterpreterSelections,
  action: ScriptAction,
  target: unknown,
  { allowDownload }: { allowDownload?: boolean } = {},
): Promise<ScriptActionResult | undefined> {
  const { request, operation, doing } = ACTIONS[action];
  if (await refused(operation)) return undefined;
  const script = await scriptFor(store, target);
  if (!script || !(await saved(script))) return undefined;
  const name = scriptName(script);
  const params = {
    uri: vscode.Uri.file(script.path).toString(),
    python: selections.get(script.path)?.path ?? null,
    allowDownload: allowDownload ?? readSettings(vscode.Uri.file(script.path)).pythonAutoInstall,
  };
  const title = `${doing} ${name}`;
  let result = await helper.requestWithProgress(request, params, title);
  // No installed Python fits requires-python: one question names the managed build and its size.
  if (result?.status === "needs-python" && result.pythonRequest) {
    const { question, button } = downloadQuestion(name, result.message, result.pythonRequest, result.download);
    const choice = await vscode.window.showWarningMessage(question, button, "Cancel");
    if (choice !== button) return result;
    result = await helper.requestWithProgress(request, { ...params, allowDownload: true }, title);
  }
  if (result?.script) store.set(script.path, result.script);
  if (!result || result.status === "cancelled") {
    void vscode.window.showInformationMessage(`Cancelled: ${name} and its lock were left as they were.`);
  } else if (result.status === "ok") {
    void vscode.window.showInformationMessage(result.message);
  } else {
    const choice = await vscode.window.showErrorMessage(result.message, "Show Log");
    if (choice === "Show Log") helper.output.show();
  }
  return result;
}

/** Terminals Run Script opened, by script: run again in the same one while it is open. */
const runTerminals = new Map<string, vscode.Terminal>();

/** Run Script: `uv run --script` in an integrated terminal, with the helper's uv and the script's interpreter. */
export async function runScript(store: ScriptStore, selections: InterpreterSelections, target: unknown): Promise<void> {
  if (await refused("run-script")) return;
  const script = await scriptFor(store, target);
  if (!script || !(await saved(script))) return;
  if (script.problem) {
    void vscode.window.showErrorMessage(`The script block of ${scriptName(script)} is malformed (${script.problem}): fix it first.`);
    return;
  }
  const argv = runArgv(script, selections.get(script.path));
  if (argv.length === 0) {
    void vscode.window.showErrorMessage("Lockstep found no runnable uv to run the script: set lockstep.uv.path to a uv binary.");
    return;
  }
  let terminal = runTerminals.get(script.path);
  if (!terminal || terminal.exitStatus !== undefined || !vscode.window.terminals.includes(terminal)) {
    terminal = vscode.window.createTerminal({ name: `Run ${scriptName(script)}`, cwd: dirname(script.path) });
    runTerminals.set(script.path, terminal);
  }
  terminal.show();
  const shell = terminal.creationOptions && "shellPath" in terminal.creationOptions ? terminal.creationOptions.shellPath : undefined;
  terminal.sendText(shellLine(argv, shellOf(shell ?? vscode.env.shell)));
}

/**
 * The interpreter picker for a script: what uv uses for it (`--python` on create, sync and run);
 * the block's requires-python is never edited. Choosing one offers to make the environment with it.
 */
export async function selectScriptInterpreter(
  helper: HelperClient,
  store: ScriptStore,
  selections: InterpreterSelections,
  script: ScriptStatus,
): Promise<void> {
  const name = scriptName(script);
  const environment = script.environment;
  const action = await chooseInterpreter(helper, {
    target: {
      requiresPython: script.requiresPython,
      pythonVersion: null,
      venv: environment ? { python: environment.python, name: `${name}'s environment` } : null,
    },
    title: `Python interpreter for the script ${name}`,
    params: {
      requiresPython: script.requiresPython,
      preference: readSettings(vscode.Uri.file(script.path)).pythonPreference,
    },
    pin: false,
  });
  if (!action || action.kind === "show-unfit" || action.kind === "pin") return;
  if (action.kind === "download") {
    await actOnScript(helper, store, selections, "sync", script.path, { allowDownload: true });
    return;
  }
  const chosen = await chosenInterpreter(action, name);
  if (!chosen) return;
  await selections.set(script.path, { path: chosen.python, version: chosen.version ?? null });
  if (environment?.python === chosen.python) return;
  const create = environment ? "Switch Environment" : "Create Script Environment";
  const question = environment
    ? `${name}'s environment uses Python ${environment.version ?? "of another version"}. Make it again with ${chosen.name}?`
    : `Create the environment of ${name} with ${chosen.name}?`;
  const choice = await vscode.window.showInformationMessage(question, create, "Not now");
  if (choice === create) await actOnScript(helper, store, selections, "sync", script.path);
}
