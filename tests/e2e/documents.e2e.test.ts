// Preparing documents in Chromium with JavaScript off, on a 360 px phone: an invoice from a
// demo deal in Polish, boxes placed by clicking the page previews, SMS chosen, sent; and the
// same for an uploaded PDF. The director's e-mail shows up in the development mailbox.
import type { Browser, Page } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { makePdf } from "../helpers/pdfs";
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

async function logIn(page: Page) {
  await page.goto(`${app.url}/login`);
  await page.fill("#field-email", "ewa@demo.signet.test");
  await page.fill("#field-password", "signet-demo-2026");
  await page.click("button[type=submit]");
}

async function boxCount(page: Page) {
  return page.locator("tr.box-row").count();
}

/** Places a box for a party by clicking the first page preview at (x, y) CSS pixels. */
async function placeBox(page: Page, party: "company" | "client", kind: "signature" | "stamp", x: number, y: number) {
  await page.selectOption("#field-partyRole", party);
  await page.selectOption("#field-kind", kind);
  const before = await boxCount(page);
  await page.locator('input[type="image"][name="page1"]').click({ position: { x, y } });
  expect(await boxCount(page)).toBe(before + 1);
}

async function removeAllBoxes(page: Page) {
  while ((await boxCount(page)) > 0) {
    await page.locator("tr.box-row").first().getByRole("button", { name: "Usuń" }).click();
  }
}

async function sendBySms(page: Page, documentUrl: string) {
  await page.goto(`${documentUrl}/summary`);
  await page.check("#channel-sms");
  await page.getByRole("button", { name: "Prześlij do podpisu" }).click();
  expect(await page.locator(".notice.success", { hasText: "Przesłano do podpisu" }).count()).toBe(1);
  expect(await page.locator(".stage").textContent()).toBe("Wysłane");
}

describe("preparing documents, JavaScript off", () => {
  it("creates a Polish invoice from a demo deal, places every box by clicking, and sends it by SMS", async () => {
    const context = await newContext(browser, { phone: true, locale: "pl-PL" });
    const page = await context.newPage();
    await logIn(page);
    await page.goto(`${app.url}/deals`);
    await page.getByRole("link", { name: "Wdrożenie systemu e-Podpis" }).click();
    await page.getByRole("link", { name: "Utwórz dokument" }).click();
    await page.selectOption("#field-template", "invoice");
    await page.selectOption("#field-language", "pl");
    await page.getByRole("button", { name: "Utwórz dokument" }).click();
    const documentUrl = page.url();
    expect(await page.locator("h1").textContent()).toMatch(/FV\/\d{4}\/\d{4}/);

    await page.getByRole("link", { name: "Podpisz" }).click();
    expect(await page.locator("h1").textContent()).toBe("Nadawca i odbiorca");
    await page.getByRole("link", { name: "Edytuj" }).last().click();
    await page.fill("#field-phone", "+48 601 234 567");
    await page.getByRole("button", { name: "Zapisz" }).click();
    await page.getByRole("link", { name: "Kontynuuj" }).click();

    expect(await page.locator("h1").textContent()).toBe("Miejsca na pieczątkę i podpis");
    await removeAllBoxes(page);
    await placeBox(page, "company", "signature", 80, 300);
    await placeBox(page, "company", "stamp", 80, 380);
    await placeBox(page, "client", "signature", 250, 300);
    await placeBox(page, "client", "stamp", 250, 380);
    await page.screenshot({ path: path.join(app.dataDir, "places-360.png"), fullPage: true });
    expect(await page.locator(".box-overlay").count()).toBe(4);

    await sendBySms(page, documentUrl);
    await page.goto(`${app.url}/dev/mailbox`);
    const mail = page.locator('article[data-recipient="director@demo.signet.test"]').first();
    expect(await mail.locator(".subject").textContent()).toContain("FV/");
    expect(await mail.locator("a").first().getAttribute("href")).toMatch(/\/s\/[\w-]{20,}/);
    await context.close();
  });

  it("uploads a PDF, keeps its default boxes on the last page, and sends it", async () => {
    const context = await newContext(browser, { phone: true, locale: "pl-PL" });
    const page = await context.newPage();
    await logIn(page);
    const file = path.join(app.dataDir, "umowa.pdf");
    fs.writeFileSync(file, await makePdf(2));
    await page.goto(`${app.url}/documents/new`);
    await page.setInputFiles("#field-file", file);
    await page.fill("#field-title", "Umowa najmu lokalu");
    await page.selectOption("#field-clientId", { label: "Kraków Software House Sp. z o.o." });
    await page.getByRole("button", { name: "Prześlij", exact: true }).click();
    const documentUrl = page.url();
    expect(await page.locator("h1").textContent()).toContain("Umowa najmu lokalu");
    expect(await page.locator(".box-overlay").count()).toBe(4);

    // a bad upload is refused with a message next to the field
    fs.writeFileSync(path.join(app.dataDir, "fake.pdf"), "not a pdf at all");
    await page.goto(`${app.url}/documents/new`);
    await page.setInputFiles("#field-file", path.join(app.dataDir, "fake.pdf"));
    await page.fill("#field-title", "Fake");
    await page.getByRole("button", { name: "Prześlij", exact: true }).click();
    expect(await page.locator(".field-error").first().textContent()).toContain("nie jest plikiem PDF");

    await page.goto(`${documentUrl}/parties?edit=client`);
    await page.fill("#field-phone", "600 700 800");
    await page.getByRole("button", { name: "Zapisz" }).click();
    await sendBySms(page, documentUrl);
    await context.close();
  });
});
