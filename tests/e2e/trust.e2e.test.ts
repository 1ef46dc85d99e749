// In Chromium: a login form cannot be made to send anyone to another host (JavaScript off);
// a 30 MB PDF on the new-document page is refused with a message at once, not after the whole
// upload; and with JavaScript on, the Content-Security-Policy blocks nothing of ours (no
// violation on staff pages or on the signing page, and the pages hydrate).
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { startAppWithInbox, type Inbox } from "../helpers/inbox";
import type { RunningApp } from "../helpers/server";
import { signingSteps } from "../helpers/signing";

let app: RunningApp;
let inbox: Inbox;
let stopAll: () => Promise<void>;
let browser: Browser;
let steps: ReturnType<typeof signingSteps>;

beforeAll(async () => {
  ({ app, inbox, stop: stopAll } = await startAppWithInbox({ DEMO: "1" }));
  steps = signingSteps(app, inbox.smtp);
  browser = await launchBrowser();
  for (let attempt = 0; ; attempt++) {
    try {
      await steps.owner();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

afterAll(async () => {
  await browser?.close();
  await stopAll?.();
});

async function logIn(page: Page, redirectTo?: string) {
  await page.goto(`${app.url}/login${redirectTo === undefined ? "" : `?redirectTo=${encodeURIComponent(redirectTo)}`}`);
  await page.fill("#field-email", "ewa@demo.signet.test");
  await page.fill("#field-password", "signet-demo-2026");
  return page.click("button[type=submit]");
}

describe("in Chromium", () => {
  it("after login follows only a same-origin path, whatever redirectTo says (JavaScript off)", async () => {
    const variants = [
      "/\t/evil.example/x",
      "/%09/evil.example/x",
      "//evil.example/x",
      "/\\evil.example/x",
      "/\\/evil.example/x",
      "https://evil.example/x",
      "/\u0000/evil.example",
      "/.//evil.example/x",
    ];
    for (const redirectTo of variants) {
      const context = await newContext(browser);
      const page = await context.newPage();
      await logIn(page, redirectTo);
      await page.waitForLoadState();
      expect(new URL(page.url()).origin, `${JSON.stringify(redirectTo)} → ${page.url()}`).toBe(app.url);
      await context.close();
    }
    const context = await newContext(browser);
    const page = await context.newPage();
    const response = page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/login" && r.request().method() === "POST",
    );
    await logIn(page, "/documents\r\nSet-Cookie: hacked=1");
    expect((await response).status()).toBe(400);
    expect((await context.cookies()).some((c) => c.name === "hacked")).toBe(false);
    await context.close();
  });

  it("answers a 30 MB PDF on the new-document page within 3 seconds, with the message by the field", async () => {
    const file = path.join(app.dataDir, "huge.pdf");
    const bytes = Buffer.alloc(30 * 1024 * 1024, 32);
    bytes.write("%PDF-1.7\n", 0, "latin1");
    fs.writeFileSync(file, bytes);
    const context = await newContext(browser, { phone: false });
    const page = await context.newPage();
    await logIn(page);
    await page.waitForURL(/\/documents/);
    await page.goto(`${app.url}/documents/new`);
    await page.setInputFiles("#field-file", file);
    await page.fill("#field-title", "Too large");
    const started = Date.now();
    await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
    await page.locator(".field-error").first().waitFor({ timeout: 60_000 });
    const elapsed = Date.now() - started;
    expect(await page.locator(".field-error").first().textContent()).toMatch(/too large|za duży/i);
    expect(elapsed).toBeLessThan(3000);
    await context.close();
  });

  it("runs every page's scripts under the Content-Security-Policy without a violation (JavaScript on)", async () => {
    const sent = await steps.sentInvoice({ requiredFields: [] });
    const context = await newContext(browser, { javaScript: true, phone: false });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`Refused to: CSP ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const hydrated = () =>
      page.evaluate(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
    await logIn(page);
    await page.waitForURL(/\/documents/);
    for (const pathname of ["/documents", `/documents/${sent.id}`, "/deals", "/documents/new", "/account"]) {
      const response = await page.goto(`${app.url}${pathname}`);
      expect(response?.headers()["content-security-policy"], pathname).toMatch(/script-src 'self' 'nonce-/);
      await page.waitForLoadState("networkidle");
      expect(await hydrated(), pathname).toBe(true);
    }
    // the signing page, with its previews and drawing pad
    const signer = await newContext(browser, { javaScript: true, phone: false });
    const signing = await signer.newPage();
    signing.on("console", (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await signing.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`Refused to: CSP ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const link = `${app.url}${new URL(sent.link).pathname}`;
    await signing.goto(link);
    await signing.getByLabel("I accept the terms of electronic signing").check();
    const before = inbox.smtp.messages.length;
    await signing.getByRole("button", { name: /^Accept and send me a code/ }).click();
    await signing.getByLabel("Code", { exact: true }).fill(await steps.latestCode("director@demo.signet.test", before));
    await signing.getByRole("button", { name: "Confirm" }).click();
    await signing.getByRole("heading", { name: "Read the document" }).waitFor();
    const signingResponse = await signing.goto(`${link}?step=signature`);
    expect(signingResponse?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await signing.locator("canvas.draw-pad").waitFor();
    await signing.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
    await signer.close();
    await context.close();
  });
});
