// The helper's project list as the extension holds it. The helper pushes the list whenever it
// changes (lockstep/projectsChanged) and answers it to lockstep/projects; both arrive here, and
// the listener hears only of a list that differs from the last one it heard of: one change, one
// render. Pure, for unit tests.
import type { ProjectInfo } from "./protocol";

export class ProjectList {
  private current: readonly ProjectInfo[] = [];
  private currentJson = "[]";

  constructor(private readonly onChange: (projects: readonly ProjectInfo[]) => void) {}

  get projects(): readonly ProjectInfo[] {
    return this.current;
  }

  /** Takes the helper's latest list; returns whether it changed (and the listener was told). */
  update(projects: readonly ProjectInfo[]): boolean {
    const json = JSON.stringify(projects);
    if (json === this.currentJson) return false;
    this.current = projects;
    this.currentJson = json;
    this.onChange(projects);
    return true;
  }
}
