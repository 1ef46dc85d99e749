// The product's promise end to end: a document signed in the demo flow (director by e-mail
// code, client by SMS code) is "Intact" on the portal, uploaded through its form in Chromium
// with JavaScript off; one changed byte, or a page added by a PDF editor, is not; and the
// portal address printed under the audit page's QR code opens the document's portal page.
import { createCanvas } from "@napi-rs/canvas";
import pdfLib from "pdf-lib";
import { PDFParse } from "pdf-parse";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { Client } from "../helpers/http";
import { startApp, type RunningApp } from "../helpers/server";
import { codeIn, createAndSendDemoInvoice, startSmsGateway, waitUntil } from "../helpers/signing";
import { firstLink, startSmtp } from "../helpers/smtp";

const { PDFDocument } = pdfLib;
const DIRECTOR = "director@demo.signet.test";
const CLIENT_PHONE = "+48601234567";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtp();
  sms = await startSmsGateway();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url, SMS_WEBHOOK_URL: sms.url, SIGNING_POLL_MS: "300" }, { portal: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
  await sms?.close();
});

const pathOf = (link: string) => new URL(link).pathname;

function stampPng() {
  const canvas = createCanvas(240, 120);
  const context = canvas.getContext("2d");
  context.strokeStyle = "#1d4ed8";
  context.lineWidth = 6;
  context.strokeRect(6, 6, 228, 108);
  return canvas.encode("png");
}

async function confirm(signer: Client, link: string, readCode: () => Promise<string>) {
  await signer.page(pathOf(link));
  expect((await signer.post(pathOf(link), { intent: "accept", terms: "on" })).status).toBe(302);
  expect((await signer.post(pathOf(link), { intent: "code", code: await readCode() })).status).toBe(302);
}

/** Signs the demo invoice as director and client over HTTP; returns the sealed PDF. */
async function signDemoInvoice() {
  const { id, db, schema } = await createAndSendDemoInvoice(app.dataDir, { clientChannel: "sms", requiredFields: ["fullName"] });
  const { eq } = await import("drizzle-orm");
  const directorLink = firstLink((await smtp.waitFor(DIRECTOR, (m) => m.subject.includes("Please sign"))).text, "/s/");
  const director = new Client(app.url);
  await confirm(director, directorLink, async () => codeIn((await smtp.waitFor(DIRECTOR, (m) => m.subject.includes("Your code"))).subject));
  expect((await director.post(pathOf(directorLink), { intent: "signature", method: "typed", typedName: "Zofia Żółkiewska" })).status).toBe(302);
  const stamp = new FormData();
  stamp.set("intent", "stamp");
  stamp.set("method", "upload");
  stamp.set("file", new Blob([new Uint8Array(await stampPng())], { type: "image/png" }), "stamp.png");
  expect((await director.post(pathOf(directorLink), stamp)).status).toBe(302);
  expect((await director.post(pathOf(directorLink), { intent: "sign" })).status).toBe(302);

  const clientLink = firstLink((await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("/s/"))).text, "/s/");
  const client = new Client(app.url);
  await confirm(client, clientLink, async () => codeIn((await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("code"))).text));
  expect((await client.post(pathOf(clientLink), { intent: "data", fullName: "Grzegorz Brzęczyszczykiewicz" })).status).toBe(302);
  expect((await client.post(pathOf(clientLink), { intent: "signature", method: "typed", typedName: "Grzegorz Brzęczyszczykiewicz" })).status).toBe(302);
  expect((await client.post(pathOf(clientLink), { intent: "sign" })).status).toBe(302);

  const sealed = await waitUntil(() => {
    const row = db.select().from(schema.documents).where(eq(schema.documents.id, id)).get();
    return row?.stage === "signed" ? row : null;
  });
  const pdf = new Uint8Array(await (await client.get(`${pathOf(clientLink)}/signed.pdf`)).arrayBuffer());
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
