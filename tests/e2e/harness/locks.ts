// A lock across processes: node's test runner runs test files in parallel unless told otherwise, and
// two packaging runs, or two editors plus browsers on two cores, must take turns.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./waits";

function ownerAlive(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(join(lock, "pid"), "utf8")), 0);
    return true;
  } catch (error) {
    // EPERM: alive but not ours. No pid file: its owner is between mkdir and write, or died there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      const made = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      return Date.now() - made < 10_000;
    }
    return code === "EPERM";
  }
}

/** Runs `action` holding the lock directory `lock`; a lock whose owner died is taken over. */
export async function withLock<T>(lock: string, what: string, timeoutMs: number, action: () => Promise<T>): Promise<T> {
  await waitFor(
    `${what} (lock ${lock}, held by another test process)`,
    async () => {
      try {
        mkdirSync(lock);
      } catch {
        if (!ownerAlive(lock)) rmSync(lock, { recursive: true, force: true });
        return { ok: false };
      }
      writeFileSync(join(lock, "pid"), String(process.pid));
      return { ok: true, value: undefined };
    },
    { timeoutMs, intervalMs: 250 },
  );
  try {
    return await action();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
