// The product's promise end to end: a document signed in the demo flow (director by e-mail
// code, client by e-mail code) is "Intact" on the portal, uploaded through its form in Chromium
// with JavaScript off; one changed byte, or a page added by a PDF editor, is not; and the
// portal address printed under the audit page's QR code opens the document's portal page.
import pdfLib from "pdf-lib";
import { PDFParse } from "pdf-parse";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { startApp, type RunningApp } from "../helpers/server";
import { signingSteps, waitUntil } from "../helpers/signing";
import { startSmtp } from "../helpers/smtp";

const { PDFDocument } = pdfLib;
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url, SIGNING_POLL_MS: "300" }, { portal: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

/** Signs the demo invoice as director and client over HTTP (e-mail codes); returns the sealed PDF. */
async function signDemoInvoice() {
  const steps = signingSteps(app, smtp);
  const { id, db, schema, number, link } = await steps.sentInvoice({ requiredFields: ["fullName"] });
  const { eq } = await import("drizzle-orm");
  await steps.directorReady(link);
  const clientUrl = await steps.clientLink(number, CLIENT_EMAIL);
  const client = await steps.confirmed(clientUrl, CLIENT_EMAIL);
  const clientLink = steps.pathOf(clientUrl);
  expect((await client.post(clientLink, { intent: "data", fullName: "Grzegorz Brzęczyszczykiewicz" })).status).toBe(
    302,
  );
  expect(
    (await client.post(clientLink, { intent: "signature", method: "typed", typedName: "Grzegorz Brzęczyszczykiewicz" }))
      .status,
  ).toBe(302);
  expect((await client.post(clientLink, { intent: "sign" })).status).toBe(302);

  const sealed = await waitUntil(() => {
    const row = db.select().from(schema.documents).where(eq(schema.documents.id, id)).get();
    return row?.stage === "signed" ? row : null;
  });
  const pdf = new Uint8Array(await (await client.get(`${clientLink}/signed.pdf`)).arrayBuffer());
  return { pdf, number: sealed.number, publicId: sealed.publicId };
}

async function verifyInPortal(page: Page, file: string) {
  await page.goto(app.portalUrl);
  await page.setInputFiles('input[type="file"]', file);
  await page.locator('button[type="submit"], input[type="submit"]').first().click();
  await page.waitForLoadState("load");
  return (await page.locator("h1").textContent())?.trim() ?? "";
}

describe("a sealed document on the portal, JavaScript off", () => {
  it("is intact as issued, not intact when changed, and its QR address opens its portal page", async () => {
    const { pdf, number, publicId } = await signDemoInvoice();
    const dir = app.dataDir;
    const original = path.join(dir, "sealed.pdf");
    fs.writeFileSync(original, pdf);

    // one byte changed inside the signed content
    const flipped = Buffer.from(pdf);
    const at = flipped.indexOf("/Producer");
    flipped[at > 0 ? at + 2 : 200] ^= 0x01;
    fs.writeFileSync(path.join(dir, "byte.pdf"), flipped);

    // a page added by a PDF editor (pdf-lib rewrites the file, as most editors do)
    const edited = await PDFDocument.load(pdf);
    edited.addPage();
    fs.writeFileSync(path.join(dir, "page.pdf"), await edited.save());

    // the same page appended as an incremental update, keeping the signed bytes
    const appended = Buffer.concat([Buffer.from(pdf), Buffer.from("\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")]);
    fs.writeFileSync(path.join(dir, "appended.pdf"), appended);

    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    const intact = await verifyInPortal(page, original);
    expect(intact).toContain("Intact: this is the original signed document");
    expect(intact).toContain(number);
    await page.screenshot({ path: path.join(dir, "portal-intact-360.png"), fullPage: true });
    for (const name of ["byte.pdf", "page.pdf", "appended.pdf"]) {
      const verdict = await verifyInPortal(page, path.join(dir, name));
      expect(verdict, name).not.toContain("Intact");
      expect(verdict, name).toMatch(/Changed after signing|Signature not valid|Not signed|Not a readable PDF/);
    }

    // the audit page prints the portal address the QR code encodes
    const parser = new PDFParse({ data: pdf });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain(`/d/${publicId}`);
    await page.goto(`${app.portalUrl}/d/${publicId}`);
    expect(await page.locator("h1").textContent()).toContain(number);
    const html = await page.content();
    expect(html).not.toContain("Brzęczyszczykiewicz");
    await context.close();
  });
});
