// Finding the Python that runs the helper. Pure Node (no VS Code API) so it is unit-tested directly.
import { execFile } from "node:child_process";
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import { delimiter, join, sep } from "node:path";
import { MIN_HELPER_PYTHON } from "./constants";

/** Where the helper's Python came from: said in the log, so a user can tell why this one was used. */
export type PythonSource = "setting" | "PATH";

export interface HelperPython {
  path: string;
  source: PythonSource;
}

export type HelperPythonProblem =
  | { kind: "not-found"; searched: string[] }
  | { kind: "not-runnable"; path: string; source: PythonSource; detail: string }
  | { kind: "too-old"; path: string; source: PythonSource; version: string };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isPyenvShimDir(dir: string): boolean {
  // A pyenv shim is a shell script that picks a version per folder: never a stable interpreter.
  return dir.replace(/[\\/]+$/, "").endsWith(`${sep}shims`);
}

/**
 * The configured interpreter, else the first `python3`/`python` on PATH that is not a pyenv shim,
 * else a shim as the last resort (it still runs a real Python).
 */
export function locateHelperPython(
  configured: string,
  pathEnv: string | undefined,
  platform: NodeJS.Platform = process.platform,
  isExecutable: (path: string) => boolean = isExecutableFile,
): HelperPython | undefined {
  if (configured) return { path: configured, source: "setting" };
  const names = platform === "win32" ? ["python.exe", "python3.exe"] : ["python3", "python"];
  const dirs = (pathEnv ?? "").split(delimiter).filter(Boolean);
  const ordered = [...dirs.filter((d) => !isPyenvShimDir(d)), ...dirs.filter(isPyenvShimDir)];
  for (const dir of ordered) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return { path: candidate, source: "PATH" };
    }
  }
  return undefined;
}

export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function isSupported(version: readonly number[]): boolean {
  const [major = 0, minor = 0] = version;
  const [minMajor, minMinor] = MIN_HELPER_PYTHON;
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/** Runs the interpreter once to read its version: the only way to know a configured path works. */
export function checkHelperPython(python: HelperPython): Promise<HelperPythonProblem | { version: string }> {
  return new Promise((resolve) => {
    execFile(
      python.path,
      ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
      { timeout: 15_000 },
      (error, stdout, stderr) => {
        if (error) {
          const detail = (stderr || error.message).trim().split("\n").pop() ?? error.message;
          resolve({ kind: "not-runnable", path: python.path, source: python.source, detail });
          return;
        }
        const version = parseVersion(stdout);
        if (!version) {
          resolve({ kind: "not-runnable", path: python.path, source: python.source, detail: stdout.trim() });
        } else if (!isSupported(version)) {
          resolve({ kind: "too-old", path: python.path, source: python.source, version: version.join(".") });
        } else {
          resolve({ version: version.join(".") });
        }
      },
    );
  });
}

/** One sentence a person can act on. */
export function describeProblem(problem: HelperPythonProblem): string {
  const minimum = MIN_HELPER_PYTHON.join(".");
  const fix = "install Python from python.org or your system's packages, or set `lockstep.helper.python`";
  switch (problem.kind) {
    case "not-found":
      return `Lockstep needs Python ${minimum} or newer to run its helper, and found no python3 or python on PATH: ${fix}.`;
    case "too-old":
      return `Lockstep needs Python ${minimum} or newer to run its helper; ${problem.path} is Python ${problem.version}: ${fix}.`;
    case "not-runnable":
      return `Lockstep could not run ${problem.path} (from ${problem.source === "setting" ? "lockstep.helper.python" : "PATH"}): ${problem.detail}. Fix the path, or ${fix}.`;
  }
}
