import assert from "node:assert/strict";
import { test } from "node:test";
import type { ScriptStatus } from "../../extension/protocol";
import { activeTarget, describeActive, runArgv, scriptLenses, shellLine, shellOf } from "../../extension/scripts/view";
import { tooltipMarkdown } from "../../extension/tooltip";
import { projectInfo } from "./projectInfo";

const running = { kind: "running" } as const;
const UV = "/ext/bundled/uv";
const BASE = "/py/3.12.1/bin/python3.12";

function script(overrides: Partial<ScriptStatus> = {}): ScriptStatus {
  return {
    path: "/w/tools/tool.py",
    requiresPython: ">=3.10",
    dependencies: 1,
    blockStart: 1,
    blockEnd: 5,
    problem: null,
    lockfile: "/w/tools/tool.py.lock",
    lockState: "unlocked",
    lockIssues: 0,
    environment: null,
    environmentDrift: null,
    python: BASE,
    runCommand: [UV, "run", "--python", BASE, "--script", "/w/tools/tool.py"],
    ...overrides,
  };
}

const ENVIRONMENT = { path: "/cache/environments-v2/tool-0123", python: "/cache/environments-v2/tool-0123/bin/python", version: "3.12.1" };

test("the active editor's script wins over the project folder it sits in; without one, the project shows", () => {
  const project = projectInfo("/w", { venv: { path: "/w/.venv", name: ".venv", python: "/w/.venv/bin/python", version: "3.13.0", resolved: "/w/.venv", link: false, listedIn: null } });
  const onScript = describeActive(running, activeTarget(script(), project), 1, undefined, true);
  assert.equal(onScript.text, "$(warning) No environment (tool.py) $(unlock) unlocked");
  const onProject = describeActive(running, activeTarget(undefined, project), 1, undefined, true);
  assert.equal(onProject.text, "3.13.0 (.venv)");
});

test("a script with its environment shows uv's interpreter and the lock state", () => {
  const view = describeActive(running, activeTarget(script({ environment: ENVIRONMENT, lockState: "locked" }), undefined), 0, undefined, true);
  assert.equal(view.text, "3.12.1 (tool.py) $(check)");
  assert.equal(view.tone, "normal");
  assert.equal(view.command, "selectInterpreter");
  assert.match(view.tooltip, /Environment: \/cache\/environments-v2\/tool-0123 \(uv's cache\)/);
  assert.match(view.tooltip, /Interpreter: \/cache\/environments-v2\/tool-0123\/bin\/python/);
  assert.match(view.tooltip, /Locked: the script block and tool\.py\.lock agree\./);
});

test("an environment out of step with the lock says how, and a Python the block refuses is an error", () => {
  const drift = { inSync: false, missing: 1, mismatched: 2, extraneous: 0, pythonMismatch: false };
  const view = describeActive(running, activeTarget(script({ environment: ENVIRONMENT, lockState: "locked", environmentDrift: drift }), undefined), 0, undefined, true);
  assert.equal(view.text, "3.12.1 (tool.py) $(warning) env out of sync");
  assert.equal(view.tone, "warning");
  assert.match(view.tooltip, /Environment out of sync with tool\.py\.lock: 1 package missing, 2 packages at other versions\. Run Sync Script Environment/);
  const refused = { ...drift, missing: 0, mismatched: 0, pythonMismatch: true };
  const old = describeActive(running, activeTarget(script({ environment: ENVIRONMENT, lockState: "locked", environmentDrift: refused }), undefined), 0, undefined, true);
  assert.equal(old.tone, "error");
  assert.match(old.tooltip, /its Python does not satisfy requires-python/);
  const synced = { ...drift, inSync: true, missing: 0, mismatched: 0 };
  assert.equal(describeActive(running, activeTarget(script({ environment: ENVIRONMENT, lockState: "locked", environmentDrift: synced }), undefined), 0, undefined, true).text, "3.12.1 (tool.py) $(check)");
});

test("a stale lock is a warning naming the issue count; a malformed block is an error with no actions but the picker", () => {
  const stale = describeActive(running, activeTarget(script({ lockState: "stale", lockIssues: 2 }), undefined), 0, undefined, true);
  assert.equal(stale.text, "$(warning) No environment (tool.py) $(warning) lock stale");
  assert.equal(stale.tone, "warning");
  assert.match(stale.tooltip, /disagree \(2 issues\)/);
  const broken = describeActive(
    running,
    activeTarget(script({ lockState: "invalid", problem: "line 4: unterminated block" }), undefined),
    0,
    undefined,
    true,
  );
  assert.equal(broken.tone, "error");
  assert.match(broken.text, /\$\(error\) script block invalid$/);
  assert.match(broken.tooltip, /malformed \(line 4: unterminated block\)/);
  assert.deepEqual(broken.actions.map((a) => a.command), ["selectInterpreter"]);
});

test("the interpreter picked for the script is shown, and Run uses it in place of the helper's", () => {
  const selected = { path: "/py/3.13.0/bin/python3.13", version: "3.13.0" };
  const view = describeActive(running, activeTarget(script(), undefined), 0, selected, true);
  assert.equal(view.text, "$(warning) 3.13.0 · No environment (tool.py) $(unlock) unlocked");
  assert.match(view.tooltip, /Interpreter: \/py\/3\.13\.0\/bin\/python3\.13 \(selected\)/);
  assert.deepEqual(runArgv(script(), selected), [UV, "run", "--python", selected.path, "--script", "/w/tools/tool.py"]);
  assert.deepEqual(runArgv(script({ runCommand: [UV, "run", "--script", "/w/tools/tool.py"] }), selected), [
    UV,
    "run",
    "--python",
    selected.path,
    "--script",
    "/w/tools/tool.py",
  ]);
  assert.deepEqual(runArgv(script(), undefined), script().runCommand);
  assert.deepEqual(runArgv(script({ runCommand: [] }), selected), [], "no uv: nothing to run");
});

test("Restricted Mode: the status says the environment was not looked for", () => {
  const view = describeActive(running, activeTarget(script({ python: null, runCommand: [] }), undefined), 0, undefined, false);
  assert.match(view.tooltip, /not looked for in Restricted Mode/);
});

test("the helper's own states outrank the script", () => {
  assert.match(describeActive({ kind: "starting" }, activeTarget(script(), undefined), 0, undefined, true).text, /Lockstep: starting/);
});

test("lenses: Run, Create (Sync once the environment exists), Lock; none on a malformed block", () => {
  assert.deepEqual(scriptLenses(script()).map((l) => [l.title, l.command]), [
    ["$(play) Run Script", "runScript"],
    ["$(add) Create Script Environment", "createScriptEnvironment"],
    ["$(unlock) Lock Script", "lockScript"],
  ]);
  assert.deepEqual(
    scriptLenses(script({ environment: ENVIRONMENT, lockState: "locked" })).map((l) => l.title),
    ["$(play) Run Script", "$(sync) Sync Script Environment", "$(lock) Lock Script"],
  );
  assert.deepEqual(scriptLenses(script({ problem: "line 2: two blocks", lockState: "invalid" })), []);
});

test("the tooltip's links run the script commands on this script", () => {
  const markdown = tooltipMarkdown(describeActive(running, activeTarget(script(), undefined), 0, undefined, true));
  const argument = encodeURIComponent(JSON.stringify(["/w/tools/tool.py"]));
  assert.ok(markdown.includes(`(command:lockstep.runScript?${argument})`), markdown);
  assert.ok(markdown.includes(`(command:lockstep.lockScript?${argument})`), markdown);
  assert.ok(markdown.includes(`(command:lockstep.selectInterpreter?${argument})`), markdown);
});

test("the Run line is quoted for the terminal's shell", () => {
  const argv = ["/opt/my uv/uv", "run", "--script", "/w/it's.py"];
  assert.equal(shellLine(argv, "posix"), `'/opt/my uv/uv' run --script '/w/it'\\''s.py'`);
  assert.equal(shellLine(argv, "powershell"), `& '/opt/my uv/uv' 'run' '--script' '/w/it''s.py'`);
  assert.equal(shellLine(["C:\\uv\\uv.exe", "run", "--script", "C:\\my scripts\\t.py"], "cmd"), `C:\\uv\\uv.exe run --script "C:\\my scripts\\t.py"`);
  assert.equal(shellOf("/bin/bash"), "posix");
  assert.equal(shellOf("C:\\Program Files\\PowerShell\\7\\pwsh.exe"), "powershell");
  assert.equal(shellOf("C:\\Windows\\System32\\cmd.exe"), "cmd");
  assert.equal(shellOf(undefined), "posix");
});
