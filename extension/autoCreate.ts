// The offer to create environments when a folder opens (or a project appears): with
// `lockstep.autoCreate: prompt` one question for all the projects without one, `always` goes ahead,
// `never` stays quiet; never in an untrusted workspace (and when trust is granted, the offer comes).
// The decisions: autoCreatePrompt.ts.
import * as vscode from "vscode";
import { answerOf, consentOf, OfferGate, offerButtons, offerQuestion, type Planned, sortPlans } from "./autoCreatePrompt";
import type { HelperClient } from "./client";
import { projectLabel, runEnvironmentOperation } from "./environments";
import { type EnvironmentPlan, type ProjectInfo, Requests } from "./protocol";
import type { InterpreterSelections } from "./selections";
import { readSettings } from "./settings";

interface Asked extends Planned {
  project: ProjectInfo;
}

export class AutoCreate implements vscode.Disposable {
  private readonly gate = new OfferGate();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly helper: HelperClient,
    private readonly selections: InterpreterSelections,
    private readonly state: vscode.Memento,
  ) {
    this.subscriptions = [
      helper.onDidChangeProjects((projects) => void this.consider(projects)),
      // The helper's project list does not change when trust is granted: look again at the one it has,
      // and again once a restarted helper runs (an offer it could not plan then is forgotten).
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.consider(helper.projects)),
      helper.onDidChangeState((state) => {
        if (state.kind === "running") void this.consider(helper.projects);
      }),
    ];
  }

  private neverKey(project: ProjectInfo): string {
    return `autoCreate.never:${project.root}`;
  }

  private async consider(projects: readonly ProjectInfo[]): Promise<void> {
    const offer = this.gate.next(projects, {
      trusted: vscode.workspace.isTrusted,
      mode: (project) => readSettings(vscode.Uri.file(project.root)).autoCreate,
      never: (project) => this.state.get<boolean>(this.neverKey(project)) === true,
    });
    try {
      for (const project of offer.create) await this.create(project);
      if (offer.ask.length > 0) await this.ask(offer.ask);
    } catch (error) {
      // The helper stopped meanwhile (granting trust restarts it): offer again once it runs.
      for (const project of [...offer.create, ...offer.ask]) this.gate.forget(project.root);
      this.helper.output.warn(`The environment offer waits for the helper: ${String(error)}`);
    }
  }

  private async ask(projects: ProjectInfo[]): Promise<void> {
    const planned = await Promise.all(
      projects.map(async (project) => ({
        project,
        name: projectLabel(project),
        plan: await this.helper.request(Requests.planEnvironment, { root: project.root }),
      })),
    );
    const { unplanned, refusals, ask: asked } = sortPlans(planned);
    for (const entry of unplanned) this.gate.forget(entry.project.root);
    // A venv place Lockstep refuses (a workspace setting or link leading outside): say so, ask nothing.
    for (const refusal of refusals) void vscode.window.showWarningMessage(refusal);
    if (asked.length === 0) return;
    const button = await vscode.window.showInformationMessage(offerQuestion(asked), ...offerButtons(asked.length));
    const answer = answerOf(asked.length, button);
    if (answer === "never") await this.state.update(this.neverKey(asked[0].project), true);
    const chosen = answer === "create" ? asked : answer === "choose" ? await this.choose(asked) : [];
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

  private async create(project: ProjectInfo, plan?: EnvironmentPlan): Promise<void> {
    await runEnvironmentOperation(this.helper, this.selections, project, "create", consentOf(plan));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
