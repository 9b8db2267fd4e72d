// Whether to hand a project's environment to the Python extension, so Pylance, the debugger, Ruff and
// every tool that asks it use the venv Lockstep made. Pure, for unit tests; pythonExtension.ts asks and
// acts. A choice the user made there is never replaced silently: Lockstep says so, with Undo.

/** What Lockstep remembers per workspace folder (workspace state). */
export interface Announced {
  /** The interpreter Lockstep last handed over. */
  lastSet?: string;
  /** The venv interpreter whose hand-over the user undid: not offered again until it changes. */
  declined?: string;
}

export type Announcement = { kind: "none" } | { kind: "set"; silently: boolean };

/** The Python extension's answer when nothing is chosen: a bare command, not a path. */
function isChoice(path: string | undefined): path is string {
  return path !== undefined && /[\\/]/.test(path);
}

/**
 * `ours`: the folder project's venv interpreter and its folder; `current`: what the Python extension
 * uses for the folder (an interpreter or an environment folder).
 */
export function announcement(
  ours: { python: string; venv: string } | undefined,
  current: string | undefined,
  announced: Announced,
): Announcement {
  if (!ours) return { kind: "none" };
  if (current === ours.python || current === ours.venv) return { kind: "none" };
  if (announced.declined === ours.python) return { kind: "none" };
  const silently = !isChoice(current) || current === announced.lastSet;
  return { kind: "set", silently };
}
