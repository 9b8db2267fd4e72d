import assert from "node:assert/strict";
import { test } from "node:test";
import { advisoryText, healthBadges, healthDescription, healthLine, healthLines, worse } from "../../extension/projectsView/health";
import { dependencyRow, projectRow } from "../../extension/projectsView/items";
import type { DependencyHealth, DependencyInfo, HealthSummary, PackageHealthInfo } from "../../extension/protocol";
import { projectInfo } from "./projectInfo";

const summary = (overrides: Partial<HealthSummary>): HealthSummary => ({
  checked: 3,
  vulnerable: 0,
  yanked: 0,
  outdated: 0,
  unchecked: 0,
  offline: false,
  problem: null,
  revision: "0",
  ...overrides,
});

const advisory = {
  id: "PYSEC-2026-7",
  aliases: ["CVE-2026-0007"],
  summary: "Path traversal in alpha's loader",
  fixedIn: ["2.0"],
  link: "https://osv.dev/vulnerability/PYSEC-2026-7",
};

const problem = (overrides: Partial<PackageHealthInfo>): PackageHealthInfo => ({
  name: "alpha",
  version: "1.0",
  through: [],
  advisories: [advisory],
  yanked: false,
  yankReason: null,
  upgradeTo: "2.0",
  ...overrides,
});

const health = (overrides: Partial<DependencyHealth>): DependencyHealth => ({
  level: null,
  problems: [],
  latest: "1.0",
  versions: "1.0 locked · latest",
  outdated: false,
  unchecked: null,
  ...overrides,
});

function dependency(overrides: Partial<DependencyInfo>): DependencyInfo {
  return { name: "alpha", requirement: "alpha>=1", line: 4, character: 17, locked: "1.0", installed: null, severity: null, code: null, message: null, health: null, ...overrides };
}

test("the project row's summary names what is wrong, and never calls unchecked packages healthy", () => {
  const found = projectInfo("/w/app", { health: summary({ vulnerable: 2, yanked: 1 }) });
  assert.equal(healthDescription(found), "2 vulnerable · 1 yanked");
  assert.equal(projectRow(found).description, "uv · no environment · 2 vulnerable · 1 yanked");
  assert.equal(healthLine(found), "Health: 2 vulnerable · 1 yanked (3 locked packages checked)");

  const offline = projectInfo("/w/app", { health: summary({ checked: 0, unchecked: 3, offline: true, problem: "http://127.0.0.1:9/simple/alpha/ — offline" }) });
  assert.equal(healthDescription(offline), "health not checked (offline)");
  assert.equal(healthLine(offline), "Health: not checked (offline): http://127.0.0.1:9/simple/alpha/ — offline");

  const partly = projectInfo("/w/app", { health: summary({ checked: 2, unchecked: 1, offline: true, problem: "timed out" }) });
  assert.equal(healthDescription(partly), "1 not checked (offline)");
  assert.equal(healthLine(partly), "Health: no known vulnerabilities or yanked versions (2 locked packages checked; 1 locked package not checked (offline): timed out)");

  const clean = projectInfo("/w/app", { health: summary({ outdated: 1 }) });
  assert.equal(healthDescription(clean), undefined, "a healthy project's row stays quiet");
  assert.equal(projectRow(clean).description, "uv · no environment");
  assert.equal(healthLine(clean), "Health: no known vulnerabilities or yanked versions · 1 outdated (3 locked packages checked)");

  assert.equal(healthLine(projectInfo("/w/app")), "Health: not checked yet", "a lock and no answer yet: not checked");
  assert.equal(healthLine(projectInfo("/w/app", { lockfile: null, manager: "pep621" })), undefined);
  assert.equal(healthLine(projectInfo("/w/app", { health: summary({ checked: 0 }) })), "Health: nothing locked from an index to check");
  assert.ok(projectRow(found).tooltip.endsWith("  \nHealth: 2 vulnerable · 1 yanked \\(3 locked packages checked\\)"));
});

test("a vulnerable dependency: a badge, the warning icon, the advisory linked with its fix, and the versions", () => {
  const row = dependencyRow(
    dependency({ health: health({ level: "warning", problems: [problem({})], latest: "2.0", versions: "1.0 locked · 2.0 latest", outdated: true }) }),
  );
  assert.equal(row.description, ">=1 · locked 1.0 · vulnerable · 2.0 latest");
  assert.deepEqual(row.icon, { id: "warning", color: "list.warningForeground" });
  const lines = row.tooltip.split("  \n");
  assert.deepEqual(lines.slice(-4), [
    "",
    "Vulnerable: [PYSEC\\-2026\\-7](https://osv.dev/vulnerability/PYSEC-2026-7) (CVE\\-2026\\-0007) Path traversal in alpha's loader, fixed in 2\\.0",
    "Fix: upgrade alpha to 2\\.0",
    "Versions: 1\\.0 locked · 2\\.0 latest",
  ]);
});

test("yanked and brought-in problems name the package and the chain; a drift error still wins the icon", () => {
  const yanked = problem({ advisories: [], yanked: true, yankReason: "broken wheel", upgradeTo: "1.1" });
  const brought = problem({ name: "parser", version: "0.9", through: ["tool", "parser"], upgradeTo: null });
  const h = health({ level: "warning", problems: [yanked, brought] });
  assert.deepEqual(healthBadges(h), ["yanked", "parser vulnerable"]);
  assert.deepEqual(healthLines(h).slice(0, 3), [
    "Yanked: broken wheel",
    "Fix: upgrade alpha to 1\\.1",
    "parser 0\\.9, through tool → parser, vulnerable: " + advisoryText(advisory),
  ]);
  assert.equal(healthLines(health({ problems: [problem({ advisories: [], yanked: true, upgradeTo: null })] }))[0], "Yanked (no reason given)");
  const drifted = dependencyRow(dependency({ severity: "error", code: "lock-missing-package", health: h }));
  assert.equal(drifted.icon.id, "error");
  assert.equal(worse("hint", "warning"), "warning");
  assert.equal(worse(null, "information"), "information");
  assert.equal(worse("error", null), "error");
});

test("an unchecked dependency says so; no answer at all adds nothing; a link that is not http(s) is not linked", () => {
  const unchecked = health({ latest: null, versions: null, unchecked: "http://127.0.0.1:9/simple/alpha/ — offline" });
  assert.deepEqual(healthBadges(unchecked), ["health not checked"]);
  assert.deepEqual(healthLines(unchecked), ["Health not checked: http://127\\.0\\.0\\.1:9/simple/alpha/ — offline"]);
  assert.equal(dependencyRow(dependency({})).description, ">=1 · locked 1.0");
  assert.deepEqual(healthBadges(null), []);
  assert.deepEqual(healthLines(null), []);
  assert.equal(healthBadges(health({ latest: "2.0", outdated: false })).length, 0, "not newer: no badge");
  assert.equal(advisoryText({ ...advisory, aliases: [], summary: "", fixedIn: [], link: "javascript:alert(1)" }), "PYSEC\\-2026\\-7, no fixed version");
});
