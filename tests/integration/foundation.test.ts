// The staff app's base over real HTTP: onboarding, login, sessions, invitations by real SMTP,
// the outbox surviving an SMTP outage and a restart, CRM scoping, and bad input never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, DEMO_PASSWORD, login, onboard } from "../helpers/http";
import { startApp, type RunningApp } from "../helpers/server";
import { firstLink, startSmtp } from "../helpers/smtp";
import { openTestDb, waitForOutbox } from "../helpers/db";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const admin = () => new Client(app.url);

async function invite(adminClient: Client, fields: Record<string, string>) {
  const response = await adminClient.post("/admin/users", {
    intent: "invite",
    language: "en",
    role: "employee",
    teamId: "",
    ...fields,
  });
  expect(response.status).toBe(302);
}

async function acceptInvitationFromMail(email: string) {
  const mail = await smtp.waitFor(email, (m) => m.text.includes("/invitation/"));
  expect(mail.html).toContain("/invitation/");
  const link = new URL(firstLink(mail.text, "/invitation/"));
  const client = new Client(app.url);
  const page = await client.get(link.pathname);
  expect(page.status).toBe(200);
  const set = await client.post(link.pathname, { password: DEMO_PASSWORD, passwordConfirm: DEMO_PASSWORD });
  expect(set.status).toBe(302);
  return client;
}

function teamIdByName(name: string) {
  const db = openTestDb(app.dataDir);
  try {
    return (db.prepare("select id from teams where name = ?").get(name) as { id: string }).id;
  } finally {
    db.close();
  }
}

async function createClientAndDeal(client: Client, title: string) {
  const created = await client.post("/clients/new", {
    name: `Klient ${title}`,
    taxId: "7251801126",
    address: "ul. Piotrkowska 1, Łódź",
  });
  expect(created.status).toBe(302);
  const clientId = created.headers.get("location")!.split("/").pop()!;
  const deal = await client.post("/deals/new", {
    intent: "save",
    title,
    clientId,
    contactId: "",
    ownerId: "",
    stage: "new",
    currency: "PLN",
    rowCount: "3",
    "items[0].name": "Usługa A",
    "items[0].quantity": "1,5",
    "items[0].unit": "godz.",
    "items[0].unitNet": "100,00",
    "items[0].vatRate": "23",
    "items[1].name": "Towar B",
    "items[1].quantity": "3",
    "items[1].unit": "szt.",
    "items[1].unitNet": "33.33",
    "items[1].vatRate": "8",
  });
  expect(deal.status).toBe(302);
  return deal.headers.get("location")!;
}

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ SMTP_URL: smtp.url });
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

describe("foundation", () => {
  it("sends an empty instance to onboarding and refuses bad company data with messages", async () => {
    const client = admin();
    const home = await client.get("/");
    expect(home.headers.get("location")).toBe("/onboarding");
    const bad = await client.post("/onboarding", {
      legalName: "",
      taxId: "123",
      directorEmail: "not-an-email",
      password: "short",
      adminEmail: "x".repeat(5000),
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("This field is required.");
    expect(html).toContain("Enter a valid tax ID");
    expect(html).toContain("Enter a valid e-mail address");
    expect(html).toContain("Use at least 10 characters.");
  });

  it("refuses a POST from another origin", async () => {
    const response = await fetch(`${app.url}/onboarding`, {
      method: "POST",
      body: new URLSearchParams({ legalName: "x" }),
      headers: { Origin: "https://evil.example" },
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    const noOrigin = await fetch(`${app.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "a@b.c" }),
      redirect: "manual",
    });
    expect(noOrigin.status).toBe(403);
  });

  it("onboards, logs in and out, and a tampered session cookie logs the user out", async () => {
    const client = admin();
    const response = await onboard(client);
    expect(response.headers.get("location")).toBe("/admin");
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(response.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
    expect((await client.page("/admin")).html).toContain("Zofia Żółć");
    // onboarding is closed now
    expect((await admin().get("/onboarding")).headers.get("location")).toBe("/login");

    const tampered = new Client(app.url);
    tampered.cookies.set("signet_session", client.cookies.get("signet_session")!.slice(0, -2) + "zz");
    const denied = await tampered.get("/deals");
    expect(denied.status).toBe(302);
    expect(denied.headers.get("location")).toMatch(/^\/login/);
    expect(denied.headers.get("set-cookie")).toMatch(/signet_session=;/);

    const out = await client.post("/logout", {});
    expect(out.headers.get("location")).toBe("/login");
    expect((await client.get("/deals")).status).toBe(302);
  });

  it("throttles repeated failed logins per account", async () => {
    const client = admin();
    for (let i = 0; i < 5; i++) {
      const wrong = await client.post("/login", { email: "admin@example.com", password: "wrong-password" });
      expect(wrong.status).toBe(400);
    }
    const throttled = await client.post("/login", { email: "admin@example.com", password: DEMO_PASSWORD });
    expect(throttled.status).toBe(400);
    expect(await throttled.text()).toContain("Too many failed attempts");
    // clear the throttle for the rest of the suite
    const db = openTestDb(app.dataDir);
    db.prepare("delete from login_attempts").run();
    db.close();
  });

  it("invites users by e-mail through the real SMTP server; invitations work once", async () => {
    const client = admin();
    await login(client, "admin@example.com");
    for (const team of ["North", "South"]) {
      expect((await client.post("/admin/users", { intent: "team", teamName: team })).status).toBe(302);
    }
    const duplicate = await client.post("/admin/users", { intent: "team", teamName: "North" });
    expect(duplicate.status).toBe(400);

    await invite(client, { name: "Ola North", email: "ola@example.com", teamId: teamIdByName("North") });
    await invite(client, {
      name: "Stan Supervisor",
      email: "stan@example.com",
      role: "supervisor",
      teamId: teamIdByName("North"),
    });
    await invite(client, { name: "Sam South", email: "sam@example.com", teamId: teamIdByName("South") });
    const taken = await client.post("/admin/users", {
      intent: "invite",
      name: "Again",
      email: "ola@example.com",
      role: "employee",
      teamId: "",
      language: "en",
    });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain("already exists");

    const mail = await smtp.waitFor("ola@example.com");
    expect(mail.subject).toContain("invitation");
    const link = new URL(firstLink(mail.text, "/invitation/"));
    const ola = await acceptInvitationFromMail("ola@example.com");
    expect((await ola.page("/deals")).html).toContain("Deals");
    // the same link does not work twice
    const again = await new Client(app.url).get(link.pathname);
    expect(again.status).toBe(410);
    await acceptInvitationFromMail("stan@example.com");
    await acceptInvitationFromMail("sam@example.com");
  });

  it("computes deal totals exactly and scopes deals by role and company", async () => {
    const ola = new Client(app.url);
    await login(ola, "ola@example.com");
    const dealPath = await createClientAndDeal(ola, "Ola's deal");
    const page = await ola.page(dealPath);
    // 1.5 × 100.00 = 150.00 at 23 % (VAT 34.50); 3 × 33.33 = 99.99 at 8 % (VAT 8.00)
    expect(page.html).toContain("249.99");
    expect(page.html).toContain("42.50");
    expect(page.html).toContain("292.49");

    const sam = new Client(app.url);
    await login(sam, "sam@example.com");
    expect((await sam.get(dealPath)).status).toBe(404);
    expect((await sam.post(dealPath, { intent: "delete" })).status).toBe(404);
    expect((await sam.get(`${dealPath}/edit`)).status).toBe(404);

    const stan = new Client(app.url);
    await login(stan, "stan@example.com");
    expect((await stan.get(dealPath)).status).toBe(200);
    const samDeal = await createClientAndDeal(sam, "Sam's deal");
    expect((await stan.get(samDeal)).status).toBe(404);

    const boss = new Client(app.url);
    await login(boss, "admin@example.com");
    expect((await boss.get(samDeal)).status).toBe(200);
    expect((await boss.get("/deals/does-not-exist")).status).toBe(404);
    expect((await boss.get("/clients/does-not-exist")).status).toBe(404);
    expect((await boss.get("/admin/users/does-not-exist")).status).toBe(404);
    // employees have no admin pages
    expect((await ola.get("/admin")).status).toBe(404);
  });

  it("walks the main forms with bad values: messages, never a 500", async () => {
    const client = admin();
    await login(client, "admin@example.com");
    const long = "ż".repeat(5000);
    const attempts: Array<[string, Record<string, string>]> = [
      ["/clients/new", { name: "", taxId: "PL123", address: long }],
      ["/clients/new", { name: long, taxId: long }],
      ["/contacts/new", { name: "", email: "@@", phone: "call me", clientId: "nope" }],
      ["/contacts/new", { name: "X", email: "x@example.com", clientId: "" }],
      ["/deals/new", { intent: "save", title: "", clientId: "nope", stage: "weird", currency: "XXX" }],
      [
        "/deals/new",
        {
          intent: "save",
          title: "T",
          clientId: "",
          stage: "new",
          currency: "PLN",
          "items[0].name": "A",
          "items[0].quantity": "-1",
          "items[0].unitNet": "1e9",
          "items[0].vatRate": "99",
        },
      ],
      [
        "/deals/new",
        {
          intent: "save",
          title: "T",
          stage: "new",
          currency: "PLN",
          "items[0].name": "",
          "items[0].quantity": "abc",
          "items[0].unitNet": "12.345",
        },
      ],
      ["/admin/users", { intent: "invite", name: "", email: "bad", role: "god", language: "xx" }],
      [
        "/admin/users",
        {
          intent: "invite",
          name: "Y",
          email: "y@example.com",
          role: "employee",
          teamId: "foreign-team",
          language: "en",
        },
      ],
      ["/admin", { legalName: "", taxId: "0000000000", address: "", directorEmail: "no" }],
      ["/account", { intent: "password", current: "", password: "x", passwordConfirm: "y" }],
      ["/account", { intent: "language", language: "klingon" }],
    ];
    for (const [path, form] of attempts) {
      const response = await client.post(path, form);
      expect(response.status, `${path} ${JSON.stringify(form).slice(0, 80)}`).toBe(400);
      expect(await response.text()).toMatch(/field-error|notice error/);
    }
    expect((await client.post("/deals/new", { intent: "hack" })).status).toBe(400);
    const anonymous = await new Client(app.url).post("/login", { email: "", password: "" });
    expect(anonymous.status).toBe(400);
    const multipart = new FormData();
    multipart.set("name", "x");
    expect((await client.post("/clients/new", multipart)).status).toBeLessThan(500);
  });

  it("shows the whole UI in Polish for Accept-Language pl", async () => {
    const client = admin();
    const { html } = await client.page("/login");
    expect(html).toContain("Log in");
    const polish = await new Client(app.url).get("/login", { "Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5" });
    expect(await polish.text()).toContain("Zaloguj się");
  });

  it("keeps e-mail in the outbox while SMTP is down and delivers it after a restart", async () => {
    await app.restart({ SMTP_URL: "smtp://127.0.0.1:1" });
    const client = admin();
    await login(client, "admin@example.com");
    await invite(client, { name: "Late Larry", email: "larry@example.com" });
    await expect
      .poll(() => waitForOutbox(app.dataDir, "larry@example.com").then((m) => m.attempts), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const pending = await waitForOutbox(app.dataDir, "larry@example.com");
    expect(pending.status).toBe("pending");
    expect(pending.last_error).toBeTruthy();
    await app.restart({ SMTP_URL: smtp.url });
    // next attempt is after the backoff (5 s)
    const mail = await smtp.waitFor("larry@example.com", () => true, 20_000);
    expect(mail.text).toContain("/invitation/");
  });
});
