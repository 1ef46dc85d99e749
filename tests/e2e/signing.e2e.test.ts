// The whole signing flow in Chromium with JavaScript off on a 360 px phone, as new users do it:
// staff sends the demo invoice (client by SMS), the director signs from the e-mail link with a
// code from a second e-mail, the client from the SMS link with an SMS code, and everyone gets
// the sealed PDF, which pdfsig validates with the instance CA (downloaded from /ca.pem) trusted.
import fs from "node:fs/promises";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import type { Browser, Page } from "playwright-core";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { parsePdfsig, runPdfsig, trustedNssDir } from "../helpers/pdfsig";
import { startApp, type RunningApp } from "../helpers/server";
import { firstLink, startSmtp } from "../helpers/smtp";
import { codeIn, startSmsGateway } from "../helpers/signing";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let browser: Browser;
const DIRECTOR = "director@demo.signet.test";
const CLIENT_PHONE = "+48601234567";

beforeAll(async () => {
  smtp = await startSmtp();
  sms = await startSmsGateway();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url, SMS_WEBHOOK_URL: sms.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
  await sms?.close();
});

async function stampFile() {
  const canvas = createCanvas(360, 200);
  const context = canvas.getContext("2d");
  context.strokeStyle = "#b42318";
  context.lineWidth = 8;
  context.strokeRect(10, 10, 340, 180);
  context.fillStyle = "#b42318";
  context.font = "bold 36px sans-serif";
  context.fillText("PIECZĄTKA", 60, 115);
  const file = path.join(app.dataDir, "stamp.png");
  await fs.writeFile(file, await canvas.encode("png"));
  return file;
}

async function signatureJpeg() {
  const canvas = createCanvas(500, 160);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, 500, 160);
  context.strokeStyle = "#111";
  context.lineWidth = 5;
  context.beginPath();
  context.moveTo(20, 130);
  context.bezierCurveTo(120, 0, 260, 160, 480, 20);
  context.stroke();
  const file = path.join(app.dataDir, "podpis.jpg");
  await fs.writeFile(file, await canvas.encode("jpeg", 85));
  return file;
}

async function h1(page: Page) {
  return (await page.locator("h1").textContent())?.trim();
}

async function fitsThePhone(page: Page) {
  const box = await page.locator("body").boundingBox();
  expect(box!.width).toBeLessThanOrEqual(360);
}

/** Terms, then the code read by `readCode`; ends on the document step. */
async function acceptAndConfirm(page: Page, link: string, readCode: () => Promise<string>) {
  await page.goto(link);
  expect(await h1(page)).toBe("Electronic signing: terms");
  await fitsThePhone(page);
  await page.getByLabel("I accept the terms of electronic signing").check();
  await page.getByRole("button", { name: /^Accept and send me a code/ }).click();
  expect(await h1(page)).toBe("Enter your code");
  // a wrong code first: a message next to the field
  await page.getByLabel("Code", { exact: true }).fill("000000");
  await page.getByRole("button", { name: "Confirm" }).click();
  expect(await page.locator("#field-code-error").textContent()).toContain("This code is not correct");
  await page.getByLabel("Code", { exact: true }).fill(await readCode());
  await page.getByRole("button", { name: "Confirm" }).click();
  expect(await h1(page)).toBe("Read the document");
  expect(await page.locator(".sign-box.mine").count()).toBeGreaterThan(0);
}

describe("signing, JavaScript off, 360 px", () => {
  it("takes the demo invoice through director and client to a sealed PDF every party can download", async () => {
    // staff: the invoice from the demo deal, client by SMS, sent
    const staff = await newContext(browser, { phone: true, locale: "pl-PL" });
    const office = await staff.newPage();
    await office.goto(`${app.url}/login`);
    await office.fill("#field-email", "ewa@demo.signet.test");
    await office.fill("#field-password", "signet-demo-2026");
    await office.click("button[type=submit]");
    await office.goto(`${app.url}/deals`);
    await office.getByRole("link", { name: "Wdrożenie systemu e-Podpis" }).click();
    await office.getByRole("link", { name: "Utwórz dokument" }).click();
    await office.selectOption("#field-template", "invoice");
    await office.selectOption("#field-language", "en");
    await office.getByRole("button", { name: "Utwórz dokument" }).click();
    const documentUrl = office.url();
    const number = (await h1(office))!.match(/FV\/\d{4}\/\d{4}/)![0];
    await office.goto(`${documentUrl}/summary`);
    await office.check("#channel-sms");
    await office.check("#required-taxId");
    await office.getByRole("button", { name: "Prześlij do podpisu" }).click();
    expect(await office.locator(".notice.success").textContent()).toContain("Przesłano do podpisu");

    // the director: e-mail link, code in a separate e-mail
    const invitation = await smtp.waitFor(DIRECTOR, (m) => m.subject.includes(number));
    const directorLink = firstLink(invitation.text, "/s/");
    const directorContext = await newContext(browser, { phone: true });
    const director = await directorContext.newPage();
    await acceptAndConfirm(director, directorLink, async () =>
      codeIn((await smtp.waitFor(DIRECTOR, (m) => m.subject.includes("Your code"))).subject),
    );
    await director.screenshot({ path: path.join(app.dataDir, "sign-review-360.png"), fullPage: true });
    await fitsThePhone(director);
    await director.getByRole("link", { name: "Continue" }).click();
    expect(await h1(director)).toBe("Your signature");
    await director.getByLabel("Type your name").fill("Zofia Żółkiewska");
    await director.getByRole("button", { name: "Use the typed name" }).click();
    expect(await h1(director)).toBe("Your stamp");
    await director.getByRole("button", { name: "Upload the stamp" }).click();
    expect(await director.locator(".field-error").textContent()).toContain("Choose a file to upload.");
    await director.getByLabel("Upload an image of your stamp").setInputFiles(await stampFile());
    await director.getByRole("button", { name: "Upload the stamp" }).click();
    expect(await h1(director)).toBe("Check and sign");
    expect(await director.locator(".sign-box.filled img").count()).toBe(2);
    await director.screenshot({ path: path.join(app.dataDir, "sign-preview-360.png"), fullPage: true });
    await director.getByLabel("Keep my signature and stamp for the company's later documents").check();
    await director.getByRole("button", { name: "Sign", exact: true }).click();
    expect(await h1(director)).toBe("Thank you, you signed");

    // the client: SMS link, SMS code, data, signature, Sign
    const invitationSms = await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("/s/"));
    expect(invitationSms.text.length).toBeLessThan(160);
    const clientLink = firstLink(invitationSms.text, "/s/");
    const clientContext = await newContext(browser, { phone: true });
    const client = await clientContext.newPage();
    await acceptAndConfirm(client, clientLink, async () =>
      codeIn((await sms.waitFor(CLIENT_PHONE, (m) => /code/i.test(m.text))).text),
    );
    await client.getByRole("link", { name: "Continue" }).click();
    expect(await h1(client)).toBe("Your data");
    await client.getByLabel("Full name").fill("Grzegorz Brzęczyszczykiewicz");
    await client.getByLabel("Position").fill("Prezes Zarządu");
    await client.getByLabel("Tax ID (NIP)").fill("725-180-11-27");
    await client.getByRole("button", { name: "Continue" }).click();
    expect(await client.locator("#field-taxId-error").textContent()).toContain("Enter a valid tax ID");
    await client.getByLabel("Tax ID (NIP)").fill("725-180-11-26");
    await client.getByRole("button", { name: "Continue" }).click();
    expect(await h1(client)).toBe("Your signature");
    await client.getByLabel("Upload an image of your signature").setInputFiles(await signatureJpeg());
    await client.getByRole("button", { name: "Upload the signature" }).click();
    expect(await h1(client)).toBe("Your stamp");
    await client.getByRole("link", { name: "Continue" }).click();
    expect(await h1(client)).toBe("Check and sign");
    await client.getByRole("button", { name: "Sign", exact: true }).click();
    expect(await h1(client)).toBe("The document is signed");
    await client.screenshot({ path: path.join(app.dataDir, "sign-done-360.png"), fullPage: true });

    const downloadStarted = client.waitForEvent("download");
    await client.getByRole("link", { name: "Download the signed PDF" }).click();
    const download = await downloadStarted;
    const file = path.join(app.dataDir, "signed-e2e.pdf");
    await download.saveAs(file);
    const pdf = await fs.readFile(file);

    // pdfsig with the CA from the app
    const caPem = await (await fetch(`${app.url}/ca.pem`)).text();
    const report = await runPdfsig(file, await trustedNssDir(caPem));
    expect(report).toContain("Signature is Valid.");
    expect(report).toContain("Certificate is Trusted.");
    expect(report).toContain("Total document signed");
    expect(parsePdfsig(report)).toHaveLength(1);

    // the audit page
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Audit trail");
    expect(text).toContain(number);
    expect(text).toContain("Grzegorz Brzęczyszczykiewicz");
    expect(text).toMatch(/channel: sms \(\+48601234567\)/);

    // every party's message carries a working download link
    const links = [
      firstLink((await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("/dl/"))).text, "/dl/"),
      firstLink((await smtp.waitFor(DIRECTOR, (m) => m.text.includes("/dl/"))).text, "/dl/"),
      firstLink((await smtp.waitFor("ewa@demo.signet.test", (m) => m.text.includes("/dl/"))).text, "/dl/"),
    ];
    for (const link of links) {
      const response = await fetch(link);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true);
    }
    // the director's link shows the outcome too; staff download from the document
    await director.goto(directorLink);
    expect(await h1(director)).toBe("The document is signed");
    const staffDownload = await office.request.get(`${documentUrl}/signed.pdf`);
    expect(Buffer.from(await staffDownload.body()).equals(pdf)).toBe(true);
  });
});
