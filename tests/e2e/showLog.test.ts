import assert from "node:assert/strict";
import { plainProject } from "./harness/fixtures";
import { scenario } from "./harness/scenario";

scenario("show-log", { files: plainProject }, async ({ workbench, waitForHelper }) => {
  await workbench.waitForStatus("No environment");
  const pid = await waitForHelper();
  await workbench.runCommand("Lockstep: Show Log");
  const line = await workbench.waitForOutputLine("Lockstep", /Lockstep helper \d+\.\d+\.\d+ started \(Python \d+\.\d+\.\d+, pid \d+\)/);
  assert.ok(line.includes(`pid ${pid})`), `the start-up line should name the running helper ${pid}: ${line}`);
});
