// What the status bar item says, decided from the helper's state and the active project.
// Pure, for unit tests; statusBar.ts puts it on screen.
import type { HelperState } from "./client";
import type { Commands } from "./configuration";
import { ownVenv } from "./projects";
import type { DriftInfo, ProjectInfo } from "./protocol";
import type { SelectedInterpreter } from "./selections";
import { describeChoice, type SyncChoice } from "./syncChoice";

export type Tone = "normal" | "warning" | "error";

export interface StatusAction {
  title: string;
  command: keyof typeof Commands;
  /** The project the command is about (its optional root argument). */
  root?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  tone: Tone;
  /** Command run on click, by id. */
  command: "showLog" | "selectInterpreter" | "none";
  visible: boolean;
  /** Links under the tooltip (tooltip.ts), most useful first. */
  actions: StatusAction[];
}

const SELECT: StatusAction = { title: "$(list-selection) Select Interpreter", command: "selectInterpreter" };

function projectActions(project: ProjectInfo): StatusAction[] {
  const root = project.root;
  const sync: StatusAction = { title: "$(sync) Sync", command: "syncEnvironment", root };
  const update: StatusAction = { title: "$(lock) Update Lockfile", command: "updateLock", root };
  const create: StatusAction = { title: "$(add) Create Environment", command: "createEnvironment", root };
  const recreate: StatusAction = { title: "$(refresh) Recreate Environment", command: "recreateEnvironment", root };
  const drift = project.drift;
  // Nothing that needs pyproject.toml is offered until it parses.
  if (project.pyprojectError || drift?.state === "pyproject-invalid") return [SELECT];
  const lock = project.lockfile ? [update] : [];
  if (!project.venv) return drift?.state === "lock-out-of-sync" ? [update, create, SELECT] : [create, SELECT];
  // A venv that is not the project's own (a .python-envs file lists it) is read only: the project can
  // still get its own.
  if (!ownVenv(project)) return [...lock, create, SELECT];
  if (drift?.state === "lock-out-of-sync") return [update, sync, SELECT];
  if (drift?.state === "env-out-of-sync" && drift.pythonMismatch) return [recreate, SELECT];
  return [sync, ...lock, SELECT];
}

const MANAGER_NAMES: Record<ProjectInfo["manager"], string> = {
  uv: "uv",
  poetry: "Poetry",
  pdm: "PDM",
  hatch: "Hatch",
  pep621: "PEP 621 (no manager)",
};

/** `selected`: the interpreter the user picked for the project, if any; `choice`: its groups and extras. */
export function describeStatus(
  state: HelperState,
  project: ProjectInfo | undefined,
  projectCount: number,
  selected?: SelectedInterpreter,
  choice?: SyncChoice,
): StatusView {
  switch (state.kind) {
    case "starting":
      return view("$(sync~spin) Lockstep: starting…", "Lockstep's helper is starting.", "normal", "showLog");
    case "restarting":
      return view(
        "$(sync~spin) Lockstep: restarting…",
        `Lockstep's helper exited unexpectedly and is being restarted (crash ${state.crashes}).`,
        "warning",
        "showLog",
      );
    case "failed":
      return {
        ...view("$(error) Lockstep: helper stopped", `${state.message}\n\nClick to show the log.`, "error", "showLog"),
        actions: [
          { title: "$(output) Show Log", command: "showLog" },
          { title: "$(debug-restart) Restart Helper", command: "restartHelper" },
        ],
      };
    case "running":
      break;
  }
  if (!project) {
    if (projectCount === 0) return { ...view("", "", "normal", "none"), visible: false };
    return {
      ...view(`$(folder) ${projectCount} Python projects`, "Open a file of a project to see its environment.", "normal", "selectInterpreter"),
      actions: [SELECT],
    };
  }
  const lines = [
    `Project: ${project.name ?? project.root}`,
    `Folder: ${project.root}`,
    `Manager: ${MANAGER_NAMES[project.manager]}`,
    `Lockfile: ${project.lockfile ?? "none"}`,
  ];
  if (choice) lines.push(`Groups: ${describeChoice(choice, project.manager)}`);
  if (project.requiresPython) lines.push(`requires-python: ${project.requiresPython}`);
  if (project.pythonVersion) lines.push(`.python-version: ${project.pythonVersion}`);
  const venv = project.venv;
  const invalid = invalidPyproject(project);
  if (!venv) {
    lines.push(
      `Interpreter: ${selected ? `${selected.path} (selected; no virtual environment yet)` : "none (no virtual environment)"}`,
    );
    const lockDrift = invalid ?? (project.drift?.state === "lock-out-of-sync" ? describeDrift(project.drift) : undefined);
    if (lockDrift) lines.push("", ...lockDrift.lines);
    if (!invalid && project.drift?.state === "unlocked") {
      lines.push("", "No lockfile yet: Lockstep: Create Environment locks the dependencies, then installs them.");
    }
    if (!invalid) lines.push("", "Click to select an interpreter; Lockstep: Create Environment makes the venv.");
    const text = selected
      ? `$(warning) ${selected.version ?? shortName(selected.path)} · No environment`
      : "$(warning) No environment";
    const tone = lockDrift?.tone === "error" ? "error" : "warning";
    return { ...view(text + (lockDrift?.suffix ?? ""), lines.join("\n"), tone, "selectInterpreter"), actions: projectActions(project) };
  }
  lines.push(`Interpreter: ${venv.python ?? `missing in ${venv.path}`}`);
  if (venv.listedIn) {
    lines.push(`Environment: ${venv.path}, the default of ${venv.listedIn} (PEP 832); Lockstep reads it and never changes it.`);
  }
  const drift = invalid ?? describeDrift(project.drift);
  if (drift.lines.length > 0) lines.push("", ...drift.lines);
  lines.push("", "Click to select another interpreter.");
  const version = venv.version ?? "Python";
  const tone = worse(venv.python ? "normal" : "warning", drift.tone);
  return { ...view(`${version} (${venv.name})${drift.suffix}`, lines.join("\n"), tone, "selectInterpreter"), actions: projectActions(project) };
}

export interface DriftView {
  /** Appended to the status text, e.g. ` $(warning) lock stale`. */
  suffix: string;
  tone: Tone;
  /** Tooltip lines: what is wrong and what to do. */
  lines: string[];
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * A pyproject.toml that does not parse, as saved (the scan) or as typed (the live check): it outranks
 * every drift state, since nothing can be compared, and nothing that needs the file is offered.
 */
function invalidPyproject(project: ProjectInfo): DriftView | undefined {
  const problem = project.drift?.state === "pyproject-invalid" ? project.drift.problem : project.pyprojectError;
  if (!problem) return undefined;
  return {
    suffix: " $(error) pyproject.toml invalid",
    tone: "error",
    lines: [`${problem}.`, "Fix it: Lockstep creates, syncs and locks again once it parses."],
  };
}

/** The drift state as the status bar shows it, and what to do about it. */
export function describeDrift(drift: DriftInfo | undefined): DriftView {
  const lockName = drift?.lockfile ? shortName(drift.lockfile) : "the lockfile";
  switch (drift?.state) {
    case undefined:
    case "unknown":
    case "pyproject-invalid": // shown from the project (invalidPyproject)
      return { suffix: "", tone: "normal", lines: [] };
    case "unlocked":
      return {
        suffix: " $(unlock) unlocked",
        tone: "warning",
        lines: [
          "Unlocked: there is no lockfile, so the environment holds pyproject.toml's declared dependencies, unpinned.",
          "Run Lockstep: Update Lockfile to pin them.",
        ],
      };
    case "in-sync":
      return { suffix: " $(check)", tone: "normal", lines: [`In sync: pyproject.toml, ${lockName} and the environment agree.`] };
    case "lock-out-of-sync":
      return {
        suffix: " $(warning) lock stale",
        tone: "warning",
        lines: [
          `Lock stale: pyproject.toml and ${lockName} disagree (${plural(drift.lockIssues, "issue", "issues")}).`,
          "Run Lockstep: Update Lockfile, or the quick fix on a squiggle.",
        ],
      };
    case "env-out-of-sync": {
      const parts = [
        drift.missing ? plural(drift.missing, "package missing", "packages missing") : "",
        drift.mismatched ? plural(drift.mismatched, "package at another version", "packages at other versions") : "",
        drift.extraneous ? plural(drift.extraneous, "extra package", "extra packages") : "",
        drift.pythonMismatch ? "its Python does not satisfy requires-python" : "",
      ].filter(Boolean);
      const fix = drift.pythonMismatch
        ? "Run Lockstep: Recreate Environment with a fitting Python."
        : "Run Lockstep: Sync Environment, or the quick fix on a squiggle.";
      return {
        suffix: " $(warning) env out of sync",
        tone: drift.pythonMismatch ? "error" : "warning",
        lines: [`Environment out of sync with ${lockName}: ${parts.join(", ")}.`, fix],
      };
    }
  }
}

const TONE_ORDER: readonly Tone[] = ["normal", "warning", "error"];

function worse(a: Tone, b: Tone): Tone {
  return TONE_ORDER.indexOf(a) >= TONE_ORDER.indexOf(b) ? a : b;
}

/** `/root/.pyenv/versions/3.12.1/bin/python3.12` -> `python3.12` */
function shortName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function view(text: string, tooltip: string, tone: Tone, command: StatusView["command"]): StatusView {
  return { text, tooltip, tone, command, visible: true, actions: [] };
}
