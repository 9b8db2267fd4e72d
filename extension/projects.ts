// Which project a file belongs to, and how to say what creating its environment will do.
// Pure, for unit tests.
import { relative, isAbsolute } from "node:path";
import type { EnvironmentPlan, ProjectInfo } from "./protocol";

function contains(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * The project for `filePath`: the innermost project root that contains it. Without a file (or a
 * file outside every project) a workspace with one top-level project still has an obvious answer.
 */
export function projectFor(projects: readonly ProjectInfo[], filePath: string | undefined): ProjectInfo | undefined {
  if (filePath) {
    const owners = projects.filter((p) => contains(p.root, filePath));
    if (owners.length > 0) return owners.reduce((a, b) => (b.root.length > a.root.length ? b : a));
  }
  const topLevel = projects.filter((p) => !projects.some((other) => other !== p && contains(other.root, p.root)));
  return topLevel.length === 1 ? topLevel[0] : undefined;
}

/** "Create .venv with Python 3.12.7 and install 48 locked packages for demo-app?" */
export function describePlan(project: string, plan: EnvironmentPlan): string {
  const venv = plan.venvPath.split(/[\\/]/).pop() ?? plan.venvPath;
  const python = plan.python
    ? `Python ${plan.python.version}`
    : `${plan.pythonRequest ?? "a managed Python"} (to be downloaded)`;
  const packages =
    plan.packages === null ? "" : ` and install ${plan.packages} locked package${plan.packages === 1 ? "" : "s"}`;
  return `Create ${venv} with ${python}${packages} for ${project}?`;
}
