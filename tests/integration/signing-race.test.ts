// Two parties acting at the same moment never corrupt a document: the client's Sign or
// Decline and the director's Sign race a staff Cancel over real HTTP (Promise.all, and with
// one side a few milliseconds late so it lands inside the other's work, e.g. the seal).
// Afterwards the document is in exactly one legal stage, its audit chain verifies, and no
// signature follows a cancel; a Cancel that lost to a completing Sign is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDocumentChain, listDocumentAudit } from "~/audit/audit.server";
import type { Client } from "../helpers/http";
import { startApp, type RunningApp } from "../helpers/server";
import { signingSteps } from "../helpers/signing";
import { startSmtp } from "../helpers/smtp";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let steps: ReturnType<typeof signingSteps>;
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";
const ENDINGS = ["document.cancelled", "document.declined", "document.sealed"];

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url, SIGNING_POLL_MS: "300" });
  steps = signingSteps(app, smtp);
});

afterAll(async () => {
  if (process.env.SHOW_SERVER_LOG) console.log(app?.output());
  await app?.stop();
  await smtp?.close();
});

const later = <T>(ms: number, run: () => Promise<T>) =>
  new Promise<T>((resolve, reject) => setTimeout(() => run().then(resolve, reject), ms));

/** A document at the client's turn, the client confirmed and holding a signature. */
async function clientReady() {
  const sent = await steps.sentInvoice({ requiredFields: [] });
  await steps.directorReady(sent.link);
  const link = await steps.clientLink(sent.number);
  const client = await steps.confirmed(link, CLIENT_EMAIL);
  expect(
    (await client.post(steps.pathOf(link), { intent: "signature", method: "typed", typedName: "Grzegorz B." })).status,
  ).toBe(302);
  return { ...sent, client, clientPath: steps.pathOf(link) };
}

function cancel(office: Client, id: string) {
  return office.post(`/documents/${id}/manage`, { intent: "cancel", reason: "Raced by the office" });
}

/** The invariants that hold whoever won; returns the winner. */
async function checkOutcome(
  sent: Awaited<ReturnType<typeof steps.sentInvoice>>,
  cancelResponse: Response,
  signerResponse: Response,
  office: Client,
  role: "company" | "client",
) {
  const { db, schema, id } = sent;
  const { eq } = await import("drizzle-orm");
  expect(cancelResponse.status).toBeLessThan(500);
  expect(signerResponse.status).toBeLessThan(500);
  const document = db.select().from(schema.documents).where(eq(schema.documents.id, id)).get()!;
  const party = db
    .select()
    .from(schema.parties)
    .where(eq(schema.parties.documentId, id))
    .all()
    .find((p) => p.role === role)!;
  const events = listDocumentAudit(db, id);
  const actions = events.map((e) => e.action);

  // the chain verifies, here and on the document page
  const check = checkDocumentChain(db, id);
  expect(check.ok).toBe(true);
  const head = check.ok ? check.head : "";
  expect(head).toBeTruthy();
  expect((await office.page(`/documents/${id}`)).html).toContain(head);

  // exactly one ending, and nobody acted as a signer after it
  const endings = actions.filter((a) => ENDINGS.includes(a));
  expect(endings).toHaveLength(1);
  const ended = actions.indexOf(endings[0]);
  expect(actions.slice(ended + 1).filter((a) => a.startsWith("signer.") || a === "document.client_signing")).toEqual(
    [],
  );
  expect(actions.filter((a) => a === "signer.signed").length).toBeLessThanOrEqual(2);

  const cancelled = cancelResponse.headers.get("location") ?? "";
  if (endings[0] === "document.cancelled") {
    expect(document.stage).toBe("cancelled");
    expect(cancelled).toContain("done=cancel");
    expect(document.sealPendingSince).toBeNull();
    expect(document.sealedFileKey).toBeNull();
    expect(
      db.select().from(schema.registry).where(eq(schema.registry.publicId, document.publicId)).get(),
    ).toBeUndefined();
    // a signature may exist only if it came before the cancel
    const signedAt = events.findIndex((e) => e.action === "signer.signed" && e.actorId === party.id);
    if (party.status === "signed") expect(signedAt).toBeGreaterThanOrEqual(0);
    if (signedAt >= 0) expect(signedAt).toBeLessThan(ended);
    else expect(party.status).not.toBe("signed");
    return party.status === "signed" ? "sign, then cancel" : "cancel";
  }
  // the signer won: the cancel was refused
  expect(cancelled).toContain("error=signing.manage.error.notInProgress");
  expect(actions).not.toContain("document.cancelled");
  if (endings[0] === "document.sealed") {
    expect(document.stage).toBe("signed");
    expect(party.status).toBe("signed");
    expect(db.select().from(schema.registry).where(eq(schema.registry.publicId, document.publicId)).get()?.sha256).toBe(
      document.sealedSha256,
    );
    return "sign";
  }
  expect(document.stage).toBe("declined");
  expect(party.status).toBe("declined");
  return "decline";
}

describe("racing parties", () => {
  it("the client's Sign against a staff Cancel: one winner, chain intact, no signature after a cancel", async () => {
    const outcomes: string[] = [];
    // together; the cancel a little late (inside the sealing); the cancel first
    for (const [signDelay, cancelDelay] of [
      [0, 0],
      [0, 25],
      [15, 0],
    ]) {
      const ready = await clientReady();
      const office = await steps.owner();
      const [signed, cancelled] = await Promise.all([
        later(signDelay, () => ready.client.post(ready.clientPath, { intent: "sign" })),
        later(cancelDelay, () => cancel(office, ready.id)),
      ]);
      outcomes.push(await checkOutcome(ready, cancelled, signed, office, "client"));
    }
    console.log("client Sign vs Cancel:", outcomes.join(" | "));
    expect(app.output()).not.toMatch(/sealing after sign failed|changed under/);
  });

  it("the client's Decline against a staff Cancel: declined or cancelled, never both", async () => {
    const outcomes: string[] = [];
    for (const [declineDelay, cancelDelay] of [
      [0, 0],
      [10, 0],
    ]) {
      const ready = await clientReady();
      const office = await steps.owner();
      const [declined, cancelled] = await Promise.all([
        later(declineDelay, () =>
          ready.client.post(ready.clientPath, { intent: "decline", reason: "Raced the office" }),
        ),
        later(cancelDelay, () => cancel(office, ready.id)),
      ]);
      outcomes.push(await checkOutcome(ready, cancelled, declined, office, "client"));
    }
    console.log("client Decline vs Cancel:", outcomes.join(" | "));
  });

  it("the director's Sign against a staff Cancel: cancelled either way, the signature only if it came first", async () => {
    const outcomes: string[] = [];
    for (const [signDelay, cancelDelay] of [
      [0, 0],
      [10, 0],
      [0, 10],
    ]) {
      const sent = await steps.sentInvoice({ requiredFields: [] });
      const director = await steps.directorReady(sent.link, false);
      const office = await steps.owner();
      const [signed, cancelled] = await Promise.all([
        later(signDelay, () => director.post(steps.pathOf(sent.link), { intent: "sign" })),
        later(cancelDelay, () => cancel(office, sent.id)),
      ]);
      outcomes.push(await checkOutcome(sent, cancelled, signed, office, "company"));
      // whoever won, the director's link now only says "cancelled"
      expect((await director.page(steps.pathOf(sent.link))).html).toContain("The document was cancelled");
    }
    console.log("director Sign vs Cancel:", outcomes.join(" | "));
    expect(app.output()).not.toMatch(/changed under/);
  });
});
