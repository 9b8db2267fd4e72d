// The process table, read from /proc: finding the helper among code-server's descendants, and
// ending a whole session of processes so that nothing outlives a scenario.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  session: number;
  /** Clock ticks after boot: with the pid, names one process even after its pid is reused. */
  startTime: number;
  cmdline: string[];
}

export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may itself hold spaces or ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return { pid, ppid: Number(fields[1]), session: Number(fields[3]), startTime: Number(fields[19]), cmdline };
  } catch {
    return undefined; // it exited while we looked
  }
}

export function processes(): ProcessInfo[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readProcess(Number(name)) ?? []);
}

/** Live processes below `ancestor` (children, grandchildren, ...). */
export function descendants(ancestor: number): ProcessInfo[] {
  const all = processes();
  const found: ProcessInfo[] = [];
  const parents = new Set([ancestor]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of all) {
      if (parents.has(proc.ppid) && !parents.has(proc.pid)) {
        parents.add(proc.pid);
        found.push(proc);
        grew = true;
      }
    }
  }
  return found;
}

/** Live processes of a session (what `setsid` started, and whatever it started that did not leave). */
export function sessionMembers(session: number): ProcessInfo[] {
  return processes().filter((proc) => proc.session === session);
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Everything in the session and below its leader. */
function stragglers(leader: number): number[] {
  const pids = new Set([...sessionMembers(leader), ...descendants(leader)].map((proc) => proc.pid));
  return [...pids];
}

/** SIGTERM to the session and the leader's descendants, then SIGKILL whatever is left after `graceMs`. */
export async function endSession(leader: number, graceMs = 5_000): Promise<void> {
  signalAll(stragglers(leader), "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (stragglers(leader).length > 0 && Date.now() < deadline) await delay(50);
  signalAll(stragglers(leader), "SIGKILL");
  while (stragglers(leader).length > 0 && Date.now() < deadline + 5_000) await delay(50);
}

/** The synchronous last resort, for process exit handlers where nothing can be awaited. */
export function killSessionNow(leader: number): void {
  signalAll(stragglers(leader), "SIGKILL");
}
