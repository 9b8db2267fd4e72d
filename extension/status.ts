// What the status bar item says, decided from the helper's state and the active project.
// Pure, for unit tests; statusBar.ts puts it on screen.
import type { HelperState } from "./client";
import type { ProjectInfo } from "./protocol";
import type { Selection } from "./selections";

export type Tone = "normal" | "warning" | "error";

export interface StatusView {
  text: string;
  tooltip: string;
  tone: Tone;
  /** Command run on click, by id. */
  command: "showLog" | "selectInterpreter" | "none";
  visible: boolean;
}

const MANAGER_NAMES: Record<ProjectInfo["manager"], string> = {
  uv: "uv",
  poetry: "Poetry",
  pdm: "PDM",
  hatch: "Hatch",
  pep621: "PEP 621 (no manager)",
};

/** `selected`: the interpreter the user picked for the project, if any. */
export function describeStatus(
  state: HelperState,
  project: ProjectInfo | undefined,
  projectCount: number,
  selected?: Selection,
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
      return view("$(error) Lockstep: helper stopped", `${state.message}\n\nClick to show the log.`, "error", "showLog");
    case "running":
      break;
  }
  if (!project) {
    if (projectCount === 0) return { ...view("", "", "normal", "none"), visible: false };
    return view(
      `$(folder) ${projectCount} Python projects`,
      "Open a file of a project to see its environment.",
      "normal",
      "selectInterpreter",
    );
  }
  const lines = [
    `Project: ${project.name ?? project.root}`,
    `Folder: ${project.root}`,
    `Manager: ${MANAGER_NAMES[project.manager]}`,
    `Lockfile: ${project.lockfile ?? "none"}`,
  ];
  if (project.requiresPython) lines.push(`requires-python: ${project.requiresPython}`);
  if (project.pythonVersion) lines.push(`.python-version: ${project.pythonVersion}`);
  const venv = project.venv;
  if (!venv) {
    lines.push(
      `Interpreter: ${selected ? `${selected.path} (selected; no virtual environment yet)` : "none (no virtual environment)"}`,
    );
    lines.push("", "Click to select an interpreter; Lockstep: Create Environment makes the venv.");
    const text = selected
      ? `$(warning) ${selected.version ?? shortName(selected.path)} · No environment`
      : "$(warning) No environment";
    return view(text, lines.join("\n"), "warning", "selectInterpreter");
  }
  lines.push(`Interpreter: ${venv.python ?? `missing in ${venv.path}`}`, "", "Click to select another interpreter.");
  const version = venv.version ?? "Python";
  return view(`${version} (${venv.name})`, lines.join("\n"), venv.python ? "normal" : "warning", "selectInterpreter");
}

/** `/root/.pyenv/versions/3.12.1/bin/python3.12` -> `python3.12` */
function shortName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function view(text: string, tooltip: string, tone: Tone, command: StatusView["command"]): StatusView {
  return { text, tooltip, tone, command, visible: true };
}
