import * as vscode from "vscode";

export interface Selection {
  path: string;
  /** Known when picked from the list; unknown for a path the user typed. */
  version: string | null;
}

/** The interpreter chosen per project, remembered in workspace state. */
export class InterpreterSelections implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

  get(root: string): Selection | undefined {
    return this.state.get<Selection>(`interpreter:${root}`);
  }

  async set(root: string, selection: Selection): Promise<void> {
    await this.state.update(`interpreter:${root}`, selection);
    this.emitter.fire(root);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
