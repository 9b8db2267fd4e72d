import assert from "node:assert/strict";
import { test } from "node:test";
import { originOf } from "../../extension/settingOrigin";

test("a value a repository can ship counts as the workspace's, even beside the user's own", () => {
  assert.equal(originOf({ workspaceValue: "../outside" }), "workspace");
  assert.equal(originOf({ workspaceFolderValue: "../outside" }), "workspace");
  assert.equal(originOf({ globalValue: "/home/ada/venvs/app", workspaceValue: "../outside" }), "workspace");
  assert.equal(originOf({ globalValue: "/home/ada/venvs/app", workspaceFolderValue: "" }), "workspace");
});

test("only the user's settings make it the user's; nothing set is the default", () => {
  assert.equal(originOf({ globalValue: "/home/ada/venvs/app" }), "user");
  assert.equal(originOf({}), "default");
  assert.equal(originOf(undefined), "default");
});
