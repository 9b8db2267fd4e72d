// Which environment a new integrated terminal of a workspace folder starts in, and the variables that
// make it active as `source .venv/bin/activate` would. Pure, for unit tests; extension/terminals.ts
// applies the answer through VS Code's environment variable collections.
import { posix, win32 } from "node:path";
import { folderProject, toolVenv } from "./projects";
import type { ProjectInfo } from "./protocol";

/** What decides whether Lockstep activates terminals at all. */
export interface ActivationInputs {
  /** `lockstep.terminal.activate`. */
  enabled: boolean;
  /** A committed `.venv/bin` first on PATH would run a stranger's `ls`: only trusted folders. */
  trusted: boolean;
  /** The Python extension (or Python Environments) activates terminals itself: never twice. */
  pythonExtensionActivates: boolean;
}

/** Why terminals are left alone, in the words the log uses; undefined: Lockstep activates them. */
export function activationOff(inputs: ActivationInputs): string | undefined {
  if (!inputs.enabled) return "lockstep.terminal.activate is off";
  if (!inputs.trusted) return "the workspace is not trusted";
  if (inputs.pythonExtensionActivates) return "the Python extension activates terminals itself";
  return undefined;
}

export type Mutation = { kind: "replace" | "prepend"; value: string };

export interface TerminalEnvironment {
  /** The project the terminal belongs to, and its venv folder. */
  project: string;
  venv: string;
  python: string | null;
  /** Variable name → change; PYTHONHOME is replaced by "" (which Python treats as unset). */
  variables: Record<string, Mutation>;
  /** The hover text of the terminal's environment indicator. */
  description: string;
}

/** The environment of a terminal opened at `folder`: its folder project's venv (`folderProject`). */
export function terminalEnvironment(
  folder: string,
  projects: readonly ProjectInfo[],
  platform: NodeJS.Platform = process.platform,
): TerminalEnvironment | undefined {
  const project = folderProject(folder, projects);
  const venv = toolVenv(project);
  if (!project || !venv) return undefined;
  const name = project.name ?? venv.name;
  const windows = platform === "win32";
  const bin = windows ? win32.join(venv.path, "Scripts") : posix.join(venv.path, "bin");
  return {
    project: name,
    venv: venv.path,
    python: venv.python,
    variables: {
      VIRTUAL_ENV: { kind: "replace", value: venv.path },
      PATH: { kind: "prepend", value: bin + (windows ? win32.delimiter : posix.delimiter) },
      PYTHONHOME: { kind: "replace", value: "" },
    },
    description: `Lockstep: ${venv.name}${venv.version ? ` (Python ${venv.version})` : ""} of ${name} is active`,
  };
}
