import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { renderReadme } from "../../scripts/readmeTables.mjs";

const root = join(__dirname, "..", "..", "..");

test("the README's command and settings tables match package.json (run `node scripts/readme.mjs`)", () => {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const readme = readFileSync(join(root, "README.md"), "utf8");
  assert.equal(readme, renderReadme(readme, manifest));
});
