// In production (`npm start`, no demo), nobody at the sending company can learn a signer's link
// or code: there is no development mailbox at all, failed messages are listed without links or
// codes (page and JSON), a delivered message keeps none in the database, a message that cannot
// be delivered is not kept waiting with its secret, and retrying a failed invitation issues a
// fresh link. The instance is seeded as the demo, then restarted as production on the same data.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../helpers/http";
import { openTestDb } from "../helpers/db";
import { startAppWithInbox, type Inbox } from "../helpers/inbox";
import type { RunningApp } from "../helpers/server";
import { codeIn, signingSteps, waitUntil } from "../helpers/signing";
import { firstLink } from "../helpers/smtp";

let app: RunningApp;
let inbox: Inbox;
let stopAll: () => Promise<void>;
let steps: ReturnType<typeof signingSteps>;
const DIRECTOR = "director@demo.signet.test";
const CLIENT_PHONE = "+48601234567";

beforeAll(async () => {
  ({ app, inbox, stop: stopAll } = await startAppWithInbox({ DEMO: "1" }));
  steps = signingSteps(app, inbox.smtp);
  // the demo data is seeded once the server listens
  for (let attempt = 0; ; attempt++) {
    try {
      await steps.owner();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await app.restart({ DEMO: "" });
});

afterAll(async () => {
  await stopAll?.();
});

async function admin() {
  const client = new Client(app.url);
  expect((await client.post("/login", { email: "admin@demo.signet.test", password: "signet-demo-2026" })).status).toBe(
    302,
  );
  expect((await client.post("/account", { intent: "language", language: "en" })).status).toBe(302);
  return client;
}

function outboxRows() {
  const db = openTestDb(app.dataDir);
  try {
    return db.prepare("select * from outbox_messages").all() as Array<{
      id: string;
      status: string;
      subject: string;
      text: string;
      html: string | null;
      secrets: string | null;
      purpose: string;
      recipient: string;
      last_error: string | null;
    }>;
  } finally {
    db.close();
  }
}

/** The database file after a checkpoint, as bytes: what a copy of it would hold. */
function databaseBytes() {
  const db = openTestDb(app.dataDir);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  return Buffer.concat(
    ["signet.sqlite", "signet.sqlite-wal"]
      .map((name) => path.join(app.dataDir, name))
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file)),
  );
}

describe("no secrets for the sending company", () => {
  it("has no development mailbox in production, for anyone", async () => {
    const office = await admin();
    for (const client of [office, new Client(app.url)]) {
      expect((await client.get("/dev/mailbox")).status).toBe(404);
      expect((await client.get("/dev/mailbox?_data=routes%2Fdev.mailbox")).status).toBe(404);
    }
    expect((await office.page("/admin")).html).not.toContain("/dev/mailbox");
  });

  it("keeps no link or code of a delivered message in the database", async () => {
    const sent = await steps.sentInvoice();
    const before = inbox.smtp.messages.length;
    const director = await steps.confirmed(sent.link);
    expect(director).toBeTruthy();
    const code = codeIn(
      (
        await waitUntil(() =>
          inbox.smtp.messages.slice(before).find((m) => m.to === DIRECTOR && m.subject.includes("code")),
        )
      ).subject,
    );
    const token = new URL(sent.link).pathname.split("/").pop()!;
    await waitUntil(() => outboxRows().every((r) => r.status !== "pending"));
    const rows = outboxRows();
    for (const row of rows.filter((r) => r.status === "sent")) {
      expect(row.secrets).toBeNull();
      expect(`${row.subject} ${row.text} ${row.html}`).not.toContain(token);
    }
    const codeRow = rows.find((r) => r.purpose === "signing_code" && r.recipient === DIRECTOR)!;
    expect(codeRow.subject).toContain("⟦0⟧");
    expect(`${codeRow.subject} ${codeRow.text} ${codeRow.html}`).not.toContain(code);
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(bytes.includes(Buffer.from(`: ${code}`))).toBe(false);
  });

  it("fails at once without a transport, lists failed messages without links or codes, and a retry issues a fresh link", async () => {
    await app.restart({ DEMO: "", SMS_WEBHOOK_URL: "" });
    const sent = await steps.sentInvoice({ clientChannel: "sms", requiredFields: [] });
    await steps.directorReady(sent.link);
    // the client's SMS invitation cannot go out: failed, its link erased, nothing held
    const failed = await waitUntil(() =>
      outboxRows().find((r) => r.recipient === CLIENT_PHONE && r.purpose === "signing_link" && r.status === "failed"),
    );
    expect(failed.secrets).toBeNull();
    expect(failed.last_error).toContain("SMS_WEBHOOK_URL");
    expect(outboxRows().filter((r) => r.status === "held")).toEqual([]);

    const office = await admin();
    const page = (await office.page("/admin/outbox")).html;
    expect(page).toContain(CLIENT_PHONE);
    expect(page).toContain("SMS_WEBHOOK_URL");
    expect(page).toContain("•••••");
    expect(page).not.toMatch(/\/s\/[A-Za-z0-9_-]{16,}/);
    const json = await (await office.get("/admin/outbox?_data=routes%2Fadmin.outbox")).text();
    expect(json).toContain(CLIENT_PHONE);
    expect(json).not.toMatch(/\/s\/[A-Za-z0-9_-]{16,}/);

    const tokenBefore = (
      openTestDb(app.dataDir)
        .prepare("select token_hash from parties where document_id = ? and role = 'client'")
        .get(sent.id) as { token_hash: string }
    ).token_hash;
    await app.restart({ DEMO: "" });
    const retried = await (await admin()).post("/admin/outbox", { intent: "retry", messageId: failed.id });
    expect(retried.status).toBe(302);
    const sms = await inbox.sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("/s/") && m.text.includes(sent.number));
    const fresh = firstLink(sms.text, "/s/");
    expect((await new Client(app.url).page(new URL(fresh).pathname)).html).toContain("Electronic signing: terms");
    const tokenAfter = (
      openTestDb(app.dataDir)
        .prepare("select token_hash from parties where document_id = ? and role = 'client'")
        .get(sent.id) as { token_hash: string }
    ).token_hash;
    expect(tokenAfter).not.toBe(tokenBefore);
    expect(outboxRows().find((r) => r.id === failed.id)?.status).toBe("replaced");
    expect((await (await admin()).page("/admin/outbox")).html).not.toContain(failed.id);
  });

  it("retrying a failed staff invitation sends a new one", async () => {
    await app.restart({ DEMO: "", SMTP_URL: "" });
    const office = await admin();
    expect(
      (
        await office.post("/admin/users", {
          intent: "invite",
          name: "Nora New",
          email: "nora@demo.signet.test",
          role: "employee",
          teamId: "",
          language: "en",
        })
      ).status,
    ).toBe(302);
    const failed = await waitUntil(() =>
      outboxRows().find((r) => r.recipient === "nora@demo.signet.test" && r.status === "failed"),
    );
    expect(failed.secrets).toBeNull();
    expect(failed.last_error).toContain("SMTP_URL");
    await app.restart({ DEMO: "" });
    expect((await (await admin()).post("/admin/outbox", { intent: "retry", messageId: failed.id })).status).toBe(302);
    const link = await inbox.link("nora@demo.signet.test", "/invitation/");
    expect((await new Client(app.url).get(new URL(link).pathname)).status).toBe(200);
  });
});
