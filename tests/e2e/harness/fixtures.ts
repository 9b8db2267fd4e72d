// Fixture files shared by scenarios; a scenario that needs something else writes its own.
import { lstatSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** A plain PEP 621 project with no lockfile and no virtual environment. */
export const plainProject = {
  "pyproject.toml": `[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []
`,
};

/**
 * A uv project without a build (uv calls it virtual): `pyproject.toml` only; the scenario's
 * `prepare` locks it with `lockAgainst`. The default dependencies lock 4 packages of the
 * loopback index: alpha 2.0, beta 1.1, gamma 0.1, delta 1.0 (gamma's `fast` extra).
 */
export function uvProject({
  requiresPython,
  dependencies = ["alpha>=2", "gamma[fast]"],
  extra = {},
}: {
  requiresPython: string;
  dependencies?: string[];
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    "pyproject.toml": `[project]
name = "demo"
version = "0.1.0"
requires-python = "${requiresPython}"
dependencies = [${dependencies.map((dependency) => JSON.stringify(dependency)).join(", ")}]
`,
    ...extra,
  };
}

/** The distributions installed in `venv`, as `name-version` from its .dist-info folders, sorted. */
export function installedDists(venv: string): string[] {
  const lib = join(venv, "lib");
  const sitePackages = join(lib, readdirSync(lib).find((name) => name.startsWith("python3"))!, "site-packages");
  return readdirSync(sitePackages)
    .filter((name) => name.endsWith(".dist-info"))
    .map((name) => name.replace(/\.dist-info$/, ""))
    .sort();
}

/**
 * Every file, folder and link under `root` with its inode, size and modification time (links not
 * followed), sorted: two snapshots are equal only when nothing there was touched.
 */
export function treeSnapshot(root: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      entries.push(`${relative(root, path)} ${stat.ino} ${stat.size} ${stat.mtimeMs}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
  return entries.sort();
}
