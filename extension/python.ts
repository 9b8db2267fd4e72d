// Finding the Python that runs the helper. Pure Node (no VS Code API) so it is unit-tested directly.
//
// Order: the setting (it always wins, and a broken one is reported, never replaced); Lockstep's own
// managed install; what the bundled uv finds (it knows pyenv shims, PEP 514 and Store Pythons); then
// PATH, walked past shims, stubs, too-old and broken interpreters. Nothing found: the caller offers
// to install a managed CPython (helperPythonInstall.ts).
import { execFile } from "node:child_process";
import { accessSync, constants as fsConstants, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { MIN_HELPER_PYTHON } from "./constants";

/** Where the helper's Python came from: said in the log, so a user can tell why this one was used. */
export type PythonSource = "setting" | "Lockstep's install" | "uv" | "PATH";

export interface HelperPython {
  path: string;
  source: PythonSource;
}

export type HelperPythonProblem =
  | { kind: "not-found"; rejected: readonly RejectedPython[] }
  | { kind: "not-runnable"; path: string; source: PythonSource; detail: string }
  | { kind: "too-old"; path: string; source: PythonSource; version: string }
  | { kind: "install-failed"; detail: string };

export type RejectedPython = Extract<HelperPythonProblem, { kind: "not-runnable" | "too-old" }>;

export type CheckResult = RejectedPython | { version: string };

/** What finding needs from the machine: running an interpreter, and asking uv. */
export interface PythonProbes {
  check(python: HelperPython): Promise<CheckResult>;
  /** uv's answer for `>=3.10` among Lockstep's installs (`installed`) or anywhere uv looks. */
  uvFind(scope: "installed" | "anywhere"): Promise<string | undefined>;
  /** Executable `python3`/`python` files on PATH, in order, shims and stubs left out. */
  pathCandidates(): string[];
}

export type HelperPythonChoice = { python: HelperPython; version: string } | { problem: HelperPythonProblem };

/** The Python for the helper, or why there is none; every candidate is run once to read its version. */
export async function findHelperPython(configured: string, probes: PythonProbes): Promise<HelperPythonChoice> {
  if (configured) {
    const python: HelperPython = { path: configured, source: "setting" };
    const checked = await probes.check(python);
    return "kind" in checked ? { problem: checked } : { python, version: checked.version };
  }
  const rejected: RejectedPython[] = [];
  const seen = new Set<string>();
  const tryPython = async (python: HelperPython) => {
    if (seen.has(python.path)) return undefined;
    seen.add(python.path);
    const checked = await probes.check(python);
    if ("kind" in checked) {
      rejected.push(checked);
      return undefined;
    }
    return { python, version: checked.version };
  };
  for (const [scope, source] of [["installed", "Lockstep's install"], ["anywhere", "uv"]] as const) {
    const path = await probes.uvFind(scope);
    const found = path && (await tryPython({ path, source }));
    if (found) return found;
  }
  for (const path of probes.pathCandidates()) {
    const found = await tryPython({ path, source: "PATH" });
    if (found) return found;
  }
  return { problem: { kind: "not-found", rejected } };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * PATH folders whose `python` is never an interpreter to run: pyenv shims (a script that picks a
 * version per folder; uv resolves them, this walk does not), Windows' Store aliases (running one
 * opens the Store), and on a Mac without the Command Line Tools /usr/bin (running its python3 opens
 * an install dialog).
 */
export function isStubDir(dir: string, platform: NodeJS.Platform, hasCommandLineTools: boolean): boolean {
  const trimmed = dir.replace(/[\\/]+$/, "");
  if (/[\\/]shims$/.test(trimmed)) return true;
  if (platform === "win32") return /[\\/]Microsoft[\\/]WindowsApps$/i.test(trimmed);
  return platform === "darwin" && !hasCommandLineTools && trimmed === "/usr/bin";
}

/** PATH without the stub folders: what uv searches too, so it never runs a stub either. */
export function discoveryPath(pathEnv: string | undefined, platform: NodeJS.Platform, hasCommandLineTools: boolean): string {
  const separator = pathDelimiter(platform);
  return (pathEnv ?? "")
    .split(separator)
    .filter((dir) => dir && !isStubDir(dir, platform, hasCommandLineTools))
    .join(separator);
}

function pathDelimiter(platform: NodeJS.Platform): string {
  return platform === "win32" ? ";" : ":";
}

/** Every executable `python3`/`python` in the folders of `pathEnv` (already without stubs), in order. */
export function pathCandidates(
  pathEnv: string,
  platform: NodeJS.Platform = process.platform,
  isExecutable: (path: string) => boolean = isExecutableFile,
): string[] {
  const names = platform === "win32" ? ["python.exe", "python3.exe"] : ["python3", "python"];
  const found: string[] = [];
  // `python` is often a link to `python3` beside it: one interpreter, run (and reported) once.
  const targets = new Set<string>();
  for (const dir of pathEnv.split(pathDelimiter(platform)).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (!isExecutable(candidate)) continue;
      const target = realpathOr(candidate);
      if (targets.has(target)) continue;
      targets.add(target);
      found.push(candidate);
    }
  }
  return found;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
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

/** `uv python find`'s request: the helper's minimum. */
export function helperPythonRequest(): string {
  return `>=${MIN_HELPER_PYTHON.join(".")}`;
}

/** Runs the interpreter once to read its version: the only way to know a path works. */
export function checkHelperPython(python: HelperPython): Promise<CheckResult> {
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

function describeRejected(problem: RejectedPython): string {
  return problem.kind === "too-old" ? `${problem.path} is ${problem.version}` : `${problem.path} does not run`;
}

/** One sentence a person can act on. */
export function describeProblem(problem: HelperPythonProblem): string {
  const minimum = MIN_HELPER_PYTHON.join(".");
  const fix = "install Python from python.org or your system's packages, or set `lockstep.helper.python`";
  switch (problem.kind) {
    case "not-found": {
      const seen = problem.rejected.length ? ` (${problem.rejected.map(describeRejected).join("; ")})` : "";
      return `Lockstep needs Python ${minimum} or newer to run its helper and found none${seen}: ${fix}, or run Lockstep: Restart Helper to be offered a managed one.`;
    }
    case "install-failed":
      return `Installing Python for Lockstep's helper failed: ${problem.detail}`;
    case "too-old":
      return `Lockstep needs Python ${minimum} or newer to run its helper; ${problem.path} is Python ${problem.version}: ${fix}.`;
    case "not-runnable":
      return `Lockstep could not run ${problem.path} (from ${problem.source === "setting" ? "lockstep.helper.python" : problem.source}): ${problem.detail}. Fix the path, or ${fix}.`;
  }
}
