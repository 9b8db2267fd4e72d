// Builds Lockstep: the extension bundle (esbuild), the helper with its Python dependencies in
// bundled/libs (the extension runs it with the user's Python, installing nothing there), and,
// with --tests, the TypeScript test files bundled for node's test runner.
//
//   node scripts/build.mjs               extension + helper
//   node scripts/build.mjs --production  minified, no source maps (what `npm run package` ships)
//   node scripts/build.mjs --watch       rebuild the extension on change
//   node scripts/build.mjs --tests       tests/**/*.test.ts -> .dev/tests/**/*.test.js
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const production = args.has("--production");

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
// backports it needs there are present; all of them are pure-Python wheels except uv's binary.
function bundleHelper() {
  const libs = join(root, "bundled", "libs");
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(libs, { recursive: true });
  const uv = [join(root, ".dev", "venv", "bin", "uv")].find(existsSync) ?? "uv";
  execFileSync(
    uv,
    ["pip", "install", "--quiet", "--target", libs, "--python-version", "3.10", "--no-compile",
      // uv caches a local project by its pyproject.toml, not its sources: rebuild the helper every time.
      "--reinstall-package", "pyhelper",
      join(root, "pyhelper")],
    { stdio: "inherit", env: { ...process.env, UV_PYTHON_DOWNLOADS: "never" } },
  );
  console.log(`build: helper bundled into ${relative(root, libs)}`);
}

if (args.has("--tests")) {
  await buildTests();
} else if (args.has("--watch")) {
  const context = await esbuild.context(extensionOptions);
  await context.watch();
  console.log("build: watching extension/ for changes");
} else {
  await esbuild.build(extensionOptions);
  bundleHelper();
}
