// The groups and extras each project's environment gets, and the command that chooses them.
//
// A project's choice is `lockstep.sync.groups` / `lockstep.sync.extras` as they apply to its folder,
// unless Choose Groups and Extras stored one for the project in workspace state, which then wins. Stored
// per project, like the interpreter Select Interpreter picks: a folder's settings reach every project
// in it (a uv workspace's members share one folder), and which groups a person installs while working
// is their own, not the repository's; what a team shares goes in `.vscode/settings.json`.
//
// The helper is told every project's choice (`lockstep/syncChoices`) whenever one changes, so Create,
// Sync and the environment check all use the same one.
import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { pickProject, projectLabel, syncEnvironment } from "./environments";
import type { ProjectsTree } from "./projectsView/tree";
import { Requests } from "./protocol";
import type { InterpreterSelections } from "./selections";
import { affects, readSettings } from "./settings";
import { settingValue } from "./settingValue";
import {
  type ChoiceItem,
  choiceFromPicked,
  choiceItems,
  choicesToSend,
  DEFAULT_CHOICE,
  describeChoice,
  sameChoice,
  type SyncChoice,
} from "./syncChoice";

/** Where workspace state keeps the choice stored for the project at `root`. */
function storeKey(root: string): string {
  return `syncChoice:${root}`;
}

export class SyncChoices implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** What the running helper was last told (none: it has not been told since it started). */
  private sent: string | undefined;

  constructor(
    private readonly helper: HelperClient,
    private readonly state: vscode.Memento,
  ) {
    this.subscriptions = [
      this.emitter,
      helper.onDidChangeState((state) => {
        if (state.kind !== "running") this.sent = undefined;
        else void this.tell();
      }),
      helper.onDidChangeProjects(() => void this.tell()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!affects(event, ["syncGroups", "syncExtras"])) return;
        this.emitter.fire();
        void this.tell();
      }),
    ];
  }

  /** The project's choice: the one stored for it, else its folder's settings. */
  get(root: string): SyncChoice {
    return this.stored(root) ?? this.fromSettings(root);
  }

  private stored(root: string): SyncChoice | undefined {
    const value = this.state.get<unknown>(storeKey(root));
    if (typeof value !== "object" || value === null) return undefined;
    const { groups, extras } = value as Record<string, unknown>;
    // Workspace state outlives versions of this extension: a stored value of another shape is none.
    return Array.isArray(groups) && Array.isArray(extras)
      ? { groups: settingValue(groups, DEFAULT_CHOICE.groups), extras: settingValue(extras, DEFAULT_CHOICE.extras) }
      : undefined;
  }

  fromSettings(root: string): SyncChoice {
    const settings = readSettings(vscode.Uri.file(root));
    return { groups: settings.syncGroups, extras: settings.syncExtras };
  }

  /** Stores the project's choice (one equal to its settings' is not stored: the settings go on applying). */
  async set(root: string, choice: SyncChoice): Promise<void> {
    const kept = sameChoice(choice, this.fromSettings(root)) ? undefined : choice;
    await this.state.update(storeKey(root), kept);
    this.emitter.fire();
    await this.tell();
  }

  /** Tells the running helper every project's choice, when it differs from what it was last told. */
  async tell(): Promise<void> {
    if (this.helper.state.kind !== "running") return;
    const choices = choicesToSend(
      this.helper.projects.map((project) => project.root),
      (root) => this.get(root),
    );
    const json = JSON.stringify(choices);
    if (json === this.sent) return;
    this.sent = json;
    try {
      await this.helper.request(Requests.syncChoices, { choices });
    } catch (error) {
      this.sent = undefined;
      this.helper.output.error(`Telling the helper the groups and extras failed: ${String(error)}`);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}

/** Lockstep: Choose Groups and Extras…: the project's own groups and extras, the current ones checked. */
export async function chooseSyncGroups(
  helper: HelperClient,
  choices: SyncChoices,
  selections: InterpreterSelections,
  tree: ProjectsTree,
  root?: string,
): Promise<void> {
  const project = await pickProject(helper, "Choose the groups and extras of which project's environment?", root);
  if (!project) return;
  const current = choices.get(project.root);
  const details = await tree.detailsOf(project.root);
  const items = choiceItems(details?.groups ?? [], current, project.manager);
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { item: ChoiceItem }>(
    items.map((item) => ({ label: item.label, description: item.description, picked: item.picked, item })),
    {
      canPickMany: true,
      title: `Groups and extras for ${projectLabel(project)}`,
      placeHolder: "What Create and Sync install besides the main dependencies",
    },
  );
  if (!picked) return;
  const choice = choiceFromPicked(picked.map((entry) => entry.item));
  if (sameChoice(choice, current)) return;
  await choices.set(project.root, choice);
  const words = describeChoice(choice, project.manager);
  if (!project.venv) {
    void vscode.window.showInformationMessage(`${projectLabel(project)}: Create Environment will install ${words}.`);
    return;
  }
  const answer = await vscode.window.showInformationMessage(
    `${projectLabel(project)}: the environment is to get ${words}.`,
    "Sync Now",
  );
  if (answer === "Sync Now") await syncEnvironment(helper, selections, project.root);
}
