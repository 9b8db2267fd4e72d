import * as vscode from "vscode";
import type { HelperClient } from "./client";
import { Commands } from "./configuration";
import { STATUS_ITEM_ID } from "./constants";
import { projectFor } from "./projects";
import type { InterpreterSelections } from "./selections";
import { describeStatus, type Tone } from "./status";
import { TOOLTIP_COMMANDS, tooltipMarkdown } from "./tooltip";

const BACKGROUNDS: Record<Tone, vscode.ThemeColor | undefined> = {
  normal: undefined,
  warning: new vscode.ThemeColor("statusBarItem.warningBackground"),
  error: new vscode.ThemeColor("statusBarItem.errorBackground"),
};

/** The interpreter/environment item for the active editor's project. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly helper: HelperClient,
    private readonly selections: InterpreterSelections,
  ) {
    this.item.name = "Lockstep";
    this.subscriptions = [
      helper.onDidChangeState(() => this.render()),
      helper.onDidChangeProjects(() => this.render()),
      selections.onDidChange(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    ];
    this.render();
  }

  render(): void {
    const file = vscode.window.activeTextEditor?.document.uri;
    const projects = this.helper.projects;
    const project = projectFor(projects, file?.scheme === "file" ? file.fsPath : undefined);
    const selected = project ? this.selections.get(project.root) : undefined;
    const view = describeStatus(this.helper.state, project, projects.length, selected);
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
