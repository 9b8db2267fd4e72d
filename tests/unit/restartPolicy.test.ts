import assert from "node:assert/strict";
import { test } from "node:test";
import { RestartPolicy } from "../../extension/restartPolicy";

test("five restarts within three minutes, with a growing delay, then it gives up", () => {
  const policy = new RestartPolicy();
  const decisions = [0, 1_000, 2_000, 3_000, 4_000, 5_000].map((t) => policy.onCrash(t));
  assert.deepEqual(
    decisions.map((d) => d.restart),
    [true, true, true, true, true, false],
  );
  assert.deepEqual(
    decisions.map((d) => d.delayMs),
    [500, 1_000, 2_000, 4_000, 8_000, 8_000],
  );
});

test("crashes older than the window are forgotten", () => {
  const policy = new RestartPolicy(5, 180_000);
  for (let i = 0; i < 5; i++) policy.onCrash(i);
  const later = policy.onCrash(200_000);
  assert.equal(later.restart, true);
  assert.equal(later.crashes, 1);
});

test("a deliberate restart resets the count", () => {
  const policy = new RestartPolicy(2);
  policy.onCrash(0);
  policy.onCrash(1);
  assert.equal(policy.onCrash(2).restart, false);
  policy.reset();
  assert.equal(policy.onCrash(3).restart, true);
});
