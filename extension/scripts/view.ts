// What Lockstep shows for a PEP 723 script: the status bar item while the script is the active editor,
// the code lenses on its `# /// script` line, and the command line Run Script types. Pure, for unit
// tests; statusBar.ts, scripts/lenses.ts and scripts/commands.ts put it on screen.
import type { HelperState } from "../client";
import type { ProjectInfo, ScriptStatus } from "../protocol";
import type { SelectedInterpreter } from "../selections";
import type { SyncChoice } from "../syncChoice";
import { describeStatus, type StatusAction, type StatusView } from "../status";

/** What the active editor is about: a script (its status, once the helper gave it) or a project. */
export type ActiveTarget = { kind: "script"; script: ScriptStatus } | { kind: "project"; project: ProjectInfo | undefined };

/**
 * A file with a script block is a project of its own: its status wins over the project folder it
 * sits in (`uv run --script` ignores that project's venv), and only a file the helper called a script.
 */
export function activeTarget(script: ScriptStatus | undefined, project: ProjectInfo | undefined): ActiveTarget {
  return script ? { kind: "script", script } : { kind: "project", project };
}

/** The status bar for the active editor. `selected`: the interpreter the user picked for it. */
export function describeActive(
  state: HelperState,
  target: ActiveTarget,
  projectCount: number,
  selected: SelectedInterpreter | undefined,
  trusted: boolean,
  choice?: SyncChoice,
): StatusView {
  if (target.kind === "project" || state.kind !== "running") {
    return describeStatus(state, target.kind === "project" ? target.project : undefined, projectCount, selected, choice);
  }
  return describeScript(target.script, selected, trusted);
}

export function scriptName(script: Pick<ScriptStatus, "path">): string {
  return baseName(script.path);
}

/** `tool.py.lock` beside `tool.py`, as the tooltip names it. */
function lockName(script: ScriptStatus): string {
  return baseName(script.lockfile);
}

interface LockView {
  suffix: string;
  tone: StatusView["tone"];
  line: string;
}

function describeLock(script: ScriptStatus): LockView {
  const lock = lockName(script);
  switch (script.lockState) {
    case "invalid":
      return {
        suffix: " $(error) script block invalid",
        tone: "error",
        line: script.problem
          ? `The script block is malformed (${script.problem}): uv refuses to run the script until it is fixed.`
          : `${lock} cannot be read: Lock Script writes it again.`,
      };
    case "unlocked":
      return {
        suffix: " $(unlock) unlocked",
        tone: "normal",
        line: `Unlocked: no ${lock}, so uv resolves the dependencies each time. Lock Script pins them.`,
      };
    case "stale":
      return {
        suffix: " $(warning) lock stale",
        tone: "warning",
        line: `Lock stale: the script block and ${lock} disagree (${script.lockIssues} issue${script.lockIssues === 1 ? "" : "s"}). Run Lock Script, or the quick fix on a squiggle.`,
      };
    case "locked":
      return { suffix: " $(check)", tone: "normal", line: `Locked: the script block and ${lock} agree.` };
  }
}

/** The environment against the lock, when it drifted (the lock's own state comes first). */
function describeEnvironmentDrift(script: ScriptStatus): LockView | undefined {
  const drift = script.environmentDrift;
  if (!script.environment || !drift || drift.inSync) return undefined;
  const count = (n: number, one: string, many: string) => (n ? `${n} ${n === 1 ? one : many}` : "");
  const parts = [
    count(drift.missing, "package missing", "packages missing"),
    count(drift.mismatched, "package at another version", "packages at other versions"),
    count(drift.extraneous, "extra package", "extra packages"),
    drift.pythonMismatch ? "its Python does not satisfy requires-python" : "",
  ].filter(Boolean);
  return {
    suffix: " $(warning) env out of sync",
    tone: drift.pythonMismatch ? "error" : "warning",
    line: `Environment out of sync with ${lockName(script)}: ${parts.join(", ")}. Run Sync Script Environment, or the quick fix on a squiggle.`,
  };
}

/** The status bar while a script is the active editor. */
export function describeScript(script: ScriptStatus, selected: SelectedInterpreter | undefined, trusted: boolean): StatusView {
  const name = scriptName(script);
  const lock = describeEnvironmentDrift(script) ?? describeLock(script);
  const environment = script.environment;
  const lines = [
    `Script: ${script.path} (PEP 723)`,
    `requires-python: ${script.requiresPython ?? "any"}`,
    `Dependencies: ${script.dependencies}`,
    `Lockfile: ${script.lockState === "unlocked" ? "none" : script.lockfile}`,
  ];
  const python = selected?.path ?? environment?.python ?? script.python;
  if (environment) {
    lines.push(`Environment: ${environment.path} (uv's cache)`);
    if (selected && selected.path !== environment.python) {
      lines.push(`Interpreter: ${environment.python}; selected ${selected.path}: Create Script Environment switches to it.`);
    } else lines.push(`Interpreter: ${environment.python}`);
  } else if (!trusted) {
    lines.push("Environment: not looked for in Restricted Mode (finding it runs uv).");
  } else {
    lines.push("Environment: none yet; Create Script Environment makes it with uv.");
    lines.push(`Interpreter: ${python ? `${python}${selected ? " (selected)" : ""}` : `none installed fits ${script.requiresPython ?? "the script"}`}`);
  }
  lines.push("", lock.line, "", "Click to select the script's interpreter.");
  const version = environment ? (environment.version ?? "Python") : undefined;
  const text = environment
    ? `${version} (${name})${lock.suffix}`
    : `$(warning) ${selected ? `${selected.version ?? baseName(selected.path)} · ` : ""}No environment (${name})${lock.suffix}`;
  const tone = environment ? lock.tone : lock.tone === "error" ? "error" : "warning";
  return { text, tooltip: lines.join("\n"), tone, command: "selectInterpreter", visible: true, actions: scriptActions(script) };
}

function scriptActions(script: ScriptStatus): StatusAction[] {
  const root = script.path;
  return [...scriptLenses(script).map(({ title, command }) => ({ title, command, root })), { title: "$(list-selection) Select Interpreter", command: "selectInterpreter", root }];
}

export interface ScriptLens {
  title: string;
  command: "runScript" | "createScriptEnvironment" | "lockScript";
}

/** The code lenses on `# /// script`, most used first; none on a malformed block (its diagnostic says why). */
export function scriptLenses(script: ScriptStatus): ScriptLens[] {
  if (script.problem !== null) return [];
  const environment: ScriptLens = script.environment
    ? { title: "$(sync) Sync Script Environment", command: "createScriptEnvironment" }
    : { title: "$(add) Create Script Environment", command: "createScriptEnvironment" };
  const lock: ScriptLens = { title: script.lockState === "locked" ? "$(lock) Lock Script" : "$(unlock) Lock Script", command: "lockScript" };
  return [{ title: "$(play) Run Script", command: "runScript" }, environment, lock];
}

/**
 * argv of Run Script: the helper's (`uv run --python PY --script PATH`, its uv and the interpreter
 * uv would use) with the interpreter the user picked for the script in place of the helper's.
 */
export function runArgv(script: ScriptStatus, selected: SelectedInterpreter | undefined): string[] {
  const argv = [...script.runCommand];
  if (!selected || argv.length < 2) return argv;
  const at = argv.indexOf("--python");
  if (at >= 0 && at + 1 < argv.length) argv[at + 1] = selected.path;
  else argv.splice(2, 0, "--python", selected.path);
  return argv;
}

export type Shell = "posix" | "powershell" | "cmd";

/** `argv` as one line a terminal's shell runs as is: every word quoted for that shell. */
export function shellLine(argv: readonly string[], shell: Shell): string {
  switch (shell) {
    case "posix":
      return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(" ");
    case "powershell":
      // The call operator runs a quoted program path; '' is a quote inside single quotes.
      return `& ${argv.map((word) => `'${word.replace(/'/g, "''")}'`).join(" ")}`;
    case "cmd":
      return argv.map((word) => (/[\s&|<>^"]/.test(word) ? `"${word.replace(/"/g, '""')}"` : word)).join(" ");
  }
}

/** The shell family of a terminal's shell executable (`/bin/bash`, `pwsh.exe`, `C:\…\cmd.exe`). */
export function shellOf(executable: string | undefined): Shell {
  const name = baseName(executable ?? "").toLowerCase().replace(/\.exe$/, "");
  if (name === "pwsh" || name === "powershell") return "powershell";
  if (name === "cmd") return "cmd";
  return "posix";
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
