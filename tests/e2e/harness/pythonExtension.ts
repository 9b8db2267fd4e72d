// Test doubles of the Python extensions (tests/e2e/pythonExtensionDouble, pythonEnvironmentsDouble):
// packaged as VSIXes for a scenario to install, and the calls they recorded.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths";
import type { Preparation } from "./scenario";

export type PythonDouble = "python" | "python-envs";

const FOLDERS: Record<PythonDouble, string> = {
  python: "pythonExtensionDouble",
  "python-envs": "pythonEnvironmentsDouble",
};
/** The call that hands an environment over, per double. */
const HANDOVER: Record<PythonDouble, string> = {
  python: "updateActiveEnvironmentPath",
  "python-envs": "setEnvironment",
};

export interface PythonApiCall {
  tool: PythonDouble;
  call: string;
  path?: string;
  resource?: string | null;
}

export interface PythonDoubles {
  /** Every API call so far, in order. */
  calls(): PythonApiCall[];
  /** One double's hand-overs: [interpreter, folder]. */
  handovers(tool: PythonDouble): [string | undefined, string | null | undefined][];
}

/**
 * Packages the doubles into the scenario's folder, installs them beside Lockstep, and points their
 * call log there. `active`: the interpreter each starts with for every folder.
 */
export async function installPythonDoubles(
  preparation: Preparation,
  doubles: PythonDouble[],
  active: string,
): Promise<PythonDoubles> {
  const vsce = join(repoRoot, "node_modules", ".bin", "vsce");
  for (const double of doubles) {
    const vsix = join(preparation.dirs.root, `${double}-double.vsix`);
    await promisify(execFile)(vsce, ["package", "--allow-missing-repository", "--skip-license", "--out", vsix], {
      cwd: join(repoRoot, "tests", "e2e", FOLDERS[double]),
    });
    preparation.extensions.push(vsix);
  }
  const log = join(preparation.dirs.root, "python-api.jsonl");
  Object.assign(preparation.env, { LOCKSTEP_E2E_PYTHON_API_LOG: log, LOCKSTEP_E2E_PYTHON_ACTIVE: active });
  const calls = (): PythonApiCall[] =>
    existsSync(log)
      ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as PythonApiCall)
      : [];
  return {
    calls,
    handovers: (tool) =>
      calls().filter((c) => c.tool === tool && c.call === HANDOVER[tool]).map((c) => [c.path, c.resource]),
  };
}
