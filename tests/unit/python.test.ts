import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  checkHelperPython,
  type CheckResult,
  describeProblem,
  discoveryPath,
  findHelperPython,
  type HelperPython,
  isStubDir,
  isSupported,
  parseVersion,
  pathCandidates,
  type PythonProbes,
} from "../../extension/python";

function executable(dir: string, name: string, body = "#!/bin/sh\nexit 0\n"): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

/** Probes answering from a table of path -> version ("broken": does not run); records what ran. */
function probes(
  versions: Record<string, string>,
  uv: { installed?: string; anywhere?: string },
  onPath: string[],
): PythonProbes & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    check: async (python: HelperPython): Promise<CheckResult> => {
      ran.push(python.path);
      const version = versions[python.path];
      if (!version || version === "broken") {
        return { kind: "not-runnable", path: python.path, source: python.source, detail: "exit 1" };
      }
      return isSupported(parseVersion(version)!)
        ? { version }
        : { kind: "too-old", path: python.path, source: python.source, version };
    },
    uvFind: async (scope) => uv[scope],
    pathCandidates: () => onPath,
  };
}

test("the setting wins, even when it is too old: nothing else is tried", async () => {
  const machine = probes({ "/opt/py38": "3.8.18", "/usr/bin/python3": "3.12.1" }, { anywhere: "/usr/bin/python3" }, []);
  assert.deepEqual(await findHelperPython("/opt/py38", machine), {
    problem: { kind: "too-old", path: "/opt/py38", source: "setting", version: "3.8.18" },
  });
  assert.deepEqual(machine.ran, ["/opt/py38"]);
  const good = probes({ "/opt/py312": "3.12.1" }, { installed: "/store/python" }, []);
  assert.deepEqual(await findHelperPython("/opt/py312", good), {
    python: { path: "/opt/py312", source: "setting" },
    version: "3.12.1",
  });
});

test("Lockstep's own install comes first, then uv's answer, then PATH", async () => {
  const versions = { "/store/python3": "3.12.1", "/home/u/.local/bin/python3.13": "3.13.0", "/usr/bin/python3": "3.11.2" };
  const all = probes(versions, { installed: "/store/python3", anywhere: "/home/u/.local/bin/python3.13" }, ["/usr/bin/python3"]);
  assert.deepEqual(await findHelperPython("", all), {
    python: { path: "/store/python3", source: "Lockstep's install" },
    version: "3.12.1",
  });
  const noStore = probes(versions, { anywhere: "/home/u/.local/bin/python3.13" }, ["/usr/bin/python3"]);
  assert.deepEqual((await findHelperPython("", noStore)) as unknown, {
    python: { path: "/home/u/.local/bin/python3.13", source: "uv" },
    version: "3.13.0",
  });
  const noUv = probes(versions, {}, ["/usr/bin/python3"]);
  assert.deepEqual(await findHelperPython("", noUv), { python: { path: "/usr/bin/python3", source: "PATH" }, version: "3.11.2" });
});

test("PATH is walked past too-old and broken interpreters; each runs once", async () => {
  // stock macOS: /usr/bin/python3 is 3.9, Homebrew's 3.12 comes later on PATH
  const mac = probes(
    { "/usr/bin/python3": "3.9.6", "/usr/local/bin/python3": "broken", "/opt/homebrew/bin/python3": "3.12.4" },
    { anywhere: "/usr/local/bin/python3" },
    ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"],
  );
  assert.deepEqual(await findHelperPython("", mac), {
    python: { path: "/opt/homebrew/bin/python3", source: "PATH" },
    version: "3.12.4",
  });
  assert.deepEqual(mac.ran, ["/usr/local/bin/python3", "/usr/bin/python3", "/opt/homebrew/bin/python3"]);
});

test("none found: every rejected interpreter is named in the message", async () => {
  const old = probes({ "/p/3.8/bin/python3": "3.8.18", "/p/3.8/bin/python": "3.8.18", "/x/python3": "broken" }, {}, [
    "/p/3.8/bin/python3",
    "/x/python3",
  ]);
  const choice = await findHelperPython("", old);
  assert.ok("problem" in choice);
  assert.equal(choice.problem.kind, "not-found");
  assert.equal(
    describeProblem(choice.problem),
    "Lockstep needs Python 3.10 or newer to run its helper and found none (/p/3.8/bin/python3 is 3.8.18; " +
      "/x/python3 does not run): install Python from python.org or your system's packages, or set " +
      "`lockstep.helper.python`, or run Lockstep: Restart Helper to be offered a managed one.",
  );
  assert.equal(describeProblem({ kind: "not-found", rejected: [] }).includes("found none:"), true);
});

test("stub folders: pyenv shims, Windows Store aliases, /usr/bin on a Mac without the Command Line Tools", () => {
  assert.equal(isStubDir("/home/u/.pyenv/shims", "linux", true), true);
  assert.equal(isStubDir("/home/u/.pyenv/shims/", "darwin", true), true);
  assert.equal(isStubDir("C:\\Users\\u\\.pyenv\\pyenv-win\\shims", "win32", true), true);
  assert.equal(isStubDir("C:\\Users\\u\\AppData\\Local\\Microsoft\\WindowsApps", "win32", true), true);
  assert.equal(isStubDir("C:\\Users\\u\\AppData\\Local\\Programs\\Python\\Python312", "win32", true), false);
  assert.equal(isStubDir("/usr/bin", "darwin", false), true);
  assert.equal(isStubDir("/usr/bin", "darwin", true), false);
  assert.equal(isStubDir("/usr/bin", "linux", false), false);
  assert.equal(
    discoveryPath("/home/u/.pyenv/shims:/usr/bin:/opt/homebrew/bin", "darwin", false),
    "/opt/homebrew/bin",
  );
  assert.equal(
    discoveryPath("C:\\Windows;C:\\Users\\u\\AppData\\Local\\Microsoft\\WindowsApps;C:\\Python312", "win32", true),
    "C:\\Windows;C:\\Python312",
  );
  assert.equal(discoveryPath(undefined, "linux", true), "");
});

test("PATH candidates: in order, python3 before python, only executable files, each interpreter once", () => {
  const root = mkdtempSync(join(tmpdir(), "lockstep-python-"));
  const a = executable(join(root, "a"), "python");
  const b3 = executable(join(root, "b"), "python3");
  const b = executable(join(root, "b"), "python");
  writeFileSync(join(root, "c-python3"), "");
  mkdirSync(join(root, "d", "python3"), { recursive: true });
  const pathEnv = [join(root, "a"), join(root, "empty"), join(root, "b"), join(root, "d"), join(root, "a")].join(":");
  assert.deepEqual(pathCandidates(pathEnv, "linux"), [a, b3, b]);
  mkdirSync(join(root, "e"));
  symlinkSync(b3, join(root, "e", "python3"));
  assert.deepEqual(pathCandidates(`${join(root, "b")}:${join(root, "e")}`, "linux"), [b3, b], "a link to a seen one is the same");
  assert.deepEqual(pathCandidates("", "linux"), []);
});

test("versions: parsing and the 3.10 minimum", () => {
  assert.deepEqual(parseVersion("3.12.7\n"), [3, 12, 7]);
  assert.equal(parseVersion("Python"), undefined);
  assert.equal(isSupported([3, 10, 0]), true);
  assert.equal(isSupported([3, 9, 18]), false);
  assert.equal(isSupported([4, 0, 0]), true);
  assert.equal(isSupported([2, 7, 18]), false);
});

test("checking an interpreter runs it: a real old pyenv Python, a broken script, a missing path", async () => {
  const root = mkdtempSync(join(tmpdir(), "lockstep-python-"));
  const pyenv38 = join(process.env.PYENV_ROOT || join(homedir(), ".pyenv"), "versions", "3.8.18", "bin", "python3.8");
  assert.ok(existsSync(pyenv38), `this test runs pyenv's real 3.8: ${pyenv38}`);
  const broken = executable(root, "broken-python", "#!/bin/sh\necho 'boom: no such module' >&2\nexit 3\n");
  const tooOld = await checkHelperPython({ path: pyenv38, source: "setting" });
  assert.deepEqual(tooOld, { kind: "too-old", path: pyenv38, source: "setting", version: "3.8.18" });
  assert.match(describeProblem(tooOld as never), /needs Python 3\.10 or newer.*is Python 3\.8\.18/);
  const failed = await checkHelperPython({ path: broken, source: "PATH" });
  assert.equal("kind" in failed && failed.kind, "not-runnable");
  assert.match(describeProblem(failed as never), /could not run .*broken-python \(from PATH\): boom: no such module/);
  const missing = await checkHelperPython({ path: join(root, "nope"), source: "setting" });
  assert.match(describeProblem(missing as never), /from lockstep\.helper\.python/);
});
