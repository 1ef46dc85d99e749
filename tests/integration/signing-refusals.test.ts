// What the signing flow refuses and how it ends otherwise: wrong, expired, exhausted and
// throttled codes; replayed and foreign tokens; a client link before the director signed;
// decline, cancel, resend, correct, remind, expiry at the deadline; and sealing after a crash.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../helpers/http";
import { openTestDb } from "../helpers/db";
import { startAppWithInbox, type Inbox } from "../helpers/inbox";
import type { RunningApp } from "../helpers/server";
import { firstLink } from "../helpers/smtp";
import { signingSteps, waitUntil } from "../helpers/signing";

let app: RunningApp;
let inbox: Inbox;
let smtp: Inbox["smtp"];
let stopAll: () => Promise<void>;
let steps: ReturnType<typeof signingSteps>;
const DIRECTOR = "director@demo.signet.test";
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";
const OWNER = "ewa@demo.signet.test";

beforeAll(async () => {
  ({ app, inbox, stop: stopAll } = await startAppWithInbox({ DEMO: "1", SIGNING_POLL_MS: "300" }));
  smtp = inbox.smtp;
  steps = signingSteps(app, smtp);
});

afterAll(async () => {
  await stopAll?.();
});

const pathOf = (link: string) => new URL(link).pathname;

function sql(statement: string, ...params: unknown[]) {
  const db = openTestDb(app.dataDir);
  try {
    return db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

function row<T>(statement: string, ...params: unknown[]): T {
  const db = openTestDb(app.dataDir);
  try {
    return db.prepare(statement).get(...params) as T;
  } finally {
    db.close();
  }
}

// the shared steps (tests/helpers/signing.ts), under the names this file has always used
const sentInvoice = (options: Parameters<typeof steps.sentInvoice>[0] = {}) => steps.sentInvoice(options);
const latestCode = (to: string, after: number) => steps.latestCode(to, after);
const confirmed = (link: string, to = DIRECTOR) => steps.confirmed(link, to);
const directorSigns = (link: string) => steps.directorReady(link);
const staff = () => steps.owner();

describe("codes", () => {
  it("refuses wrong codes, stops after five, throttles new codes, and refuses an expired one", async () => {
    const { id, link } = await sentInvoice();
    const signer = new Client(app.url);
    const before = smtp.messages.length;
    await signer.post(pathOf(link), { intent: "accept", terms: "on" });
    const code = await latestCode(DIRECTOR, before);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) {
      const response = await signer.post(pathOf(link), { intent: "code", code: wrong });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("This code is not correct");
    }
    const fifth = await signer.post(pathOf(link), { intent: "code", code: wrong });
    expect(await fifth.text()).toContain("Too many wrong tries");
    // even the right code is refused now
    const right = await signer.post(pathOf(link), { intent: "code", code });
    expect(right.status).toBe(400);
    expect(await right.text()).toContain("Too many wrong tries");
    // a new code at most once a minute
    const tooSoon = await signer.post(pathOf(link), { intent: "resend" });
    expect(await tooSoon.text()).toContain("less than a minute ago");
    sql("update parties set code_sent_at = code_sent_at - 61000 where document_id = ? and role = 'company'", id);
    const resentAt = smtp.messages.length;
    expect((await signer.post(pathOf(link), { intent: "resend" })).status).toBe(302);
    const fresh = await latestCode(DIRECTOR, resentAt);
    // expired after ten minutes
    sql(
      "update signing_codes set expires_at = ? where party_id = (select id from parties where document_id = ? and role = 'company')",
      Date.now() - 1000,
      id,
    );
    const expired = await signer.post(pathOf(link), { intent: "code", code: fresh });
    expect(await expired.text()).toContain("This code has expired");
    const actions = (
      openTestDb(app.dataDir).prepare("select action from audit_events where document_id = ?").all(id) as {
        action: string;
      }[]
    ).map((a) => a.action);
    expect(actions.filter((a) => a === "signer.code_sent")).toHaveLength(2);
    expect(actions.filter((a) => a === "signer.code_failed").length).toBeGreaterThanOrEqual(7);
    const stored = openTestDb(app.dataDir)
      .prepare(
        "select code_hash from signing_codes where party_id = (select id from parties where document_id = ? and role = 'company')",
      )
      .all(id) as { code_hash: string | null }[];
    expect(stored).toHaveLength(2);
    for (const code of stored) expect(code.code_hash ?? "").not.toContain(fresh);
  });
});

describe("links", () => {
  it("keeps the client's link waiting until the director signed, and never shows one party's page to another", async () => {
    const { id, link } = await sentInvoice();
    // the client's token does not exist yet; issue one by resending after the director signs
    const director = await directorSigns(link);
    const invitation = await waitUntil(() =>
      smtp.messages.find(
        (m) =>
          m.to === CLIENT_EMAIL &&
          m.text.includes("/s/") &&
          m.text.includes(row<{ number: string }>("select number from documents where id = ?", id).number),
      ),
    );
    const clientLink = firstLink(invitation.text, "/s/");
    // the director's session cookie is bound to the director's link
    expect((await director.page(pathOf(clientLink))).html).toContain("Electronic signing: terms");
    expect((await director.get(`${pathOf(clientLink)}/page/1`)).status).toBe(404);
    // a made-up token
    expect((await new Client(app.url).get(`/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    // going back: before the director's signature the client link said "not ready"
    sql("update documents set stage = 'company_signing' where id = ?", id);
    expect((await new Client(app.url).page(pathOf(clientLink))).html).toContain("The document is not ready yet");
    sql("update documents set stage = 'client_signing' where id = ?", id);
  });

  it("resend gives a new link and kills the old one; correct sends to the new address; remind is throttled", async () => {
    const { id, link } = await sentInvoice();
    const office = await staff();
    const resent = await office.post(`/documents/${id}/manage`, { intent: "resend", role: "company" });
    expect(resent.headers.get("location")).toBe(`/documents/${id}?done=resend`);
    expect((await new Client(app.url).get(pathOf(link))).status).toBe(404);
    const corrected = await office.post(`/documents/${id}/manage`, {
      intent: "correct",
      role: "company",
      email: "zofia@demo.signet.test",
    });
    expect(corrected.headers.get("location")).toBe(`/documents/${id}?done=correct`);
    const mail = await smtp.waitFor("zofia@demo.signet.test", (m) => m.text.includes("/s/"));
    expect((await new Client(app.url).page(pathOf(firstLink(mail.text, "/s/")))).html).toContain(
      "Electronic signing: terms",
    );
    expect((await office.post(`/documents/${id}/manage`, { intent: "remind" })).headers.get("location")).toBe(
      `/documents/${id}?done=remind`,
    );
    const again = await office.post(`/documents/${id}/manage`, { intent: "remind" });
    expect(again.headers.get("location")).toContain("error=signing.manage.error.remindTooSoon");
    const audit = openTestDb(app.dataDir)
      .prepare("select action, details from audit_events where document_id = ?")
      .all(id) as { action: string; details: string }[];
    expect(audit.find((a) => a.action === "document.recipient_corrected")?.details).toContain("zofia@demo.signet.test");
    // another company's staff (none here) or a bad intent
    expect((await office.post(`/documents/${id}/manage`, { intent: "explode" })).status).toBe(400);
    expect((await office.post(`/documents/nope/manage`, { intent: "remind" })).status).toBe(404);
  });
});

describe("endings", () => {
  it("decline: the document goes to declined, sender and director are told, the link says so", async () => {
    const { id, link, number } = await sentInvoice();
    await directorSigns(link);
    const invitation = await waitUntil(() =>
      smtp.messages.find((m) => m.to === CLIENT_EMAIL && m.subject.includes(number)),
    );
    const clientLink = firstLink(invitation.text, "/s/");
    const client = await confirmed(clientLink, CLIENT_EMAIL);
    const empty = await client.post(`${pathOf(clientLink)}?step=review`, { intent: "decline", reason: "" });
    expect(empty.status).toBe(400);
    expect((await client.post(pathOf(clientLink), { intent: "decline", reason: "Zła kwota na fakturze" })).status).toBe(
      302,
    );
    expect(
      row<{ stage: string; end_reason: string }>("select stage, end_reason from documents where id = ?", id),
    ).toEqual({ stage: "declined", end_reason: "Zła kwota na fakturze" });
    await smtp.waitFor(OWNER, (m) => m.subject.includes(`${number} was declined`));
    await smtp.waitFor(DIRECTOR, (m) => m.subject.includes(`${number} was declined`));
    const page = await client.page(pathOf(clientLink));
    expect(page.html).toContain("The document was declined");
    expect((await client.post(pathOf(clientLink), { intent: "sign" })).status).toBe(302);
    expect(row<{ stage: string }>("select stage from documents where id = ?", id).stage).toBe("declined");
  });

  it("the director declines with a reason: declined, the sender told through the outbox, the links dead", async () => {
    const { id, link, number } = await sentInvoice();
    const director = await confirmed(link);
    expect(
      (await director.post(pathOf(link), { intent: "decline", reason: "Kwota się nie zgadza z umową" })).status,
    ).toBe(302);
    expect(
      row<{ stage: string; end_reason: string }>("select stage, end_reason from documents where id = ?", id),
    ).toEqual({ stage: "declined", end_reason: "Kwota się nie zgadza z umową" });
    expect(
      row<{ status: string; decline_reason: string }>(
        "select status, decline_reason from parties where document_id = ? and role = 'company'",
        id,
      ),
    ).toEqual({ status: "declined", decline_reason: "Kwota się nie zgadza z umową" });
    // the sender is told, with the reason; the client never had a link and gets nothing
    const told = await inbox.waitFor(OWNER, (m) => m.text.includes("Kwota się nie zgadza z umową"));
    expect(told.subject).toContain(`${number} was declined`);
    expect(
      row<{ token_hash: string | null }>("select token_hash from parties where document_id = ? and role = 'client'", id)
        .token_hash,
    ).toBeNull();
    expect(
      row<{ n: number }>(
        "select count(*) as n from outbox_messages where lower(recipient) = lower(?) and document_id = ?",
        CLIENT_EMAIL,
        id,
      ).n,
    ).toBe(0);
    expect(inbox.receivedBy(CLIENT_EMAIL).filter((m) => m.text.includes(number) || m.subject.includes(number))).toEqual(
      [],
    );
    // the director's link only says so, even with the confirmed session: no pages, no Sign
    const page = await director.page(pathOf(link));
    expect(page.html).toContain("The document was declined");
    expect(page.html).toContain("Kwota się nie zgadza z umową");
    expect((await director.get(`${pathOf(link)}/page/1`)).status).toBe(404);
    expect((await director.post(pathOf(link), { intent: "sign" })).status).toBe(302);
    expect(row<{ stage: string }>("select stage from documents where id = ?", id).stage).toBe("declined");
    expect(
      row<{ n: number }>(
        "select count(*) as n from audit_events where document_id = ? and action = 'signer.signed'",
        id,
      ).n,
    ).toBe(0);
    // nor can the office bring it back to life
    const office = await staff();
    expect(
      (await office.post(`/documents/${id}/manage`, { intent: "resend", role: "company" })).headers.get("location"),
    ).toContain("error=");
  });

  it("cancel: parties told, links dead", async () => {
    const { id, link, number } = await sentInvoice();
    const office = await staff();
    const noReason = await office.post(`/documents/${id}/manage`, { intent: "cancel", reason: " " });
    expect(noReason.headers.get("location")).toContain("error=error.required");
    await office.post(`/documents/${id}/manage`, { intent: "cancel", reason: "Wrong client" });
    expect(row<{ stage: string }>("select stage from documents where id = ?", id).stage).toBe("cancelled");
    await smtp.waitFor(DIRECTOR, (m) => m.subject.includes(`${number} was cancelled`));
    expect((await new Client(app.url).page(pathOf(link))).html).toContain("The document was cancelled");
  });

  it("expiry: past the deadline the document expires and the sender is told", async () => {
    const { id, link, number } = await sentInvoice();
    sql("update documents set deadline_at = ? where id = ?", Date.now() - 1000, id);
    await waitUntil(() => row<{ stage: string }>("select stage from documents where id = ?", id).stage === "expired");
    await smtp.waitFor(OWNER, (m) => m.subject.includes(`${number} expired`));
    expect((await new Client(app.url).page(pathOf(link))).html).toContain("The document has expired");
  });

  it("a document left marked for sealing by a crash is sealed after restart", async () => {
    const { id, link, number } = await sentInvoice();
    await directorSigns(link);
    const invitation = await waitUntil(() =>
      smtp.messages.find((m) => m.to === CLIENT_EMAIL && m.subject.includes(number)),
    );
    const clientLink = firstLink(invitation.text, "/s/");
    const client = await confirmed(clientLink, CLIENT_EMAIL);
    await client.post(pathOf(clientLink), {
      intent: "data",
      fullName: "Grzegorz B.",
      position: "CEO",
      companyName: "Smak",
      taxId: "7251801126",
    });
    await client.post(pathOf(clientLink), { intent: "signature", method: "typed", typedName: "Grzegorz B." });
    await app.stop();
    // as if the process died right after the client's Sign transaction
    sql(
      "update parties set status = 'signed', signed_at = ? where document_id = ? and role = 'client'",
      Date.now(),
      id,
    );
    sql("update documents set seal_pending_since = ? where id = ?", Date.now(), id);
    await app.restart();
    const sealed = await waitUntil(() => {
      const current = row<{ stage: string; sealed_sha256: string | null }>(
        "select stage, sealed_sha256 from documents where id = ?",
        id,
      );
      return current.stage === "signed" ? current : null;
    });
    expect(row<{ sha256: string }>("select sha256 from registry where document_number = ?", number).sha256).toBe(
      sealed.sealed_sha256,
    );
    await smtp.waitFor(CLIENT_EMAIL, (m) => m.subject.includes(`${number} is signed`));
  });
});
