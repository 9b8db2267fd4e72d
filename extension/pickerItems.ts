// What the interpreter picker lists, in order. Pure, for unit tests; picker.ts shows it.
//
// The actions come first, so that a long list of interpreters never pushes them out of view; the
// project's venv and the interpreters that fit its requires-python follow (grouped by kind, the
// recommended one focused); those that do not fit fold into one last entry that opens a second list
// with their reasons.
import { formatBytes } from "./projects";
import type { InterpreterInfo, InterpreterKind, InterpretersResult, PythonDownload, VenvInfo } from "./protocol";

const KIND_LABELS: Record<InterpreterKind, string> = {
  venv: "Virtual environments",
  "lockstep-managed": "Managed by Lockstep",
  "uv-managed": "Managed by uv",
  pyenv: "pyenv",
  conda: "Conda",
  system: "System",
};

export type Action =
  | { kind: "interpreter"; interpreter: InterpreterInfo; fits: boolean; reason: string | null }
  | { kind: "enter-path" }
  | { kind: "download"; request: string }
  | { kind: "show-unfit" }
  | { kind: "pin"; version: string };

export interface Row {
  label: string;
  description?: string;
  detail?: string;
  /** Absent: a separator, with `label` as its title ("" for a plain line). */
  action?: Action;
  /** The row to focus when the list opens: the current venv, else the recommended interpreter. */
  focus?: boolean;
}

export interface PickerLists {
  main: Row[];
  /** The interpreters that do not fit, with their reasons: the list behind "Show N … that don't fit". */
  unfit: Row[];
}

/** `Python 3.13.0`, `pypy 3.10.14`, `Python 3.13.1 (free-threaded)`. */
export function describeInterpreter(interpreter: InterpreterInfo): string {
  const implementation = interpreter.implementation === "cpython" ? "Python" : interpreter.implementation;
  const flavour = interpreter.freeThreaded ? " (free-threaded)" : "";
  return `${implementation} ${interpreter.version}${flavour}`;
}

/** The name is worth showing only when it says more than the version (pyenv's `3.13.0` does not). */
function nameOf(interpreter: InterpreterInfo): string | undefined {
  const name = interpreter.name;
  return name && name !== interpreter.version ? name : undefined;
}

/** `3.11.7 does not satisfy >=3.12` beside `Python 3.11.7` -> `does not satisfy >=3.12`. */
function withoutVersion(reason: string, version: string): string {
  return reason.startsWith(`${version} `) ? reason.slice(version.length + 1) : reason;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * What `uv python pin` writes for an interpreter: `3.12`, `3.13t` for a free-threaded build; none for
 * other implementations (uv spells them `pypy@3.10`, which other tools reading the file do not know).
 */
export function pinFor(interpreter: InterpreterInfo): string | undefined {
  if (interpreter.implementation !== "cpython") return undefined;
  const minor = interpreter.version.split(".").slice(0, 2).join(".");
  return `${minor}${interpreter.freeThreaded ? "t" : ""}`;
}

/**
 * "Pin Python 3.12 for this project": the venv's Python, else the recommended one, unless
 * `.python-version` already says so. It is chosen among interpreters that fit, so requires-python
 * (never edited) allows it.
 */
function pinRow(project: PickerTarget, pinned: InterpreterInfo | undefined): Row | undefined {
  const version = pinned && pinFor(pinned);
  const current = project.pythonVersion?.trim();
  if (!version || current === version) return undefined;
  return {
    label: `$(pin) Pin Python ${version} for this project`,
    description: current ? `replaces .python-version (${current})` : "writes .python-version, as uv python pin does",
    action: { kind: "pin", version },
  };
}

/** What the picker chooses for: a project, or a PEP 723 script (whose environment is uv's). */
export interface PickerTarget {
  requiresPython: string | null;
  /** The `.python-version` a pin would replace; a script has none to pin (it is a project's file). */
  pythonVersion: string | null;
  venv: Pick<VenvInfo, "python" | "name"> | null;
}

/**
 * `download`: the build a download would install (from the project's plan), to name it concretely.
 * `pin`: offer "Pin Python X.Y" (projects only).
 */
export function pickerLists(
  project: PickerTarget,
  result: InterpretersResult,
  download: PythonDownload | null = null,
  { pin: offerPin = true } = {},
): PickerLists {
  const byPath = new Map(result.interpreters.map((i) => [i.path, i]));
  const candidates = result.choice?.candidates ?? result.interpreters.map((i) => ({ path: i.path, fits: true, reason: null }));
  const chosen = result.choice?.chosen;
  const venvPython = project.venv?.python;
  const main: Row[] = [{ label: "$(edit) Enter interpreter path…", action: { kind: "enter-path" } }];
  const install = result.choice?.install;
  if (install) {
    const size = download?.size ? `${formatBytes(download.size)}, ` : "";
    main.push({
      label: `$(cloud-download) Download ${download?.label ?? install.label}`,
      description: `${size}managed by Lockstep`,
      action: { kind: "download", request: download?.version ?? install.version ?? install.specifier },
    });
  }

  const venv = venvPython ? byPath.get(venvPython) : undefined;
  const pin = offerPin ? pinRow(project, venv ?? (chosen ? byPath.get(chosen) : undefined)) : undefined;
  if (pin) main.push(pin);
  if (venv && project.venv) {
    main.push({ label: "Project environment" });
    main.push({
      label: `$(folder-active) ${describeInterpreter(venv)} (${project.venv.name})`,
      description: "current",
      detail: venv.path,
      action: { kind: "interpreter", interpreter: venv, fits: true, reason: null },
      focus: true,
    });
  }
  const fitting = candidates.filter((c) => c.fits && c.path !== venvPython);
  for (const kind of Object.keys(KIND_LABELS) as InterpreterKind[]) {
    const ofKind = fitting.flatMap((c) => {
      const interpreter = byPath.get(c.path);
      return interpreter?.kind === kind ? [interpreter] : [];
    });
    if (ofKind.length === 0) continue;
    main.push({ label: KIND_LABELS[kind] });
    for (const interpreter of ofKind) {
      const recommended = interpreter.path === chosen;
      main.push({
        label: `${recommended ? "$(star-full) " : ""}${describeInterpreter(interpreter)}`,
        description: [nameOf(interpreter), recommended ? "recommended" : undefined].filter(Boolean).join(" · "),
        detail: interpreter.path,
        action: { kind: "interpreter", interpreter, fits: true, reason: null },
        focus: recommended && !venv,
      });
    }
  }

  const unfit: Row[] = candidates.flatMap((candidate) => {
    const interpreter = candidate.fits || candidate.path === venvPython ? undefined : byPath.get(candidate.path);
    if (!interpreter) return [];
    return [
      {
        label: `$(circle-slash) ${describeInterpreter(interpreter)}`,
        description: withoutVersion(candidate.reason ?? "does not fit", interpreter.version),
        detail: interpreter.path,
        action: { kind: "interpreter", interpreter, fits: false, reason: candidate.reason },
      },
    ];
  });
  if (unfit.length > 0) {
    main.push({ label: "" });
    main.push({
      label: `$(chevron-right) Show ${plural(unfit.length, "interpreter", "interpreters")} that don't fit…`,
      description: project.requiresPython ? `requires-python ${project.requiresPython}` : undefined,
      action: { kind: "show-unfit" },
    });
  }
  return { main, unfit };
}
