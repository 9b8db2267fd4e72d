// Which projects the open-folder offer is about, and how to ask about several at once. Pure, for
// unit tests; autoCreate.ts asks.
import { describeDownload, describePlan } from "./projects";
import type { EnvironmentPlan, ProjectInfo } from "./protocol";
import type { AutoCreate as Mode } from "./settings";

export interface Offer {
  /** `lockstep.autoCreate: always`: created without asking. */
  create: ProjectInfo[];
  /** `prompt`: asked about, all in one question. */
  ask: ProjectInfo[];
}

/**
 * The projects without an environment that the offer is about: never in an untrusted workspace,
 * once per project per session (`seen`), not for a uv workspace member (the workspace root's venv
 * serves it), and not where the setting or "Never for this project" says no.
 */
export function projectsToOffer(
  projects: readonly ProjectInfo[],
  context: {
    trusted: boolean;
    seen: ReadonlySet<string>;
    mode: (project: ProjectInfo) => Mode;
    never: (project: ProjectInfo) => boolean;
  },
): Offer {
  const offer: Offer = { create: [], ask: [] };
  if (!context.trusted) return offer;
  for (const project of projects) {
    if (project.venv || context.seen.has(project.root)) continue;
    // Not seen yet: once pyproject.toml parses again, the offer comes by itself.
    if (project.pyprojectError) continue;
    if (project.workspaceRoot && project.workspaceRoot !== project.root) continue;
    const mode = context.mode(project);
    if (mode === "never" || context.never(project)) continue;
    (mode === "always" ? offer.create : offer.ask).push(project);
  }
  return offer;
}

export interface Planned {
  name: string;
  plan: EnvironmentPlan;
}

/** The question for one project (its plan in full) or for several (their names, and any download). */
export function offerQuestion(planned: readonly Planned[]): string {
  if (planned.length === 1) return describePlan(planned[0].name, planned[0].plan);
  const names = planned.map((p) => p.name).join(", ");
  const downloads = planned.flatMap(({ name, plan }) =>
    plan.python === null && plan.download ? [`${name} needs ${describeDownload(plan.download)}`] : [],
  );
  const note = downloads.length > 0 ? ` ${downloads.join("; ")}.` : "";
  const venv = planned[0].plan.venvPath.split(/[\\/]/).pop();
  return `${planned.length} projects have no environment: ${names}. Create ${venv} for each with the Python that fits and install its locked packages?${note}`;
}
