// The output channel handed to vscode-languageclient: what it writes goes into Lockstep's
// LogOutputChannel as entries with their proper level (see logEntries.ts), instead of every chunk
// becoming an `[info]` line with a second timestamp and a blank line after it.
import * as vscode from "vscode";
import { clientEntry, type Entry, StderrEntries } from "./logEntries";

export class ClientLog implements vscode.OutputChannel {
  private readonly stderr = new StderrEntries();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get name(): string {
    return this.log.name;
  }

  /** The client's stderr relay. */
  append(value: string): void {
    this.write(this.stderr.push(value));
  }

  /** The client's own messages and the helper's `window/logMessage`s. */
  appendLine(value: string): void {
    const entry = clientEntry(value);
    if (entry) this.write([entry]);
  }

  replace(value: string): void {
    this.appendLine(value);
  }

  clear(): void {
    this.log.clear();
  }

  show(columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserve === "boolean" || columnOrPreserve === undefined) this.log.show(columnOrPreserve);
    else this.log.show(columnOrPreserve, preserveFocus);
  }

  hide(): void {
    this.log.hide();
  }

  /** The helper process is gone: whatever it wrote last without a newline still belongs in the log. */
  flush(): void {
    this.write(this.stderr.flush());
  }

  dispose(): void {
    // The LogOutputChannel belongs to the extension, not to one language client.
  }

  private write(entries: Entry[]): void {
    for (const { level, message } of entries) this.log[level](message);
  }
}
