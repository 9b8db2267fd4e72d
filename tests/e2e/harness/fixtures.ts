// Fixture files shared by scenarios; a scenario that needs something else writes its own.

/** A plain PEP 621 project with no lockfile and no virtual environment. */
export const plainProject = {
  "pyproject.toml": `[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []
`,
};
