// The Python Projects view as a person sees it: its rows (labels from the top down, descriptions,
// icons), expanding a row, and a row's inline actions.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { artifactsDir } from "./paths";
import { step, waitFor } from "./waits";
import type { Workbench } from "./workbench";

export interface TreeRow {
  /** Labels from the top of the tree down to the row: `ws/main/alpha`. */
  path: string;
  description: string;
  /** The codicon drawn before the label. */
  icon: string;
}

/** The Python Projects view as a person sees it: its rows, indented, with their icons. */
export class ProjectsView {
  private readonly page: Page;

  constructor(private readonly workbench: Workbench) {
    this.page = workbench.page;
  }

  /** Opens the view and widens the side bar so that a row's whole description shows. */
  async open(): Promise<void> {
    await step("the Python Projects view to open from the activity bar", async () => {
      await this.page.locator('.activitybar [aria-label^="Python Projects"]').first().click();
      await this.page.locator(".part.sidebar .monaco-list-row").first().waitFor({ timeout: 30_000 });
    });
    await this.workbench.widenSideBar(560);
  }

  /** test-artifacts/e2e/<scenario>.<state>.png: the side bar as it shows a project's state. */
  async screenshot(scenario: string, state: string): Promise<void> {
    await this.workbench.screenshotSideBar(join(artifactsDir(), `${scenario}.${state}.png`));
  }

  async rows(): Promise<TreeRow[]> {
    const raw = await this.page.locator(".part.sidebar .monaco-list-row").evaluateAll((elements) =>
      elements.map((element) => {
        const text = (selector: string) =>
          ((element.querySelector(selector) as unknown as { innerText?: string } | null)?.innerText ?? "").trim();
        const icon = element.querySelector(".custom-view-tree-node-item-icon");
        const codicon = [...(icon?.classList ?? [])].find((name) => name.startsWith("codicon-"));
        return {
          index: Number(element.getAttribute("data-index")),
          level: Number(element.getAttribute("aria-level")),
          label: text(".label-name"),
          description: text(".label-description"),
          icon: codicon?.slice("codicon-".length) ?? "",
        };
      }),
    );
    const stack: string[] = [];
    return raw
      .sort((a, b) => a.index - b.index)
      .map(({ level, label, description, icon }) => {
        stack.length = level - 1;
        stack.push(label);
        return { path: stack.join("/"), description, icon };
      });
  }

  /** Waits until the row at `path` shows `description` (and `icon`, when given); returns the rows. */
  async waitForRow(path: string, description: string | RegExp, icon?: string): Promise<TreeRow[]> {
    return waitFor(`the Projects view row ${path} to read ${description}`, async () => {
      const rows = await this.rows();
      const row = rows.find((r) => r.path === path);
      const fits =
        row !== undefined &&
        (typeof description === "string" ? row.description === description : description.test(row.description)) &&
        (icon === undefined || row.icon === icon);
      return fits ? { ok: true, value: rows } : { ok: false, seen: rows.map((r) => `${r.path}: ${r.description} (${r.icon})`) };
    }, { timeoutMs: 60_000 });
  }

  private row(path: string) {
    const label = path.split("/").pop()!;
    const level = path.split("/").length;
    return this.page
      .locator(`.part.sidebar .monaco-list-row[aria-level="${level}"]`)
      .filter({ has: this.page.locator(".label-name", { hasText: new RegExp(`^${label}$`) }) })
      .first();
  }

  /** Hovers the row until its tooltip shows; returns the tooltip's text. */
  async tooltip(path: string): Promise<string> {
    // Not an editor's hover (of a squiggle, say), which may still be showing.
    const hover = this.page.locator(".workbench-hover, .monaco-hover:not(.monaco-editor .monaco-hover)").filter({ visible: true });
    return waitFor(
      `the tooltip of ${path} in the Projects view`,
      async () => {
        if (!(await hover.first().isVisible())) {
          await this.page.mouse.move(0, 0);
          await this.row(path).locator(".label-name").hover({ timeout: 1_000 });
          return { ok: false, seen: "no hover" };
        }
        return { ok: true, value: (await hover.first().innerText()).replace(/\u00a0/g, " ").trim() };
      },
      { intervalMs: 1_000 },
    );
  }

  /** Clicks the row's twistie, as a person expands a project or a group. */
  async expand(path: string): Promise<void> {
    await step(`expanding ${path} in the Projects view`, async () => {
      const row = this.row(path);
      if ((await row.getAttribute("aria-expanded")) !== "true") await row.locator(".monaco-tl-twistie").click();
    });
  }

  /** Types into the open input box, as a person starts answering a prompt. */
  async typeInput(text: string): Promise<void> {
    await step(`typing ${text} into the input box`, async () => {
      const input = this.page.locator(".quick-input-widget .quick-input-box input");
      await input.waitFor({ timeout: 10_000 });
      await input.fill(text);
    });
  }

  /** Hovers the row and clicks its inline action (`aria-label` is the command's title). */
  async clickInline(path: string, title: string): Promise<void> {
    await step(`the inline action ${title} on ${path}`, async () => {
      const row = this.row(path);
      await row.hover();
      await row.locator(`.actions .action-label[aria-label="${title}"]`).click();
    });
  }
}
