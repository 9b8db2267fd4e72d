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
    const page = await context.newPage();
    await step(`the page ${url} to load`, () => page.goto(url, { waitUntil: "domcontentloaded" }));
    return { browser, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
