import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { plainProject } from "./harness/fixtures";
import { artifactsDir, devUv, helperPython } from "./harness/paths";
import { scenario } from "./harness/scenario";

// The project has a .venv (made before the editor starts); a terminal opened in the folder runs the
// venv's Python, as a person expects after picking or creating an environment.
const PRINT_PREFIX = `python -c "import sys; print('PREFIX=' + sys.prefix)"`;

scenario(
  "terminal-activated",
  {
    files: plainProject,
    // The DOM renderer puts the terminal's text where the test (and a screen reader) can read it.
    settings: { "terminal.integrated.gpuAcceleration": "off" },
    prepare: async ({ workspace, env }) => {
      await promisify(execFile)(devUv(), ["venv", "--quiet", "--python", helperPython(), join(workspace, ".venv")], {
        env: { ...process.env, ...env },
      });
    },
  },
  async ({ workbench, workspace }) => {
    const venv = join(workspace, ".venv");
    await workbench.waitForStatus(/\(\.venv\)/);
    await workbench.openTerminal();
    await workbench.runInTerminal(PRINT_PREFIX);
    const line = await workbench.waitForTerminalLine(/^PREFIX=/);
    assert.equal(line.trim(), `PREFIX=${venv}`, "the terminal's python should be the project's venv");
    await workbench.screenshot(join(artifactsDir(), "terminal-activated.venv.png"));

    // The venv goes away (a person's `rm -rf .venv`): the next terminal is no longer pointed at it.
    rmSync(venv, { recursive: true });
    await workbench.waitForStatus(/No environment/);
    await workbench.openTerminal();
    await workbench.runInTerminal(`echo "VE=[$VIRTUAL_ENV]"`);
    assert.equal((await workbench.waitForTerminalLine(/^VE=\[/)).trim(), "VE=[]");
  },
);
