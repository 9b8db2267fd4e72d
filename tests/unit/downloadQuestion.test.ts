import assert from "node:assert/strict";
import { test } from "node:test";
import { describePlan, downloadQuestion, formatBytes, planDownloads } from "../../extension/projects";
import type { EnvironmentPlan, PythonDownload } from "../../extension/protocol";

const download: PythonDownload = {
  label: "Python 3.15.1",
  version: "3.15.1",
  size: 31_234_567,
  url: "https://mirror.example/cpython-3.15.1.tar.gz",
};
const plan: EnvironmentPlan = { venvPath: "/w/app/.venv", python: null, pythonRequest: "Python >=3.14", download, packages: 4, lock: "locked", refusal: null };

test("the open prompt names the concrete version and size, and covers the download", () => {
  assert.equal(
    describePlan("app", plan),
    "Create .venv with Python 3.15.1 (a 31.2 MB download) and install 4 locked packages for app?",
  );
  assert.equal(planDownloads(plan), true);
  assert.equal(
    describePlan("app", { ...plan, download: { ...download, size: null } }),
    "Create .venv with Python 3.15.1 (to be downloaded) and install 4 locked packages for app?",
  );
  assert.equal(planDownloads({ ...plan, python: { path: "/usr/bin/python3.14", version: "3.14.2" } }), false);
  assert.equal(planDownloads({ ...plan, download: null }), false, "no build named: Create asks first");
});

test("Create's question has the concrete version on its button", () => {
  const reason = "no installed Python satisfies >=3.14; Python >=3.14 can be installed (managed)";
  assert.deepEqual(downloadQuestion("app", reason, "Python >=3.14", download), {
    question: "No installed Python satisfies >=3.14. Download Python 3.15.1 (31.2 MB) for app?",
    button: "Download Python 3.15.1",
  });
  assert.deepEqual(downloadQuestion("app", reason, "Python >=3.14", null), {
    question: "No installed Python satisfies >=3.14. Download Python >=3.14 for app?",
    button: "Download Python >=3.14",
  });
});

test("sizes read as a download dialog says them", () => {
  assert.equal(formatBytes(31_234_567), "31.2 MB");
  assert.equal(formatBytes(450_000), "450 kB");
  assert.equal(formatBytes(12), "1 kB");
});
