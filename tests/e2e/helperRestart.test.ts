import assert from "node:assert/strict";
import { plainProject } from "./harness/fixtures";
import { scenario } from "./harness/scenario";

scenario("helper-restart", { files: plainProject }, async ({ workbench, waitForHelper, helperPids }) => {
  await workbench.waitForStatus("No environment");
  const killed = await waitForHelper();
  const statusTexts = await workbench.recordStatusTexts();

  process.kill(killed, "SIGKILL");
  const restarted = await waitForHelper({ previous: killed });
  await workbench.waitForStatus("No environment");

  const shown = await statusTexts();
  assert.ok(
    shown.some((text) => text !== "No environment"),
    `the status bar should show the crash before it recovers; it showed ${JSON.stringify(shown)}`,
  );
  assert.equal(shown.at(-1), "No environment");
  assert.deepEqual(helperPids(), [restarted], "exactly one helper should run after the restart");
});
