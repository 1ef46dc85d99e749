// The rate limits on one-time codes (app/signing/signer.server.ts): per link 6 sends an hour
// and 25 tries an hour, per IP 30 sends an hour and 40 tries in 10 minutes. Each trips with
// "Too many attempts" (a 400, never a 500), is audited, and limits only what it should: a
// link's limit holds from any IP, an IP's limit leaves other IPs alone. The server trusts
// X-Forwarded-For (TRUST_PROXY=1), so each check uses its own made-up address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDocumentAudit, verifyChain } from "~/audit/audit.server";
import { Client } from "../helpers/http";
import { openTestDb } from "../helpers/db";
import { startApp, type RunningApp } from "../helpers/server";
import { signingSteps } from "../helpers/signing";
import { startSmtp } from "../helpers/smtp";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let steps: ReturnType<typeof signingSteps>;
const LIMITED = "Too many attempts. Please wait a while and try again.";

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url, TRUST_PROXY: "1" });
  steps = signingSteps(app, smtp);
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
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

async function post(link: string, form: Record<string, string>, ip: string) {
  const response = await new Client(app.url).post(new URL(link).pathname, form, from(ip));
  expect(response.status, `${form.intent} from ${ip}`).toBeLessThan(500);
  return {
    status: response.status,
    html: response.status === 200 || response.status === 400 ? await response.text() : "",
  };
}

/** The first code with the terms, then resends until `total` codes went out from `ip`. */
async function sendCodes(sent: { id: string; link: string }, ip: string, total: number) {
  expect((await post(sent.link, { intent: "accept", terms: "on" }, ip)).status).toBe(302);
  for (let count = 1; count < total; count++) {
    pastResendThrottle(sent.id);
    expect((await post(sent.link, { intent: "resend" }, ip)).status).toBe(302);
  }
}

async function tryCodes(link: string, ip: string, times: number) {
  for (let count = 0; count < times; count++) {
    const response = await post(link, { intent: "code", code: "12345x" }, ip);
    expect(response.status).toBe(400);
    expect(response.html).not.toContain(LIMITED);
  }
}

function refusals(sent: Awaited<ReturnType<typeof steps.sentInvoice>>) {
  const events = listDocumentAudit(sent.db, sent.id);
  expect(verifyChain(events)).toBeTruthy();
  return events
    .filter((e) => e.action === "signer.code_refused" && JSON.parse(e.details).reason === "rate_limit")
    .map((e) => e.ip);
}

describe("code rate limits", () => {
  it("code sends: six per link from any IP, thirty per IP across links", async () => {
    const first = await steps.sentInvoice();
    await sendCodes(first, "10.1.0.1", 6);
    pastResendThrottle(first.id);
    const seventh = await post(first.link, { intent: "resend" }, "10.1.0.1");
    expect(seventh.status).toBe(400);
    expect(seventh.html).toContain(LIMITED);
    // the link's limit does not care where the request comes from
    pastResendThrottle(first.id);
    expect((await post(first.link, { intent: "resend" }, "10.1.0.2")).html).toContain(LIMITED);
    expect(refusals(first)).toEqual(["10.1.0.1", "10.1.0.2"]);

    // one address, five links, six codes each: thirty; the thirty-first is refused
    for (let index = 0; index < 5; index++) await sendCodes(await steps.sentInvoice(), "10.2.0.1", 6);
    const next = await steps.sentInvoice();
    const refused = await post(next.link, { intent: "accept", terms: "on" }, "10.2.0.1");
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(LIMITED);
    expect(refusals(next)).toEqual(["10.2.0.1"]);
    // the same link from another address gets its code
    const before = smtp.messages.length;
    expect((await post(next.link, { intent: "accept", terms: "on" }, "10.2.0.2")).status).toBe(302);
    await steps.latestCode("director@demo.signet.test", before);
  });

  it("code tries: twenty-five per link from any IP, forty per IP in ten minutes across links", async () => {
    const [a, b, c] = [await steps.sentInvoice(), await steps.sentInvoice(), await steps.sentInvoice()];
    for (const sent of [a, b, c])
      expect((await post(sent.link, { intent: "accept", terms: "on" }, "10.3.0.1")).status).toBe(302);

    await tryCodes(a.link, "10.3.0.2", 25);
    const tooMany = await post(a.link, { intent: "code", code: "12345x" }, "10.3.0.2");
    expect(tooMany.status).toBe(400);
    expect(tooMany.html).toContain(LIMITED);
    expect((await post(a.link, { intent: "code", code: "12345x" }, "10.3.0.3")).html).toContain(LIMITED);
    expect(refusals(a)).toEqual(["10.3.0.2", "10.3.0.3"]);

    // one address: 24 tries on one link and 16 on another make forty; the next is refused
    await tryCodes(b.link, "10.4.0.1", 24);
    await tryCodes(c.link, "10.4.0.1", 16);
    const overIp = await post(c.link, { intent: "code", code: "12345x" }, "10.4.0.1");
    expect(overIp.status).toBe(400);
    expect(overIp.html).toContain(LIMITED);
    expect(refusals(c)).toEqual(["10.4.0.1"]);
    // another address may still try that link (the code itself is long exhausted)
    const elsewhere = await post(c.link, { intent: "code", code: "12345x" }, "10.4.0.2");
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.html).toContain("Too many wrong tries");
  });
});
