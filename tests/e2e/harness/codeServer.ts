// A real VS Code for one scenario: code-server on a free loopback port, with a throwaway home,
// user-data dir (settings.json), extensions dir (the packaged extension installed into it) and
// temp dir; started in its own session so that stopping it ends every process it started.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { e2eTools } from "./paths";
import { descendants, endSession, killSessionNow, type ProcessInfo } from "./processes";
import { GiveUp, waitFor } from "./waits";

/** User settings for a quiet, trusted workbench; a scenario overrides single keys. */
export const workbenchSettings: Record<string, unknown> = {
  "security.workspace.trust.enabled": false,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.banner": "never",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "window.commandCenter": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "remote.autoForwardPorts": false,
};

/** The throwaway folders of one scenario, all under one short root (Unix socket paths are short). */
export interface RunDirs {
  root: string;
  home: string;
  tmp: string;
  userData: string;
  extensions: string;
}

export function runDirs(root: string): RunDirs {
  const dirs = {
    root,
    home: join(root, "home"),
    tmp: join(root, "tmp"),
    userData: join(root, "user-data"),
    extensions: join(root, "extensions"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

// Sessions still running, ended even when the test process exits abruptly.
const liveSessions = new Set<number>();
process.on("exit", () => liveSessions.forEach(killSessionNow));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    liveSessions.forEach(killSessionNow);
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal]);
  });
}

/**
 * Variables for code-server (and so for the extension host, the helper and uv); undefined removes
 * one. Without PATH, code-server gives the extension host the PATH of a login shell (/etc/profile's);
 * a PATH given here is the extension host's instead (after Node 24's folder, which code-server needs).
 */
export type Environment = Record<string, string | undefined>;

function environment(dirs: RunDirs, node24: string, extra: Environment): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    // A VS Code terminal's hooks and the test runner's own settings must not reach the editor.
    ([key]) => !key.startsWith("VSCODE_") && !["ELECTRON_RUN_AS_NODE", "NODE_OPTIONS",
      "NODE_TEST_CONTEXT"].includes(key),
  );
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(inherited),
    ...extra,
    PATH: `${dirname(node24)}:${extra.PATH ?? process.env.PATH ?? "/usr/bin:/bin"}`,
    // VS Code resolves the login shell's environment unless it was started from its CLI.
    ...(extra.PATH === undefined ? {} : { VSCODE_CLI: "1" }),
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, ".config"),
    XDG_DATA_HOME: join(dirs.home, ".local", "share"),
    XDG_CACHE_HOME: join(dirs.home, ".cache"),
    XDG_STATE_HOME: join(dirs.home, ".local", "state"),
    TMPDIR: dirs.tmp,
    // No gallery: otherwise server and browser try to reach the public marketplace.
    EXTENSIONS_GALLERY: "{}",
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port from bind(0)");
  return address.port;
}

export class CodeServer {
  private constructor(
    readonly dirs: RunDirs,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Installs the VSIXes, writes the user settings and starts code-server with `extraEnv` over the
   * test's environment; resolves once /healthz answers.
   */
  static async start(dirs: RunDirs, vsixes: string[], settings: Record<string, unknown>,
    extraEnv: Environment = {}): Promise<CodeServer> {
    const { node24, codeServer } = e2eTools();
    const env = environment(dirs, node24, extraEnv);
    const common = ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions];
    const install = vsixes.flatMap((vsix) => ["--install-extension", vsix]);
    try {
      await promisify(execFile)(node24, [codeServer, ...common, ...install, "--force"], { env, timeout: 60_000 });
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`installing ${vsixes.join(", ")} into code-server failed:\n${stdout}\n${stderr}`, { cause: error });
    }
    // The workbench applies machine-scoped settings (lockstep.helper.python) only from the server's
    // Machine settings; from User settings it drops them once the remote configuration loads.
    for (const scope of ["User", "Machine"]) {
      mkdirSync(join(dirs.userData, scope), { recursive: true });
      writeFileSync(join(dirs.userData, scope, "settings.json"), JSON.stringify(settings, null, 2));
    }

    const logFile = join(dirs.root, "code-server.log");
    // A port picked by bind(0) can be taken before code-server binds it: then try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const log = openSync(logFile, "a");
      const child = spawn(
        node24,
        [codeServer, ...common, "--bind-addr", `127.0.0.1:${port}`, "--auth", "none",
          "--disable-telemetry", "--disable-update-check", "--reconnection-grace-time", "5",
          "--config", "/dev/null"],
        // detached: the child calls setsid(), leading a session that endSession() ends as a whole.
        { env, cwd: dirs.home, detached: true, stdio: ["ignore", log, log] },
      );
      closeSync(log);
      if (child.pid === undefined) throw new Error(`could not start code-server (${node24} ${codeServer})`);
      liveSessions.add(child.pid);
      const server = new CodeServer(dirs, port, logFile, child);
      try {
        await server.waitUntilHealthy();
        return server;
      } catch (error) {
        await server.stop();
        if (attempt >= 3 || !server.log().includes("EADDRINUSE")) throw error;
      }
    }
  }

  private async waitUntilHealthy(): Promise<void> {
    await waitFor(
      `code-server to answer on http://127.0.0.1:${this.port}/healthz`,
      async () => {
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          throw new GiveUp(`code-server exited (${this.child.exitCode ?? this.child.signalCode})`);
        }
        const response = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        return response.ok ? { ok: true, value: undefined } : { ok: false, seen: response.status };
      },
      { timeoutMs: 60_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\ncode-server log:\n${this.log()}`, { cause: error });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The workbench URL that opens `folder`. */
  url(folder: string): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`;
  }

  log(): string {
    try {
      return readFileSync(this.logFile, "utf8");
    } catch {
      return "";
    }
  }

  /** Descendant processes whose command line contains every one of `words` (e.g. the helper). */
  processesMatching(...words: string[]): ProcessInfo[] {
    return descendants(this.pid).filter((proc) => words.every((word) => proc.cmdline.includes(word)));
  }

  async stop(): Promise<void> {
    await endSession(this.pid);
    liveSessions.delete(this.pid);
  }
}

/** Ends every code-server this process started, including one still starting when a scenario gave up. */
export async function stopAllCodeServers(): Promise<void> {
  await Promise.all([...liveSessions].map(async (leader) => {
    await endSession(leader);
    liveSessions.delete(leader);
  }));
}
