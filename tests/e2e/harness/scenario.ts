// One E2E scenario = one node:test test with a fixture workspace, its own code-server and browser,
// a global timeout that names what it was waiting for, a screenshot, and on failure the logs.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { openPage, type BrowserSession } from "./browser";
import { CodeServer, runDirs, stopAllCodeServers, workbenchSettings, type Environment, type RunDirs } from "./codeServer";
import { artifactsDir, helperPython } from "./paths";
import { withLock } from "./locks";
import { extensionVsix } from "./vsix";
import { abandonWaits, currentWait, waitFor, type WaitOptions } from "./waits";
import { Workbench } from "./workbench";

export interface ScenarioOptions<Prepared = undefined> {
  /** The fixture workspace: relative path -> file content. */
  files: Record<string, string>;
  /** User settings on top of the quiet, trusted defaults (e.g. trust back on). */
  settings?: Record<string, unknown>;
  /**
   * Runs after the fixture files are written and before the editor starts (start servers, lock the
   * fixture, add environment variables or settings); what it returns is the body's `prepared`.
   */
  prepare?: (preparation: Preparation) => Promise<Prepared>;
  /** For the whole scenario, start-up included. */
  timeoutMs?: number;
}

export interface Preparation {
  /** The fixture workspace folder (files written). */
  workspace: string;
  /** The scenario's throwaway folders; `dirs.root` is a place for more of them. */
  dirs: RunDirs;
  /** Variables for code-server, and so for the extension host, the helper and uv. */
  env: Environment;
  /** User settings over the scenario's `settings`. */
  settings: Record<string, unknown>;
  /** More VSIXes to install beside Lockstep's (e.g. `pythonExtensionDouble`). */
  extensions: string[];
  /** Runs when the scenario ends, pass or fail, after the editor stopped (last registered first). */
  cleanup(action: () => Promise<void>): void;
}

export interface Scenario<Prepared = undefined> {
  workbench: Workbench;
  server: CodeServer;
  /** The fixture workspace folder open in the editor. */
  workspace: string;
  /** Pids of the running helper processes (`… -m pyhelper serve`) under code-server. */
  helperPids(): number[];
  /** Waits for exactly one running helper, other than `previous`; returns its pid. */
  waitForHelper(options?: WaitOptions & { previous?: number }): Promise<number>;
  /** What the scenario's `prepare` returned. */
  prepared: Prepared;
  /** The Lockstep output channel's log file as written so far: `<time> [<level>] <message>` entries. */
  lockstepLog(): string;
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

// The short /tmp, not $TMPDIR: VS Code's Unix sockets live under it and their paths are limited.
const runRoot = "/tmp";
// Machine-wide: two editors with browsers at once would starve each other of CPU.
const scenarioLock = join(runRoot, "lockstep-e2e-scenario.lock");
const turnWaitMs = 15 * 60_000;

function newScenario<Prepared>(
  server: CodeServer,
  session: BrowserSession,
  workspace: string,
  prepared: Prepared,
): Scenario<Prepared> {
  const helperPids = () => server.processesMatching("pyhelper", "serve").map((proc) => proc.pid);
  const lockstepLog = () => {
    const file = outputChannelLogs(server.dirs.userData).find((path) => path.endsWith("/Lockstep.log"));
    return file ? readFileSync(file, "utf8") : "";
  };
  return {
    lockstepLog,
    workbench: new Workbench(session.page),
    server,
    workspace,
    prepared,
    helperPids,
    waitForHelper: ({ previous, ...options } = {}) =>
      waitFor(
        previous === undefined ? "the helper process to run" : `a new helper process (the old one was ${previous})`,
        async () => {
          const pids = helperPids();
          return pids.length === 1 && pids[0] !== previous ? { ok: true, value: pids[0] } : { ok: false, seen: pids };
        },
        options,
      ),
  };
}

/** Every log the output channels wrote, found on disk so that a broken UI cannot hide them. */
function outputChannelLogs(userData: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/lockstep/i.test(path) || entry.name === "remoteexthost.log") found.push(path);
    }
  };
  try {
    walk(join(userData, "logs"));
  } catch {
    // code-server never got as far as writing logs
  }
  return found;
}

function keepFailureArtifacts(name: string, dirs: RunDirs): string[] {
  const kept: string[] = [];
  const keep = (source: string, target: string) => {
    try {
      copyFileSync(source, join(artifactsDir(), target));
      kept.push(target);
    } catch {
      // not written
    }
  };
  keep(join(dirs.root, "code-server.log"), `${name}.code-server.log`);
  for (const log of outputChannelLogs(dirs.userData)) {
    keep(log, `${name}.${log.split("/").pop()?.replace(/^\d+-/, "")}`);
  }
  return kept;
}

function removeOldArtifacts(name: string): void {
  for (const entry of readdirSync(artifactsDir())) {
    if (entry.startsWith(`${name}.`)) rmSync(join(artifactsDir(), entry), { force: true });
  }
}

/**
 * Declares a scenario: `name` (kebab-case) names the test and its artifacts in test-artifacts/e2e/.
 * The body gets the workbench with the fixture folder open and the Lockstep extension installed.
 */
export function scenario<Prepared = undefined>(
  name: string,
  options: ScenarioOptions<Prepared>,
  body: (s: Scenario<Prepared>) => Promise<void>,
): void {
  const timeoutMs = options.timeoutMs ?? 120_000;
  // node:test's own timeout is only a backstop: ours names what was awaited and cleans up first.
  test(name, { timeout: turnWaitMs + timeoutMs + 120_000 }, async () => {
    const vsix = await extensionVsix();
    // One editor and browser at a time, even when the runner runs test files in parallel.
    await withLock(scenarioLock, `the turn of scenario ${name}`, turnWaitMs, () =>
      runScenario(name, options, timeoutMs, vsix, body),
    );
  });
}

async function runScenario<Prepared>(
  name: string,
  options: ScenarioOptions<Prepared>,
  timeoutMs: number,
  vsix: string,
  body: (s: Scenario<Prepared>) => Promise<void>,
): Promise<void> {
  removeOldArtifacts(name);
  const screenshot = join(artifactsDir(), `${name}.png`);
  const dirs = runDirs(mkdtempSync(join(runRoot, "lse2e-")));
  const workspace = join(dirs.root, "project");
  writeFiles(workspace, options.files);

  let session: BrowserSession | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const run = async () => {
    const preparation: Preparation = {
      workspace,
      dirs,
      env: {},
      settings: {},
      extensions: [],
      cleanup: (action) => cleanups.unshift(action),
    };
    const prepared = (await options.prepare?.(preparation)) as Prepared;
    const settings = {
      ...workbenchSettings,
      "lockstep.helper.python": helperPython(),
      ...options.settings,
      ...preparation.settings,
    };
    const server = await CodeServer.start(dirs, [vsix, ...preparation.extensions], settings, preparation.env);
    session = await openPage(server.url(workspace));
    const s = newScenario(server, session, workspace, prepared);
    await s.workbench.ready();
    await body(s);
    await s.workbench.screenshot(screenshot);
  };

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const waiting = currentWait() ?? "nothing in particular";
      reject(new Error(`scenario ${name} timed out after ${timeoutMs / 1000} s while waiting for ${waiting}`));
    }, timeoutMs);
  });
  const running = run();
  running.catch(() => {}); // after a timeout, its late rejection is expected and not news
  try {
    await Promise.race([running, timedOut]);
  } catch (error) {
    await session?.page.screenshot({ path: screenshot, timeout: 5_000 }).catch(() => {});
    const kept = keepFailureArtifacts(name, dirs);
    const where = `artifacts in ${artifactsDir()}: ${[`${name}.png`, ...kept].join(", ")}`;
    if (error instanceof Error) error.message += `\n${where}`;
    throw error;
  } finally {
    clearTimeout(timer);
    abandonWaits();
    await session?.browser.close().catch(() => {});
    await stopAllCodeServers();
    for (const cleanup of cleanups) await cleanup().catch((error) => console.error(`cleanup of ${name}: ${error}`));
    if (!process.env.LOCKSTEP_E2E_KEEP) rmSync(dirs.root, { recursive: true, force: true });
  }
}
