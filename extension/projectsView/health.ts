// What the Python Projects view says about dependency health, from the helper's last health check
// (the same answers the lock-vulnerable / lock-yanked diagnostics and the outdated hints come from; the
// view asks the index nothing): a project row's one-line summary, a dependency row's badges and tooltip
// lines. Nothing unchecked reads as healthy. Pure, for unit tests; items.ts puts these into rows.
import type { AdvisoryInfo, DependencyHealth, FindingLevel, HealthSummary, PackageHealthInfo, ProjectInfo } from "../protocol";
import { escape } from "./markdown";

const ORDER: readonly FindingLevel[] = ["error", "warning", "information", "hint"];

/** The more severe of two levels (null: none). */
export function worse(a: FindingLevel | null, b: FindingLevel | null): FindingLevel | null {
  if (a === null) return b;
  if (b === null) return a;
  return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
}

function notChecked(health: HealthSummary): string {
  return `not checked${health.offline ? " (offline)" : ""}`;
}

function found(health: HealthSummary): string[] {
  return [
    ...(health.vulnerable > 0 ? [`${health.vulnerable} vulnerable`] : []),
    ...(health.yanked > 0 ? [`${health.yanked} yanked`] : []),
  ];
}

function packages(count: number): string {
  return `${count} locked package${count === 1 ? "" : "s"}`;
}

/** What needs the user's eye, for the project row's description: "2 vulnerable · 1 yanked",
 * "health not checked (offline)"; undefined when there is nothing to say (healthy, or no check yet). */
export function healthDescription(project: ProjectInfo): string | undefined {
  const health = project.health;
  if (!health) return undefined;
  if (health.checked === 0 && health.unchecked > 0) return `health ${notChecked(health)}`;
  const parts = [...found(health), ...(health.unchecked > 0 ? [`${health.unchecked} ${notChecked(health)}`] : [])];
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/** The project tooltip's health line, in plain words (the caller escapes it). */
export function healthLine(project: ProjectInfo): string | undefined {
  const health = project.health;
  if (!health) return project.lockfile ? "Health: not checked yet" : undefined;
  const reason = health.problem ? `: ${health.problem}` : "";
  if (health.checked === 0) {
    return health.unchecked === 0 ? "Health: nothing locked from an index to check" : `Health: ${notChecked(health)}${reason}`;
  }
  const words = found(health).join(" · ") || "no known vulnerabilities or yanked versions";
  const outdated = health.outdated > 0 ? ` · ${health.outdated} outdated` : "";
  const unchecked = health.unchecked > 0 ? `; ${packages(health.unchecked)} ${notChecked(health)}${reason}` : "";
  return `Health: ${words}${outdated} (${packages(health.checked)} checked${unchecked})`;
}

function own(problem: PackageHealthInfo): boolean {
  return problem.through.length === 0;
}

/** Words after the dependency row's versions: `vulnerable`, `parser yanked`, `2.0 latest`. */
export function healthBadges(health: DependencyHealth | null): string[] {
  if (!health) return [];
  const badges = health.problems.flatMap((problem) => {
    const who = own(problem) ? "" : `${problem.name} `;
    return [...(problem.advisories.length > 0 ? [`${who}vulnerable`] : []), ...(problem.yanked ? [`${who}yanked`] : [])];
  });
  if (health.unchecked !== null) badges.push("health not checked");
  if (health.outdated && health.latest !== null) badges.push(`${health.latest} latest`);
  return badges;
}

/** An advisory as Markdown: its id linked to its page (an http(s) link only), aliases, summary, fixes. */
export function advisoryText(advisory: AdvisoryInfo): string {
  const link = advisory.link && /^https?:\/\/[^\s()<>]+$/.test(advisory.link) ? advisory.link : null;
  const id = link ? `[${escape(advisory.id)}](${link})` : escape(advisory.id);
  const aliases = advisory.aliases.length > 0 ? ` (${escape(advisory.aliases.join(", "))})` : "";
  const summary = advisory.summary ? ` ${escape(advisory.summary)}` : "";
  const fixed = advisory.fixedIn.length > 0 ? `, fixed in ${escape(advisory.fixedIn.join(", "))}` : ", no fixed version";
  return `${id}${aliases}${summary}${fixed}`;
}

/** The dependency tooltip's health lines, Markdown: each advisory and yank (of the requirement's own
 * package, or one it brings in), the fix, the versions, or why it was not checked. */
export function healthLines(health: DependencyHealth | null): string[] {
  if (!health) return [];
  const lines = health.problems.flatMap((problem) => {
    // The requirement's own package: "Vulnerable: …"; one it brings in: "parser 0.9, through tool → parser, vulnerable: …".
    const who = own(problem) ? "" : `${escape(`${problem.name} ${problem.version}`)}, through ${escape(problem.through.join(" → "))}, `;
    const said = (word: string) => (who ? `${who}${word.toLowerCase()}` : word);
    const found = problem.advisories.map((advisory) => `${said("Vulnerable")}: ${advisoryText(advisory)}`);
    if (problem.yanked) found.push(`${said("Yanked")}${problem.yankReason ? `: ${escape(problem.yankReason)}` : " (no reason given)"}`);
    if (problem.upgradeTo) found.push(`Fix: upgrade ${escape(problem.name)} to ${escape(problem.upgradeTo)}`);
    return found;
  });
  if (health.versions !== null) lines.push(`Versions: ${escape(health.versions)}`);
  if (health.unchecked !== null) lines.push(`Health not checked: ${escape(health.unchecked)}`);
  return lines;
}
