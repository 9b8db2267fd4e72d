import assert from "node:assert/strict";
import { test } from "node:test";
import { clientEntry, StderrEntries } from "../../extension/logEntries";

test("the client's prefix becomes the entry's level, without its second timestamp", () => {
  assert.deepEqual(clientEntry("[Error - 10:04:31 PM] Installing the locked packages failed: x"), {
    level: "error",
    message: "Installing the locked packages failed: x",
  });
  assert.deepEqual(clientEntry("[Warn  - 22:04:31] Rejected a message"), { level: "warn", message: "Rejected a message" });
  assert.deepEqual(clientEntry("[Info  - 22:04:31] Synced."), { level: "info", message: "Synced." });
  assert.deepEqual(clientEntry("[Debug - 22:04:31] detail"), { level: "debug", message: "detail" });
  assert.deepEqual(clientEntry("plain text"), { level: "info", message: "plain text" });
});

test("a multi-line message stays one entry", () => {
  const message = "error: Failed to fetch\n  Caused by: Connection refused";
  assert.deepEqual(clientEntry(`[Error - 22:04:31] ${message}`), { level: "error", message });
});

test("a clean exit is not an error", () => {
  assert.equal(clientEntry("[Error - 22:04:31] Server process exited with code 0.")?.level, "debug");
  assert.equal(clientEntry("[Error - 22:04:31] Server process exited with code 1.")?.level, "error");
  assert.equal(clientEntry("[Error - 22:04:31] Server process exited with signal SIGKILL.")?.level, "error");
});

test("an empty line is no entry", () => {
  assert.equal(clientEntry(""), undefined);
  assert.equal(clientEntry("[Info  - 22:04:31] "), undefined);
});

test("stderr chunks become whole entries, with no trailing blank line", () => {
  const stderr = new StderrEntries();
  assert.deepEqual(stderr.push("Lockstep helper 0.1.0 sta"), []);
  assert.deepEqual(stderr.push("rted (Python 3.11.9, pid 7)\n"), [
    { level: "info", message: "Lockstep helper 0.1.0 started (Python 3.11.9, pid 7)" },
  ]);
  assert.deepEqual(stderr.push("WARNING pyhelper.server: slow\n"), [{ level: "warn", message: "WARNING pyhelper.server: slow" }]);
  const traceback = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: no\n';
  assert.deepEqual(stderr.push(traceback), [{ level: "error", message: traceback.trimEnd() }]);
  assert.deepEqual(stderr.push("last words"), []);
  assert.deepEqual(stderr.flush(), [{ level: "info", message: "last words" }]);
  assert.deepEqual(stderr.flush(), []);
});
