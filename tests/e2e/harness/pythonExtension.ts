// The Python extension's test double (tests/e2e/pythonExtensionDouble): packaged as a VSIX for a
// scenario to install, and the calls it recorded.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths";
import type { Preparation } from "./scenario";

export interface PythonApiCall {
  call: "getActiveEnvironmentPath" | "updateActiveEnvironmentPath";
  path?: string;
  resource: string | null;
}

export interface PythonExtensionDouble {
  /** Every API call so far, in order. */
  calls(): PythonApiCall[];
  /** The hand-overs only: [interpreter, folder]. */
  updates(): [string | undefined, string | null][];
}

/**
 * Packages the double into the scenario's folder, installs it beside Lockstep, and points its call
 * log there. `active`: the interpreter it starts with for every folder ("python": none chosen).
 */
export async function installPythonExtensionDouble(
  preparation: Preparation,
  active = "python",
): Promise<PythonExtensionDouble> {
  const vsix = join(preparation.dirs.root, "ms-python.python-double.vsix");
  const vsce = join(repoRoot, "node_modules", ".bin", "vsce");
  await promisify(execFile)(vsce, ["package", "--allow-missing-repository", "--skip-license", "--out", vsix], {
    cwd: join(repoRoot, "tests", "e2e", "pythonExtensionDouble"),
  });
  const log = join(preparation.dirs.root, "python-api.jsonl");
  preparation.extensions.push(vsix);
  Object.assign(preparation.env, { LOCKSTEP_E2E_PYTHON_API_LOG: log, LOCKSTEP_E2E_PYTHON_ACTIVE: active });
  const calls = (): PythonApiCall[] =>
    existsSync(log)
      ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as PythonApiCall)
      : [];
  return {
    calls,
    updates: () => calls().filter((c) => c.call === "updateActiveEnvironmentPath").map((c) => [c.path, c.resource]),
  };
}
