// Long-term validity through the real app: with TSA_URL set (the development TSA, started
// here), a completed document downloads as PAdES B-LTA, checked with openssl and pdfsig; the
// CRL is served at the seal certificate's distribution point; while the TSA is down the
// document waits (never sealed without the time-stamp) and is sealed once it is back;
// `npm run seal:revoke` and `npm run seal:renew` work on the running instance; without
// TSA_URL the seal is B-B and the admin page and log say so; DEV_TSA=1 wires the demo's TSA.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevelopmentTsa, type RunningDevelopmentTsa } from "../../dev-tsa/server";
import { crlDistributionUrls, parseCertificate } from "../../app/seal/certificates.server";
import { parseCrl } from "../../app/seal/crl.server";
import { Client } from "../helpers/http";
import { expectLongTermFile, fileSignatures, opensslVerifyToken, signatureTimestamp } from "../helpers/long-term";
import { freePort, startApp, tempDataDir, type RunningApp } from "../helpers/server";
import { signingSteps, waitUntil } from "../helpers/signing";
import { startSmtp } from "../helpers/smtp";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let tsa: RunningDevelopmentTsa;
let tsaDir: string;
let tsaPort: number;

beforeAll(async () => {
  smtp = await startSmtp();
  tsaDir = tempDataDir("signet-test-tsa-");
  tsa = await startDevelopmentTsa({ dir: tsaDir });
  tsaPort = Number(new URL(tsa.url).port);
  app = await startApp({
    DEMO: "1",
    SMTP_URL: smtp.url,
    SIGNING_POLL_MS: "300",
    TSA_URL: tsa.url,
    TSA_TRUST: tsa.caFile,
  });
});

afterAll(async () => {
  if (process.env.SHOW_SERVER_LOG) console.log(app?.output());
  await app?.stop();
  await tsa?.close();
  await smtp?.close();
  await fs.rm(tsaDir, { recursive: true, force: true });
});

/** The director and the client sign a demo invoice over HTTP; returns its id and the client's link. */
async function signInvoice() {
  const steps = signingSteps(app, smtp);
  const { id, db, schema, number, link } = await steps.sentInvoice({ requiredFields: ["fullName"] });
  await steps.directorReady(link);
  const clientUrl = await steps.clientLink(number, CLIENT_EMAIL);
  const client = await steps.confirmed(clientUrl, CLIENT_EMAIL);
  const clientLink = steps.pathOf(clientUrl);
  expect((await client.post(clientLink, { intent: "data", fullName: "Grzegorz Brzęczyszczykiewicz" })).status).toBe(
    302,
  );
  expect(
    (await client.post(clientLink, { intent: "signature", method: "typed", typedName: "Grzegorz Brzęczyszczykiewicz" }))
      .status,
  ).toBe(302);
  expect((await client.post(clientLink, { intent: "sign" })).status).toBe(302);
  const row = () => db.select().from(schema.documents).where(eq(schema.documents.id, id)).get()!;
  return { id, db, schema, number, client, clientLink, row };
}

async function sealedPdf(signed: Awaited<ReturnType<typeof signInvoice>>) {
  await waitUntil(() => signed.row().stage === "signed");
  return Buffer.from(await (await signed.client.get(`${signed.clientLink}/signed.pdf`)).arrayBuffer());
}

async function instanceParties() {
  const caPem = await (await fetch(`${app.url}/ca.pem`)).text();
  return { caPem };
}

function sealCertificateOf(pdf: Buffer) {
  const [seal] = fileSignatures(pdf);
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(seal.der)).content });
  return (signedData.certificates ?? []).map((certificate) =>
    Buffer.from((certificate as pkijs.Certificate).toSchema().toBER()),
  );
}

async function runScript(script: string, args: string[] = []) {
  return run(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: app.dataDir,
      PUBLIC_URL: app.url,
      TSA_URL: tsa.url,
      TSA_TRUST: tsa.caFile,
    },
  }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
    throw new Error(`${script} exited ${error.code}:\n${error.stdout}\n${error.stderr}`);
  });
}

describe("long-term validity in the app", () => {
  let firstPdf: Buffer;
  let firstId: string;

  it("a completed document downloads as PAdES B-LTA; the CRL is served where the seal certificate says", async () => {
    const signed = await signInvoice();
    firstId = signed.id;
    firstPdf = await sealedPdf(signed);
    const { caPem } = await instanceParties();
    const chain = sealCertificateOf(firstPdf);
    await expectLongTermFile(firstPdf, {
      sealChain: chain,
      sealCaPem: caPem,
      tsaChain: tsa.authority.chain,
      tsaCaPem: tsa.authority.caPem,
    });
    // the registry and the document hold the file as delivered
    const row = signed.row();
    expect(row.sealedSha256).toBe(crypto.createHash("sha256").update(firstPdf).digest("hex"));

    // the seal certificate's CRL distribution point is this app's /ca.crl, and it answers with a CRL of the CA
    expect(crlDistributionUrls(parseCertificate(chain[0]))).toEqual([`${app.url}/ca.crl`]);
    const response = await fetch(`${app.url}/ca.crl`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pkix-crl");
    const crl = parseCrl(Buffer.from(await response.arrayBuffer()));
    expect(crl.issuer.isEqual(parseCertificate(chain[1]).subject)).toBe(true);
    expect(crl.revoked.size).toBe(0);
  });

  it("while the TSA is down the document waits, unsealed, and the admin page says why", async () => {
    await tsa.close();
    try {
      await expectWaitingForTsa();
    } finally {
      tsa = await startDevelopmentTsa({ dir: tsaDir, port: tsaPort });
    }
  });

  async function expectWaitingForTsa() {
    const signed = await signInvoice();
    // several worker rounds (every 300 ms) pass: still waiting, nothing stored, nothing sent
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const waiting = signed.row();
    expect(waiting.stage).toBe("client_signing");
    expect(waiting.sealPendingSince).not.toBeNull();
    expect(waiting.sealedFileKey).toBeNull();
    expect(
      signed.db
        .select()
        .from(signed.schema.registry)
        .where(eq(signed.schema.registry.publicId, waiting.publicId))
        .get(),
    ).toBeUndefined();
    expect(app.output()).toMatch(/waits for the time-stamping authority: TSA .* unreachable/);
    // the signer sees the document being sealed, and the admin page says why
    expect((await signed.client.get(`${signed.clientLink}/signed.pdf`)).status).not.toBe(200);
    const admin = new Client(app.url);
    await admin.post("/login", { email: "admin@demo.signet.test", password: "signet-demo-2026" });
    const adminPage = (await admin.page("/admin")).html; // the demo admin reads Polish
    expect(adminPage).toContain("nie wydała poprawnego znacznika");
    expect(adminPage).toMatch(/Dokumenty oczekujące na zapieczętowanie: [1-9]/);
    waitingDocument = { signed, admin };
  }

  let waitingDocument: { signed: Awaited<ReturnType<typeof signInvoice>>; admin: Client } | undefined;

  it("seals the waiting document with the time-stamp once the TSA is back", async () => {
    const { signed, admin } = waitingDocument!;
    const pdf = await sealedPdf(signed);
    const [seal, documentTimestamp] = fileSignatures(pdf);
    const { token, signatureValue } = signatureTimestamp(seal.der);
    expect(await opensslVerifyToken(token!, signatureValue, tsa.authority.caPem)).toContain("Verification: OK");
    expect(documentTimestamp.subFilter).toBe("ETSI.RFC3161");
    expect((await admin.page("/admin")).html).not.toContain("nie wydała poprawnego znacznika");
  });

  it("refuses a TSA answer with a wrong nonce: the document waits instead", async () => {
    tsa.setOverrides({ nonce: crypto.randomBytes(16) });
    const signed = await signInvoice();
    try {
      await waitUntil(() => /nonce does not match/.test(app.output()));
      expect(signed.row().stage).toBe("client_signing");
    } finally {
      tsa.setOverrides(undefined);
    }
    await sealedPdf(signed); // sealed properly once the TSA answers right
  });

  it("seal:revoke lists the old certificate and later seals use a new one; seal:renew extends the archive", async () => {
    const oldChain = sealCertificateOf(firstPdf);
    const revoked = await runScript("scripts/seal-revoke.ts", ["--reason", "superseded"]);
    expect(revoked.stdout).toMatch(/revoked \(superseded\)/);
    const crl = parseCrl(Buffer.from(await (await fetch(`${app.url}/ca.crl`)).arrayBuffer()));
    const oldSerial = new crypto.X509Certificate(oldChain[0]).serialNumber.toLowerCase().replace(/^0+/, "");
    expect([...crl.revoked.keys()]).toEqual([oldSerial]);

    const later = await sealedPdf(await signInvoice());
    const newChain = sealCertificateOf(later);
    expect(newChain[0].equals(oldChain[0])).toBe(false);
    expect(newChain[1].equals(oldChain[1])).toBe(true); // same instance CA
    const { caPem } = await instanceParties();
    await expectLongTermFile(later, {
      sealChain: newChain,
      sealCaPem: caPem,
      tsaChain: tsa.authority.chain,
      tsaCaPem: tsa.authority.caPem,
    });

    // renewal: every B-LTA document gets a DSS and a new document time-stamp
    const renewed = await runScript("scripts/seal-renew.ts", ["--within-days", "3650"]);
    expect(renewed.stdout).toMatch(/renewed FV/);
    expect(renewed.stdout).toMatch(/0 failed/);
    const { getDb, schema } = await import("~db/client");
    const db = getDb();
    const first = db.select().from(schema.documents).where(eq(schema.documents.id, firstId)).get()!;
    const stored = await fs.readFile(path.join(app.dataDir, "files", first.sealedFileKey!));
    expect(crypto.createHash("sha256").update(stored).digest("hex")).toBe(first.sealedSha256);
    expect(stored.subarray(0, firstPdf.length).equals(firstPdf)).toBe(true); // the delivered file, then the renewal
    const signatures = fileSignatures(stored);
    expect(signatures.map((signature) => signature.subFilter)).toEqual([
      "ETSI.CAdES.detached",
      "ETSI.RFC3161",
      "ETSI.RFC3161",
    ]);
    const last = signatures[2];
    expect(await opensslVerifyToken(last.der, last.signedBytes, tsa.authority.caPem)).toContain("Verification: OK");
    // the registry keeps the delivered file's hash: the parties' copies still match it
    const registry = db.select().from(schema.registry).where(eq(schema.registry.publicId, first.publicId)).get()!;
    expect(registry.sha256).toBe(crypto.createHash("sha256").update(firstPdf).digest("hex"));
    const audit = db.select().from(schema.auditEvents).where(eq(schema.auditEvents.documentId, firstId)).all();
    expect(audit.filter((event) => event.action === "document.seal_renewed")).toHaveLength(1);
  });

  it("without TSA_URL seals are B-B and the admin page and log warn; DEV_TSA=1 starts the development TSA", async () => {
    await app.restart({ TSA_URL: "", TSA_TRUST: "" });
    expect(app.output()).toMatch(/TSA_URL is not set: sealed PDFs are PAdES B-B/);
    const admin = new Client(app.url);
    await admin.post("/login", { email: "admin@demo.signet.test", password: "signet-demo-2026" });
    expect((await admin.page("/admin")).html).toContain("TSA_URL nie jest ustawiony");
    const plain = await sealedPdf(await signInvoice());
    const signatures = fileSignatures(plain);
    expect(signatures).toHaveLength(1);
    expect(signatures[0].end).toBe(plain.length);
    expect(signatureTimestamp(signatures[0].der).token).toBeNull();

    const devPort = await freePort();
    await app.restart({ TSA_URL: "", TSA_TRUST: "", DEV_TSA: "1", DEV_TSA_PORT: String(devPort) });
    expect(app.output()).toMatch(/DEV_TSA=1: seals are time-stamped by the DEVELOPMENT-ONLY TSA/);
    const developmentCa = await fs.readFile(path.join(app.dataDir, "dev-tsa", "ca.pem"), "utf8");
    const stamped = await sealedPdf(await signInvoice());
    const [, documentTimestamp] = fileSignatures(stamped);
    expect(await opensslVerifyToken(documentTimestamp.der, documentTimestamp.signedBytes, developmentCa)).toContain(
      "Verification: OK",
    );
    expect((await admin.page("/admin")).html).toContain(`znacznik czasu z http://127.0.0.1:${devPort}/`);
  });
});
