import assert from "node:assert/strict";
import { test } from "node:test";
import { type Guarded, refusal } from "../../extension/trust";
import { projectInfo } from "./projectInfo";

const operations: Guarded[] = ["create", "sync", "recreate", "delete", "lock"];
const broken = projectInfo("/w/app", { pyprojectError: "pyproject.toml line 2: a value must follow '='" });

test("an untrusted workspace refuses every operation, before and after a project is picked", () => {
  for (const operation of operations) {
    for (const project of [undefined, projectInfo("/w/app"), broken]) {
      const stop = refusal(operation, { trusted: false, project });
      assert.equal(stop?.reason, "untrusted", `${operation} with ${project?.root ?? "no project"}`);
      assert.match(stop.message, /only in trusted workspaces/);
    }
  }
  assert.match(refusal("lock", { trusted: false })?.message ?? "", /locking runs the project's build backends/);
  assert.match(refusal("create", { trusted: false })?.message ?? "", /installing runs code from the project/);
});

test("a trusted workspace lets a project whose pyproject.toml parses through", () => {
  for (const operation of operations) {
    assert.equal(refusal(operation, { trusted: true }), undefined, `${operation} before a project is picked`);
    assert.equal(refusal(operation, { trusted: true, project: projectInfo("/w/app") }), undefined, operation);
  }
});

test("a pyproject.toml that does not parse stops all but Delete, and says where", () => {
  for (const operation of operations.filter((o) => o !== "delete")) {
    assert.deepEqual(refusal(operation, { trusted: true, project: broken }), {
      reason: "invalid-pyproject",
      message: "pyproject.toml line 2: a value must follow '='. Fix it first.",
    });
  }
  assert.equal(refusal("delete", { trusted: true, project: broken }), undefined);
});
