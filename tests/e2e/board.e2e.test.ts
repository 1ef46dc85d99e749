// The e-Signature board in Chromium with JavaScript off, on a 360 px wide screen: filters and
// search, "more" in a column, archive and restore, cancel from the board, team supervision,
// and a forged post on someone else's card.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBoardCompany } from "../helpers/board";
import { launchBrowser, newContext } from "../helpers/browser";
import { openTestDb } from "../helpers/db";
import { DEMO_PASSWORD } from "../helpers/http";
import { startApp, type RunningApp } from "../helpers/server";

let app: RunningApp;
let browser: Browser;
let ids: Record<string, string>;

beforeAll(async () => {
  // the fixture has an overdue document in progress: keep the signing worker from expiring it mid-test
  app = await startApp({ SIGNING_POLL_MS: "3600000" });
  ids = await seedBoardCompany(app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function logIn(email: string): Promise<Page> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${app.url}/login`);
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForLoadState("load");
  await page.goto(`${app.url}/documents`);
  return page;
}

const column = (page: Page, key: string) => page.locator(`section[data-column="${key}"]`);
const card = (page: Page, key: string, title: string) => column(page, key).locator("li", { hasText: title });

function stageOf(id: string) {
  const db = openTestDb(app.dataDir);
  try {
    return (db.prepare("select stage from documents where id = ?").get(id) as { stage: string }).stage;
  } finally {
    db.close();
  }
}

describe("e-Signature board, JavaScript off", () => {
  it("filters and searches with a GET form, and the view is a shareable URL", async () => {
    const page = await logIn("admin@example.com");
    expect((await page.locator("h1").textContent())?.trim()).toBe("e-Signature");
    await page.getByLabel("Search number, title or client").fill("quarry");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForLoadState("load");
    expect(page.url()).toContain("q=quarry");
    expect(await column(page, "sent").locator("li").count()).toBe(1);
    await expect.poll(() => card(page, "sent", "Quarry lease").textContent()).toContain("Overdue");
    expect(await column(page, "draft").locator("li").count()).toBe(0);

    await page.getByLabel("Search number, title or client").fill("");
    await page.getByLabel("Owner").selectOption({ label: "Seb Employee" });
    await page.getByLabel("Stage").selectOption({ label: "Not signed" });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator("section[data-column]").count()).toBe(1);
    expect(await column(page, "not-signed").locator("li").count()).toBe(3);
    // the same view as a table, sorted by a plain link
    await page.getByRole("link", { name: "List" }).click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).toBe("/documents/list");
    await page.getByRole("link", { name: "Title" }).click();
    await page.waitForLoadState("load");
    const titles = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(titles).toEqual(["Seb cancelled", "Seb declined", "Seb expired"]);
    await page.screenshot({ path: `${app.dataDir}/list-360.png`, fullPage: true });
  });

  it("shows 20 cards in a column and the rest behind 'more'", async () => {
    const page = await logIn("emil@example.com");
    expect(await column(page, "draft").locator("li").count()).toBe(20);
    await column(page, "draft").getByRole("link", { name: /^More/ }).click();
    await page.waitForLoadState("load");
    expect(await column(page, "draft").locator("li").count()).toBe(4);
    await page.getByRole("link", { name: "Back to all columns" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator("section[data-column]").count()).toBe(6);
    await page.screenshot({ path: `${app.dataDir}/board-360.png`, fullPage: true });
  });

  it("archives a signed document and restores it from the archive", async () => {
    const page = await logIn("emil@example.com");
    await card(page, "signed", "Emil signed").getByRole("button", { name: "Archive" }).click();
    await page.waitForLoadState("load");
    expect(await page.getByRole("status").textContent()).toContain("was moved to the archive");
    expect(await card(page, "archive", "Emil signed").count()).toBe(1);
    expect(await card(page, "signed", "Emil signed").count()).toBe(0);
    await card(page, "archive", "Emil signed").getByRole("button", { name: "Restore" }).click();
    await page.waitForLoadState("load");
    expect(await page.getByRole("status").textContent()).toContain("was restored from the archive");
    expect(await card(page, "signed", "Emil signed").count()).toBe(1);
    expect(stageOf(ids["Emil signed"])).toBe("signed");
  });

  it("cancels a sent document from the board, with a reason", async () => {
    const page = await logIn("emil@example.com");
    await card(page, "sent", "Emil company_signing").getByRole("link", { name: "Cancel…" }).click();
    await page.waitForLoadState("load");
    // blanks pass the browser's "required" check; the server answers next to the field
    await page.getByLabel("Reason for cancelling").fill("   ");
    await page.getByRole("button", { name: "Cancel the document" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".field-error").textContent()).toBe("This field is required.");
    await page.getByLabel("Reason for cancelling").fill("The client asked for new prices");
    await page.getByRole("button", { name: "Cancel the document" }).click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).toBe("/documents");
    expect(await page.getByRole("status").textContent()).toContain("was cancelled");
    expect(await card(page, "not-signed", "Emil company_signing").count()).toBe(1);
    expect(stageOf(ids["Emil company_signing"])).toBe("cancelled");
  });

  it("a supervisor sees the team's documents and progress, not another team's", async () => {
    const page = await logIn("sara@example.com");
    expect(await card(page, "draft", "Emil draft").count()).toBe(1);
    expect(await page.getByText("Seb draft").count()).toBe(0);
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await page.waitForLoadState("load");
    expect((await page.locator("h1").textContent())?.trim()).toBe("Team progress");
    expect(await page.locator("tr[data-person='Emil Employee']").count()).toBe(1);
    expect(await page.getByText("Seb Employee").count()).toBe(0);
    expect(await page.locator("a", { hasText: "T/2026/0017" }).count()).toBeGreaterThan(0);
    await page.goto(`${app.url}/team?team=${ids.south}`);
    expect(await page.getByText("Seb Employee").count()).toBe(0);
    await page.screenshot({ path: `${app.dataDir}/team-360.png`, fullPage: true });
  });

  it("refuses an employee's forged post on another employee's card, and nothing changes", async () => {
    const page = await logIn("emil@example.com");
    const response = await page.request.post(`${app.url}/documents/board`, {
      form: { intent: "archive", id: ids["Seb signed"] },
      headers: { Origin: app.url },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(404);
    expect(stageOf(ids["Seb signed"])).toBe("signed");
    await page.goto(`${app.url}/documents/board?cancel=${ids["Seb draft"]}`);
    expect((await page.locator("h1").textContent())?.trim()).toBe("Page not found");
    expect(stageOf(ids["Seb draft"])).toBe("draft");
  });
});
