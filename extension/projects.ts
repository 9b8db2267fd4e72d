// Which project a file belongs to, and how to say what creating its environment will do.
// Pure, for unit tests.
import { relative, isAbsolute } from "node:path";
import type { EnvironmentPlan, ProjectInfo, PythonDownload, VenvInfo } from "./protocol";

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

/**
 * The project a workspace folder's tools (terminals, the Python extension) use: the project that owns
 * the folder or, for a folder holding projects, its one top-level project (a uv workspace's root).
 * A folder with several top-level projects has no obvious answer.
 */
export function folderProject(folder: string, projects: readonly ProjectInfo[]): ProjectInfo | undefined {
  return projectFor(
    projects.filter((p) => contains(folder, p.root) || contains(p.root, folder)),
    folder,
  );
}

/**
 * The venv other tools may run from (terminals' PATH, the Python extension): none when a committed
 * link takes `.venv` out of the project, as the helper refuses to operate on such a venv too.
 */
export function toolVenv(project: ProjectInfo | undefined): VenvInfo | undefined {
  const venv = project?.venv;
  if (!project || !venv) return undefined;
  return venv.link && !contains(project.root, venv.resolved) ? undefined : venv;
}

/** The project has a venv Lockstep may sync, recreate and delete (not one a `.python-envs` file lists). */
export function ownVenv(project: ProjectInfo): boolean {
  return project.venv !== null && !project.venv.listedIn;
}

/** `31.2 MB`: sizes as download dialogs say them (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.max(1, Math.round(bytes / 1000))} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `Python 3.12.7 (a 31.2 MB download)`, `Python 3.12.7 (to be downloaded)` when the size is unknown. */
export function describeDownload(download: PythonDownload): string {
  return `${download.label} (${download.size === null ? "to be downloaded" : `a ${formatBytes(download.size)} download`})`;
}

/**
 * "Create .venv with Python 3.12.7 and install 48 locked packages for demo-app?", or with
 * "Python 3.12.7 (a 31.2 MB download)" when no installed interpreter fits: one question that
 * covers the download too. A project without a lock is locked first, so its package count is
 * not known yet: the question says so without a number.
 */
export function describePlan(project: string, plan: EnvironmentPlan): string {
  const venv = plan.venvPath.split(/[\\/]/).pop() ?? plan.venvPath;
  const python = plan.python
    ? `Python ${plan.python.version}`
    : plan.download
      ? describeDownload(plan.download)
      : `${plan.pythonRequest ?? "a managed Python"} (to be downloaded)`;
  switch (plan.lock) {
    case "will-lock":
      return `Create ${venv} with ${python}, lock and install the dependencies for ${project}?`;
    case "cannot-lock":
      return `Create ${venv} with ${python} for ${project}, unlocked? There is no lockfile and its manager is not installed to make one: the dependencies pyproject.toml declares would be installed unpinned.`;
    case "locked":
    case "none": {
      const packages =
        plan.packages === null ? "" : ` and install ${plan.packages} locked package${plan.packages === 1 ? "" : "s"}`;
      return `Create ${venv} with ${python}${packages} for ${project}?`;
    }
  }
}

/** Whether accepting the plan's question also agrees to download its Python. */
export function planDownloads(plan: EnvironmentPlan): boolean {
  return plan.python === null && plan.download !== null;
}

/**
 * The one question before a download, from the helper's `needs-python` answer: "No installed Python
 * satisfies ==3.12.*. Download Python 3.12.7 (31.2 MB) for demo?" with the button "Download Python 3.12.7".
 * `request` (`Python 3.12`) stands in when the catalogue could not name the build.
 */
export function downloadQuestion(
  project: string,
  reason: string,
  request: string,
  download: PythonDownload | null,
): { question: string; button: string } {
  const why = reason.split(";")[0].trim();
  const label = download?.label ?? request;
  const size = download?.size ? ` (${formatBytes(download.size)})` : "";
  return {
    question: `${why.charAt(0).toUpperCase()}${why.slice(1)}. Download ${label}${size} for ${project}?`,
    button: `Download ${label}`,
  };
}

/** A venv as a confirmation names it: the resolved folder, or the link and where it points. */
export function describeVenv(venv: VenvInfo): string {
  return venv.link ? `the link ${venv.path} (to ${venv.resolved})` : venv.resolved;
}

/** The Delete confirmation: a link is removed as a link, and the dialog says so. */
export function describeDeletion(venv: VenvInfo): string {
  return venv.link
    ? `Remove the link ${venv.path}? It points to ${venv.resolved}, which is left as it is.`
    : `Delete ${venv.resolved}? Everything installed in it is removed.`;
}
