// The extension as users get it: dist/lockstep.vsix from `npm run package`, made once per test run:
// the first scenario file packages, the others of the same `node --test` run reuse it, and so does a
// later run while it is newer than every source.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths";
import { withLock } from "./locks";
import { readProcess } from "./processes";

const vsixPath = join(repoRoot, "dist", "lockstep.vsix");
const runMarker = `${vsixPath}.e2e-run`;
const inputs = ["package.json", "package-lock.json", ".vscodeignore", "LICENSE", "README.md",
  "scripts/build.mjs", "extension", "pyhelper"];
const skippedDirs = new Set(["node_modules", "__pycache__", ".mypy_cache", ".ruff_cache",
  ".pytest_cache", "build", "dist"]);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((entry) => !skippedDirs.has(entry) && !entry.endsWith(".egg-info"))
    .reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function isFresh(): boolean {
  if (!existsSync(vsixPath)) return false;
  const built = statSync(vsixPath).mtimeMs;
  return inputs.every((input) => newestMtime(join(repoRoot, input)) <= built);
}

/** The `node --test` run this process belongs to (each test file runs in a child of the runner). */
function testRun(): string | undefined {
  if (!process.env.NODE_TEST_CONTEXT) return undefined;
  const runner = readProcess(process.ppid);
  return runner && `${runner.pid}@${runner.startTime}`;
}

/** The VSIX to install: $LOCKSTEP_E2E_VSIX as given, else dist/lockstep.vsix, packaged if stale. */
export async function extensionVsix(): Promise<string> {
  const given = process.env.LOCKSTEP_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`LOCKSTEP_E2E_VSIX=${given} does not exist`);
    return given;
  }
  mkdirSync(dirname(vsixPath), { recursive: true });
  return withLock(join(dirname(vsixPath), ".e2e-package.lock"), "packaging the extension", 600_000, async () => {
    // Once per run: every scenario of a run tests the same build, even if sources change meanwhile.
    const run = testRun();
    const sameRun = run !== undefined && existsSync(vsixPath) && readIfExists(runMarker) === run;
    if (sameRun || isFresh()) return vsixPath;
    const started = Date.now();
    try {
      await promisify(execFile)("npm", ["run", "package"], {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      });
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run package failed:\n${stdout}\n${stderr}`, { cause: error });
    }
    writeFileSync(runMarker, run ?? "");
    console.log(`e2e: packaged ${vsixPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return vsixPath;
  });
}
