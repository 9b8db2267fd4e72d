// Waiting on conditions, never on the clock: every wait polls a probe until it holds, and names what
// it waits for so that a timeout (its own, or the scenario's) says what never happened.
import { setTimeout as delay } from "node:timers/promises";

let current: { what: string; lastSeen: unknown } | undefined;

/** What the scenario is waiting for right now, with the last value seen (for timeout messages). */
export function currentWait(): string | undefined {
  if (!current) return undefined;
  return current.lastSeen === undefined
    ? current.what
    : `${current.what} (last seen: ${JSON.stringify(current.lastSeen)})`;
}

/** Thrown by a probe when waiting longer cannot help (the process it waits on has died). */
export class GiveUp extends Error {}

// Bumped when a scenario ends: waits still running for it (after its timeout) stop at their next poll.
let generation = 0;

export function abandonWaits(): void {
  generation++;
}

/** An error on one line, Playwright's call log included (it says what the element was doing). */
function briefly(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Playwright colours its call log with ANSI escapes.
  return text.replace(/\u001b\[[\d;]*m/g, "").replace(/\s*\n\s*/g, " | ").slice(0, 400);
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns `{ ok: true, value }`; `seen` is kept for the failure message.
 * A probe that throws counts as "not yet" (the UI may be mid-render), with the error as `seen`,
 * except for GiveUp, which ends the wait at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<{ ok: true; value: T } | { ok: false; seen?: unknown }>,
  { timeoutMs = 30_000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const outer = current;
  current = { what, lastSeen: undefined };
  const deadline = Date.now() + timeoutMs;
  const started = generation;
  try {
    for (;;) {
      if (generation !== started) throw new GiveUp(`abandoned waiting for ${what}: the scenario ended`);
      try {
        const result = await probe();
        if (result.ok) return result.value;
        current.lastSeen = result.seen;
      } catch (error) {
        if (error instanceof GiveUp) throw error;
        current.lastSeen = briefly(error);
      }
      if (Date.now() >= deadline) {
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${currentWait()}`);
      }
      await delay(intervalMs);
    }
  } finally {
    current = outer;
  }
}

/** Runs an action that has its own waiting (a Playwright call), labelled for timeout messages. */
export async function step<T>(what: string, action: () => Promise<T>): Promise<T> {
  const outer = current;
  current = { what, lastSeen: undefined };
  try {
    return await action();
  } catch (error) {
    throw new Error(`${what}: ${briefly(error)}`, { cause: error });
  } finally {
    current = outer;
  }
}
