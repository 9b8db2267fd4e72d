// The helper's Python in the editor: python.ts's search wired to this machine, and, when it finds
// none, one offer to install a managed CPython for the helper (uvPython.ts) with progress and Cancel.
import * as vscode from "vscode";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  checkHelperPython,
  describeProblem,
  discoveryPath,
  findHelperPython,
  type HelperPythonChoice,
  pathCandidates,
} from "./python";
import type { LockstepSettings } from "./settings";
import { type HelperPythonStore, installHelperPython, installSources, progressMessage, uvFind } from "./uvPython";

export const INSTALL_PYTHON = "Install Python";

/** Whether this Mac has the Command Line Tools (without them /usr/bin/python3 is an installer stub). */
function hasCommandLineTools(): Promise<boolean> {
  if (process.platform !== "darwin") return Promise.resolve(true);
  return new Promise((resolve) => execFile("/usr/bin/xcode-select", ["-p"], { timeout: 5_000 }, (error) => resolve(!error)));
}

/** uv for finding and installing: `lockstep.uv.path`, else the bundled binary. */
function uvBinary(extensionUri: vscode.Uri, configured: string): string | undefined {
  if (configured) return configured;
  const libs = join(extensionUri.fsPath, "bundled", "libs");
  const names = process.platform === "win32" ? [join("bin", "uv.exe"), join("Scripts", "uv.exe")] : [join("bin", "uv")];
  return names.map((name) => join(libs, name)).find(existsSync);
}

export class HelperPythonSetup {
  /** Asked once: after a "no", starting again (a crash restart) does not ask again; Restart Helper does. */
  private declined = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly globalStorage: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** A Restart Helper or a changed setting: the user asked, so the offer may come again. */
  allowOffer(): void {
    this.declined = false;
  }

  private store(settings: LockstepSettings): HelperPythonStore | undefined {
    const uv = uvBinary(this.extensionUri, settings.uvPath);
    if (!uv) return undefined;
    const storage = this.globalStorage.fsPath;
    return { uv, installDir: join(storage, "python"), cwd: storage };
  }

  private async find(settings: LockstepSettings, store: HelperPythonStore | undefined): Promise<HelperPythonChoice> {
    const path = discoveryPath(process.env.PATH, process.platform, await hasCommandLineTools());
    return findHelperPython(settings.helperPython, {
      check: checkHelperPython,
      uvFind: (scope) => (store ? uvFind(store, scope, path) : Promise.resolve(undefined)),
      pathCandidates: () => pathCandidates(path),
    });
  }

  /**
   * The Python to start the helper with, or the problem to fail with; `answered`: the user has just
   * declined or watched the install fail, so the failure needs no second notification.
   */
  async resolve(settings: LockstepSettings): Promise<HelperPythonChoice & { answered?: boolean }> {
    const store = this.store(settings);
    const choice = await this.find(settings, store);
    if (!("problem" in choice) || choice.problem.kind !== "not-found" || !store || this.declined) return choice;
    const problem = describeProblem(choice.problem);
    this.output.warn(problem);
    const answer = await vscode.window.showWarningMessage(
      `${problem} Install a managed CPython for Lockstep's helper? It is kept in the extension's storage; nothing is added to PATH.`,
      INSTALL_PYTHON,
      "Open Settings",
    );
    if (answer !== INSTALL_PYTHON) {
      this.declined = true;
      if (answer === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "lockstep.helper.python");
      }
      return { ...choice, answered: true };
    }
    const failure = await this.install(store, settings);
    if (failure) {
      this.declined = true;
      return { problem: { kind: "install-failed", detail: failure } };
    }
    return this.find(settings, store);
  }

  /** Runs the install under a progress notification; the failure's text, or undefined. */
  private install(store: HelperPythonStore, settings: LockstepSettings): Thenable<string | undefined> {
    const options = { location: vscode.ProgressLocation.Notification, title: "Installing Python for Lockstep", cancellable: true };
    return vscode.window.withProgress(options, async (progress, cancel) => {
      this.output.info(`Installing a managed CPython for the helper into ${store.installDir}`);
      try {
        const run = await installHelperPython(store, installSources(settings), (line) => {
          this.output.info(`uv: ${line}`);
          const message = progressMessage(line);
          if (message) progress.report({ message });
        });
        const listener = cancel.onCancellationRequested(() => run.cancel());
        const failure = await run.done;
        listener.dispose();
        if (cancel.isCancellationRequested) return "the install was cancelled";
        if (failure) this.output.error(`Installing Python for the helper failed: ${failure}`);
        return failure;
      } catch (error) {
        return (error as Error).message;
      }
    });
  }
}
