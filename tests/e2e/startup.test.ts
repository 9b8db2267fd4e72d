import assert from "node:assert/strict";
import { plainProject } from "./harness/fixtures";
import { scenario } from "./harness/scenario";

scenario("startup-no-environment", { files: plainProject }, async ({ workbench, waitForHelper }) => {
  await workbench.waitForStatus("No environment");
  await waitForHelper();
  const item = workbench.statusItem();
  assert.match((await item.getAttribute("class")) ?? "", /\bwarning-kind\b/, "the item should have the warning colour");
});
