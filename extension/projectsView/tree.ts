// The Python Projects view's data: the helper's project list at the top (uv workspace members under
// their workspace), and under a project what `lockstep/projectDetails` answers, asked for only when
// the project is expanded. A new project list re-renders only the projects whose info changed (their
// drift `revision` changes with anything shown under them); the whole tree only when projects come or go.
import * as vscode from "vscode";
import type { HelperClient } from "../client";
import type { DependencyGroupInfo, DependencyInfo, ProjectDetails, ProjectInfo } from "../protocol";
import { Requests } from "../protocol";
import type { SyncChoices } from "../syncChoices";
import {
  dependencyRow,
  environmentRow,
  groupRow,
  lockfileRow,
  messageRow,
  nesting,
  projectRow,
  type Row,
} from "./items";

export type Node =
  | { kind: "project"; root: string; project: ProjectInfo }
  | { kind: "group"; root: string; pyproject: string; group: DependencyGroupInfo }
  | { kind: "dependency"; root: string; pyproject: string; group: DependencyGroupInfo; dependency: DependencyInfo }
  | { kind: "environment"; root: string; details: ProjectDetails }
  | { kind: "lockfile"; root: string; details: ProjectDetails }
  | { kind: "message"; root: string; text: string };

function nodeId(node: Node): string {
  switch (node.kind) {
    case "project":
      return `project:${node.root}`;
    case "group":
      return `group:${node.root}:${node.group.kind}:${node.group.name ?? ""}`;
    case "dependency":
      return `dependency:${node.root}:${node.group.kind}:${node.group.name ?? ""}:${node.dependency.name}:${node.dependency.line}`;
    default:
      return `${node.kind}:${node.root}`;
  }
}

function rowOf(node: Node, choices: SyncChoices): Row {
  switch (node.kind) {
    case "project":
      return projectRow(node.project, choices.get(node.root));
    case "group":
      return groupRow(node.group);
    case "dependency":
      return dependencyRow(node.dependency);
    case "environment":
      return environmentRow(node.details.environment!);
    case "lockfile":
      return lockfileRow(node.details.lockfile!);
    case "message":
      return messageRow(node.text);
  }
}

function openAt(path: string, line = 0, character = 0): vscode.Command {
  const position = new vscode.Position(line, character);
  return {
    title: "Open",
    command: "vscode.open",
    arguments: [vscode.Uri.file(path), { selection: new vscode.Range(position, position), preview: true }],
  };
}

export class ProjectsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, Node & { kind: "project" }>();
  private top: ProjectInfo[] = [];
  private members = new Map<string, ProjectInfo[]>();
  private seen = new Map<string, string>();
  private topRoots = "";
  private details = new Map<string, Promise<ProjectDetails | null>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly helper: HelperClient,
    private readonly choices: SyncChoices,
  ) {
    this.subscriptions = [
      helper.onDidChangeProjects((projects) => this.update(projects)),
      // A project's row shows its groups and extras.
      choices.onDidChange(() => this.nodes.forEach((node) => this.changed.fire(node))),
      helper.onDidChangeState(() => this.refreshAll()),
    ];
    this.update(helper.projects);
  }

  /** Everything again, details too (the Refresh button, a helper restart). */
  refreshAll(): void {
    this.details.clear();
    this.changed.fire(undefined);
  }

  private update(projects: readonly ProjectInfo[]): void {
    const { top, members } = nesting(projects);
    const shape = JSON.stringify([top.map((p) => p.root), [...members].map(([root, list]) => [root, list.map((p) => p.root)])]);
    const changedRoots: string[] = [];
    const seen = new Map<string, string>();
    for (const project of projects) {
      const json = JSON.stringify(project);
      seen.set(project.root, json);
      if (this.seen.get(project.root) !== json) changedRoots.push(project.root);
      const node = this.nodes.get(project.root);
      if (node) node.project = project;
      else this.nodes.set(project.root, { kind: "project", root: project.root, project });
    }
    for (const root of this.nodes.keys()) if (!seen.has(root)) this.nodes.delete(root);
    this.seen = seen;
    this.members = members;
    this.top = top;
    for (const root of changedRoots) this.details.delete(root);
    if (shape !== this.topRoots) {
      this.topRoots = shape;
      this.changed.fire(undefined);
      return;
    }
    for (const root of changedRoots) this.changed.fire(this.nodes.get(root));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const row = rowOf(node, this.choices);
    const expandable = node.kind === "project" || (node.kind === "group" && node.group.dependencies.length > 0);
    const item = new vscode.TreeItem(
      row.label,
      expandable
        ? node.kind === "group" && node.group.kind === "main"
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = nodeId(node);
    item.description = row.description;
    if (row.tooltip) item.tooltip = new vscode.MarkdownString(row.tooltip);
    item.iconPath = new vscode.ThemeIcon(row.icon.id, row.icon.color ? new vscode.ThemeColor(row.icon.color) : undefined);
    item.contextValue = row.contextValue;
    if (node.kind === "dependency") item.command = openAt(node.pyproject, node.dependency.line, node.dependency.character);
    if (node.kind === "lockfile") item.command = openAt(node.details.lockfile!.path);
    if (node.kind === "project") item.resourceUri = vscode.Uri.file(node.project.pyproject);
    return item;
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === "project") {
      const parent = node.project.workspaceRoot;
      return parent && parent !== node.root ? this.nodes.get(parent) : undefined;
    }
    return this.nodes.get(node.root);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      // Once the helper has stopped, nobody keeps the states current: an empty tree shows the welcome
      // content instead ("not running", with Show Log and Restart Helper).
      if (this.helper.state.kind === "failed") return [];
      return this.top.map((project) => this.nodes.get(project.root)!);
    }
    if (node.kind === "group") {
      return node.group.dependencies.map((dependency) => ({
        kind: "dependency",
        root: node.root,
        pyproject: node.pyproject,
        group: node.group,
        dependency,
      }));
    }
    if (node.kind !== "project") return [];
    const members = (this.members.get(node.root) ?? []).map((project) => this.nodes.get(project.root)!);
    const details = await this.detailsOf(node.root);
    if (!details) return [...members, { kind: "message", root: node.root, text: "Lockstep's helper is not running" }];
    const pyproject = node.project.pyproject;
    const children: Node[] = [...members];
    if (details.problem) children.push({ kind: "message", root: node.root, text: details.problem });
    children.push(...details.groups.map((group): Node => ({ kind: "group", root: node.root, pyproject, group })));
    if (details.environment) children.push({ kind: "environment", root: node.root, details });
    if (details.lockfile) children.push({ kind: "lockfile", root: node.root, details });
    return children;
  }

  /** What the view shows under the project, asked for once per change of the project. */
  detailsOf(root: string): Promise<ProjectDetails | null> {
    let details = this.details.get(root);
    if (!details) {
      details = this.helper.request(Requests.projectDetails, { root }).catch(() => null);
      this.details.set(root, details);
      // A failed ask is not remembered: the next expansion asks again.
      void details.then((answer) => answer === null && this.details.delete(root));
    }
    return details;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
