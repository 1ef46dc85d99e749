// Every page a signed-in admin can reach from the navigation, in Chromium with JavaScript ON:
// no page answers 5xx, every page has a title and one h1, and the browser bundle runs without
// errors (the classic compiler empties *.server modules in the browser, so server code used
// outside loader/action only breaks here).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { startApp, type RunningApp } from "../helpers/server";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({ DEMO: "1" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const START = [
  "/documents",
  "/documents/new",
  "/deals",
  "/deals/new",
  "/clients",
  "/clients/new",
  "/contacts",
  "/contacts/new",
  "/account",
  "/admin",
  "/admin/users",
  "/admin/outbox",
  "/admin/audit",
  "/dev/mailbox",
  "/team",
];
const SKIP = /\/(logout|original\.pdf|signed\.pdf|ca\.pem|ca\.crl|page\/\d+)|\.pdf$/;

describe("every page", () => {
  it("renders and hydrates without errors, for an admin, with JavaScript on", async () => {
    const context = await newContext(browser, { javaScript: true, phone: false });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
    });
    await page.goto(`${app.url}/login`);
    await page.fill("#field-email", "admin@demo.signet.test");
    await page.fill("#field-password", "signet-demo-2026");
    await page.click("button[type=submit]");
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    const seen = new Set<string>();
    const notFound = new Set<string>();
    const queue = [...START];
    while (queue.length > 0 && seen.size < 80) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.goto(`${app.url}${path}`, { waitUntil: "load" });
      expect(response?.status() ?? 0, path).toBeLessThan(500);
      if (response?.status() === 404) {
        notFound.add(page.url());
        continue;
      }
      expect(await page.title(), path).toMatch(/Signet/);
      expect(await page.locator("h1").count(), path).toBe(1);
      for (const href of await page
        .locator("a[href^='/']")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href")!))) {
        const target = href.split("#")[0];
        if (!SKIP.test(target) && !seen.has(target) && target.split("?")[0].split("/").length <= 4) queue.push(target);
      }
    }
    expect(seen.size).toBeGreaterThan(15);
    // a 404 page's own "failed to load" is expected; every page in START except /team must exist
    expect([...notFound].filter((url) => !url.endsWith("/team"))).toEqual([]);
    expect(errors.filter((e) => ![...notFound].some((url) => e.startsWith(`${url}: Failed to load resource`)))).toEqual(
      [],
    );
    await context.close();
  });
});
