// Where Add Dependency can put a requirement, named as the project's manager names it, and what a view
// row or a code action presets. Pure, for unit tests; dependencyCommands.ts asks with these.
import type { DependencyGroupInfo, DependencyGroupKind, DependencyInfo, DependencyRow, ProjectInfo } from "../protocol";

export interface Target {
  kind: DependencyGroupKind;
  /** The extra's or group's name; null for `main`, or for a new one still to be named. */
  group: string | null;
}

export interface TargetItem extends Target {
  label: string;
  description: string;
}

const KINDS: Record<DependencyGroupKind, string> = {
  main: "dependencies",
  extra: "extra",
  group: "group",
  dev: "dev group",
};

/** `dev group`, `extra cli`, `dependencies`. */
export function groupTitle(group: DependencyGroupInfo | Target): string {
  const name = "name" in group ? group.name : group.group;
  return name === null ? KINDS[group.kind] : `${KINDS[group.kind]} ${name}`;
}

/** The main dependencies, every extra and group the project has, then a new group and a new extra. */
export function targets(manager: ProjectInfo["manager"], groups: readonly DependencyGroupInfo[]): TargetItem[] {
  const main: TargetItem = { kind: "main", group: null, label: "main", description: "the project's dependencies" };
  const existing = groups
    .filter((group) => group.kind !== "main")
    .map((group): TargetItem => ({ kind: group.kind, group: group.name, label: group.name ?? "", description: KINDS[group.kind] }));
  const groupWord = manager === "poetry" ? "a Poetry group" : "a dependency group (PEP 735)";
  return [
    main,
    ...existing,
    { kind: "group", group: null, label: "New group…", description: groupWord },
    { kind: "extra", group: null, label: "New extra…", description: "an optional-dependencies extra" },
  ];
}

function isGroup(value: unknown): value is DependencyGroupInfo {
  if (typeof value !== "object" || value === null) return false;
  const { kind, name, dependencies } = value as Record<string, unknown>;
  return typeof kind === "string" && kind in KINDS && (name === null || typeof name === "string") && Array.isArray(dependencies);
}

function isDependency(value: unknown): value is DependencyInfo {
  if (typeof value !== "object" || value === null) return false;
  const { name, requirement } = value as Record<string, unknown>;
  return typeof name === "string" && typeof requirement === "string";
}

/** What a command's argument presets: a view row or a code action on pyproject.toml hands a `DependencyRow`
 * (a project, and for a group or a requirement, those); what is not of that shape presets nothing. */
export function rowArgument(argument: unknown): Partial<DependencyRow> {
  if (typeof argument !== "object" || argument === null) return {};
  const { root, group, dependency } = argument as Record<string, unknown>;
  return {
    ...(typeof root === "string" ? { root } : {}),
    ...(isGroup(group) ? { group } : {}),
    ...(isDependency(dependency) ? { dependency } : {}),
  };
}

/** Which of the lock's entries for a dependency to reveal: the installed version's, else the one locked
 * (a lock forked by markers lists several, `1.0, 2.0`: then the first entry). */
export function revealedVersion(dependency: DependencyInfo): string | null {
  if (dependency.installed !== null) return dependency.installed;
  return dependency.locked !== null && !dependency.locked.includes(",") ? dependency.locked : null;
}
