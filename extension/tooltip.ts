// The status bar item's tooltip as markdown: what the item says, then command links (as the Python
// extension's status bar does). Pure, for unit tests; statusBar.ts trusts exactly Lockstep's commands.
import { Commands } from "./configuration";
import type { StatusView } from "./status";

/** Markdown's special characters, escaped so that paths and versions read as they are. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, "\\$&");
}

export function tooltipMarkdown(view: StatusView): string {
  // Two spaces before a newline: a line break inside a paragraph.
  const body = view.tooltip
    .split("\n\n")
    .map((paragraph) => paragraph.split("\n").map(escape).join("  \n"))
    .join("\n\n");
  const links = view.actions.map(({ title, command, root }) => {
    const args = root === undefined ? "" : `?${encodeURIComponent(JSON.stringify([root]))}`;
    return `[${title}](command:${Commands[command]}${args})`;
  });
  return links.length > 0 ? `${body}\n\n---\n\n${links.join(" | ")}` : body;
}

/** The commands a tooltip may run: Lockstep's own, nothing else. */
export const TOOLTIP_COMMANDS: readonly string[] = Object.values(Commands);
