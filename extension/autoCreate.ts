// The offer to create environments when a folder opens (or a project appears): with
// `lockstep.autoCreate: prompt` one question for all the projects without one, `always` goes ahead,
// `never` stays quiet; never in an untrusted workspace. What to ask: autoCreatePrompt.ts.
import * as vscode from "vscode";
import { offerQuestion, type Planned, projectsToOffer } from "./autoCreatePrompt";
import type { HelperClient } from "./client";
import { projectLabel, runEnvironmentOperation } from "./environments";
import { planDownloads } from "./projects";
import { type EnvironmentPlan, type ProjectInfo, Requests } from "./protocol";
import type { InterpreterSelections } from "./selections";
import { readSettings } from "./settings";

interface Asked extends Planned {
  project: ProjectInfo;
}

export class AutoCreate implements vscode.Disposable {
  private readonly seen = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly helper: HelperClient,
    private readonly selections: InterpreterSelections,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = helper.onDidChangeProjects((projects) => void this.consider(projects));
  }

  private neverKey(project: ProjectInfo): string {
    return `autoCreate.never:${project.root}`;
  }

  private async consider(projects: readonly ProjectInfo[]): Promise<void> {
    const offer = projectsToOffer(projects, {
      trusted: vscode.workspace.isTrusted,
      seen: this.seen,
      mode: (project) => readSettings(vscode.Uri.file(project.root)).autoCreate,
      never: (project) => this.state.get<boolean>(this.neverKey(project)) === true,
    });
    for (const project of [...offer.create, ...offer.ask]) this.seen.add(project.root);
    for (const project of offer.create) await this.create(project);
    if (offer.ask.length > 0) await this.ask(offer.ask);
  }

  private async ask(projects: ProjectInfo[]): Promise<void> {
    const planned = await Promise.all(
      projects.map(async (project) => ({
        project,
        name: projectLabel(project),
        plan: await this.helper.request(Requests.planEnvironment, { root: project.root }),
      })),
    );
    // No plan: pyproject.toml broke meanwhile; ask again once it parses.
    for (const entry of planned) if (!entry.plan) this.seen.delete(entry.project.root);
    // A venv place Lockstep refuses (a workspace setting or link leading outside): say so, ask nothing.
    for (const { plan } of planned) if (plan?.refusal) void vscode.window.showWarningMessage(plan.refusal);
    const asked = planned.filter((entry): entry is Asked => entry.plan !== null && !entry.plan.refusal);
    if (asked.length === 0) return;
    const question = offerQuestion(asked);
    if (asked.length === 1) {
      const choice = await vscode.window.showInformationMessage(question, "Create", "Not now", "Never for this project");
      if (choice === "Create") await this.create(asked[0].project, asked[0].plan);
      if (choice === "Never for this project") await this.state.update(this.neverKey(asked[0].project), true);
      return;
    }
    const choice = await vscode.window.showInformationMessage(question, "Create All", "Choose…", "Not now");
    const chosen = choice === "Create All" ? asked : choice === "Choose…" ? await this.choose(asked) : [];
    for (const { project, plan } of chosen) await this.create(project, plan);
  }

  private async choose(asked: Asked[]): Promise<Asked[]> {
    const items = asked.map((entry) => ({
      label: entry.name,
      description: vscode.workspace.asRelativePath(entry.project.root),
      detail: offerQuestion([entry]),
      picked: true,
      entry,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: "Create environments",
      placeHolder: "The projects to create an environment for",
    });
    return picked?.map((item) => item.entry) ?? [];
  }

  /** The question named the download, if the plan has one: answering it agrees to the download. */
  private async create(project: ProjectInfo, plan?: EnvironmentPlan): Promise<void> {
    const allowDownload = (plan && planDownloads(plan)) || undefined;
    // Agreed to in the question: no lock and no manager to make one means an unlocked venv.
    const unlocked = plan?.lock === "cannot-lock";
    await runEnvironmentOperation(this.helper, this.selections, project, "create", { allowDownload, unlocked });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
