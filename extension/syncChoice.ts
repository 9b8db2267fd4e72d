// Which groups and extras a project's environment gets, as the user reads and picks them: the words of
// the view's and the status bar's tooltips, and the items of Choose Groups and Extras. The names are
// the settings' (`lockstep.sync.groups` / `lockstep.sync.extras`), `:default:` and `:all:` included;
// the helper reads them the same way (pyhelper.lockfiles.choice). Pure, for unit tests.
import type { DependencyGroupInfo, ProjectInfo, SyncChoiceInfo } from "./protocol";

const ALL = ":all:";
const DEFAULT = ":default:";

export interface SyncChoice {
  groups: readonly string[];
  extras: readonly string[];
}

export const DEFAULT_CHOICE: SyncChoice = { groups: [DEFAULT], extras: [] };

const DEFAULT_GROUPS: Record<ProjectInfo["manager"], string> = {
  uv: "uv's default groups",
  poetry: "Poetry's non-optional groups",
  pdm: "PDM's locked groups",
  hatch: "the default groups",
  pep621: "the default groups",
};

export function isDefaultChoice(choice: SyncChoice): boolean {
  return sameChoice(choice, DEFAULT_CHOICE);
}

export function sameChoice(left: SyncChoice, right: SyncChoice): boolean {
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join("\n") === [...b].sort().join("\n");
  return same(left.groups, right.groups) && same(left.extras, right.extras);
}

function named(names: readonly string[], all: string, none: string, defaults?: string): string {
  if (names.includes(ALL)) return all;
  const words = names.map((name) => (name === DEFAULT && defaults ? defaults : name));
  return words.length > 0 ? words.join(", ") : none;
}

/** "uv's default groups, docs; extras: x": what Create and Sync install beyond the main dependencies. */
export function describeChoice(choice: SyncChoice, manager: ProjectInfo["manager"]): string {
  const groups = named(choice.groups, "every group", "no groups", DEFAULT_GROUPS[manager]);
  const extras = named(choice.extras, "every extra", "none");
  return `${groups}; extras: ${extras}`;
}

/** The view's short word for a choice other than the default ("groups: docs, extras: x"); else none. */
export function choiceBadge(choice: SyncChoice): string | undefined {
  if (isDefaultChoice(choice)) return undefined;
  const groups = choice.groups.map((name) => (name === DEFAULT ? "defaults" : name === ALL ? "all" : name));
  const extras = choice.extras.map((name) => (name === ALL ? "all" : name));
  const parts = [`groups: ${groups.join(", ") || "none"}`, ...(extras.length > 0 ? [`extras: ${extras.join(", ")}`] : [])];
  return parts.join(", ");
}

export interface ChoiceItem {
  label: string;
  description: string;
  picked: boolean;
  kind: "defaults" | "group" | "extra";
  /** The setting's name for it (`:default:` for the defaults). */
  name: string;
}

/**
 * The items Choose Groups and Extras offers: the manager's default groups, then each group and each
 * extra the project declares, picked as `choice` has them (`:all:` picks every one of its kind).
 */
export function choiceItems(
  groups: readonly DependencyGroupInfo[],
  choice: SyncChoice,
  manager: ProjectInfo["manager"],
): ChoiceItem[] {
  const items: ChoiceItem[] = [
    {
      label: DEFAULT_GROUPS[manager],
      description: "what the manager's own sync installs",
      picked: choice.groups.includes(DEFAULT),
      kind: "defaults",
      name: DEFAULT,
    },
  ];
  for (const group of groups) {
    if (group.kind === "main" || group.name === null) continue;
    const extra = group.kind === "extra";
    const chosen = extra ? choice.extras : choice.groups;
    items.push({
      label: group.name,
      description: extra ? "extra" : group.kind === "dev" ? "dev group" : "group",
      picked: chosen.includes(ALL) || chosen.includes(group.name),
      kind: extra ? "extra" : "group",
      name: group.name,
    });
  }
  return items;
}

/** The choice the picked items make, in the settings' names. */
export function choiceFromPicked(picked: readonly ChoiceItem[]): SyncChoice {
  return {
    groups: picked.filter((item) => item.kind !== "extra").map((item) => item.name),
    extras: picked.filter((item) => item.kind === "extra").map((item) => item.name),
  };
}

/** What the helper is told (`lockstep/syncChoices`): the projects whose choice is not the default. */
export function choicesToSend(roots: readonly string[], choiceOf: (root: string) => SyncChoice): SyncChoiceInfo[] {
  return roots
    .map((root) => ({ root, choice: choiceOf(root) }))
    .filter(({ choice }) => !isDefaultChoice(choice))
    .map(({ root, choice }) => ({ root, groups: [...choice.groups], extras: [...choice.extras] }));
}
