// The helper's lifecycle: find a Python, start `python -m pyhelper serve` over stdio with
// vscode-languageclient, restart it after a crash (see RestartPolicy), and relay its projects.
import * as vscode from "vscode";
import { randomUUID } from "node:crypto";
import {
  type CancellationToken,
  CancellationTokenSource,
  CloseAction,
  type CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  LSPErrorCodes,
  RequestType,
  ResponseError,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  WorkDoneProgress,
} from "vscode-languageclient/node";
import { ClientLog } from "./clientLog";
import { SETTINGS_SECTION } from "./configuration";
import { OUTPUT_CHANNEL_NAME } from "./constants";
import { ProjectList } from "./projectList";
import { Notifications, type ProjectInfo, Requests, type ScriptStatus } from "./protocol";
import { HelperPythonSetup } from "./helperPythonSetup";
import { describeProblem } from "./python";
import { RestartPolicy } from "./restartPolicy";
import { helperSettings, readSettings } from "./settings";

export type HelperState =
  | { kind: "starting" }
  | { kind: "running" }
  | { kind: "restarting"; crashes: number }
  | { kind: "failed"; message: string };

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HelperClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly policy = new RestartPolicy();
  private readonly stateEmitter = new vscode.EventEmitter<HelperState>();
  private readonly projectsEmitter = new vscode.EventEmitter<readonly ProjectInfo[]>();
  private readonly scriptEmitter = new vscode.EventEmitter<ScriptStatus>();
  private currentState: HelperState = { kind: "starting" };
  private readonly projectList = new ProjectList((projects) => this.projectsEmitter.fire(projects));
  private readonly clientLog: ClientLog;
  private readonly pythonSetup: HelperPythonSetup;

  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeProjects = this.projectsEmitter.event;
  /** A PEP 723 script's status changed (lockstep/scriptChanged): its lock, its environment. */
  readonly onDidChangeScript = this.scriptEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    globalStorage: vscode.Uri,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.clientLog = new ClientLog(output);
    this.pythonSetup = new HelperPythonSetup(extensionUri, globalStorage, output);
  }

  get state(): HelperState {
    return this.currentState;
  }

  /** The latest list the helper gave: it pushes every change (lockstep/projectsChanged). */
  get projects(): readonly ProjectInfo[] {
    return this.projectList.projects;
  }

  async start(): Promise<void> {
    this.setState({ kind: "starting" });
    const settings = readSettings();
    const choice = await this.pythonSetup.resolve(settings);
    if ("problem" in choice) {
      this.fail(describeProblem(choice.problem), !choice.answered);
      return;
    }
    const { python, version } = choice;
    this.output.info(`Starting the helper with Python ${version} at ${python.path} (from ${python.source})`);
    this.client = this.createClient(python.path, settings);
    try {
      await this.client.start();
    } catch (error) {
      // A crash during start-up already went through the close handler; anything else lands here.
      if (this.currentState.kind !== "failed") this.fail(`Lockstep's helper did not start: ${String(error)}`, true);
    }
  }

  async restart(): Promise<void> {
    this.policy.reset();
    this.pythonSetup.allowOffer();
    this.output.info("Restarting the helper");
    await this.stop();
    await this.start();
  }

  /**
   * The helper's projects, asked for: `refresh` scans the workspace again first (the Refresh Projects
   * command, for what no file event reported). Other changes need no asking: the helper pushes them.
   */
  async fetchProjects(refresh: boolean): Promise<readonly ProjectInfo[]> {
    if (this.client?.state !== State.Running) return this.projects;
    const result = await this.request(Requests.projects, { refresh });
    this.projectList.update(result.projects);
    return this.projects;
  }

  /** A request to the running helper; fails with a readable message when it is not running. */
  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R> {
    if (this.client?.state !== State.Running) {
      throw new Error("Lockstep's helper is not running: see Lockstep: Show Log.");
    }
    // An undefined token would be sent as a second parameter: params `[params, null]`, which the
    // helper cannot read.
    return token ? this.client.sendRequest(type, params, token) : this.client.sendRequest(type, params);
  }

  /**
   * A long request shown as a notification with Cancel: the helper's work-done progress reports
   * become the notification's message and percentage. Resolves to undefined when cancelled.
   */
  requestWithProgress<P extends { workDoneToken?: string | number }, R>(
    type: RequestType<P, R, void>,
    params: P,
    title: string,
  ): Thenable<R | undefined> {
    const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
    return vscode.window.withProgress(options, async (progress, cancel) => {
      const workDoneToken = randomUUID();
      let percentage = 0;
      const listener = this.client?.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === "end") return;
        const increment = value.percentage !== undefined ? value.percentage - percentage : undefined;
        percentage = value.percentage ?? percentage;
        progress.report({ message: value.message, increment });
      });
      // The languageclient needs its own token type; bridge VS Code's to it.
      const source = new CancellationTokenSource();
      const bridge = cancel.onCancellationRequested(() => source.cancel());
      try {
        return await this.request(type, { ...params, workDoneToken }, source.token);
      } catch (error) {
        if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) return undefined;
        if (cancel.isCancellationRequested) return undefined;
        throw error;
      } finally {
        listener?.dispose();
        bridge.dispose();
        source.dispose();
      }
    });
  }

  notifySettingsChanged(): void {
    if (this.client?.state !== State.Running) return;
    void this.client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SETTINGS_SECTION]: helperSettings(readSettings()) },
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.needsStop()) await client.stop();
    await client?.dispose();
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.projectsEmitter.dispose();
    this.scriptEmitter.dispose();
  }

  private createClient(python: string, settings: ReturnType<typeof readSettings>): LanguageClient {
    const libs = vscode.Uri.joinPath(this.extensionUri, "bundled", "libs").fsPath;
    const serverOptions: ServerOptions = {
      command: python,
      // -s: the user's site-packages must not shadow the bundled libraries.
      args: ["-s", "-m", "pyhelper", "serve"],
      options: { env: { ...process.env, PYTHONPATH: libs, PYTHONUTF8: "1" } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: "file", pattern: "**/pyproject.toml" },
        { scheme: "file", pattern: "**/{uv,poetry,pdm}.lock" },
        { scheme: "file", pattern: "**/pylock*.toml" },
        // PEP 723 scripts: the helper checks a buffer only when it holds a `# /// script` block.
        { scheme: "file", language: "python" },
        { scheme: "file", pattern: "**/*.py.lock" },
      ],
      outputChannel: this.clientLog,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: helperSettings(settings),
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => this.onClosed(),
      },
    };
    const client = new LanguageClient("lockstep", OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
    client.onNotification(Notifications.projectsChanged, (result) => this.projectList.update(result.projects));
    client.onNotification(Notifications.scriptChanged, (script) => this.scriptEmitter.fire(script));
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) {
        this.setState({ kind: "running" });
        // The first scan's list is not pushed (nothing asked yet): ask for it once.
        this.fetchProjects(false).catch((error) => {
          // A helper that died right after starting is the close handler's news, not this one's.
          if (this.client?.state === State.Running) this.output.error(`Reading projects failed: ${String(error)}`);
        });
      }
    });
    return client;
  }

  private async onClosed(): Promise<CloseHandlerResult> {
    this.clientLog.flush();
    const decision = this.policy.onCrash(Date.now());
    if (!decision.restart) {
      const message = `Lockstep's helper stopped: it crashed ${decision.crashes} times in 3 minutes.`;
      this.fail(message, true);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.output.warn(`The helper exited unexpectedly (crash ${decision.crashes}); restarting in ${decision.delayMs} ms`);
    this.setState({ kind: "restarting", crashes: decision.crashes });
    await delay(decision.delayMs);
    return { action: CloseAction.Restart, handled: true };
  }

  private fail(message: string, notify: boolean): void {
    this.output.error(message);
    this.setState({ kind: "failed", message });
    if (notify) {
      void vscode.window.showErrorMessage(message, "Show Log", "Open Settings").then((choice) => {
        if (choice === "Show Log") this.output.show();
        if (choice === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "lockstep");
      });
    }
  }

  private setState(state: HelperState): void {
    this.currentState = state;
    this.stateEmitter.fire(state);
  }
}
