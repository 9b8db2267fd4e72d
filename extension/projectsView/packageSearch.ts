// Add Dependency's package and version steps: a box that searches the project's index as the user types
// (the helper's `lockstep/searchPackages`, one request at a time: a newer keystroke cancels the older
// request), then the chosen name's versions. Offline, what was typed is still accepted as it stands.
// Upgrade Dependency's version step lists the same versions.
import * as vscode from "vscode";
import { CancellationTokenSource } from "vscode-languageclient/node";
import type { HelperClient } from "../client";
import type { DependencyInfo, ProjectInfo, SearchPackagesResult } from "../protocol";
import { Requests } from "../protocol";
import {
  packageChoices,
  searchNote,
  upgradeChoices,
  versionChoices,
  type PackageChoice,
  type VersionChoice,
} from "./packageChoices";

type ChoiceItem = vscode.QuickPickItem & { choice: PackageChoice };

/** Typing pauses this long before the index is asked (ms): a name is a few keystrokes. */
const DEBOUNCE = 200;

function search(helper: HelperClient, root: string, query: string, source?: CancellationTokenSource): Promise<SearchPackagesResult> {
  return helper.request(Requests.searchPackages, { root, query }, source?.token);
}

/** The name step: resolves to the accepted choice with the search's answer for it, undefined when dismissed. */
function pickPackage(
  helper: HelperClient,
  project: ProjectInfo,
): Promise<{ choice: PackageChoice; result: SearchPackagesResult | undefined } | undefined> {
  const quickPick = vscode.window.createQuickPick<ChoiceItem>();
  quickPick.title = `Add a dependency to ${project.name ?? project.root}`;
  quickPick.placeholder = "A package name, searched on the project's index, or a requirement like httpx>=0.27";
  let answered: SearchPackagesResult | undefined;
  let pending: CancellationTokenSource | undefined;
  let timer: NodeJS.Timeout | undefined;

  const show = (value: string, result: SearchPackagesResult | undefined): void => {
    // The helper has already matched: every item stays whatever VS Code's own filter thinks of it.
    quickPick.items = packageChoices(value, result).map((choice) => ({ ...choice, alwaysShow: true, choice }));
    const note = searchNote(result);
    quickPick.title = note ?? `Add a dependency to ${project.name ?? project.root}`;
  };
  const ask = (value: string): void => {
    pending?.cancel();
    const source = (pending = new CancellationTokenSource());
    quickPick.busy = true;
    search(helper, project.root, value, source).then(
      (result) => {
        if (source !== pending || value !== quickPick.value) return;
        answered = result;
        quickPick.busy = false;
        show(value, result);
      },
      (error: unknown) => {
        if (source !== pending) return;
        quickPick.busy = false;
        quickPick.title = `The index could not be searched: ${String(error)}`;
      },
    );
  };
  quickPick.onDidChangeValue((value) => {
    answered = undefined;
    show(value, undefined);
    clearTimeout(timer);
    if (value.trim()) timer = setTimeout(() => ask(value), DEBOUNCE);
  });
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      if (!item) return;
      resolve({ choice: item.choice, result: answered });
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      clearTimeout(timer);
      pending?.cancel();
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

/** The version step for a plain name: its versions on the index, "Newest allowed" first. */
async function pickVersion(
  helper: HelperClient,
  project: ProjectInfo,
  name: string,
  result: SearchPackagesResult | undefined,
): Promise<string | undefined> {
  const exact = result?.packages[0]?.source === "index" && result.packages[0].name === name ? result : undefined;
  let found = exact;
  if (!found) {
    try {
      found = await search(helper, project.root, name);
    } catch {
      return name; // the name is all there is to go on: the manager picks the version
    }
  }
  if (!found.versions?.length) return name;
  const items = versionChoices(name, found.versions).map((choice: VersionChoice) => ({ ...choice, choice }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Version of ${name}${found.index ? ` (${found.index})` : ""}`,
    placeHolder: "Newest allowed, or a version to pin",
    matchOnDescription: true,
  });
  return picked?.choice.requirement;
}

/** The requirement Add Dependency passes to the manager (`httpx`, `httpx==0.27.0`, `httpx>=0.27`). */
export async function pickRequirement(helper: HelperClient, project: ProjectInfo): Promise<string | undefined> {
  const picked = await pickPackage(helper, project);
  if (!picked) return undefined;
  const { choice, result } = picked;
  return choice.name === null ? choice.requirement : pickVersion(helper, project, choice.name, result);
}

/** Upgrade's version step: the version to go to, null for the newest allowed, undefined when dismissed. */
export async function pickUpgradeVersion(
  helper: HelperClient,
  project: ProjectInfo,
  dependency: DependencyInfo,
): Promise<string | null | undefined> {
  const found = await search(helper, project.root, dependency.name).catch(() => undefined);
  const listed = found?.packages[0]?.source === "index" && found.packages[0].name === dependency.name;
  const items = upgradeChoices(dependency, (listed && found.versions) || []).map((choice) => ({ ...choice, choice }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Upgrade ${dependency.name} to${listed && found.index ? ` (${found.index})` : ""}`,
    placeHolder: "Newest allowed, or a version",
    matchOnDescription: true,
  });
  if (!picked || picked.choice.version !== "typed") return picked?.choice.version;
  const typed = await vscode.window.showInputBox({
    prompt: `Version of ${dependency.name}`,
    validateInput: (value) => (/^[0-9][0-9A-Za-z.+!-]*$/.test(value.trim()) ? undefined : "A version like 2.1.0"),
  });
  return typed ? typed.trim() : undefined;
}
