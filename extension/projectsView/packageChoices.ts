// What Add Dependency's two steps offer, from the helper's search of the project's index
// (`lockstep/searchPackages`): the package box's items while the user types, then the version step's,
// and Upgrade Dependency's version step.
// Pure, for unit tests; packageSearch.ts shows them.
import type { DependencyInfo, PackageMatch, PackageVersion, SearchPackagesResult } from "../protocol";

export interface PackageChoice {
  label: string;
  description: string;
  /** What `uv add` / `poetry add` / `pdm add` is given when no version step follows. */
  requirement: string;
  /** A plain name whose versions the next step lists; null: a requirement typed with its specifier. */
  name: string | null;
}

export interface VersionChoice {
  label: string;
  description: string;
  requirement: string;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const SOURCES: Record<PackageMatch["source"], string> = {
  index: "on the index",
  lock: "in the lock",
  listing: "on the index",
};

/** PEP 503 normalisation, as the helper names packages. */
export function normalised(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The package box's items for `typed`: the index's matches (the exact name first, with its newest version),
 * and what was typed itself when it is not among them (a requirement with a specifier, or a name the
 * index did not answer for: offline, the user can still add it).
 */
export function packageChoices(typed: string, result: SearchPackagesResult | undefined): PackageChoice[] {
  const text = typed.trim();
  if (!text) return [];
  const plain = NAME.test(text);
  const matches = (result?.packages ?? []).map((match): PackageChoice => {
    const exact = match.source === "index";
    const newest = exact ? newestFinal(result?.versions ?? []) : undefined;
    const where = exact && result?.index ? `on ${hostOf(result.index)}` : SOURCES[match.source];
    return { label: match.name, description: newest ? `${newest} · ${where}` : where, requirement: match.name, name: match.name };
  });
  const listed = plain && matches.some((choice) => choice.name === normalised(text));
  if (listed) return matches;
  const asTyped: PackageChoice = {
    label: text,
    description: plain ? (result && !result.offline ? "not found on the index: add as typed" : "add as typed") : "requirement as typed",
    requirement: text,
    // Accepted before the search answered: the version step looks the name up itself.
    name: plain && result === undefined ? normalised(text) : null,
  };
  return [asTyped, ...matches];
}

function newestFinal(versions: readonly PackageVersion[]): string | undefined {
  return versions.find((version) => !version.prerelease && !version.yanked)?.version;
}

/** Why the search has nothing to say, for the box's title; undefined when it answered. */
export function searchNote(result: SearchPackagesResult | undefined): string | undefined {
  if (!result) return undefined;
  if (result.offline) {
    return `Offline (${result.problem ?? "the index is unreachable"}): type a name, or a requirement like httpx>=0.27`;
  }
  return result.problem ?? undefined;
}

/** The version step: the newest the manager allows (its default), then every version, newest first. */
export function versionChoices(name: string, versions: readonly PackageVersion[]): VersionChoice[] {
  const newest = newestFinal(versions);
  const first: VersionChoice = {
    label: "Newest allowed",
    description: newest ? `${newest} today; the manager writes its usual lower bound` : "the manager's choice",
    requirement: name,
  };
  return [
    first,
    ...versions.map((version) => ({ label: version.version, description: marks(version), requirement: `${name}==${version.version}` })),
  ];
}

/** `pre-release`, `yanked: broken wheel`, and what else the caller knows of the version (`locked`). */
function marks(version: PackageVersion, ...more: string[]): string {
  return [
    ...more,
    version.prerelease ? "pre-release" : "",
    version.yanked ? `yanked${version.yankReason ? `: ${version.yankReason}` : ""}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

export interface UpgradeChoice {
  label: string;
  description: string;
  /** The version to go to; null: the newest the requirement allows; "typed": ask for one (nothing listed). */
  version: string | null | "typed";
}

/**
 * Upgrade Dependency's version step: the newest the requirement allows, then the index's versions, newest
 * first, the locked one marked; with no versions from the index (offline), a version typed instead.
 */
export function upgradeChoices(dependency: DependencyInfo, versions: readonly PackageVersion[]): UpgradeChoice[] {
  const newest: UpgradeChoice = { label: "Newest allowed", description: `what ${dependency.requirement} allows`, version: null };
  if (versions.length === 0) {
    const locked = dependency.locked ? `locked: ${dependency.locked}` : "";
    return [newest, { label: "A chosen version…", description: locked, version: "typed" }];
  }
  const locked = new Set(dependency.locked?.split(", ") ?? []);
  return [
    newest,
    ...versions.map((version) => ({
      label: version.version,
      description: marks(version, locked.has(version.version) ? "locked" : ""),
      version: version.version,
    })),
  ];
}
