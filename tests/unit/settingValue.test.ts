import assert from "node:assert/strict";
import { test } from "node:test";
import { settingValue } from "../../extension/settingValue";

test("a list setting keeps only its texts, trimmed; anything but a list is the default", () => {
  assert.deepEqual(settingValue([" docs ", 3, "", null, "dev"], [":default:"]), ["docs", "dev"]);
  assert.deepEqual(settingValue("docs", [":default:"]), [":default:"]);
  assert.deepEqual(settingValue({ groups: ["docs"] }, []), []);
  assert.deepEqual(settingValue(undefined, [":default:"]), [":default:"]);
});

test("a text, flag or table of another type is the default; a blank text is too", () => {
  assert.equal(settingValue("  .env ", ".venv"), ".env");
  assert.equal(settingValue("   ", ".venv"), ".venv");
  assert.equal(settingValue(["x"], ".venv"), ".venv");
  assert.equal(settingValue("yes", true), true);
  assert.equal(settingValue(false, true), false);
  assert.deepEqual(settingValue(["warning"], {}), {});
  assert.deepEqual(settingValue({ "lock-stale": "error" }, {}), { "lock-stale": "error" });
});
