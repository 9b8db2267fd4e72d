import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scenario } from "./harness/scenario";

const project = (name: string) => `[project]
name = "${name}"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []
`;

// A big repository keeps a folder out of the editor's file watching (`files.watcherExclude`): a
// project that appears there sends the helper no file event, and Refresh Projects is how the user
// makes Lockstep look again.
scenario(
  "refresh-projects-rescans",
  {
    files: { "app/pyproject.toml": project("app") },
    settings: { "files.watcherExclude": { "**/vendored/**": true } },
  },
  async ({ workbench, workspace, waitForHelper }) => {
    await workbench.waitForStatus("No environment");
    await waitForHelper();

    mkdirSync(join(workspace, "vendored"));
    writeFileSync(join(workspace, "vendored", "pyproject.toml"), project("lib"));
    await workbench.runCommand("Lockstep: Refresh Projects");

    // Two top-level projects and no file open: the status item counts them.
    await workbench.waitForStatus("2 Python projects");
  },
);
