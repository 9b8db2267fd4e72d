import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Commands, EXTENSION_ID, SETTINGS_SECTION, SettingKeys } from "../../extension/configuration";

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8"));

test("the extension id is publisher.name from the manifest", () => {
  assert.equal(EXTENSION_ID, `${manifest.publisher}.${manifest.name}`);
});

test("every command in the code is declared in the manifest, and no other", () => {
  const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(declared, Object.values(Commands).sort());
  for (const c of manifest.contributes.commands) assert.equal(c.category, "Lockstep");
});

test("every setting in the code is declared in the manifest, and no other", () => {
  const declared = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(declared, Object.values(SettingKeys).map((key) => `${SETTINGS_SECTION}.${key}`).sort());
});

test("settings that name an executable, a download source or where the lock is sent cannot be set by a workspace", () => {
  const properties = manifest.contributes.configuration.properties;
  for (const key of [
    "helper.python",
    "uv.path",
    "python.installMirror",
    "python.downloadsJson",
    "python.installDir",
    "health.osvUrl",
  ]) {
    assert.equal(properties[`${SETTINGS_SECTION}.${key}`]?.scope, "machine", key);
  }
});
