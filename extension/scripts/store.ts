// The PEP 723 scripts the editor showed the helper, and their status: asked for when a Python file
// becomes the active editor (finding the environment runs uv, so the helper does it on request), kept
// current by lockstep/scriptChanged after every check.
import { basename, dirname } from "node:path";
import * as vscode from "vscode";
import type { HelperClient } from "../client";
import { Requests, type ScriptStatus } from "../protocol";

export function isPythonFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === "file" && document.languageId === "python";
}

/** An install or uninstall in an environment adds or removes a dist-info folder. */
const INSTALLS = "lib/*/site-packages/*.dist-info";
// `uv pip install` touches many files at once: one status request for the burst.
const INSTALL_DELAY_MS = 200;

export class ScriptStore implements vscode.Disposable {
  /** By file path; null: asked, and the file holds no script block. */
  private readonly statuses = new Map<string, ScriptStatus | null>();
  /**
   * By script path: a watcher on its environment (in uv's cache, outside the workspace, which the
   * helper's watchers do not see), so an install from elsewhere re-checks the environment's drift.
   */
  private readonly watchers = new Map<string, { environment: string; watcher: vscode.Disposable; timer?: NodeJS.Timeout }>();
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly subscriptions: vscode.Disposable[];
  /** Fires with a script's path when its status changed. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly helper: HelperClient) {
    this.subscriptions = [
      helper.onDidChangeScript((status) => this.set(status.path, status)),
      helper.onDidChangeState((state) => {
        if (state.kind !== "running") return;
        // A new helper knows nothing yet: ask again for what is on screen.
        const known = [...this.statuses.keys()];
        this.statuses.clear();
        known.forEach((path) => this.emitter.fire(path));
        this.refreshVisible();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isPythonFile(editor.document)) void this.refresh(editor.document.uri);
      }),
      // What a terminal ran (`uv pip install …`) may have changed a script's environment; file events
      // from outside the workspace (the watchers below) are not always delivered.
      vscode.window.onDidEndTerminalShellExecution(() => {
        for (const [path, status] of this.statuses) if (status?.environment) void this.refresh(vscode.Uri.file(path));
      }),
      // A block added or removed by hand: the helper stops or starts calling the file a script.
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (isPythonFile(document)) void this.refresh(document.uri);
      }),
    ];
    this.refreshVisible();
  }

  get(path: string): ScriptStatus | undefined {
    return this.statuses.get(path) ?? undefined;
  }

  /** Whether the helper was asked about `path` already (a script or not). */
  known(path: string): boolean {
    return this.statuses.has(path);
  }

  /** Asks the helper now; the status, or undefined when the file holds no script block. */
  async refresh(uri: vscode.Uri): Promise<ScriptStatus | undefined> {
    if (this.helper.state.kind !== "running") return this.get(uri.fsPath);
    try {
      const status = await this.helper.request(Requests.scriptStatus, { uri: uri.toString() });
      this.set(uri.fsPath, status);
      return status ?? undefined;
    } catch (error) {
      this.helper.output.warn(`Reading the script status of ${uri.fsPath} failed: ${String(error)}`);
      return this.get(uri.fsPath);
    }
  }

  /** What an action's result said about the script, as the helper checked it after the action. */
  set(path: string, status: ScriptStatus | null): void {
    this.watch(path, status?.environment?.path);
    if (JSON.stringify(this.statuses.get(path)) === JSON.stringify(status)) return;
    this.statuses.set(path, status);
    this.emitter.fire(path);
  }

  private watch(path: string, environment: string | undefined): void {
    const current = this.watchers.get(path);
    if (current?.environment === environment) return;
    this.unwatch(path);
    if (!environment) return;
    // From the cache's folder of environments: uv replaces the environment's own folder when it makes
    // it again with another Python, and a watcher on a deleted folder hears nothing more.
    const pattern = new vscode.RelativePattern(vscode.Uri.file(dirname(environment)), `${basename(environment)}/${INSTALLS}`);
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const entry: { environment: string; watcher: vscode.Disposable; timer?: NodeJS.Timeout } = { environment, watcher };
    const changed = () => {
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => void this.refresh(vscode.Uri.file(path)), INSTALL_DELAY_MS);
    };
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    this.watchers.set(path, entry);
  }

  private unwatch(path: string): void {
    const entry = this.watchers.get(path);
    clearTimeout(entry?.timer);
    entry?.watcher.dispose();
    this.watchers.delete(path);
  }

  private refreshVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (isPythonFile(editor.document)) void this.refresh(editor.document.uri);
    }
  }

  dispose(): void {
    [...this.watchers.keys()].forEach((path) => this.unwatch(path));
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}
