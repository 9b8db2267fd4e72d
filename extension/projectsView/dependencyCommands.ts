// Add / Remove / Upgrade Dependency: from the palette, a row of the Python Projects view or a code
// action. The helper runs the project's own manager (uv, Poetry, PDM) with pyproject.toml and the lock
// backed up; once it has changed them, the environment is synced as Sync Environment would (by uv itself
// in the same process when the helper finds that gives the same venv).
import * as vscode from "vscode";
import type { HelperClient } from "../client";
import { refused, runEnvironmentOperation } from "../environments";
import { ownVenv } from "../projects";
import type {
  ChangeDependencyParams,
  DependencyGroupInfo,
  DependencyInfo,
  DependencyRow,
  ProjectInfo,
} from "../protocol";
import { Requests } from "../protocol";
import type { InterpreterSelections } from "../selections";
import { groupTitle, revealedVersion, rowArgument, targets, type Target } from "./changes";
import { pickRequirement, pickUpgradeVersion } from "./packageSearch";
import type { ProjectsTree } from "./tree";
import { projectOf } from "./view";

type RowArgument = Partial<DependencyRow>;

async function changeProject(
  helper: HelperClient,
  argument: unknown,
  placeHolder: string,
): Promise<ProjectInfo | undefined> {
  if (await refused("dependencies")) return undefined;
  const project = await projectOf(helper, argument, placeHolder);
  if (!project || (await refused("dependencies", project))) return undefined;
  return project;
}

async function groupsOf(tree: ProjectsTree, project: ProjectInfo): Promise<DependencyGroupInfo[]> {
  return (await tree.detailsOf(project.root))?.groups ?? [];
}

async function pickTarget(tree: ProjectsTree, project: ProjectInfo, row: RowArgument): Promise<Target | undefined> {
  if (row.group) return { kind: row.group.kind, group: row.group.name };
  const items = targets(project.manager, await groupsOf(tree, project));
  const picked = await vscode.window.showQuickPick(
    items.map((target) => ({ label: target.label, description: target.description, target })),
    { placeHolder: `Add to which part of ${project.name ?? project.root}?` },
  );
  if (!picked) return undefined;
  const { target } = picked;
  if (target.group !== null || target.kind === "main") return { kind: target.kind, group: target.group };
  const name = await vscode.window.showInputBox({
    prompt: `Name of the new ${target.kind === "extra" ? "extra" : "group"}`,
    validateInput: (value) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value.trim()) ? undefined : "A name like test or docs"),
  });
  return name ? { kind: target.kind, group: name.trim() } : undefined;
}

async function pickDependency(
  tree: ProjectsTree,
  project: ProjectInfo,
  row: RowArgument,
  placeHolder: string,
): Promise<{ dependency: DependencyInfo; group: DependencyGroupInfo } | undefined> {
  if (row.dependency && row.group) return { dependency: row.dependency, group: row.group };
  const items = (await groupsOf(tree, project)).flatMap((group) =>
    group.dependencies.map((dependency) => ({
      label: dependency.name,
      description: `${dependency.requirement} · ${groupTitle(group)}`,
      choice: { dependency, group },
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`${project.name ?? project.root} declares no dependencies.`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.choice;
}

/** Runs the change with progress; on success syncs an existing environment, on failure shows why. */
async function runChange(
  helper: HelperClient,
  selections: InterpreterSelections,
  project: ProjectInfo,
  params: ChangeDependencyParams,
  title: string,
): Promise<void> {
  const result = await helper.requestWithProgress(
    Requests.changeDependency,
    { ...params, python: selections.get(project.root)?.path ?? null },
    title,
  );
  if (!result || result.status === "cancelled") {
    void vscode.window.showInformationMessage("Cancelled: pyproject.toml and the lock were left as they were.");
    return;
  }
  if (result.status !== "ok") {
    // The tool's own explanation (uv's resolver message) reads best as the dialog's detail.
    const [first, ...rest] = result.message.split("\n");
    const choice = await vscode.window.showErrorMessage(first, { modal: true, detail: rest.join("\n") }, "Show Log");
    if (choice === "Show Log") helper.output.show();
    return;
  }
  vscode.window.setStatusBarMessage(`Lockstep: ${result.message}`, 4000);
  // uv's own sync already gave the venv what Sync Environment would: no second uv process.
  if (ownVenv(project) && !result.environmentSynced) await runEnvironmentOperation(helper, selections, project, "sync");
}

export async function addDependency(
  helper: HelperClient,
  selections: InterpreterSelections,
  tree: ProjectsTree,
  argument: unknown,
): Promise<void> {
  const project = await changeProject(helper, argument, "Add a dependency to which project?");
  if (!project) return;
  const requirement = await pickRequirement(helper, project);
  if (!requirement) return;
  const target = await pickTarget(tree, project, rowArgument(argument));
  if (!target) return;
  const package_ = requirement.trim();
  await runChange(
    helper,
    selections,
    project,
    { root: project.root, change: "add", package: package_, kind: target.kind, group: target.group },
    `Adding ${package_} to ${project.name ?? project.root}`,
  );
}

export async function removeDependency(
  helper: HelperClient,
  selections: InterpreterSelections,
  tree: ProjectsTree,
  argument: unknown,
): Promise<void> {
  const project = await changeProject(helper, argument, "Remove a dependency of which project?");
  if (!project) return;
  const picked = await pickDependency(tree, project, rowArgument(argument), "Remove which dependency?");
  if (!picked) return;
  const { dependency, group } = picked;
  await runChange(
    helper,
    selections,
    project,
    { root: project.root, change: "remove", package: dependency.name, kind: group.kind, group: group.name },
    `Removing ${dependency.name} from ${project.name ?? project.root}`,
  );
}

export async function upgradeDependency(
  helper: HelperClient,
  selections: InterpreterSelections,
  tree: ProjectsTree,
  argument: unknown,
): Promise<void> {
  const project = await changeProject(helper, argument, "Upgrade a dependency of which project?");
  if (!project) return;
  const picked = await pickDependency(tree, project, rowArgument(argument), "Upgrade which dependency?");
  if (!picked) return;
  const { dependency, group } = picked;
  const version = await pickUpgradeVersion(helper, project, dependency);
  if (version === undefined) return;
  await runChange(
    helper,
    selections,
    project,
    { root: project.root, change: "upgrade", package: dependency.name, kind: group.kind, group: group.name, version },
    `Upgrading ${dependency.name} in ${project.name ?? project.root}`,
  );
}

/** Reveal Dependency in Lockfile: the lock opened at the package's entry. Only reads: no trust needed. */
export async function revealInLockfile(helper: HelperClient, tree: ProjectsTree, argument: unknown): Promise<void> {
  const project = await projectOf(helper, argument, "Reveal a dependency of which project in its lock?");
  if (!project) return;
  const lockfile = project.lockfile;
  if (!lockfile) {
    void vscode.window.showInformationMessage(`${project.name ?? project.root} has no lockfile yet: Update Lockfile makes one.`);
    return;
  }
  const picked = await pickDependency(tree, project, rowArgument(argument), "Reveal which dependency in the lock?");
  if (!picked) return;
  const { dependency } = picked;
  const version = revealedVersion(dependency);
  const place = await helper.request(Requests.lockEntry, { root: project.root, package: dependency.name, version });
  if (!place) {
    const name = lockfile.split(/[\\/]/).pop() ?? lockfile;
    void vscode.window.showInformationMessage(`${dependency.name} is not in ${name}: Update Lockfile adds it.`);
    return;
  }
  const at = new vscode.Position(place.line, place.character);
  await vscode.window.showTextDocument(vscode.Uri.file(place.path), { selection: new vscode.Range(at, at) });
}

/** The health quick fix "Upgrade NAME to X" (a vulnerable or yanked locked version): the manager's targeted
 * upgrade (`uv lock --upgrade-package NAME==X`), then a sync of the project's own environment. */
export async function upgradeLockedPackage(
  helper: HelperClient,
  selections: InterpreterSelections,
  root: unknown,
  name: unknown,
  version: unknown,
): Promise<void> {
  if (typeof root !== "string" || typeof name !== "string") return;
  const project = await changeProject(helper, root, "Upgrade in which project?");
  if (!project) return;
  const target = typeof version === "string" && version ? version : null;
  await runChange(
    helper,
    selections,
    project,
    { root: project.root, change: "upgrade", package: name, kind: "main", group: null, version: target },
    `Upgrading ${name}${target ? ` to ${target}` : ""} in ${project.name ?? project.root}`,
  );
}
