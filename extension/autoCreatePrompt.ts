// The open-folder offer's decisions: which projects it is about (the auto-create gate), which of them
// can be asked about once the helper planned them, how to ask about several at once, and what an
// answer agrees to. Pure, for unit tests; autoCreate.ts asks.
import { describeDownload, describePlan, planDownloads } from "./projects";
import type { EnvironmentPlan, ProjectInfo } from "./protocol";
import type { AutoCreate as Mode } from "./settings";

export interface Offer {
  /** `lockstep.autoCreate: always`: created without asking. */
  create: ProjectInfo[];
  /** `prompt`: asked about, all in one question. */
  ask: ProjectInfo[];
}

export interface OfferContext {
  trusted: boolean;
  mode: (project: ProjectInfo) => Mode;
  never: (project: ProjectInfo) => boolean;
}

/**
 * The projects without an environment that the offer is about: never in an untrusted workspace,
 * once per project per session (`seen`), not for a uv workspace member (the workspace root's venv
 * serves it), and not where the setting or "Never for this project" says no.
 */
export function projectsToOffer(projects: readonly ProjectInfo[], context: OfferContext & { seen: ReadonlySet<string> }): Offer {
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

/**
 * The session's memory of the offer: a project is offered once. Only what was offered is
 * remembered, so the projects of a workspace opened untrusted are offered when trust is granted.
 */
export class OfferGate {
  private readonly offered = new Set<string>();

  next(projects: readonly ProjectInfo[], context: OfferContext): Offer {
    const offer = projectsToOffer(projects, { ...context, seen: this.offered });
    for (const project of [...offer.create, ...offer.ask]) this.offered.add(project.root);
    return offer;
  }

  /** Offer `root` again on the next change: it could not be planned (pyproject.toml broke meanwhile). */
  forget(root: string): void {
    this.offered.delete(root);
  }
}

export interface Planned {
  name: string;
  plan: EnvironmentPlan;
}

/**
 * The helper's plans for the projects to ask about, sorted: those it could not plan (offered again
 * once pyproject.toml parses), the venv places it refuses (said, not asked), and the rest, asked.
 */
export function sortPlans<T extends { plan: EnvironmentPlan | null }>(
  planned: readonly T[],
): { unplanned: T[]; refusals: string[]; ask: (T & { plan: EnvironmentPlan })[] } {
  const unplanned = planned.filter((entry) => entry.plan === null);
  const refusals = planned.flatMap(({ plan }) => (plan?.refusal ? [plan.refusal] : []));
  const ask = planned.filter((entry): entry is T & { plan: EnvironmentPlan } => entry.plan !== null && !entry.plan.refusal);
  return { unplanned, refusals, ask };
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

/** The buttons of the question, and what each agrees to; dismissing it is "Not now". */
const ANSWERS = {
  one: { Create: "create", "Not now": "not-now", "Never for this project": "never" },
  several: { "Create All": "create", "Choose…": "choose", "Not now": "not-now" },
} as const;

export type Answer = "create" | "choose" | "not-now" | "never";

export function offerButtons(count: number): string[] {
  return Object.keys(ANSWERS[count === 1 ? "one" : "several"]);
}

export function answerOf(count: number, button: string | undefined): Answer {
  const answers: Record<string, Answer> = ANSWERS[count === 1 ? "one" : "several"];
  return (button !== undefined && answers[button]) || "not-now";
}

/**
 * What answering Create agreed to: the download, if the question named one (otherwise the
 * `python.autoInstall` setting decides), and an unlocked venv where the question said so (no lock and
 * no manager to make one).
 */
export function consentOf(plan: EnvironmentPlan | undefined): { allowDownload?: true; unlocked: boolean } {
  return { ...(plan && planDownloads(plan) ? { allowDownload: true } : {}), unlocked: plan?.lock === "cannot-lock" };
}
