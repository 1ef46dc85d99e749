// A new company's first day in Chromium with JavaScript off: onboarding, login, inviting a
// colleague (the invitation read from a real SMTP server), accepting it, creating a deal.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../helpers/browser";
import { startApp, type RunningApp } from "../helpers/server";
import { firstLink, startSmtp } from "../helpers/smtp";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Browser;
const PASSWORD = "a-long-enough-password";

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ SMTP_URL: smtp.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

describe("first day, JavaScript off", () => {
  it("onboards, invites a colleague who accepts, and creates a deal with two items", async () => {
    const admin = await newContext(browser);
    const page = await admin.newPage();
    await page.goto(app.url);
    expect(page.url()).toContain("/onboarding");
    expect((await page.locator("h1").textContent())?.trim()).toBe("Set up your company");

    // a bad submission shows messages next to the fields
    await page.getByRole("button", { name: "Create company" }).click();
    expect((await page.locator("#field-legalName-error").textContent())?.trim()).toBe("This field is required.");

    await fill(page, "Legal name", "Łąka Software Sp. z o.o.");
    await fill(page, "Tax ID (NIP)", "5260250274");
    await fill(page, "Address", "ul. Żurawia 6, 00-503 Warszawa");
    await fill(page, "Bank account (IBAN)", "PL61109010140000071219812874");
    await fill(page, "Director's full name", "Zofia Żółć");
    await fill(page, "Director's e-mail", "director@laka.example");
    await fill(page, "Name", "Anna Admin");
    await fill(page, "E-mail", "anna@laka.example");
    await fill(page, "Password", PASSWORD);
    await fill(page, "Repeat the new password", PASSWORD);
    await page.getByRole("button", { name: "Create company" }).click();
    expect((await page.locator("h1").textContent())?.trim()).toBe("Administration");

    // log out and in again
    await page.getByRole("button", { name: "Log out" }).click();
    expect((await page.locator("h1").textContent())?.trim()).toBe("Log in");
    await fill(page, "E-mail", "anna@laka.example");
    await fill(page, "Password", PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    expect(new URL(page.url()).pathname).not.toBe("/login");

    // a team and an invitation
    await page.goto(`${app.url}/admin/users`);
    await fill(page, "New team", "Sales");
    await page.getByRole("button", { name: "Create team" }).click();
    await fill(page, "Name", "Olek Nowak");
    await fill(page, "E-mail", "olek@laka.example");
    await page.getByLabel("Team", { exact: true }).selectOption({ label: "Sales" });
    await page.getByLabel("Language", { exact: true }).selectOption("en");
    await page.getByRole("button", { name: "Send invitation" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Invitation sent to olek@laka.example");
    await page.screenshot({ path: `${app.dataDir}/users-360.png`, fullPage: true });

    const mail = await smtp.waitFor("olek@laka.example");
    const link = firstLink(mail.text, "/invitation/");

    const colleague = await newContext(browser);
    const olek = await colleague.newPage();
    await olek.goto(link);
    expect((await olek.locator("h1").textContent())?.trim()).toBe("Set your password");
    await fill(olek, "New password", PASSWORD);
    await fill(olek, "Repeat the new password", PASSWORD);
    await olek.getByRole("button", { name: "Set password and log in" }).click();
    expect(new URL(olek.url()).pathname).not.toMatch(/invitation|login/);

    // the colleague creates a client and a deal with two line items
    await olek.goto(`${app.url}/clients/new`);
    await fill(olek, "Company name", "Gdańskie Żurawie S.A.");
    await fill(olek, "Tax ID", "5842739582");
    await olek.getByRole("button", { name: "Save" }).click();
    await olek.goto(`${app.url}/deals/new`);
    await fill(olek, "Title", "Dźwigi na sezon");
    await olek.getByLabel("Client", { exact: true }).selectOption({ label: "Gdańskie Żurawie S.A." });
    await fill(olek, "Name 1", "Wynajem dźwigu");
    await fill(olek, "Quantity 1", "2,5");
    await fill(olek, "Unit net price 1", "1000");
    await fill(olek, "Name 2", "Transport");
    await fill(olek, "Quantity 2", "1");
    await fill(olek, "Unit net price 2", "199,99");
    await olek.getByLabel("VAT 2", { exact: true }).selectOption("8");
    await olek.getByRole("button", { name: "Create deal" }).click();
    expect((await olek.locator("h1").textContent())?.trim()).toBe("Dźwigi na sezon");
    // 2500.00 @23% + 199.99 @8% = 2699.99 net; VAT 575.00 + 16.00; gross 3290.99
    expect(await olek.locator(".deal-net").textContent()).toContain("2,699.99");
    expect(await olek.locator(".deal-gross").textContent()).toContain("3,290.99");
    await olek.screenshot({ path: `${app.dataDir}/deal-360.png`, fullPage: true });

    await colleague.close();
    await admin.close();
  });
});
