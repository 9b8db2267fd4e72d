// Where things are: the repository, the artifacts folder, the tools tests/e2e/setup installed, and
// the Python that runs the helper.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

function findRepoRoot(): string {
  // Test files run bundled from .dev/tests/e2e/, sources live in tests/e2e/: walk up to the repo.
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "tests", "e2e", "setup"))) return dir;
  }
  throw new Error(`E2E: cannot find the repository root above ${__dirname}`);
}

export const repoRoot = findRepoRoot();

export function artifactsDir(): string {
  const dir = join(repoRoot, "test-artifacts", "e2e");
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Tools {
  node24: string;
  codeServer: string;
  chromium: string;
}

let tools: Tools | undefined;

/** The Node 24 and code-server that tests/e2e/setup installed (one source of truth for versions). */
export function e2eTools(): Tools {
  if (tools) return tools;
  let printed: string;
  try {
    printed = execFileSync(join(repoRoot, "tests", "e2e", "setup"), ["--print-env"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`E2E tools missing: ${stderr.trim()}`);
  }
  const env = Object.fromEntries(
    printed
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  tools = { node24: env.NODE24, codeServer: env.CODE_SERVER, chromium: env.CHROMIUM };
  return tools;
}

/** The tool cache tests/e2e/setup uses ($LOCKSTEP_CACHE, else ~/.cache/lockstep). */
export function e2eCache(): string {
  return process.env.LOCKSTEP_CACHE || join(homedir(), ".cache", "lockstep");
}

/** The dev venv's Python (scripts/dev-setup), which runs the tests' Python support code. */
export function devPython(): string {
  return join(repoRoot, ".dev", "venv", "bin", "python");
}

/** The dev venv's uv, for making fixtures (locks) before the editor starts. */
export function devUv(): string {
  return join(repoRoot, ".dev", "venv", "bin", "uv");
}

/**
 * An absolute interpreter path for `lockstep.helper.python`: $LOCKSTEP_E2E_PYTHON, else the base
 * interpreter of the dev venv. Asked of the interpreter itself, so a pyenv shim never stands for it.
 */
export function helperPython(): string {
  const fromEnv = process.env.LOCKSTEP_E2E_PYTHON;
  if (fromEnv) return realpathSync(fromEnv);
  const asker = existsSync(devPython()) ? devPython() : "python3";
  const base = execFileSync(
    asker,
    ["-c", "import os, sys; print(os.path.join(sys.base_prefix, 'bin', 'python3'))"],
    { encoding: "utf8" },
  ).trim();
  return realpathSync(base);
}
