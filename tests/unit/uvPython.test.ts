import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  findCommand,
  type HelperPythonStore,
  installCommand,
  installSources,
  progressMessage,
  uvFind,
  verifiedDownloads,
} from "../../extension/uvPython";

const repo = join(__dirname, "..", "..", "..");
const devUv = join(repo, ".dev", "venv", "bin", "uv");
const pyenvVersions = join(process.env.PYENV_ROOT || join(homedir(), ".pyenv"), "versions");
const store: HelperPythonStore = { uv: "/x/uv", installDir: "/g/python", cwd: "/g" };
const GITHUB = "https://github.com/astral-sh/python-build-standalone/releases/download";

test("find: Lockstep's installs only (no activated venv, no uv settings), or uv's own search over the given PATH", () => {
  const base = { PATH: "/usr/bin", VIRTUAL_ENV: "/w/.venv", UV_PYTHON: "3.8", UV_PYTHON_INSTALL_DIR: "/elsewhere", HOME: "/h" };
  const installed = findCommand(store, "installed", "/bin", base);
  assert.deepEqual(installed.args, ["python", "find", "--no-project", "--no-config", "--no-python-downloads", "--managed-python", ">=3.10"]);
  assert.deepEqual(installed.env, { PATH: "/usr/bin", HOME: "/h", UV_PYTHON_INSTALL_DIR: "/g/python" });
  const anywhere = findCommand(store, "anywhere", "/bin", base);
  assert.deepEqual(anywhere.args, ["python", "find", "--no-project", "--no-config", "--no-python-downloads", ">=3.10"]);
  assert.deepEqual(anywhere.env, { ...base, PATH: "/bin" });
});

test("install: into Lockstep's folder, nothing on PATH or in the registry, the helper's mirror and list", () => {
  const base = { UV_PYTHON_INSTALL_MIRROR: "https://evil.example", UV_PYTHON_DOWNLOADS: "never", HOME: "/h" };
  const plain = installCommand(store, {}, base);
  assert.deepEqual(plain.args, ["python", "install", "--no-config", "--no-bin", "--no-registry", ">=3.10"]);
  assert.deepEqual(plain.env, { HOME: "/h", UV_PYTHON_INSTALL_DIR: "/g/python" });
  const mirrored = installCommand(store, { mirror: "http://127.0.0.1:9/pbs", downloadsJson: "/g/verified.json" }, base);
  assert.deepEqual(mirrored.args.slice(5), ["--mirror", "http://127.0.0.1:9/pbs", "--python-downloads-json-url", "/g/verified.json", ">=3.10"]);
  assert.deepEqual(installSources({ pythonInstallMirror: "", pythonDownloadsJson: "" }, { LOCKSTEP_PYTHON_INSTALL_MIRROR: "https://m" }), {
    mirror: "https://m",
    downloadsJson: undefined,
  });
  assert.deepEqual(installSources({ pythonInstallMirror: "https://s", pythonDownloadsJson: "/d.json" }, { LOCKSTEP_PYTHON_INSTALL_MIRROR: "https://m" }), {
    mirror: "https://s",
    downloadsJson: "/d.json",
  });
});

test("a downloads list keeps only builds with a sha256 from https or the mirror", () => {
  const sha = "a".repeat(64);
  const list = {
    "cpython-3.12.1-linux-x86_64-gnu": { url: `${GITHUB}/20990101/cpython-3.12.1.tar.gz`, sha256: sha },
    "cpython-3.12.0-linux-x86_64-gnu": { url: `${GITHUB}/20990101/cpython-3.12.0.tar.gz`, sha256: null },
    "cpython-3.11.9-linux-x86_64-gnu": { url: "http://plain.example/cpython-3.11.9.tar.gz", sha256: sha },
    "cpython-3.11.8-linux-x86_64-gnu": { url: "http://127.0.0.1:9/pbs/x/cpython-3.11.8.tar.gz", sha256: sha },
    "cpython-3.11.7-linux-x86_64-gnu": { url: "https://other.example/cpython-3.11.7.tar.gz", sha256: "abc" },
    "cpython-3.10.0-linux-x86_64-gnu": "not an object",
  };
  const mirrored = verifiedDownloads(JSON.stringify(list), "http://127.0.0.1:9/pbs/");
  assert.deepEqual(Object.keys(JSON.parse(mirrored.json)), ["cpython-3.12.1-linux-x86_64-gnu", "cpython-3.11.8-linux-x86_64-gnu"]);
  assert.deepEqual(mirrored.dropped.length, 4);
  const direct = verifiedDownloads(JSON.stringify(list));
  assert.deepEqual(Object.keys(JSON.parse(direct.json)), ["cpython-3.12.1-linux-x86_64-gnu"]);
  // a mirror that is only a prefix of the URL's host is not "under" it
  assert.deepEqual(JSON.parse(verifiedDownloads(JSON.stringify(list), "http://127.0.0.1:9/pb").json), {
    "cpython-3.12.1-linux-x86_64-gnu": list["cpython-3.12.1-linux-x86_64-gnu"],
  });
  assert.throws(() => verifiedDownloads("[1]"), /not a JSON object of builds/);
  assert.throws(() => verifiedDownloads("{"), /not JSON/);
});

test("uv's install lines become progress messages", () => {
  assert.equal(
    progressMessage("Downloading cpython-3.12.1-linux-x86_64-gnu (download) (6.3MiB)"),
    "Downloading cpython-3.12.1-linux-x86_64-gnu (6.3 MiB)…",
  );
  assert.equal(progressMessage(" Downloaded cpython-3.12.1-linux-x86_64-gnu (download)".trim()), "Unpacking…");
  assert.equal(progressMessage("Installed Python 3.12.1 in 264ms"), "Installed Python 3.12.1");
  assert.equal(progressMessage(" + cpython-3.12.1-linux-x86_64-gnu".trim()), undefined);
});

test("real uv finds past pyenv's 3.8 to its 3.12, and nothing in an empty Lockstep store", async () => {
  const root = mkdtempSync(join(tmpdir(), "lockstep-uvfind-"));
  const real = { ...store, uv: devUv, installDir: join(root, "python"), cwd: root };
  mkdirSync(join(root, "bin38"));
  symlinkSync(join(pyenvVersions, "3.8.18", "bin", "python3.8"), join(root, "bin38", "python3"));
  const bin312 = join(pyenvVersions, "3.12.1", "bin");
  // a private uv cache: interpreter answers cached elsewhere must not decide
  process.env.UV_CACHE_DIR = join(root, "cache");
  // and no uv-managed Pythons of this machine's user
  process.env.XDG_DATA_HOME = join(root, "data");
  assert.equal(await uvFind(real, "anywhere", join(root, "bin38")), undefined);
  assert.equal(await uvFind(real, "anywhere", `${join(root, "bin38")}:${bin312}`), join(bin312, "python3"));
  assert.equal(await uvFind(real, "installed", `${join(root, "bin38")}:${bin312}`), undefined);
});
