// The custom protocol is spelled in one place, extension/protocol.ts (generated from the helper's
// declarations): the rest of the extension names a method only through its typed `Requests.x` /
// `Notifications.x` object, so its params and result are checked by tsc, and never passes an untyped
// `object`. The helper's side is tests/protocol/test_protocol_use.py.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = join(__dirname, "..", "..", "..");

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every extension source but the generated protocol, with comments blanked out. */
const files = sources(join(root, "extension"))
  .filter((path) => relative(root, path) !== join("extension", "protocol.ts"))
  .map((path) => ({
    name: relative(root, path),
    text: readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""),
  }));

test("no extension source but protocol.ts spells a custom method", () => {
  const spelled = files.filter(({ text }) => /["'`]lockstep\/\w/.test(text)).map(({ name }) => name);
  assert.deepEqual(spelled, []);
});

test("requests and notifications go through a typed method object, never a string", () => {
  for (const { name, text } of files) {
    for (const call of text.matchAll(/\.(sendRequest|sendNotification|onRequest|onNotification)\(\s*(["'`])/g)) {
      assert.fail(`${name}: ${call[1]} with a method name; use Requests.x / Notifications.x from protocol.ts`);
    }
  }
});

test("no module that speaks the protocol types a value as a bare object", () => {
  // The helper's payloads all have their declared types; `object` would let any shape through.
  const untyped = files
    .filter(({ text }) => /from "\.\.?\/(\.\.\/)?protocol"/.test(text))
    .filter(({ text }) => /(:|as|<)\s*object\b(?!\s*\.)/.test(text))
    .map(({ name }) => name);
  assert.deepEqual(untyped, []);
});

test("the check sees a spelled method (it reads the sources it should)", () => {
  assert.ok(files.some(({ name }) => name === join("extension", "client.ts")));
  assert.match(readFileSync(join(root, "extension", "protocol.ts"), "utf8"), /"lockstep\/projects"/);
});
