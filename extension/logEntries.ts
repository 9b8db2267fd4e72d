// How the text vscode-languageclient writes to its output channel becomes entries of Lockstep's
// LogOutputChannel, each at its level. Pure, for unit tests; clientLog.ts is the channel itself.
//
// The client writes two kinds of text: its own messages and the helper's `window/logMessage`s, one
// call each, as `[Error - 10:04:31 PM] text` (the channel adds its own time and level, so both are
// taken off); and the helper's stderr, in chunks as the pipe delivers them (the start-up line, and
// a traceback if Python itself dies).

export type Level = "error" | "warn" | "info" | "debug";

export interface Entry {
  level: Level;
  message: string;
}

const CLIENT_PREFIX = /^\[(Error|Warn|Info|Debug|Trace)\s*-\s*[^\]]*\]\s?/;
const CLIENT_LEVELS: Record<string, Level> = { Error: "error", Warn: "warn", Info: "info", Debug: "debug", Trace: "debug" };

/**
 * One call of the client's `appendLine`. A clean exit (code 0) comes after every Restart Helper and
 * every window close: not an error, and not news at the default level.
 */
export function clientEntry(line: string): Entry | undefined {
  const match = CLIENT_PREFIX.exec(line);
  const level = match ? CLIENT_LEVELS[match[1]] : "info";
  const message = (match ? line.slice(match[0].length) : line).trimEnd();
  if (message === "") return undefined;
  if (/^Server process exited with code 0\.?$/.test(message)) return { level: "debug", message };
  return { level, message };
}

// The helper's stderr lines before it connects: `WARNING pyhelper.x: text` (logging_setup.py).
const STDERR_LEVELS: [RegExp, Level][] = [
  [/^(ERROR|CRITICAL) |^Traceback /, "error"],
  [/^WARNING /, "warn"],
  [/^DEBUG /, "debug"],
];

/** Cuts the helper's stderr into entries: each chunk's complete lines together, as one entry. */
export class StderrEntries {
  private pending = "";

  /** The entries `chunk` completes; a line without its newline waits for the next chunk. */
  push(chunk: string): Entry[] {
    const text = this.pending + chunk;
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.pending = text;
      return [];
    }
    this.pending = text.slice(end + 1);
    return stderrEntry(text.slice(0, end));
  }

  /** Whatever is left when the process ends. */
  flush(): Entry[] {
    const rest = this.pending;
    this.pending = "";
    return stderrEntry(rest);
  }
}

function stderrEntry(text: string): Entry[] {
  const message = text.replace(/\r/g, "").replace(/^\n+|\s+$/g, "");
  if (message === "") return [];
  const level = STDERR_LEVELS.find(([pattern]) => pattern.test(message))?.[1] ?? "info";
  return [{ level, message }];
}
