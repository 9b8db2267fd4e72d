// Run Script, Create Script Environment and Lock Script as code lenses on a script's `# /// script`
// line (which lenses: scripts/view.ts). They are shown in Restricted Mode too: the commands say why
// they do not run there.
import * as vscode from "vscode";
import { Commands } from "../configuration";
import { isPythonFile, type ScriptStore } from "./store";
import { scriptLenses } from "./view";

export class ScriptLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly store: ScriptStore) {
    this.subscriptions = [
      store.onDidChange(() => this.emitter.fire()),
      vscode.languages.registerCodeLensProvider({ scheme: "file", language: "python" }, this),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isPythonFile(document)) return [];
    const path = document.uri.fsPath;
    // A file shown in a split or preview before it was active: ask once; the answer refreshes the lenses.
    if (!this.store.known(path)) void this.store.refresh(document.uri);
    const script = this.store.get(path);
    if (!script || script.blockStart >= document.lineCount) return [];
    const range = document.lineAt(script.blockStart).range;
    return scriptLenses(script).map(
      ({ title, command }) => new vscode.CodeLens(range, { title, command: Commands[command], arguments: [path] }),
    );
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}
