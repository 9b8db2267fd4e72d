// The README's command and settings tables are generated from package.json so they cannot drift:
// `node scripts/readme.mjs` rewrites them; tests/unit/readme.test.ts fails when they are stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderReadme } from "./readmeTables.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const path = join(root, "README.md");
writeFileSync(path, renderReadme(readFileSync(path, "utf8"), manifest));
