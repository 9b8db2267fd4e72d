// Loopback servers as child processes (tests/e2e/loopback.py): the package index of
// tests/support/index.py and a python-build-standalone mirror with a real archive. Each prints where
// it is, then one line per request it receives; stopping sends SIGTERM and waits for the exit.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { devPython, devUv, e2eCache, repoRoot } from "./paths";
import type { Preparation } from "./scenario";
import { GiveUp, step, waitFor } from "./waits";

const live = new Set<ChildProcess>();
process.on("exit", () => live.forEach((child) => child.kill("SIGKILL")));

export class LoopbackServer<Info> {
  private readonly log: string[] = [];
  private stderr = "";
  private info_: Info | undefined;

  private constructor(
    readonly what: string,
    private readonly child: ChildProcess,
  ) {}

  /** What the server said about itself on its first line. */
  get info(): Info {
    if (this.info_ === undefined) throw new Error(`${this.what} has not started`);
    return this.info_;
  }

  /** URL paths requested so far, in order. */
  requests(): string[] {
    return [...this.log];
  }

  static async start<Info>(what: string, args: string[], timeoutMs = 120_000): Promise<LoopbackServer<Info>> {
    const child = spawn(devPython(), ["-m", "tests.e2e.loopback", ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    child.once("exit", () => live.delete(child));
    const server = new LoopbackServer<Info>(what, child);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (server.info_ === undefined) server.info_ = JSON.parse(line) as Info;
      else if (line.startsWith("request ")) server.log.push(line.slice("request ".length));
    });
    child.stderr!.on("data", (chunk: Buffer) => (server.stderr += chunk.toString()));
    try {
      await waitFor(
        `${what} to start`,
        async () => {
          if (server.info_ !== undefined) return { ok: true, value: undefined };
          if (child.exitCode !== null) throw new GiveUp(`${what} exited (${child.exitCode}):\n${server.stderr}`);
          return { ok: false, seen: server.stderr.split("\n").slice(-3) };
        },
        { timeoutMs, intervalMs: 50 },
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface IndexInfo {
  /** The simple-index URL. */
  url: string;
  /** Variables that point uv and pip at this index only (PackageIndex.environ). */
  environ: Record<string, string>;
  /** Variables to remove because they would point uv elsewhere. */
  unset: string[];
}

/** A vulnerability the index's PyPI JSON API gives a release (PyPI's field names). */
export interface Advisory {
  name: string;
  version: string;
  id: string;
  aliases?: string[];
  summary?: string;
  fixed_in: string[];
  link?: string;
}

/**
 * The package index, with `uvCache` as the UV_CACHE_DIR of its environment; each of `poetryProjects`
 * (absolute folders) gets tests/support/projects.py's Poetry project, locked against this index; each of
 * `advisories` is served for its release.
 */
export function startPackageIndex(
  uvCache: string,
  poetryProjects: readonly string[] = [],
  advisories: readonly Advisory[] = [],
): Promise<LoopbackServer<IndexInfo>> {
  const poetry = poetryProjects.flatMap((folder) => ["--poetry-project", folder]);
  const advise = advisories.flatMap((advisory) => ["--advise", JSON.stringify(advisory)]);
  return LoopbackServer.start<IndexInfo>("the loopback package index", ["index", "--uv-cache", uvCache, ...poetry, ...advise]);
}

/** The environment for code-server (and so the helper and uv) to use `index` only. */
export function indexEnvironment(index: LoopbackServer<IndexInfo>): Record<string, string | undefined> {
  const { environ, unset } = index.info;
  return { ...Object.fromEntries(unset.map((key) => [key, undefined])), ...environ };
}

export interface MirrorInfo {
  url: string;
  /** For `lockstep.python.installMirror`. */
  mirror: string;
  /** For `lockstep.python.downloadsJson`: a uv download-metadata.json naming the archive. */
  downloadsJson: string;
  /** The CPython version the archive holds (pyenv's 3.12). */
  version: string;
  /** The archive's URL path on the mirror. */
  archive: string;
}

/** The CPython mirror; the archive is built once from pyenv's 3.12 and cached (first time ~10 s). */
export function startPythonMirror(downloadsJson: string): Promise<LoopbackServer<MirrorInfo>> {
  return LoopbackServer.start<MirrorInfo>("the loopback CPython mirror", [
    "mirror",
    "--cache",
    join(e2eCache(), "e2e-pbs-archive"),
    "--downloads-json",
    downloadsJson,
  ]);
}

/**
 * For `prepare`: serves the package index for the scenario's lifetime and points code-server's
 * environment at it (uv cache in the scenario's folder); the project stays as written (no lock).
 */
export async function serveIndex(
  p: Preparation,
  poetryProjects: readonly string[] = [],
  advisories: readonly Advisory[] = [],
): Promise<LoopbackServer<IndexInfo>> {
  const index = await startPackageIndex(
    join(p.dirs.root, "uv-cache"),
    poetryProjects.map((folder) => join(p.workspace, folder)),
    advisories,
  );
  p.cleanup(() => index.stop());
  Object.assign(p.env, indexEnvironment(index));
  return index;
}

/**
 * For `prepare`: `serveIndex`, then locks the workspace's uv project
 * against it with real uv, as a developer would have before opening the folder. `lockPython`: the
 * interpreter uv locks with, when the one uv finds on PATH (a pyenv shim) does not fit the project;
 * `folders`: the workspace's project folders to lock; `poetryProjects`: folders to write a locked
 * Poetry project into (`startPackageIndex`).
 */
export async function serveIndexAndLock(
  p: Preparation,
  lockPython?: string,
  folders: readonly string[] = ["."],
  poetryProjects: readonly string[] = [],
): Promise<LoopbackServer<IndexInfo>> {
  const index = await serveIndex(p, poetryProjects);
  for (const folder of folders) await lockAgainst(p, index, folder, lockPython ? ["--python", lockPython] : []);
  return index;
}

/** `uv lock` (with `args`) of the workspace's project `folder` against `index`, with real uv. */
export async function lockAgainst(
  p: Preparation,
  index: LoopbackServer<IndexInfo>,
  folder: string,
  args: readonly string[] = [],
): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...p.env };
  for (const key of index.info.unset) delete env[key];
  await step(`uv lock of the fixture project ${folder} against the loopback index`, () =>
    promisify(execFile)(devUv(), ["lock", "--quiet", ...args], { cwd: join(p.workspace, folder), env, timeout: 60_000 }),
  );
}
