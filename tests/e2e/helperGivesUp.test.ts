import assert from "node:assert/strict";
import { join } from "node:path";
import { plainProject } from "./harness/fixtures";
import { artifactsDir } from "./harness/paths";
import { scenario } from "./harness/scenario";
import { step } from "./harness/waits";

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

  // The Python Projects view lists nothing it can no longer keep current: its welcome says why and
  // offers the way back, which a person takes from there.
  const page = workbench.page;
  await step("the Python Projects view to open from the activity bar", () =>
    page.locator('.activitybar [aria-label^="Python Projects"]').first().click(),
  );
  const welcome = page.locator(".part.sidebar .welcome-view-content");
  await step("the view's welcome for a stopped helper", () =>
    welcome.filter({ hasText: "Lockstep's helper is not running, so no projects can be listed." }).waitFor({ timeout: 30_000 }),
  );
  assert.deepEqual(await welcome.locator(".monaco-button").allInnerTexts(), ["Show Log", "Restart Helper"]);
  assert.equal(await page.locator(".part.sidebar .monaco-list-row").count(), 0, "no project rows while the helper is stopped");
  await workbench.screenshotSideBar(join(artifactsDir(), "helper-gives-up.projects-view.png"));
  await welcome.locator(".monaco-button", { hasText: "Restart Helper" }).click();
  await workbench.waitForStatus("No environment");
  await s.waitForHelper();
  await step("the project back in the view", () =>
    page.locator(".part.sidebar .monaco-list-row .label-name", { hasText: /^demo$/ }).waitFor({ timeout: 30_000 }),
  );
});
