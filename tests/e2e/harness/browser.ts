// Debian's Chromium driven by playwright-core (Playwright's own browser download does not work here).
import { chromium, type Browser, type Page } from "playwright-core";
import { e2eTools } from "./paths";
import { step } from "./waits";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Toasts shown, as `{ text, progress }` (progress: its progress bar was running), in `window.__lockstepToasts`. */
const recordToasts = `(() => {
  const seen = (window.__lockstepToasts = []);
  let scheduled = false;
  const scan = () => {
    scheduled = false;
    for (const toast of document.querySelectorAll(".notifications-toasts .notification-toast")) {
      const text = toast.innerText.replace(/\\s+/g, " ").trim();
      const progress = toast.querySelector(".monaco-progress-container.active") !== null;
      if (text && !seen.some((s) => s.text === text && s.progress === progress)) seen.push({ text, progress });
    }
  };
  new MutationObserver(() => {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(scan);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

export interface BrowserSession {
  browser: Browser;
  page: Page;
}

/** A browser with one page at `url`; the clipboard is allowed so tests can copy text like a person. */
export async function openPage(url: string): Promise<BrowserSession> {
  const browser = await step("Chromium to start", () =>
    chromium.launch({ executablePath: e2eTools().chromium, args: chromiumArgs, headless: true }),
  );
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    // Before any page script: a record of every notification toast, since some (a short progress
    // notification) can come and go between two polls.
    await context.addInitScript({ content: recordToasts });
    const page = await context.newPage();
    await step(`the page ${url} to load`, () => page.goto(url, { waitUntil: "domcontentloaded" }));
    return { browser, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
