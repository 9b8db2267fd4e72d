// The platforms Lockstep is packaged for, and uv's wheel for each. The helper and its dependencies are
// pure Python (their only markers are on the Python version), so one bundle fits every platform
// except for the uv binary, which comes from uv's PyPI wheel for that platform.
//
//   node scripts/targets.mjs fetch    download uv's wheel for every target into the cache (dev-setup)
//
// The cache is ~/.cache/lockstep/uv-wheels/<uv version>/<target>/ ($LOCKSTEP_CACHE overrides the
// root); packaging reads it and never downloads.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * VS Code's target name → the wheel's platform tag (pip's `--platform`) and uv's `--python-platform`.
 * The tags are the oldest each wheel is built for: linux-arm64 takes the manylinux_2_17 wheel (a
 * static binary, also tagged musllinux) rather than the manylinux_2_28 one that uv's
 * `aarch64-unknown-linux-gnu` would pick; armv7 has only manylinux_2_17 builds.
 */
export const TARGETS = [
  { target: "win32-x64", wheelPlatform: "win_amd64", pythonPlatform: "x86_64-pc-windows-msvc" },
  { target: "win32-arm64", wheelPlatform: "win_arm64", pythonPlatform: "aarch64-pc-windows-msvc" },
  { target: "darwin-x64", wheelPlatform: "macosx_10_12_x86_64", pythonPlatform: "x86_64-apple-darwin" },
  { target: "darwin-arm64", wheelPlatform: "macosx_11_0_arm64", pythonPlatform: "aarch64-apple-darwin" },
  { target: "linux-x64", wheelPlatform: "manylinux_2_17_x86_64", pythonPlatform: "x86_64-manylinux_2_17" },
  { target: "linux-arm64", wheelPlatform: "manylinux_2_17_aarch64", pythonPlatform: "aarch64-manylinux_2_17" },
  { target: "linux-armhf", wheelPlatform: "manylinux_2_17_armv7l", pythonPlatform: "armv7-unknown-linux-gnueabihf" },
  { target: "alpine-x64", wheelPlatform: "musllinux_1_1_x86_64", pythonPlatform: "x86_64-unknown-linux-musl" },
  { target: "alpine-arm64", wheelPlatform: "musllinux_1_1_aarch64", pythonPlatform: "aarch64-unknown-linux-musl" },
];

export function lockstepCache() {
  return process.env.LOCKSTEP_CACHE || join(homedir(), ".cache", "lockstep");
}

/** The uv that builds (and so the uv every test ran): its version is the one bundled. */
export function buildUv() {
  return [join(root, ".dev", "venv", "bin", "uv")].find(existsSync) ?? "uv";
}

export function uvVersion(uv = buildUv()) {
  const printed = execFileSync(uv, ["--version"], { encoding: "utf8" });
  const match = /^uv (\d+\.\d+\.\d+)/.exec(printed);
  if (!match) throw new Error(`cannot read uv's version from ${JSON.stringify(printed)}`);
  return match[1];
}

function wheelDir(version, target) {
  return join(lockstepCache(), "uv-wheels", version, target);
}

/** The cached uv wheel for `target`; throws, naming the fix, when it is not there. */
export function cachedUvWheel(version, target) {
  const dir = wheelDir(version, target);
  const wheels = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".whl")) : [];
  if (wheels.length !== 1) {
    throw new Error(`no cached uv ${version} wheel for ${target} in ${dir}: run scripts/dev-setup (node scripts/targets.mjs fetch)`);
  }
  return join(dir, wheels[0]);
}

/** Downloads the missing wheels with pip (the platform tag picks exactly one wheel). */
export function fetchUvWheels(version = uvVersion()) {
  const python = join(root, ".dev", "venv", "bin", "python");
  for (const { target, wheelPlatform } of TARGETS) {
    const dir = wheelDir(version, target);
    if (existsSync(dir) && readdirSync(dir).some((name) => name.endsWith(".whl"))) continue;
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync(python, ["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
      "--platform", wheelPlatform, "--python-version", "3.10", "--dest", partial, `uv==${version}`],
    { stdio: "inherit" });
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    console.log(`targets: uv ${version} for ${target}: ${readdirSync(dir).join(", ")}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== "fetch") {
    console.error("usage: node scripts/targets.mjs fetch");
    process.exit(2);
  }
  fetchUvWheels();
}
