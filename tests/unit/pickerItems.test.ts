import assert from "node:assert/strict";
import { test } from "node:test";
import { pickerLists } from "../../extension/pickerItems";
import type { InterpreterInfo, InterpretersResult } from "../../extension/protocol";
import { projectInfo } from "./projectInfo";

const project = projectInfo("/w/demo", { lockfile: null });

function pyenv(version: string): InterpreterInfo {
  const prefix = `/root/.pyenv/versions/${version}`;
  return {
    path: `${prefix}/bin/python${version.split(".").slice(0, 2).join(".")}`,
    version,
    implementation: "cpython",
    kind: "pyenv",
    managed: false,
    prefix,
    architecture: "x86_64",
    freeThreaded: false,
    name: version,
    base: null,
  };
}

const fitting = ["3.13.0", "3.12.1"].map(pyenv);
const old = ["3.11.7", "3.10.13", "3.9.18", "3.8.18", "3.7.17", "3.6.15"].map(pyenv);

function result(install = true): InterpretersResult {
  return {
    interpreters: [...fitting, ...old],
    choice: {
      chosen: fitting[0].path,
      candidates: [
        ...fitting.map((i) => ({ path: i.path, fits: true, reason: null })),
        ...old.map((i) => ({ path: i.path, fits: false, reason: `${i.version} does not satisfy >=3.12` })),
      ],
      install: install
        ? { implementation: "cpython", specifier: ">=3.12", freeThreaded: false, prereleases: false, version: "3.15.1", label: "Python 3.15.1" }
        : null,
      message: "",
      request: null,
      notes: [],
    },
  };
}

test("the actions come first, however many interpreters there are", () => {
  const { main } = pickerLists(project, result());
  assert.deepEqual(
    main.slice(0, 2).map((row) => row.action?.kind),
    ["enter-path", "download"],
  );
  assert.equal(main[1].label, "$(cloud-download) Download Python 3.15.1");
  assert.equal(main[1].description, "managed by Lockstep");
});

test("the download names the plan's build and its size", () => {
  const download = { label: "Python 3.15.2", version: "3.15.2", size: 31_200_000, url: "https://m/x.tar.gz" };
  const { main } = pickerLists(project, result(), download);
  assert.equal(main[1].label, "$(cloud-download) Download Python 3.15.2");
  assert.equal(main[1].description, "31.2 MB, managed by Lockstep");
  assert.deepEqual(main[1].action, { kind: "download", request: "3.15.2" });
});

test("interpreters that do not fit fold into one last entry, their reasons in the second list", () => {
  const { main, unfit } = pickerLists(project, result());
  const last = main.at(-1)!;
  assert.equal(last.label, "$(chevron-right) Show 6 interpreters that don't fit…");
  assert.equal(last.action?.kind, "show-unfit");
  const interpreters = main.filter((row) => row.action?.kind === "interpreter");
  assert.deepEqual(
    interpreters.map((row) => row.label),
    ["$(star-full) Python 3.13.0", "Python 3.12.1"],
  );
  assert.deepEqual(
    unfit.map((row) => [row.label, row.description]),
    old.map((i) => [`$(circle-slash) Python ${i.version}`, "does not satisfy >=3.12"]),
  );
});

test("the version is said once: a pyenv name equal to it is not repeated", () => {
  const { main } = pickerLists(project, result());
  const thirteen = main.find((row) => row.label.endsWith("Python 3.13.0"))!;
  assert.equal(thirteen.description, "recommended");
  assert.equal(main.find((row) => row.label === "Python 3.12.1")!.description, "");
  const named = { ...pyenv("3.12.1"), name: "3.12.1-debug" };
  const withName = pickerLists(project, { interpreters: [named], choice: null });
  assert.equal(withName.main.find((row) => row.action?.kind === "interpreter")!.description, "3.12.1-debug");
});

test("the recommended interpreter is focused, or the current venv when there is one", () => {
  assert.deepEqual(
    pickerLists(project, result()).main.filter((row) => row.focus).map((row) => row.label),
    ["$(star-full) Python 3.13.0"],
  );
  const venvPython = "/w/demo/.venv/bin/python";
  const venv: InterpreterInfo = { ...pyenv("3.12.1"), path: venvPython, kind: "venv", name: ".venv" };
  const withVenv = { ...project, venv: { path: "/w/demo/.venv", name: ".venv", python: venvPython, version: "3.12.1", resolved: "/w/demo/.venv", link: false, listedIn: null } };
  const lists = pickerLists(withVenv, { ...result(), interpreters: [venv, ...fitting, ...old] });
  assert.deepEqual(
    lists.main.filter((row) => row.focus).map((row) => row.label),
    ["$(folder-active) Python 3.12.1 (.venv)"],
  );
});

test("without unfit interpreters or a download, neither entry appears", () => {
  const { main, unfit } = pickerLists(project, { interpreters: fitting, choice: null });
  assert.deepEqual(unfit, []);
  assert.deepEqual(
    main.filter((row) => row.action && row.action.kind !== "interpreter").map((row) => row.action?.kind),
    ["enter-path"],
  );
});

test("the recommended Python can be pinned, as uv python pin writes it, unless it already is", () => {
  const pins = (p: typeof project, r = result()) =>
    pickerLists(p, r).main.filter((row) => row.action?.kind === "pin").map((row) => [row.label, row.description, row.action]);
  assert.deepEqual(pins(project), [
    ["$(pin) Pin Python 3.13 for this project", "writes .python-version, as uv python pin does", { kind: "pin", version: "3.13" }],
  ]);
  assert.deepEqual(pins({ ...project, pythonVersion: "3.12" })[0]?.[1], "replaces .python-version (3.12)");
  assert.deepEqual(pins({ ...project, pythonVersion: "3.13\n" }), []);
  const freeThreaded = { ...fitting[0], freeThreaded: true };
  const ft = { ...result(), interpreters: [freeThreaded, ...fitting.slice(1), ...old] };
  assert.equal(pins(project, ft)[0]?.[0], "$(pin) Pin Python 3.13t for this project");
  const pypy = { ...fitting[0], implementation: "pypy" };
  assert.deepEqual(pins(project, { ...result(), interpreters: [pypy, ...fitting.slice(1), ...old] }), []);
});

test("with a venv, its Python is the one offered for the pin", () => {
  const venvPython = "/w/demo/.venv/bin/python";
  const venv: InterpreterInfo = { ...pyenv("3.12.1"), path: venvPython, kind: "venv", name: ".venv" };
  const withVenv = { ...project, venv: { path: "/w/demo/.venv", name: ".venv", python: venvPython, version: "3.12.1", resolved: "/w/demo/.venv", link: false, listedIn: null } };
  const pin = pickerLists(withVenv, { ...result(), interpreters: [venv, ...fitting, ...old] }).main.find((row) => row.action?.kind === "pin");
  assert.deepEqual(pin?.action, { kind: "pin", version: "3.12" });
});

test("for a PEP 723 script: its environment first, no pin (a script has no .python-version of its own)", () => {
  const environment = { python: fitting[1].path, name: "tool.py's environment" };
  const lists = pickerLists({ requiresPython: ">=3.12", pythonVersion: null, venv: environment }, result(false), null, { pin: false });
  assert.equal(lists.main.some((row) => row.action?.kind === "pin"), false);
  const current = lists.main.find((row) => row.focus);
  assert.equal(current?.label, "$(folder-active) Python 3.12.1 (tool.py's environment)");
  assert.equal(current?.description, "current");
});
