import assert from "node:assert/strict";
import { scenario } from "./harness/scenario";

// Line 3 holds a second "=" where a value must start: column 11 in every TOML parser.
const files = {
  "pyproject.toml": `[project]
name = "demo"
version = = "0.1.0"
`,
};

scenario("toml-syntax-problem", { files }, async ({ workbench }) => {
  const problem = await workbench.waitForProblem("from lockstep", (row) => row.text.includes("toml-syntax"));
  assert.match(problem.text, /lockstep.*toml-syntax.*\[Ln 3, Col 11\]$/);
  assert.match(problem.label, /^Error: /);
  const rows = await workbench.problems();
  assert.ok(rows.some((row) => row.text.startsWith("pyproject.toml")), "the problem should be under pyproject.toml");

  await workbench.revealProblem("toml-syntax");
  await workbench.waitForSquiggle("pyproject.toml", 3);
  assert.deepEqual(await workbench.squiggleLines(), [3], "only the broken line should be squiggled");
});
