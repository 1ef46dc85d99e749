// The bound on guessing one-time codes (app/signing/signer.server.ts, ADR 004): a code may be
// tried only from the browser that asked for it, five wrong tries each, and a link gets at most
// three unconfirmed codes in its life: at most 15 guesses, then the link is locked, the sender
// is told and can send a new link. Whatever anyone else does, from any address, the signer who
// has the correct current code is never refused. Code sends stay capped per IP (each costs an
// SMS). The server trusts X-Forwarded-For (TRUST_PROXY=1), so each check uses its own address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDocumentChain, listDocumentAudit } from "~/audit/audit.server";
import { Client } from "../helpers/http";
import { openTestDb } from "../helpers/db";
import { startAppWithInbox, type Inbox } from "../helpers/inbox";
import type { RunningApp } from "../helpers/server";
import { signingSteps, waitUntil } from "../helpers/signing";
import { firstLink } from "../helpers/smtp";

let app: RunningApp;
let inbox: Inbox;
let stopAll: () => Promise<void>;
let steps: ReturnType<typeof signingSteps>;
const LIMITED = "Too many attempts. Please wait a while and try again.";
const LOCKED = "This link is locked";
const DIRECTOR = "director@demo.signet.test";
const OWNER = "ewa@demo.signet.test";

beforeAll(async () => {
  ({ app, inbox, stop: stopAll } = await startAppWithInbox({ DEMO: "1", TRUST_PROXY: "1" }));
  steps = signingSteps(app, inbox.smtp);
});

afterAll(async () => {
  await stopAll?.();
});

const from = (ip: string) => ({ "X-Forwarded-For": ip });

/** As if the last code went out over a minute ago (the resend throttle is not what is tested). */
function pastResendThrottle(documentId: string) {
  const db = openTestDb(app.dataDir);
  try {
    db.prepare("update parties set code_sent_at = code_sent_at - 61000 where document_id = ? and role = 'company'").run(
      documentId,
    );
  } finally {
    db.close();
  }
}

/** A browser of its own (its own cookies) at an address of its own. */
function browserAt(ip: string) {
  const client = new Client(app.url);
  return async (link: string, form: Record<string, string>) => {
    const response = await client.post(new URL(link).pathname, form, from(ip));
    expect(response.status, `${form.intent} from ${ip}`).toBeLessThan(500);
    return {
      status: response.status,
      html: response.status === 200 || response.status === 400 ? await response.text() : "",
    };
  };
}

function actions(sent: { db: Parameters<typeof listDocumentAudit>[0]; id: string }) {
  expect(checkDocumentChain(sent.db, sent.id).ok).toBe(true);
  return listDocumentAudit(sent.db, sent.id).map((e) => ({ action: e.action, details: JSON.parse(e.details) }));
}

describe("guessing codes", () => {
  it("allows fifteen guesses per link (three codes of five tries), then locks it and tells the sender", async () => {
    const sent = await steps.sentInvoice();
    const attacker = browserAt("10.1.0.1");
    expect((await attacker(sent.link, { intent: "accept", terms: "on" })).status).toBe(302);
    let guesses = 0;
    for (let code = 1; code <= 3; code++) {
      if (code > 1) {
        pastResendThrottle(sent.id);
        expect((await attacker(sent.link, { intent: "resend" })).status).toBe(302);
      }
      for (let tryNumber = 1; tryNumber <= 5; tryNumber++) {
        const response = await attacker(sent.link, { intent: "code", code: "12345x" });
        expect(response.status).toBe(400);
        guesses++;
      }
      // the sixth try on a code is not even checked
      expect((await attacker(sent.link, { intent: "code", code: "12345x" })).html).toMatch(
        /Too many wrong tries|locked/,
      );
    }
    expect(guesses).toBe(15);
    const checked = actions(sent).filter((e) => e.action === "signer.code_failed" && e.details.reason === "wrong");
    expect(checked).toHaveLength(15);
    // locked: no fourth code, from anywhere; the sender is told
    expect(actions(sent).filter((e) => e.action === "signer.link_locked")).toHaveLength(1);
    pastResendThrottle(sent.id);
    expect((await attacker(sent.link, { intent: "resend" })).html).toContain(LOCKED);
    const elsewhere = browserAt("10.1.0.2");
    expect((await elsewhere(sent.link, { intent: "resend" })).html).toContain(LOCKED);
    expect((await new Client(app.url).page(new URL(sent.link).pathname)).html).toContain(LOCKED);
    const told = await inbox.waitFor(OWNER, (m) => m.subject.includes(`${sent.number} locked`));
    expect(told.text).toContain("send a new link");
    expect(actions(sent).filter((e) => e.action === "signer.code_sent")).toHaveLength(3);

    // staff send a new link at once (a locked link is not held by the resend throttle), and it works
    const office = await steps.owner();
    expect((await office.post(`/documents/${sent.id}/manage`, { intent: "remind" })).status).toBe(302);
    const before = inbox.smtp.messages.length;
    const resent = await office.post(`/documents/${sent.id}/manage`, { intent: "resend", role: "company" });
    expect(resent.headers.get("location")).toBe(`/documents/${sent.id}?done=resend`);
    const mail = await waitUntil(() =>
      inbox.smtp.messages.slice(before).find((m) => m.to === DIRECTOR && m.subject.startsWith("Please sign")),
    );
    const fresh = firstLink(mail.text, "/s/");
    expect(fresh).not.toBe(sent.link);
    await steps.confirmed(fresh);
  });

  it("never refuses the signer's correct current code, whatever others guess from any address", async () => {
    const sent = await steps.sentInvoice();
    const signer = browserAt("10.2.0.1");
    const before = inbox.smtp.messages.length;
    expect((await signer(sent.link, { intent: "accept", terms: "on" })).status).toBe(302);
    const code = await steps.latestCode(DIRECTOR, before);

    // someone else with the link, at another address: guesses never touch the signer's code
    const attacker = browserAt("10.2.0.2");
    for (let i = 0; i < 30; i++) {
      const response = await attacker(sent.link, { intent: "code", code: String(100000 + i) });
      expect(response.status).toBe(400);
      expect(response.html).toContain("No code was sent to this browser");
    }
    // and asks for codes of their own until the link is spent and locked
    for (let i = 0; i < 3; i++) {
      pastResendThrottle(sent.id);
      await attacker(sent.link, { intent: "resend" });
      for (let tries = 0; tries < 5; tries++) await attacker(sent.link, { intent: "code", code: "000000" });
    }
    pastResendThrottle(sent.id);
    expect((await attacker(sent.link, { intent: "resend" })).html).toContain(LOCKED);
    // someone at the signer's own address guessing on other links (no per-IP cap on tries)
    const neighbour = browserAt("10.2.0.1");
    for (const other of [await steps.sentInvoice(), await steps.sentInvoice()]) {
      await neighbour(other.link, { intent: "accept", terms: "on" });
      for (let tries = 0; tries < 25; tries++) await neighbour(other.link, { intent: "code", code: "000000" });
    }

    const right = await signer(sent.link, { intent: "code", code });
    expect(right.status).toBe(302);
    const verified = actions(sent).filter((e) => e.action === "signer.code_verified");
    expect(verified).toHaveLength(1);
  });

  it("throttles staff resend like remind: one new link per document an hour", async () => {
    const sent = await steps.sentInvoice();
    const office = await steps.owner();
    const first = await office.post(`/documents/${sent.id}/manage`, { intent: "resend", role: "company" });
    expect(first.headers.get("location")).toBe(`/documents/${sent.id}?done=resend`);
    const second = await office.post(`/documents/${sent.id}/manage`, { intent: "resend", role: "company" });
    expect(second.headers.get("location")).toContain("error=signing.manage.error.resendTooSoon");
    expect(actions(sent).filter((e) => e.action === "document.link_resent")).toHaveLength(1);
  });

  it("caps code sends at thirty per IP an hour across links; other addresses are not affected", async () => {
    const ip = "10.3.0.1";
    for (let index = 0; index < 10; index++) {
      const sent = await steps.sentInvoice();
      const browser = browserAt(ip);
      expect((await browser(sent.link, { intent: "accept", terms: "on" })).status).toBe(302);
      for (let count = 1; count < 3; count++) {
        pastResendThrottle(sent.id);
        expect((await browser(sent.link, { intent: "resend" })).status).toBe(302);
      }
    }
    const next = await steps.sentInvoice();
    const refused = await browserAt(ip)(next.link, { intent: "accept", terms: "on" });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(LIMITED);
    expect(
      actions(next)
        .filter((e) => e.action === "signer.code_refused")
        .map((e) => e.details.reason),
    ).toEqual(["rate_limit"]);
    const before = inbox.smtp.messages.length;
    expect((await browserAt("10.3.0.2")(next.link, { intent: "accept", terms: "on" })).status).toBe(302);
    await steps.latestCode(DIRECTOR, before);
  });
});
