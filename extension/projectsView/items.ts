// What each row of the Python Projects view says: label, description, icon and colour, tooltip and
// which menus it gets, decided from the helper's project list and a project's details. Pure, for unit
// tests; tree.ts turns these into TreeItems.
import type {
  DependencyGroupInfo,
  DependencyInfo,
  EnvironmentDetails,
  FindingLevel,
  LockfileDetails,
  ProjectInfo,
} from "../protocol";
import { ownVenv } from "../projects";
import { choiceBadge, DEFAULT_CHOICE, describeChoice, type SyncChoice } from "../syncChoice";
import { healthBadges, healthDescription, healthLine, healthLines, worse } from "./health";
import { escape } from "./markdown";

/** A codicon id and the theme colour it is drawn in (none: the foreground). */
export interface Icon {
  id: string;
  color?: string;
}

export interface Row {
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: Icon;
  /** For `view/item/context` menus' `viewItem` clauses (package.json). */
  contextValue: string;
}

export type SyncState =
  | "invalid"
  | "lock-stale"
  | "no-environment"
  | "env-out-of-sync"
  | "in-sync"
  | "unlocked"
  | "checking"
  | "unknown";

const STATES: Record<SyncState, { words: string; icon: Icon }> = {
  invalid: { words: "pyproject.toml invalid", icon: { id: "error", color: "list.errorForeground" } },
  "lock-stale": { words: "lock stale", icon: { id: "warning", color: "list.warningForeground" } },
  "no-environment": { words: "no environment", icon: { id: "circle-slash", color: "disabledForeground" } },
  "env-out-of-sync": { words: "environment out of date", icon: { id: "sync", color: "list.warningForeground" } },
  "in-sync": { words: "in sync", icon: { id: "pass-filled", color: "testing.iconPassed" } },
  unlocked: { words: "no lockfile", icon: { id: "unlock", color: "list.warningForeground" } },
  checking: { words: "checking…", icon: { id: "loading~spin" } },
  unknown: { words: "not checked", icon: { id: "question" } },
};

const MANAGERS: Record<ProjectInfo["manager"], string> = {
  uv: "uv",
  poetry: "Poetry",
  pdm: "PDM",
  hatch: "Hatch",
  pep621: "PEP 621",
};

/** The one word a person reads first: a broken pyproject beats a stale lock beats a missing venv. */
export function syncState(project: ProjectInfo): SyncState {
  const drift = project.drift;
  if (project.pyprojectError || drift?.state === "pyproject-invalid") return "invalid";
  if (drift?.state === "lock-out-of-sync") return "lock-stale";
  if (!project.venv) return "no-environment";
  switch (drift?.state) {
    case undefined:
      return "checking";
    case "env-out-of-sync":
    case "in-sync":
    case "unlocked":
      return drift.state;
    default:
      return "unknown";
  }
}

export function projectName(project: ProjectInfo): string {
  return project.name ?? project.root.split(/[\\/]/).pop() ?? project.root;
}

/** `choice`: the groups and extras its environment gets (syncChoice.ts). */
export function projectRow(project: ProjectInfo, choice: SyncChoice = DEFAULT_CHOICE): Row {
  const state = STATES[syncState(project)];
  const venv = project.venv;
  const environment = venv ? `${venv.version ?? "?"} (${venv.name})` : undefined;
  const description = [MANAGERS[project.manager], environment, state.words, healthDescription(project), choiceBadge(choice)]
    .filter(Boolean)
    .join(" · ");
  const health = healthLine(project);
  const lines = [
    `**${escape(projectName(project))}** — ${escape(state.words)}`,
    "",
    `Manager: ${escape(MANAGERS[project.manager])}`,
    `Folder: ${escape(project.root)}`,
    venv ? `Environment: ${escape(venv.path)}, Python ${escape(venv.version ?? "unknown")}` : "Environment: none",
    ...(venv?.listedIn ? [`Listed in ${escape(venv.listedIn)} (PEP 832): read only`] : []),
    project.lockfile ? `Lockfile: ${escape(project.lockfile)}` : "Lockfile: none",
    `Groups: ${escape(describeChoice(choice, project.manager))}`,
    ...(health ? [escape(health)] : []),
  ];
  const problem = project.pyprojectError ?? project.drift?.problem;
  if (problem) lines.push("", escape(problem));
  // Two spaces before a newline: a line break inside a paragraph.
  return {
    label: projectName(project),
    description,
    tooltip: lines.join("  \n"),
    icon: state.icon,
    contextValue: projectContext(project),
  };
}

/**
 * `project:venv:lock`, `project:novenv:nolock`, with `:invalid` when nothing that needs pyproject.toml
 * may be offered; package.json's menus match on these parts. A venv a `.python-envs` file lists is read
 * only, so its project is offered what one without a venv is (Create makes its own).
 */
export function projectContext(project: ProjectInfo): string {
  const parts = ["project", ownVenv(project) ? "venv" : "novenv", project.lockfile || usesLock(project) ? "lock" : "nolock"];
  if (project.pyprojectError || project.drift?.state === "pyproject-invalid") parts.push("invalid");
  return parts.join(":");
}

function usesLock(project: ProjectInfo): boolean {
  return project.manager === "uv" || project.manager === "poetry" || project.manager === "pdm";
}

export function groupRow(group: DependencyGroupInfo): Row {
  const count = group.dependencies.length;
  const kind = { main: "dependencies", extra: "extra", group: "group", dev: "dev group" }[group.kind];
  const label = group.name ?? "main";
  return {
    label,
    description: `${kind} · ${count}`,
    tooltip: `${escape(label)}: ${kind}, ${count} requirement${count === 1 ? "" : "s"}`,
    icon: { id: group.kind === "extra" ? "symbol-misc" : "library" },
    contextValue: `group:${group.kind}`,
  };
}

const BADGES: Record<string, string> = {
  "lock-missing-package": "not locked",
  "lock-unsatisfied": "lock unsatisfied",
  "lock-stale": "lock stale",
  "lock-invalid": "lock invalid",
  "venv-missing-package": "not installed",
  "venv-version-mismatch": "other version installed",
  "requirement-invalid": "invalid",
};

const LEVEL_ICONS: Record<FindingLevel, Icon> = {
  error: { id: "error", color: "list.errorForeground" },
  warning: { id: "warning", color: "list.warningForeground" },
  information: { id: "info", color: "editorInfo.foreground" },
  hint: { id: "lightbulb" },
};

/** `>=2` for `alpha>=2`: the row's label already names the package. */
export function constraint(dependency: DependencyInfo): string {
  const text = dependency.requirement.trim();
  const spelled = text.match(/^[A-Za-z0-9][A-Za-z0-9._-]*/)?.[0] ?? "";
  const normalised = spelled.toLowerCase().replace(/[-_.]+/g, "-");
  const rest = normalised === dependency.name ? text.slice(spelled.length).replace(/^\s*=\s*/, "").trim() : text;
  return rest === "" || rest === '"*"' ? "any version" : rest;
}

export function dependencyRow(dependency: DependencyInfo): Row {
  const parts = [constraint(dependency)];
  if (dependency.locked !== null) parts.push(`locked ${dependency.locked}`);
  if (dependency.installed !== null) parts.push(`installed ${dependency.installed}`);
  const badge = dependency.code ? (BADGES[dependency.code] ?? dependency.code) : undefined;
  if (badge) parts.push(badge);
  parts.push(...healthBadges(dependency.health));
  const level = worse(dependency.severity, dependency.health?.level ?? null);
  const icon = level
    ? LEVEL_ICONS[level]
    : dependency.installed !== null
      ? { id: "check", color: "testing.iconPassed" }
      : { id: "package" };
  const lines = [
    `**${escape(dependency.name)}**`,
    "",
    `Requirement: \`${dependency.requirement.replace(/`/g, "'")}\``,
    `Locked: ${escape(dependency.locked ?? "not in the lock")}`,
    `Installed: ${escape(dependency.installed ?? "not installed")}`,
  ];
  if (dependency.message) lines.push("", ...dependency.message.split("\n").map(escape));
  const health = healthLines(dependency.health);
  if (health.length > 0) lines.push("", ...health);
  return {
    label: dependency.name,
    description: parts.join(" · "),
    tooltip: lines.join("  \n"),
    icon,
    contextValue: "dependency",
  };
}

export function environmentRow(environment: EnvironmentDetails): Row {
  const name = environment.path.split(/[\\/]/).pop() ?? environment.path;
  const python = environment.python ? `Python ${environment.python}` : "Python unknown";
  const packages = `${environment.packages} package${environment.packages === 1 ? "" : "s"}`;
  return {
    label: name,
    description: `${python} · ${packages}`,
    tooltip: `${escape(environment.path)}  \n${escape(python)}, ${escape(packages)} installed`,
    icon: { id: "folder-library" },
    contextValue: "environment",
  };
}

export function lockfileRow(lockfile: LockfileDetails): Row {
  const name = lockfile.path.split(/[\\/]/).pop() ?? lockfile.path;
  const selected = lockfile.selected === null ? "" : `${lockfile.selected} for the environment`;
  return {
    label: name,
    description: selected,
    tooltip: escape(lockfile.path) + (selected ? `  \n${escape(selected)}` : ""),
    icon: { id: "lock" },
    contextValue: "lockfile",
  };
}

/** A row that only says something (why there are no dependencies to show). */
export function messageRow(text: string): Row {
  return { label: text, description: "", tooltip: "", icon: { id: "info" }, contextValue: "message" };
}

/**
 * The view's top level and what nests where: a uv workspace member under its workspace's root
 * project; everything else at the top, in the helper's order.
 */
export function nesting(projects: readonly ProjectInfo[]): { top: ProjectInfo[]; members: Map<string, ProjectInfo[]> } {
  const roots = new Set(projects.map((project) => project.root));
  const members = new Map<string, ProjectInfo[]>();
  const top: ProjectInfo[] = [];
  for (const project of projects) {
    const parent = project.workspaceRoot;
    if (parent && parent !== project.root && roots.has(parent)) {
      members.set(parent, [...(members.get(parent) ?? []), project]);
    } else {
      top.push(project);
    }
  }
  return { top, members };
}
