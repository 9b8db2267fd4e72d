import assert from "node:assert/strict";
import { plainProject } from "./harness/fixtures";
import { scenario } from "./harness/scenario";

// Restarts back off (0.5 s doubling) and stop after 5 in 3 minutes: the sixth crash is final.
const RESTARTS = 5;

scenario("helper-gives-up", { files: plainProject, timeoutMs: 180_000 }, async (s) => {
  const { workbench } = s;
  await workbench.waitForStatus("No environment");
  let pid = await s.waitForHelper();
  for (let crash = 1; crash <= RESTARTS; crash++) {
    process.kill(pid, "SIGKILL");
    pid = await s.waitForHelper({ previous: pid });
    await workbench.waitForStatus("No environment");
  }
  process.kill(pid, "SIGKILL");

  await workbench.waitForStatus("Lockstep: helper stopped");
  assert.match((await workbench.statusItem().getAttribute("class")) ?? "", /\berror-kind\b/);
  await workbench.waitForNotification(/helper stopped/);
  assert.deepEqual(s.helperPids(), [], "no helper should be started after it gave up");

  await workbench.statusItem().click();
  await workbench.waitForOutputLine("Lockstep", /helper stopped/);

  await workbench.runCommand("Lockstep: Restart Helper");
  await workbench.waitForStatus("No environment");
  await s.waitForHelper();
});
