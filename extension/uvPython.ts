// The bundled uv asked about Pythons for the helper, before the helper can run: `uv python find`
// (downloads off) and `uv python install` of a managed CPython into the extension's storage. Pure Node
// (no VS Code API). The install honours the settings the helper's own downloader reads and its rule
// that nothing unverified is installed: a downloads list is filtered to builds with a sha256 (uv
// checks it) fetched over https or from the configured mirror.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { helperPythonRequest } from "./python";

const GITHUB_PREFIX = "https://github.com/astral-sh/python-build-standalone/releases/download";
/** The helper's downloader reads these when the settings are empty (pyhelper/downloads.py). */
const MIRROR_ENV = "LOCKSTEP_PYTHON_INSTALL_MIRROR";
const DOWNLOADS_JSON_ENV = "LOCKSTEP_PYTHON_DOWNLOADS_JSON";
/** uv's own download-list size is about 1 MB; anything much bigger is not a downloads list. */
const MAX_DOWNLOADS_JSON_BYTES = 32 * 1024 * 1024;
/** Variables that would make uv look elsewhere or install from elsewhere than the settings say. */
const STEERING_VARIABLES = [
  "UV_PYTHON",
  "UV_PYTHON_INSTALL_DIR",
  "UV_PYTHON_INSTALL_MIRROR",
  "UV_PYTHON_DOWNLOADS_JSON_URL",
  "UV_PYTHON_DOWNLOADS",
  "UV_PYTHON_PREFERENCE",
  "UV_MANAGED_PYTHON",
  "UV_NO_MANAGED_PYTHON",
  "UV_PYTHON_BIN_DIR",
];

export interface HelperPythonStore {
  /** The bundled uv, or `lockstep.uv.path`. */
  uv: string;
  /** Where Lockstep's own helper Python is installed (in the extension's global storage). */
  installDir: string;
  /** A folder with no project in it, where uv runs (it must not read a workspace's uv.toml). */
  cwd: string;
}

export interface InstallSources {
  /** `lockstep.python.installMirror`, else $LOCKSTEP_PYTHON_INSTALL_MIRROR. */
  mirror?: string;
  /** `lockstep.python.downloadsJson`, else $LOCKSTEP_PYTHON_DOWNLOADS_JSON: a path or URL. */
  downloadsJson?: string;
}

export function installSources(
  settings: { pythonInstallMirror: string; pythonDownloadsJson: string },
  env: NodeJS.ProcessEnv = process.env,
): InstallSources {
  return {
    mirror: settings.pythonInstallMirror || env[MIRROR_ENV] || undefined,
    downloadsJson: settings.pythonDownloadsJson || env[DOWNLOADS_JSON_ENV] || undefined,
  };
}

function uvEnvironment(base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const key of STEERING_VARIABLES) delete env[key];
  return { ...env, ...extra };
}

/**
 * `uv python find` arguments and environment. `installed`: only Lockstep's installs (no venv, no
 * PATH); `anywhere`: uv's own search (managed installs, then `discoveryPath`).
 */
export function findCommand(
  store: HelperPythonStore,
  scope: "installed" | "anywhere",
  discoveryPath: string,
  base: NodeJS.ProcessEnv = process.env,
): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = ["python", "find", "--no-project", "--no-config", "--no-python-downloads"];
  if (scope === "installed") {
    const env = uvEnvironment(base, { UV_PYTHON_INSTALL_DIR: store.installDir });
    // An activated venv counts as "managed" for uv: it must not stand for Lockstep's install.
    delete env.VIRTUAL_ENV;
    delete env.CONDA_PREFIX;
    return { args: [...args, "--managed-python", helperPythonRequest()], env };
  }
  // The user's own uv configuration (UV_PYTHON_INSTALL_DIR, preference) is uv's view of the machine.
  return { args: [...args, helperPythonRequest()], env: { ...base, PATH: discoveryPath } };
}

/** uv's answer, or undefined when it found none or could not look (the PATH walk comes next). */
export function uvFind(
  store: HelperPythonStore,
  scope: "installed" | "anywhere",
  discoveryPath: string,
): Promise<string | undefined> {
  const { args, env } = findCommand(store, scope, discoveryPath);
  mkdirSync(store.cwd, { recursive: true });
  return new Promise((resolve) => {
    execFile(store.uv, args, { env, cwd: store.cwd, timeout: 30_000 }, (error, stdout) => {
      const path = stdout.trim().split("\n")[0];
      resolve(error || !path ? undefined : path);
    });
  });
}

/** `uv python install` for the helper: Lockstep's folder only, no links on PATH, no registry entry. */
export function installCommand(
  store: HelperPythonStore,
  sources: { mirror?: string; downloadsJson?: string },
  base: NodeJS.ProcessEnv = process.env,
): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = ["python", "install", "--no-config", "--no-bin", "--no-registry"];
  if (sources.mirror) args.push("--mirror", sources.mirror);
  if (sources.downloadsJson) args.push("--python-downloads-json-url", sources.downloadsJson);
  args.push(helperPythonRequest());
  return { args, env: uvEnvironment(base, { UV_PYTHON_INSTALL_DIR: store.installDir }) };
}

function isUnder(url: string, prefix: string): boolean {
  const base = prefix.replace(/\/+$/, "");
  return url === base || url.startsWith(`${base}/`);
}

/**
 * A uv download-metadata.json keeping only the builds the helper's downloader would install: a
 * sha256 of 64 hex digits, and an https URL or one under the mirror (GitHub's prefix becomes the
 * mirror's). Throws when the text is not such a list.
 */
export function verifiedDownloads(text: string, mirror?: string): { json: string; dropped: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the downloads list is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("the downloads list is not a JSON object of builds (uv's download-metadata.json format)");
  }
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, entry] of Object.entries(parsed)) {
    const { sha256, url } = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const verified = typeof sha256 === "string" && /^[0-9a-fA-F]{64}$/.test(sha256);
    const final = typeof url === "string" && mirror && isUnder(url, GITHUB_PREFIX)
      ? mirror.replace(/\/+$/, "") + url.slice(GITHUB_PREFIX.length)
      : url;
    const secure = typeof final === "string" && (/^https:\/\//i.test(final) || (!!mirror && isUnder(final, mirror)));
    if (verified && secure) kept[key] = entry;
    else dropped.push(key);
  }
  return { json: JSON.stringify(kept), dropped };
}

function readBounded(path: string): string {
  if (statSync(path).size > MAX_DOWNLOADS_JSON_BYTES) {
    throw new Error(`${path} is larger than ${MAX_DOWNLOADS_JSON_BYTES / 1024 / 1024} MB: not a downloads list`);
  }
  return readFileSync(path, "utf8");
}

async function fetchBounded(url: string, mirror?: string): Promise<string> {
  if (!/^https:\/\//i.test(url) && !(mirror && isUnder(url, mirror))) {
    throw new Error(`refusing to read ${url}: only https:// is allowed, unless it is under the configured mirror`);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const size = Number(response.headers.get("content-length") ?? 0);
  if (size > MAX_DOWNLOADS_JSON_BYTES) throw new Error(`${url} is larger than a downloads list`);
  const text = await response.text();
  if (text.length > MAX_DOWNLOADS_JSON_BYTES) throw new Error(`${url} is larger than a downloads list`);
  return text;
}

/** The configured downloads list, verified, written where uv reads it; undefined: uv's built-in list. */
async function preparedDownloads(store: HelperPythonStore, sources: InstallSources): Promise<string | undefined> {
  const location = sources.downloadsJson;
  if (!location) return undefined;
  const text = /^https?:\/\//i.test(location)
    ? await fetchBounded(location, sources.mirror)
    : readBounded(location.startsWith("file:") ? fileURLToPath(location) : location);
  const { json } = verifiedDownloads(text, sources.mirror);
  const path = join(store.cwd, "verified-downloads.json");
  writeFileSync(path, json);
  return path;
}

export interface InstallRun {
  /** Resolves when uv exits: the message of a failure, or undefined on success. */
  done: Promise<string | undefined>;
  cancel(): void;
}

/** Runs `uv python install`; `onLine` gets uv's lines ("Downloading cpython-3.12.1-… (6.3MiB)"). */
export async function installHelperPython(
  store: HelperPythonStore,
  sources: InstallSources,
  onLine: (line: string) => void,
): Promise<InstallRun> {
  mkdirSync(store.cwd, { recursive: true });
  const downloadsJson = await preparedDownloads(store, sources);
  const { args, env } = installCommand(store, { mirror: sources.mirror, downloadsJson });
  const child = spawn(store.uv, args, { env, cwd: store.cwd, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      if (line.trim()) onLine(line.trim());
    });
  }
  const done = new Promise<string | undefined>((resolve) => {
    child.once("error", (error) => resolve(`could not run ${store.uv}: ${error.message}`));
    child.once("close", (code, signal) => {
      if (code === 0) resolve(undefined);
      else resolve(lines.filter((line) => line.trim()).slice(-6).join("\n") || `uv exited with ${code ?? signal}`);
    });
  });
  return { done, cancel: () => child.kill() };
}

/** A progress message for one of uv's lines, or undefined for lines not worth showing. */
export function progressMessage(line: string): string | undefined {
  const downloading = /^Downloading (cpython-\S+).*?\(([\d.]+)\s*([KMG]i?B)\)/.exec(line);
  if (downloading) return `Downloading ${downloading[1]} (${downloading[2]} ${downloading[3]})…`;
  if (/^Downloaded /.test(line)) return "Unpacking…";
  const installed = /^Installed Python (\S+)/.exec(line);
  return installed ? `Installed Python ${installed[1]}` : undefined;
}
