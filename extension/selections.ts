import * as vscode from "vscode";

export interface SelectedInterpreter {
  path: string;
  /** Known when picked from the list; unknown for a path the user typed. */
  version: string | null;
}

/** The interpreter chosen per project, remembered in workspace state. */
export class InterpreterSelections implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

  get(root: string): SelectedInterpreter | undefined {
    return this.state.get<SelectedInterpreter>(`interpreter:${root}`);
  }

  async set(root: string, selection: SelectedInterpreter): Promise<void> {
    await this.state.update(`interpreter:${root}`, selection);
    this.emitter.fire(root);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
