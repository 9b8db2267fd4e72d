import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { test } from "node:test";
import {
  checkHelperPython,
  describeProblem,
  isSupported,
  locateHelperPython,
  parseVersion,
} from "../../extension/python";

function executable(dir: string, name: string, body = "#!/bin/sh\nexit 0\n"): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

test("the setting wins over PATH", () => {
  const found = locateHelperPython("/opt/py/bin/python3", "/usr/bin", "linux", () => true);
  assert.deepEqual(found, { path: "/opt/py/bin/python3", source: "setting" });
});

test("PATH is searched in order, python3 before python, and pyenv shims last", () => {
  const root = mkdtempSync(join(tmpdir(), "lockstep-python-"));
  const shims = join(root, ".pyenv", "shims");
  executable(shims, "python3");
  executable(join(root, "a"), "python");
  const real = executable(join(root, "b"), "python3");
  const pathEnv = [shims, join(root, "empty"), join(root, "a"), join(root, "b")].join(delimiter);
  assert.deepEqual(locateHelperPython("", pathEnv, "linux"), { path: join(root, "a", "python"), source: "PATH" });
  assert.deepEqual(locateHelperPython("", [shims, join(root, "b")].join(delimiter), "linux"), {
    path: real,
    source: "PATH",
  });
  assert.deepEqual(locateHelperPython("", shims, "linux"), { path: join(shims, "python3"), source: "PATH" });
});

test("a file that is not executable, or a folder, is not a Python", () => {
  const root = mkdtempSync(join(tmpdir(), "lockstep-python-"));
  writeFileSync(join(root, "python3"), "");
  mkdirSync(join(root, "python"));
  assert.equal(locateHelperPython("", root, "linux"), undefined);
  assert.equal(locateHelperPython("", undefined, "linux"), undefined);
});

test("versions: parsing and the 3.10 minimum", () => {
  assert.deepEqual(parseVersion("3.12.7\n"), [3, 12, 7]);
  assert.equal(parseVersion("Python"), undefined);
  assert.equal(isSupported([3, 10, 0]), true);
  assert.equal(isSupported([3, 9, 18]), false);
  assert.equal(isSupported([4, 0, 0]), true);
  assert.equal(isSupported([2, 7, 18]), false);
});

test("checking a real interpreter reads its version; a broken or old one is described", async () => {
  const root = mkdtempSync(join(tmpdir(), "lockstep-python-"));
  const old = executable(root, "old-python", "#!/bin/sh\necho 3.8.10\n");
  const broken = executable(root, "broken-python", "#!/bin/sh\necho 'boom: no such module' >&2\nexit 3\n");
  const tooOld = await checkHelperPython({ path: old, source: "setting" });
  assert.deepEqual(tooOld, { kind: "too-old", path: old, source: "setting", version: "3.8.10" });
  assert.match(describeProblem(tooOld as never), /needs Python 3\.10 or newer.*is Python 3\.8\.10/);
  const failed = await checkHelperPython({ path: broken, source: "PATH" });
  assert.equal("kind" in failed && failed.kind, "not-runnable");
  assert.match(describeProblem(failed as never), /could not run .*broken-python \(from PATH\): boom: no such module/);
  const missing = await checkHelperPython({ path: join(root, "nope"), source: "setting" });
  assert.match(describeProblem(missing as never), /from lockstep\.helper\.python/);
  assert.match(describeProblem({ kind: "not-found", searched: [] }), /found no python3 or python on PATH/);
});
