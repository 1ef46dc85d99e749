// Documents over real HTTP: invoices generated from deals (checked by text extraction),
// uploads judged by content, boxes validated, sending, role scoping.
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, login, onboard } from "../helpers/http";
import { openTestDb } from "../helpers/db";
import { startAppWithInbox, type Inbox } from "../helpers/inbox";
import { breakXrefEntries, makeEncryptedPdf, makePdf, makePng, truncatePdf } from "../helpers/pdfs";
import type { RunningApp } from "../helpers/server";
import crypto from "node:crypto";

let app: RunningApp;
let inbox: Inbox;
let stopAll: () => Promise<void>;
let admin: Client;
let dealId: string;

async function pdfText(bytes: Uint8Array) {
  const parser = new PDFParse({ data: bytes });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

function upload(client: Client, bytes: Uint8Array, fileName = "file.pdf", title = "Umowa najmu") {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }), fileName);
  form.set("title", title);
  form.set("clientId", "");
  form.set("language", "pl");
  return client.post("/documents/new", form);
}

async function createInvoice(client: Client, language: "pl" | "en") {
  const response = await client.post("/documents/new", { dealId, template: "invoice", language });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

beforeAll(async () => {
  ({ app, inbox, stop: stopAll } = await startAppWithInbox());
  admin = new Client(app.url);
  await onboard(admin);
  const created = await admin.post("/clients/new", {
    name: "Zakład Łódź Sp. z o.o.",
    taxId: "7251801126",
    address: "ul. Piotrkowska 120, 90-006 Łódź",
  });
  const clientId = created.headers.get("location")!.split("/").pop()!;
  await admin.post("/contacts/new", {
    name: "Grzegorz Brzęczyszczykiewicz",
    email: "client@example.com",
    phone: "600 700 800",
    position: "Prezes",
    clientId,
  });
  const contactRow = openTestDb(app.dataDir).prepare("select id from contacts").get() as { id: string };
  const deal = await admin.post("/deals/new", {
    intent: "save",
    title: "Usługi księgowe",
    clientId,
    contactId: contactRow.id,
    ownerId: "",
    stage: "won",
    currency: "PLN",
    rowCount: "3",
    "items[0].name": "Prowadzenie ksiąg",
    "items[0].quantity": "1",
    "items[0].unit": "mies.",
    "items[0].unitNet": "1234,56",
    "items[0].vatRate": "23",
    "items[1].name": "Książka „Żółć”",
    "items[1].quantity": "2",
    "items[1].unit": "szt.",
    "items[1].unitNet": "50",
    "items[1].vatRate": "5",
  });
  dealId = deal.headers.get("location")!.split("/").pop()!;
});

afterAll(async () => {
  await stopAll?.();
});

describe("documents", () => {
  it("generates a Polish VAT invoice from the deal with per-rate totals and the amount in words", async () => {
    const path = await createInvoice(admin, "pl");
    const pdf = new Uint8Array(await (await admin.get(`${path}/original.pdf`)).arrayBuffer());
    const text = await pdfText(pdf);
    expect(text).toContain("FV/2026/0001".replace("2026", String(new Date().getUTCFullYear())));
    expect(text).toContain("Zakład Łódź Sp. z o.o.");
    expect(text).toContain("Książka „Żółć”");
    // 1234.56 @23% → VAT 283.95; 100.00 @5% → 5.00; due 1623.51
    expect(text).toMatch(/283,95/);
    expect(text).toMatch(/1\s?623,51/);
    expect(text).toContain("Słownie");
    expect(text).toMatch(/jeden tysiąc sześćset dwadzieścia trzy złote 51\/100/);
  });

  it("generates the English invoice with the next number in the series", async () => {
    const path = await createInvoice(admin, "en");
    const text = await pdfText(new Uint8Array(await (await admin.get(`${path}/original.pdf`)).arrayBuffer()));
    expect(text).toContain(`FV/${new Date().getUTCFullYear()}/0002`);
    expect(text).toMatch(/one thousand six hundred twenty-three/i);
  });

  it("refuses bad uploads by content with a message, never a 500", async () => {
    const cases: Array<[Uint8Array, string, string]> = [
      [new Uint8Array(0), "empty.pdf", "The file is empty"],
      [makePng(), "picture.pdf", "not a PDF"],
      [new TextEncoder().encode("just text, named like a PDF"), "notes.pdf", "not a PDF"],
      [truncatePdf(await makePdf(3)), "cut.pdf", "damaged"],
      [makeEncryptedPdf(), "locked.pdf", "password-protected"],
      [breakXrefEntries(await makePdf(2)), "xref.pdf", "damaged"],
      [await makePdf(201), "long.pdf", "too many pages"],
      [new Uint8Array(26 * 1024 * 1024).fill(32), "huge.pdf", "too large"],
    ];
    for (const [bytes, name, message] of cases) {
      const response = await upload(admin, bytes, name);
      expect(response.status, name).toBe(400);
      expect(await response.text(), name).toContain(message);
    }
    const ok = await upload(admin, await makePdf(3), "scan.bin");
    expect(ok.status).toBe(302);
    const path = ok.headers.get("location")!;
    const boxes = openTestDb(app.dataDir)
      .prepare("select b.* from boxes b join documents d on d.id = b.document_id where d.id = ?")
      .all(path.split("/").pop()) as Array<{ page: number; y: number }>;
    expect(boxes).toHaveLength(4);
    expect(boxes.every((b) => b.page === 3 && b.y < 150)).toBe(true);
  });

  it("places boxes by a click on the preview and refuses boxes off the page, on missing pages or for unknown parties", async () => {
    const path = await createInvoice(admin, "pl");
    const before = (
      openTestDb(app.dataDir)
        .prepare("select count(*) n from boxes where document_id = ?")
        .get(path.split("/").pop()) as { n: number }
    ).n;
    const click = await admin.post(`${path}/places`, {
      displaySize: "phone",
      partyRole: "client",
      kind: "stamp",
      "page1.x": "170",
      "page1.y": "240",
    });
    expect(click.status).toBe(302);
    const rows = openTestDb(app.dataDir)
      .prepare("select * from boxes where document_id = ? order by rowid")
      .all(path.split("/").pop()) as Array<{ id: string; x: number; y: number; width: number }>;
    expect(rows).toHaveLength(before + 1);
    const placed = rows[rows.length - 1];
    // 170 px of 340 is the middle of an A4 page (595 pt): the stamp (110 pt) is centred there
    expect(Math.abs(placed.x + placed.width / 2 - 297.5)).toBeLessThan(2);
    const refusals: Array<Record<string, string>> = [
      { displaySize: "phone", partyRole: "client", kind: "stamp", "page7.x": "10", "page7.y": "10" },
      { displaySize: "phone", partyRole: "witness", kind: "stamp", "page1.x": "10", "page1.y": "10" },
      { intent: "update", boxId: placed.id, page: "1", x: "590", y: "10", width: "100", height: "50" },
      { intent: "update", boxId: placed.id, page: "5", x: "10", y: "10", width: "100", height: "50" },
      { intent: "update", boxId: placed.id, page: "1", x: "-4", y: "abc", width: "100", height: "50" },
      { intent: "update", boxId: "not-a-box", page: "1", x: "10", y: "10", width: "100", height: "50" },
    ];
    for (const form of refusals) {
      const response = await admin.post(`${path}/places`, form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(await response.text()).toMatch(/notice error|field-error/);
    }
    const moved = await admin.post(`${path}/places`, {
      intent: "update",
      boxId: placed.id,
      page: "1",
      x: "20",
      y: "30",
      width: "120",
      height: "60",
    });
    expect(moved.status).toBe(302);
    const removed = await admin.post(`${path}/places`, { intent: "remove", boxId: placed.id });
    expect(removed.status).toBe(302);
  });

  it("sends for signing: SMS needs a valid phone, the director is e-mailed a link, the original is then fixed", async () => {
    const path = await createInvoice(admin, "pl");
    const id = path.split("/").pop()!;
    const noBoxes = await admin.post(`${path}/summary`, {
      clientChannel: "email",
      deadlineDays: "0",
      reminderEveryDays: "2",
      reminderMax: "5",
    });
    expect(noBoxes.status).toBe(400);
    expect(await noBoxes.text()).toContain("Enter between 1 and 365 days.");
    await admin.post(`${path}/parties`, {
      role: "client",
      name: "Grzegorz B.",
      email: "client@example.com",
      phone: "123456",
      position: "",
      companyName: "Zakład Łódź Sp. z o.o.",
      taxId: "7251801126",
    });
    const badPhone = await admin.post(`${path}/summary`, {
      clientChannel: "sms",
      clientRequiredFields: "fullName",
      deadlineDays: "30",
      reminderEveryDays: "2",
      reminderMax: "5",
    });
    expect(badPhone.status).toBe(400);
    expect(await badPhone.text()).toContain("SMS delivery needs the client");
    await admin.post(`${path}/parties`, {
      role: "client",
      name: "Grzegorz B.",
      email: "client@example.com",
      phone: "600 700 800",
      position: "",
      companyName: "Zakład Łódź Sp. z o.o.",
      taxId: "7251801126",
    });
    const sent = await admin.post(`${path}/summary`, {
      clientChannel: "sms",
      clientRequiredFields: "fullName",
      deadlineDays: "30",
      reminderEveryDays: "2",
      reminderMax: "5",
    });
    expect(sent.status).toBe(302);
    const mail = await inbox.waitFor("director@example.com", (m) => m.text.includes("/s/"));
    expect(mail.subject).toMatch(/FV\//);
    const db = openTestDb(app.dataDir);
    const doc = db.prepare("select * from documents where id = ?").get(id) as {
      stage: string;
      original_sha256: string;
      client_channel: string;
    };
    const client = db.prepare("select phone from parties where document_id = ? and role = 'client'").get(id) as {
      phone: string;
    };
    expect(doc.stage).toBe("company_signing");
    expect(client.phone).toBe("+48600700800");
    const file = new Uint8Array(await (await admin.get(`${path}/original.pdf`)).arrayBuffer());
    expect(crypto.createHash("sha256").update(file).digest("hex")).toBe(doc.original_sha256);
    // a sent document can no longer be edited or re-rendered
    expect((await admin.post(`${path}/places`, { intent: "remove", boxId: "x" })).status).toBe(302);
    expect((await admin.post(path, { intent: "regenerate" })).status).toBe(400);
    const actions = (
      db.prepare("select action from audit_events where document_id = ? order by id").all(id) as Array<{
        action: string;
      }>
    ).map((r) => r.action);
    expect(actions[0]).toBe("document.created");
    expect(actions).toContain("document.party_edited");
    expect(actions.at(-1)).toBe("document.sent");
    const page = await admin.page(path);
    expect(page.html).toContain("The log&#x27;s hash chain is intact");
  });

  it("keeps documents within role scope: another team's employee gets 404 everywhere", async () => {
    const path = await createInvoice(admin, "pl");
    // an employee in no team: sees only their own
    await admin.post("/admin/users", {
      intent: "invite",
      name: "Emil",
      email: "emil@example.com",
      role: "employee",
      teamId: "",
      language: "en",
    });
    const invitation = await inbox.waitFor("emil@example.com");
    const link = new URL(/http\S+\/invitation\/\S+/.exec(invitation.text)![0]);
    const emil = new Client(app.url);
    await emil.post(link.pathname, { password: "a-long-enough-password", passwordConfirm: "a-long-enough-password" });
    for (const suffix of ["", "/original.pdf", "/page/1?size=phone", "/parties", "/places", "/summary"]) {
      expect((await emil.get(`${path}${suffix}`)).status, suffix).toBe(404);
    }
    expect(
      (
        await emil.post(`${path}/places`, {
          displaySize: "phone",
          partyRole: "client",
          kind: "stamp",
          "page1.x": "10",
          "page1.y": "10",
        })
      ).status,
    ).toBe(404);
    expect((await emil.post("/documents/new", { dealId, template: "invoice", language: "pl" })).status).toBe(400);
    await login(new Client(app.url), "emil@example.com", "a-long-enough-password");
  });
});
