// Builds Lockstep: the extension bundle (esbuild), the helper with its Python dependencies in
// bundled/libs (the extension runs it with the user's Python, installing nothing there), and,
// with --tests, the TypeScript test files bundled for node's test runner.
//
//   node scripts/build.mjs               extension + helper
//   node scripts/build.mjs --production  minified, no source maps
//   node scripts/build.mjs --package     --production, then dist/lockstep.vsix for this platform
//                                        (`npm run package`)
//   node scripts/build.mjs --package-all --production, then dist/lockstep-<target>.vsix for every
//                                        target of scripts/targets.mjs (`npm run package:all`), from
//                                        the uv wheels `node scripts/targets.mjs fetch` cached
//   node scripts/build.mjs --watch       rebuild the extension on change
//   node scripts/build.mjs --tests       tests/**/*.test.ts -> .dev/tests/**/*.test.js
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildUv, cachedUvWheel, TARGETS, uvVersion } from "./targets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const production = args.has("--production") || args.has("--package") || args.has("--package-all");

function testFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "node_modules" ? [] : testFiles(path);
    return path.endsWith(".test.ts") ? [path] : [];
  });
}

async function buildTests() {
  const outdir = join(root, ".dev", "tests");
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: testFiles(join(root, "tests")),
    outdir,
    outbase: join(root, "tests"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "inline",
    // Test files import the extension's pure modules; real packages (playwright-core) stay external.
    packages: "external",
    logLevel: "warning",
  });
}

const extensionOptions = {
  entryPoints: [join(root, "extension", "extension.ts")],
  outfile: join(root, "dist", "extension.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode"],
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
};

// The helper and its dependencies, installed for the oldest Python the helper supports so the
// backports it needs there are present; all of them are pure-Python wheels except uv's binary, which
// is the building uv's own version: the one every test ran.
function bundleHelper() {
  const libs = join(root, "bundled", "libs");
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(libs, { recursive: true });
  const uv = buildUv();
  execFileSync(
    uv,
    ["pip", "install", "--quiet", "--target", libs, "--python-version", "3.10", "--no-compile",
      // uv caches a local project by its pyproject.toml, not its sources: rebuild the helper every time.
      "--reinstall-package", "pyhelper",
      join(root, "pyhelper"), `uv==${uvVersion(uv)}`],
    { stdio: "inherit", env: { ...process.env, UV_PYTHON_DOWNLOADS: "never" } },
  );
  trimBundle(libs);
  console.log(`build: helper bundled into ${relative(root, libs)}`);
}

// bundled/libs ships whole (a `!` pattern in .vscodeignore wins over every exclusion), so what must not
// ship is removed here: console scripts (their shebang names the build machine's Python; the helper
// needs only the uv binary), uv's lock file, and test suites that came inside packages.
function trimBundle(libs) {
  for (const scripts of ["bin", "Scripts"]) {
    const dir = join(libs, scripts);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      if (entry !== "uv" && entry !== "uv.exe") rmSync(join(dir, entry), { force: true });
    }
  }
  rmSync(join(libs, ".lock"), { force: true });
  for (const entry of readdirSync(libs, { withFileTypes: true })) {
    if (entry.isDirectory()) rmSync(join(libs, entry.name, "tests"), { recursive: true, force: true });
  }
}

// VS Code's name for this machine's platform. The VSIX is platform-specific because the bundled uv
// wheel carries a native binary (as the Ruff extension's VSIXs are): built on linux-x64 it installs
// on linux-x64 only.
function vsceTarget() {
  const musl = process.platform === "linux" && !process.report.getReport().header.glibcVersionRuntime;
  const system = { win32: "win32", darwin: "darwin", linux: musl ? "alpine" : "linux" }[process.platform];
  const arch = { x64: "x64", arm64: "arm64", arm: "armhf" }[process.arch];
  const target = `${system}-${arch}`;
  const known = ["win32-x64", "win32-arm64", "linux-x64", "linux-arm64", "linux-armhf", "darwin-x64",
    "darwin-arm64", "alpine-x64", "alpine-arm64"];
  if (!known.includes(target)) throw new Error(`VS Code has no target for ${process.platform}-${process.arch}`);
  return target;
}

/** `vsce package` of the extension folder `folder` (the repository, or a target's staging copy). */
function vsce(folder, target, out) {
  // vsce would ask y/N about a missing LICENSE or repository on a terminal and answers yes by
  // itself without one: check both here, so a VSIX never ships without them.
  const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  if (!existsSync(join(folder, "LICENSE")) || !manifest.repository) {
    throw new Error("package.json needs a repository and the folder a LICENSE before packaging");
  }
  const vsceMain = createRequire(import.meta.url).resolve("@vscode/vsce/vsce");
  const output = execFileSync(process.execPath, [vsceMain, "package", "--target", target, "--out", out,
    // esbuild bundled the npm dependencies into dist/extension.js.
    "--no-dependencies",
    // README images resolve inside the installed extension (docs/images ships in the VSIX).
    "--no-rewrite-relative-links"],
    // Never a terminal: vsce then asks nothing and does not look up its own latest version online.
    { cwd: folder, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  process.stdout.write(output);
  console.log(`build: ${relative(root, out)} (${target})`);
}

// What a VSIX is made of besides bundled/ (.vscodeignore picks from these).
const SHIPPED = ["package.json", ".vscodeignore", "README.md", "LICENSE", "CHANGELOG.md", "dist/extension.js", "docs/images"];

// The host bundle without its uv: bin/ holds only uv's binary after trimBundle.
function isHostUv(path, libs) {
  const [top] = relative(libs, path).split(sep);
  return top === "bin" || top === "uv" || /^uv-[^-]+\.dist-info$/.test(top);
}

/**
 * One VSIX per target: a staging copy of the extension whose bundle has that target's uv, installed
 * by pip from the cached wheel (pip, not uv: uv has no armv7 platform), never downloaded here.
 */
function packageAll() {
  const version = uvVersion();
  const wheels = TARGETS.map((entry) => ({ ...entry, wheel: cachedUvWheel(version, entry.target) }));
  const hostLibs = join(root, "bundled", "libs");
  const python = join(root, ".dev", "venv", "bin", "python");
  for (const { target, wheelPlatform, wheel } of wheels) {
    const stage = join(root, ".dev", "package", target);
    rmSync(stage, { recursive: true, force: true });
    for (const item of SHIPPED.filter((item) => existsSync(join(root, item)))) {
      cpSync(join(root, item), join(stage, item), { recursive: true });
    }
    const libs = join(stage, "bundled", "libs");
    cpSync(hostLibs, libs, { recursive: true, filter: (path) => !isHostUv(path, hostLibs) });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
      "--no-deps", "--no-compile", "--only-binary=:all:", "--platform", wheelPlatform, "--python-version", "3.10",
      "--target", libs, wheel], { stdio: "inherit" });
    trimBundle(libs);
    vsce(stage, target, join(root, "dist", `lockstep-${target}.vsix`));
    rmSync(stage, { recursive: true, force: true });
  }
}

if (args.has("--tests")) {
  await buildTests();
} else if (args.has("--watch")) {
  const context = await esbuild.context(extensionOptions);
  await context.watch();
  console.log("build: watching extension/ for changes");
} else {
  // A development build's source map would sit stale beside the minified bundle.
  if (production) rmSync(join(root, "dist", "extension.js.map"), { force: true });
  await esbuild.build(extensionOptions);
  bundleHelper();
  if (args.has("--package")) vsce(root, vsceTarget(), join(root, "dist", "lockstep.vsix"));
  if (args.has("--package-all")) packageAll();
}
