// The audit trail against someone who has the database but not the key (DATA_DIR/keys): deleted
// trailing events, edited and re-hashed chains, a changed company chain are all caught by
// `npm run audit:verify` (exit 1), on the document page and on the admin's audit page, and a
// document whose trail was changed is marked and never sealed. The sealed PDF carries its own
// trail as an attachment under the seal. A database from before the chains were keyed is
// keyed on first start, which its trail records.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyEventHash, type AuditEvent } from "~/audit/audit.server";
import { Client } from "../helpers/http";
import { openTestDb } from "../helpers/db";
import { startAppWithInbox, type Inbox } from "../helpers/inbox";
import type { RunningApp } from "../helpers/server";
import { signingSteps, waitUntil } from "../helpers/signing";

let app: RunningApp;
let inbox: Inbox;
let stopAll: () => Promise<void>;
let steps: ReturnType<typeof signingSteps>;
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";
const root = path.resolve(import.meta.dirname, "../..");

beforeAll(async () => {
  ({ app, inbox, stop: stopAll } = await startAppWithInbox({ DEMO: "1", SIGNING_POLL_MS: "300" }));
  steps = signingSteps(app, inbox.smtp);
});

afterAll(async () => {
  await stopAll?.();
});

function auditVerify(...files: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...files], {
    cwd: root,
    env: { ...process.env, DATA_DIR: app.dataDir },
    encoding: "utf8",
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** As an attacker with the database file: the append-only triggers are no obstacle. */
function tamper(statements: (db: ReturnType<typeof openTestDb>) => void) {
  const db = openTestDb(app.dataDir);
  try {
    db.exec("drop trigger audit_events_no_update; drop trigger audit_events_no_delete;");
    statements(db);
  } finally {
    db.exec(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;`);
    db.close();
  }
}

type Row = Omit<AuditEvent, "at" | "keyed"> & { at: number; keyed: number };
function rows(db: ReturnType<typeof openTestDb>, documentId: string) {
  return (
    db.prepare("select * from audit_events where document_id = ? order by id").all(documentId) as Array<
      Record<string, unknown>
    >
  ).map(
    (r) =>
      ({
        id: r.id,
        seq: r.seq,
        keyed: r.keyed,
        companyId: r.company_id,
        documentId: r.document_id,
        at: r.at,
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        action: r.action,
        details: r.details,
        ip: r.ip,
        userAgent: r.user_agent,
        prevHash: r.prev_hash,
        hash: r.hash,
      }) as Row,
  );
}

/** Re-hashes a document's chain as one can without the key (plain SHA-256), head included. */
function rehashWithoutKey(db: ReturnType<typeof openTestDb>, documentId: string, keyedFlag: 0 | 1) {
  let previous = "0".repeat(64);
  const update = db.prepare("update audit_events set prev_hash = ?, hash = ?, keyed = ? where id = ?");
  const events = rows(db, documentId);
  for (const event of events) {
    const { id, hash: _h, seq: _s, keyed: _k, at, ...content } = event;
    const hash = legacyEventHash({ ...content, prevHash: previous, at: new Date(at) } as Parameters<
      typeof legacyEventHash
    >[0]);
    update.run(previous, hash, keyedFlag, id);
    previous = hash;
  }
  db.prepare("update documents set audit_head = ?, audit_event_count = ? where id = ?").run(
    previous,
    events.length,
    documentId,
  );
}

async function adminClient() {
  const admin = new Client(app.url);
  const response = await admin.post("/login", { email: "admin@demo.signet.test", password: "signet-demo-2026" });
  expect(response.status).toBe(302);
  // the demo admin reads Polish; these checks read the English pages
  expect((await admin.post("/account", { intent: "language", language: "en" })).status).toBe(302);
  return admin;
}

async function signedByBoth(sent: Awaited<ReturnType<typeof steps.sentInvoice>>) {
  await steps.directorReady(sent.link);
  const clientLink = await steps.clientLink(sent.number);
  const client = await steps.confirmed(clientLink, CLIENT_EMAIL);
  const path = new URL(clientLink).pathname;
  expect((await client.post(path, { intent: "signature", method: "typed", typedName: "Grzegorz B." })).status).toBe(
    302,
  );
  expect((await client.post(path, { intent: "sign" })).status).toBe(302);
  return client;
}

function stageOf(id: string) {
  const db = openTestDb(app.dataDir);
  try {
    return db.prepare("select stage, audit_broken_at, seal_pending_since from documents where id = ?").get(id) as {
      stage: string;
      audit_broken_at: number | null;
      seal_pending_since: number | null;
    };
  } finally {
    db.close();
  }
}

describe("keyed audit chains", () => {
  it("seals the events into the PDF as an attachment that audit:verify checks against the key and the database", async () => {
    const sent = await steps.sentInvoice({ requiredFields: [] });
    await signedByBoth(sent);
    await waitUntil(() => stageOf(sent.id).stage === "signed");
    const owner = await steps.owner();
    const pdf = new Uint8Array(await (await owner.get(`/documents/${sent.id}/signed.pdf`)).arrayBuffer());
    const file = path.join(app.dataDir, "signed.pdf");
    fs.writeFileSync(file, pdf);
    const list = spawnSync("pdfdetach", ["-list", file], { encoding: "utf8" });
    expect(list.stdout).toContain("audit-trail.json");
    const saved = path.join(app.dataDir, "trail.json");
    spawnSync("pdfdetach", ["-save", "1", "-o", saved, file]);
    const trail = JSON.parse(fs.readFileSync(saved, "utf8"));
    expect(trail.document.number).toBe(sent.number);
    expect(trail.events.map((e: { action: string }) => e.action)).toContain("signer.signed");
    expect(trail.chain.head).toBe(trail.events.at(-1).hash);
    // the printed audit page names the same head
    const parser = new PDFParse({ data: pdf });
    const text = (await parser.getText()).text.replace(/\s+/g, "");
    await parser.destroy();
    expect(text).toContain(trail.chain.head);
    const clean = auditVerify(file);
    expect(clean.output).toMatch(/ok {6}.*signed\.pdf/);
    expect(clean.output).toMatch(/0 broken/);
    expect(clean.status).toBe(0);
  });

  it("catches dropped trailing events, a chain re-hashed without the key and a changed company chain", async () => {
    const dropped = await steps.sentInvoice();
    await steps.confirmed(dropped.link); // terms, viewed, code sent, code confirmed: the last two go
    const rehashed = await steps.sentInvoice();
    const admin = await adminClient();
    const before = (await admin.page(`/documents/${dropped.id}`)).html;
    expect(before).toContain("The log&#x27;s hash chain is intact");
    expect(auditVerify().status).toBe(0);

    tamper((db) => {
      // drop the last two events and make the head agree with what is left
      const events = rows(db, dropped.id);
      const kept = events.slice(0, -2);
      db.prepare("delete from audit_events where id in (?, ?)").run(events.at(-1)!.id, events.at(-2)!.id);
      db.prepare("update documents set audit_event_count = ?, audit_head = ? where id = ?").run(
        kept.length,
        kept.at(-1)!.hash,
        dropped.id,
      );
      // change who acted and re-hash everything, as keyed events and as unkeyed ones
      db.prepare("update audit_events set ip = '192.0.2.66' where document_id = ?").run(rehashed.id);
      rehashWithoutKey(db, rehashed.id, 1);
      // the company's own chain (logins, settings): one event less
      const company = db.prepare("select id from companies").get() as { id: string };
      const first = db
        .prepare("select id from audit_events where company_id = ? and document_id is null order by id limit 1")
        .get(company.id) as { id: number };
      db.prepare("delete from audit_events where id = ?").run(first.id);
    });

    const report = auditVerify();
    expect(report.status).toBe(1);
    expect(report.output).toContain(`document ${dropped.number}`);
    expect(report.output).toContain(`document ${rehashed.number}`);
    expect(report.output).toMatch(/BROKEN {2}company/);
    expect(report.output).toMatch(/[1-9]\d* broken/);

    for (const sent of [dropped, rehashed]) {
      const page = (await admin.page(`/documents/${sent.id}`)).html;
      expect(page).toContain("does not verify");
      expect(page).toContain("changed outside Signet");
      expect(stageOf(sent.id).audit_broken_at).toBeTruthy();
    }
    const audit = (await admin.page("/admin/audit")).html;
    expect(audit).toContain(dropped.number);
    expect(audit).toContain(rehashed.number);
    expect(audit).toContain("The company&#x27;s audit trail does not verify");
  });

  it("a document whose trail was changed is marked and not sealed, not left silently sealing", async () => {
    const sent = await steps.sentInvoice({ requiredFields: [] });
    await steps.directorReady(sent.link);
    tamper((db) => db.prepare("update audit_events set user_agent = 'forged' where document_id = ?").run(sent.id));
    const clientLink = await steps.clientLink(sent.number);
    const client = await steps.confirmed(clientLink, CLIENT_EMAIL);
    const linkPath = new URL(clientLink).pathname;
    await client.post(linkPath, { intent: "signature", method: "typed", typedName: "Grzegorz B." });
    expect((await client.post(linkPath, { intent: "sign" })).status).toBe(302);
    const marked = await waitUntil(() => (stageOf(sent.id).audit_broken_at ? stageOf(sent.id) : null));
    expect(marked.stage).toBe("client_signing");
    // no seal, however often the worker runs
    await new Promise((r) => setTimeout(r, 1500));
    expect(stageOf(sent.id).stage).toBe("client_signing");
    const admin = await adminClient();
    const audit = (await admin.page("/admin/audit")).html;
    expect(audit).toContain(sent.number);
    expect((await admin.page(`/documents/${sent.id}`)).html).toContain("It will not be sealed");
    expect(auditVerify().output).toContain(`document ${sent.number}`);
  });

  it("keys a chain from before keyed chains on first start, records it, and still catches a change to the old part", async () => {
    const sent = await steps.sentInvoice();
    await app.stop();
    // make it look like a database from before: plain SHA-256 hashes, no head on the row
    tamper((db) => {
      rehashWithoutKey(db, sent.id, 0);
      db.prepare("update audit_events set seq = null where document_id = ?").run(sent.id);
      db.prepare(
        "update documents set audit_event_count = 0, audit_head = null, audit_head_mac = null, audit_broken_at = null where id = ?",
      ).run(sent.id);
    });
    await app.restart();
    const db = openTestDb(app.dataDir);
    const events = rows(db, sent.id);
    db.close();
    const last = events.at(-1)!;
    expect(last.action).toBe("audit.rekeyed");
    expect(last.keyed).toBe(1);
    expect(JSON.parse(last.details)).toMatchObject({ legacyIntact: true, legacyEvents: events.length - 1 });
    expect(events.slice(0, -1).every((e) => e.keyed === 0)).toBe(true);
    const admin = await adminClient();
    expect((await admin.page(`/documents/${sent.id}`)).html).toContain("The log&#x27;s hash chain is intact");
    expect(auditVerify().output).not.toContain(`document ${sent.number}`);

    // the old part is anchored: changing it (and re-hashing the old part) is caught
    tamper((db) => {
      db.prepare("update audit_events set actor_label = 'someone else' where document_id = ? and keyed = 0").run(
        sent.id,
      );
      let previous = "0".repeat(64);
      for (const event of rows(db, sent.id).filter((e) => e.keyed === 0)) {
        const { id, hash: _h, seq: _s, keyed: _k, at, ...content } = event;
        const hash = legacyEventHash({ ...content, prevHash: previous, at: new Date(at) } as Parameters<
          typeof legacyEventHash
        >[0]);
        db.prepare("update audit_events set prev_hash = ?, hash = ? where id = ?").run(previous, hash, id);
        previous = hash;
      }
    });
    expect((await admin.page(`/documents/${sent.id}`)).html).toContain("does not verify");
    expect(auditVerify().output).toContain(`document ${sent.number}`);
  });
});
