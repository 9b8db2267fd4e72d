// Text into the Python Projects view's Markdown tooltips.

/** Markdown's special characters, escaped so that paths and versions read as they are. */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, "\\$&");
}
