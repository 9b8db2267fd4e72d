import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { uvProject } from "./harness/fixtures";
import { lockAgainst, serveIndex, type Advisory } from "./harness/loopback";
import { ProjectsView } from "./harness/projectsView";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

// A uv project whose lock holds alpha 1.0, which the loopback index's JSON API calls vulnerable (fixed in
// 2.0): the squiggle, the Problems row and the hover name the advisory; the Projects view's row has the
// badge; the quick fix runs real uv against the index, and the lock holds 2.0 with nothing left to say.
const files = uvProject({ requiresPython: ">=3.10", dependencies: ["alpha>=1"] });
const DEPENDENCIES_LINE = 5; // 1-based, in the fixture's pyproject.toml
const ADVISORY: Advisory = {
  name: "alpha",
  version: "1.0",
  id: "PYSEC-2026-7",
  aliases: ["CVE-2026-0007"],
  summary: "Path traversal in alpha's loader",
  fixed_in: ["2.0"],
  link: "https://osv.dev/vulnerability/PYSEC-2026-7",
};

function lockedAlpha(workspace: string): string | undefined {
  return readFileSync(join(workspace, "uv.lock"), "utf8").match(/\nname = "alpha"\nversion = "([^"]+)"/)?.[1];
}

scenario(
  "health-vulnerable-upgrade",
  {
    files,
    settings: { "lockstep.autoCreate": "never" },
    prepare: async (p) => {
      const index = await serveIndex(p, [], [ADVISORY]);
      // Locked as it was before alpha 2.0 came out: uv prefers the version named for `alpha>=1`.
      await lockAgainst(p, index, ".", ["--upgrade-package", "alpha==1.0"]);
      return index;
    },
    timeoutMs: 150_000,
  },
  async ({ workbench, workspace, waitForHelper, prepared: index }) => {
    assert.equal(lockedAlpha(workspace), "1.0");
    await waitForHelper();
    const problem = await workbench.waitForProblem("with lock-vulnerable naming the advisory", (row) =>
      row.text.includes("lockstep lock-vulnerable") && row.text.includes("PYSEC-2026-7"),
    );
    assert.match(problem.label, /^Warning: /);

    await workbench.openFile("pyproject.toml");
    await workbench.waitForSquiggle("pyproject.toml", DEPENDENCIES_LINE, "warning");
    const line = readFileSync(join(workspace, "pyproject.toml"), "utf8").split("\n")[DEPENDENCIES_LINE - 1];
    const onAlpha = line.indexOf('"alpha>=1"') + 3; // 1-based column inside "alpha"
    const hover = await workbench.editorHover(DEPENDENCIES_LINE, onAlpha, "PYSEC-2026-7");
    assert.match(hover, /PYSEC-2026-7 \(CVE-2026-0007\) Path traversal in alpha's loader, fixed in 2\.0/);
    await workbench.page.keyboard.press("Escape");

    const view = new ProjectsView(workbench);
    await view.open();
    await view.waitForRow("demo", "uv · no environment · 1 vulnerable");
    await view.expand("demo");
    await view.waitForRow("demo/main/alpha", ">=1 · locked 1.0 · vulnerable · 2.0 latest", "warning");
    const tooltip = await view.tooltip("demo/main/alpha");
    assert.match(tooltip, /Vulnerable: PYSEC-2026-7 \(CVE-2026-0007\) Path traversal in alpha's loader, fixed in 2\.0/);
    assert.match(tooltip, /Versions: 1\.0 locked · 2\.0 latest/);
    // The view with its badge and the row's tooltip, for the README and reviewers.
    await view.screenshot("health-vulnerable-upgrade", "badges");

    // The quick fix on the requirement: `uv lock --upgrade-package alpha==2.0` against the loopback index.
    await workbench.goTo(DEPENDENCIES_LINE, onAlpha);
    await workbench.runCodeAction("Upgrade alpha to 2.0");
    await workbench.waitForNotificationSeen("Upgrading alpha to 2.0 in demo", { progress: true });
    await view.waitForRow("demo/main/alpha", ">=1 · locked 2.0", "package");
    await view.waitForRow("demo", "uv · no environment");
    await waitFor("no Problems panel row with lock-vulnerable", async () => {
      const rows = (await workbench.problems()).filter((row) => row.text.includes("lock-vulnerable"));
      return rows.length === 0 ? { ok: true, value: undefined } : { ok: false, seen: rows.map((row) => row.text) };
    });
    assert.equal(lockedAlpha(workspace), "2.0");
    assert.ok(index.requests().includes("/pypi/alpha/2.0/json"), "the new lock was checked again");
  },
);
