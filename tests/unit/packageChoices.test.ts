import assert from "node:assert/strict";
import { test } from "node:test";
import { packageChoices, searchNote, upgradeChoices, versionChoices } from "../../extension/projectsView/packageChoices";
import type { DependencyInfo, PackageVersion, SearchPackagesResult } from "../../extension/protocol";

const versions: PackageVersion[] = [
  { version: "2.0rc1", prerelease: true, yanked: false, yankReason: null },
  { version: "1.1", prerelease: false, yanked: false, yankReason: null },
  { version: "1.0", prerelease: false, yanked: true, yankReason: "broken wheel" },
];

function result(overrides: Partial<SearchPackagesResult>): SearchPackagesResult {
  return { indexes: ["http://127.0.0.1:9/simple"], packages: [], versions: null, index: null, offline: false, problem: null, ...overrides };
}

test("the exact name comes first with its newest final version and the index's host; no as-typed item", () => {
  const found = result({
    packages: [
      { name: "web", source: "index" },
      { name: "web-tools", source: "lock" },
      { name: "cobweb", source: "listing" },
    ],
    versions,
    index: "http://127.0.0.1:9/simple",
  });
  assert.deepEqual(
    packageChoices("Web", found).map((choice) => [choice.label, choice.description, choice.name]),
    [
      ["web", "1.1 · on 127.0.0.1:9", "web"],
      ["web-tools", "in the lock", "web-tools"],
      ["cobweb", "on the index", "cobweb"],
    ],
  );
});

test("what was typed is offered as it stands: a requirement, a name not found, a name while offline", () => {
  const typed = packageChoices("web>=1", result({ packages: [{ name: "web", source: "index" }] }));
  assert.deepEqual(typed[0], { label: "web>=1", description: "requirement as typed", requirement: "web>=1", name: null });
  assert.equal(typed[1].name, "web");
  assert.deepEqual(packageChoices("nothing", result({}))[0].description, "not found on the index: add as typed");
  const offline = packageChoices("httpx", result({ offline: true, problem: "cannot connect" }));
  assert.deepEqual(offline, [{ label: "httpx", description: "add as typed", requirement: "httpx", name: null }]);
  // Accepted before the search answers: the version step still looks the name up.
  assert.equal(packageChoices("Web_Tools", undefined)[0].name, "web-tools");
  assert.deepEqual(packageChoices("  ", undefined), []);
});

test("offline says so and how to go on; a problem is shown as it is", () => {
  assert.equal(
    searchNote(result({ offline: true, problem: "cannot connect" })),
    "Offline (cannot connect): type a name, or a requirement like httpx>=0.27",
  );
  assert.equal(searchNote(result({ problem: "Lockstep searches package indexes only in a trusted workspace" })), "Lockstep searches package indexes only in a trusted workspace");
  assert.equal(searchNote(result({})), undefined);
});

test("the version step: newest allowed first, then each version pinned, pre-releases and yanks marked", () => {
  assert.deepEqual(versionChoices("web", versions), [
    { label: "Newest allowed", description: "1.1 today; the manager writes its usual lower bound", requirement: "web" },
    { label: "2.0rc1", description: "pre-release", requirement: "web==2.0rc1" },
    { label: "1.1", description: "", requirement: "web==1.1" },
    { label: "1.0", description: "yanked: broken wheel", requirement: "web==1.0" },
  ]);
});

const web: DependencyInfo = {
  name: "web",
  requirement: "web>=1",
  line: 4,
  character: 3,
  locked: "1.1",
  installed: "1.1",
  severity: null,
  code: null,
  message: null,
  health: null,
};

test("Upgrade's version step: newest allowed, then the index's versions with the locked one marked", () => {
  assert.deepEqual(upgradeChoices(web, versions), [
    { label: "Newest allowed", description: "what web>=1 allows", version: null },
    { label: "2.0rc1", description: "pre-release", version: "2.0rc1" },
    { label: "1.1", description: "locked", version: "1.1" },
    { label: "1.0", description: "yanked: broken wheel", version: "1.0" },
  ]);
  // A lock forked by markers holds several versions: each is marked.
  assert.equal(upgradeChoices({ ...web, locked: "1.0, 1.1" }, versions)[3].description, "locked · yanked: broken wheel");
});

test("Upgrade's version step with nothing from the index: a version typed instead", () => {
  assert.deepEqual(upgradeChoices(web, []), [
    { label: "Newest allowed", description: "what web>=1 allows", version: null },
    { label: "A chosen version…", description: "locked: 1.1", version: "typed" },
  ]);
});
