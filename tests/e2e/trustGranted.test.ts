import assert from "node:assert/strict";
import { join } from "node:path";
import { installedDists, uvProject } from "./harness/fixtures";
import { serveIndexAndLock } from "./harness/loopback";
import { scenario } from "./harness/scenario";
import { step } from "./harness/waits";

// A locked uv project without a venv in a folder opened untrusted: no offer until the person trusts
// it, then the offer comes at once (the helper's project list does not change when trust is granted).
const files = uvProject({ requiresPython: ">=3.10", extra: { ".python-version": "3.12\n" } });
const offer = /Create \.venv with Python 3\.12\.\d+ and install 4 locked packages for demo\?/;

scenario(
  "trust-granted-brings-the-offer",
  { files, settings: { "security.workspace.trust.enabled": true }, prepare: serveIndexAndLock },
  async ({ workbench, workspace }) => {
    await workbench.waitForStatus("No environment");
    const untrusted = (await workbench.notificationsSeen()).filter((toast) => offer.test(toast.text));
    assert.deepEqual(untrusted, [], "no offer in an untrusted folder");

    await workbench.runCommand("Workspaces: Manage Workspace Trust");
    await step("trusting the folder in the Workspace Trust editor", () =>
      workbench.page.getByRole("button", { name: "Trust", exact: true }).first().click({ timeout: 20_000 }),
    );
    await workbench.clickNotificationButton(offer, "Create");
    await workbench.waitForStatus(/^3\.12\.\d+ \(\.venv\)$/, { timeoutMs: 60_000 });
    assert.deepEqual(installedDists(join(workspace, ".venv")), ["alpha-2.0", "beta-1.1", "delta-1.0", "gamma-0.1"]);
  },
);
