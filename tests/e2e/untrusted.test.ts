import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { uvProject } from "./harness/fixtures";
import { serveIndexAndLock } from "./harness/loopback";
import { scenario } from "./harness/scenario";

// A locked uv project that autoCreate would set up at once if the folder were trusted, and a
// malformed pyproject.toml below it (line 2: a value must follow "=").
const files = uvProject({
  requiresPython: ">=3.10",
  extra: { ".python-version": "3.12\n", "tools/broken/pyproject.toml": "[project]\nname = \n" },
});

scenario(
  "untrusted-runs-nothing",
  {
    files,
    settings: { "security.workspace.trust.enabled": true, "lockstep.autoCreate": "always" },
    prepare: serveIndexAndLock,
  },
  async ({ workbench, workspace, prepared: index }) => {
    const locked = index.requests().length; // uv lock, before the editor started
    await workbench.waitForStatus("No environment");
    const problem = await workbench.waitForProblem("from lockstep", (row) => row.text.includes("toml-syntax"));
    assert.match(problem.text, /\[Ln 2, Col 8\]$/);

    await workbench.runCommand("Lockstep: Create Environment");
    await workbench.waitForNotification("only in trusted workspaces");

    assert.equal(existsSync(join(workspace, ".venv")), false, "no venv should be made in an untrusted folder");
    const progress = (await workbench.notificationsSeen()).filter((toast) => toast.progress);
    assert.deepEqual(progress, [], "no environment operation should have started");
    assert.deepEqual(index.requests().slice(locked), [], "nothing should be fetched from the package index");
  },
);
