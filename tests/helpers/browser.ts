// Debian's Chromium through playwright-core, JavaScript off unless asked.
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A context like a cheap phone with JavaScript switched off (or a desktop). */
export async function newContext(
  browser: Browser,
  options: { javaScript?: boolean; phone?: boolean; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    javaScriptEnabled: options.javaScript ?? false,
    viewport: options.phone === false ? { width: 1280, height: 900 } : { width: 360, height: 740 },
    locale: options.locale ?? "en-GB",
  });
}
