import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { uvProject } from "./harness/fixtures";
import { serveIndexAndLock } from "./harness/loopback";
import { devUv } from "./harness/paths";
import { scenario } from "./harness/scenario";
import { waitFor } from "./harness/waits";

const files = uvProject({ requiresPython: ">=3.10", extra: { ".python-version": "3.12\n" } });

interface Entry {
  level: string;
  /** The message, its continuation lines included. */
  text: string;
}

/** The log file's entries: a line starting with a timestamp starts one, the lines after it belong to it. */
function entries(log: string): Entry[] {
  const found: Entry[] = [];
  for (const line of log.split("\n")) {
    const start = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[(\w+)\] (.*)$/.exec(line);
    if (start) found.push({ level: start[1], text: start[2] });
    else if (found.length > 0 && line !== "") found.at(-1)!.text += `\n${line}`;
  }
  return found;
}

scenario(
  "output-log",
  {
    files,
    settings: { "lockstep.autoCreate": "always" },
    prepare: async (p) => ({ index: await serveIndexAndLock(p), uvCache: join(p.dirs.root, "uv-cache") }),
    timeoutMs: 180_000,
  },
  async ({ workbench, workspace, waitForHelper, lockstepLog, prepared: { index, uvCache } }) => {
    await workbench.waitForStatus(/^3\.12\.\d+ \(\.venv\)/, { timeoutMs: 60_000 });
    await workbench.runCommand("Lockstep: Sync Environment");
    await workbench.waitForNotificationSeen(".venv is in sync.");

    const before = await waitForHelper();
    await workbench.runCommand("Lockstep: Restart Helper");
    await waitForHelper({ previous: before });
    await workbench.waitForStatus(/^3\.12\.\d+ \(\.venv\)/);
    const afterRestart = lockstepLog().length;

    // A package removed from outside, and nowhere to get it back from: the sync fails.
    await index.stop();
    rmSync(uvCache, { recursive: true, force: true });
    await promisify(execFile)(devUv(), ["pip", "uninstall", "--python", join(workspace, ".venv", "bin", "python"), "beta"]);
    await workbench.runCommand("Lockstep: Sync Environment");
    await workbench.waitForNotification("uv sync failed");

    const log = await waitFor("the failure in the Lockstep log", async () => {
      const text = lockstepLog();
      return /\[error\] uv sync failed/.test(text) ? { ok: true, value: text } : { ok: false, seen: text.slice(-400) };
    });
    const all = entries(log);
    const texts = all.map((entry) => entry.text);
    assert.ok(all.length > 5, `the log should have entries:\n${log}`);
    assert.ok(!/\n\s*\n/.test(log), `no blank lines between entries:\n${log}`);
    assert.deepEqual(texts.filter((text) => text.startsWith("Installing packages")), [], "no progress counts in the log");
    assert.deepEqual(texts.filter((text) => /^\[(Error|Warn|Info|Debug)\s*-/.test(text)), [], "no second timestamp");
    assert.deepEqual(texts.filter((text) => /Cancel notification/.test(text)), []);
    assert.ok(!/exited with code 0/.test(log.slice(afterRestart)), `no error for a deliberate restart:\n${log}`);

    const installed = all.find((entry) => /^Installed \d+ packages?/.test(entry.text));
    assert.ok(installed, `uv's "Installed N packages" should be logged:\n${log}`);
    assert.equal(installed.level, "info");
    assert.match(installed.text, /\n \+ alpha==2\.0\n/, "the installed packages belong to the same entry");

    const failure = all.find((entry) => entry.level === "error" && /^error: /.test(entry.text));
    assert.ok(failure, `uv's error should be one [error] entry:\n${log}`);
    assert.match(failure.text, /\n\s+(Caused by|cause): /, "its causes stay with it");
    const summary = all.find((entry) => entry.text.startsWith("uv sync failed"));
    assert.equal(summary?.level, "error", "a failure is logged as an error");

    await workbench.runCommand("Lockstep: Show Log");
    await workbench.waitForOutputLine("Lockstep", /\[error\] uv sync failed/);
  },
);
