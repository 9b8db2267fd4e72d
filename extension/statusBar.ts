import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./configuration";
import { STATUS_ITEM_ID } from "./constants";
import { projectFor } from "./projects";
import type { ScriptStore } from "./scripts/store";
import { activeTarget, describeActive } from "./scripts/view";
import type { InterpreterSelections } from "./selections";
import type { SyncChoices } from "./syncChoices";
import type { Tone } from "./status";
import { TOOLTIP_COMMANDS, tooltipMarkdown } from "./tooltip";

const BACKGROUNDS: Record<Tone, vscode.ThemeColor | undefined> = {
  normal: undefined,
  warning: new vscode.ThemeColor("statusBarItem.warningBackground"),
  error: new vscode.ThemeColor("statusBarItem.errorBackground"),
};

/** The interpreter/environment item for the active editor's project, or its PEP 723 script. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly helper: HelperClient,
    private readonly selections: InterpreterSelections,
    private readonly scripts: ScriptStore,
    private readonly choices: SyncChoices,
  ) {
    this.item.name = "Lockstep";
    this.subscriptions = [
      helper.onDidChangeState(() => this.render()),
      helper.onDidChangeProjects(() => this.render()),
      selections.onDidChange(() => this.render()),
      scripts.onDidChange(() => this.render()),
      choices.onDidChange(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()),
    ];
    this.render();
  }

  render(): void {
    const file = vscode.window.activeTextEditor?.document.uri;
    const path = file?.scheme === "file" ? file.fsPath : undefined;
    const projects = this.helper.projects;
    const project = projectFor(projects, path);
    const target = activeTarget(path ? this.scripts.get(path) : undefined, project);
    const key = target.kind === "script" ? target.script.path : project?.root;
    const selected = key ? this.selections.get(key) : undefined;
    const choice = project ? this.choices.get(project.root) : undefined;
    const view = describeActive(this.helper.state, target, projects.length, selected, vscode.workspace.isTrusted, choice);
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(view), true);
    tooltip.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
    this.item.tooltip = tooltip;
    this.item.backgroundColor = BACKGROUNDS[view.tone];
    this.item.command = view.command === "none" ? undefined : Commands[view.command];
    if (view.visible) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
