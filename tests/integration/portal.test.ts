// The verification portal as a server: a temp DATA_DIR with the instance keys (made by
// the app's seal module) and a migrated database holding one registry row; the portal
// started on a free port; uploads through the form, the JSON API and the document page;
// the 413; hundreds of hostile uploads in a row; and a fresh instance whose CA and
// database appear after the portal started.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, schema } from "../../db/client";
import { startPortal, type Portal } from "../../verify-portal/server";
import { execFileSync } from "node:child_process";
import { buildBadInputs, buildCorpus, replacePageContent, type Corpus } from "../helpers/attacks";
import { addDss, lastSignatureValue, makePdf, signPdf } from "../helpers/verify-pdf-writer";
import type { VerificationReport } from "../../verify-portal/core";
import crypto from "node:crypto";

let corpus: Corpus;
let portal: Portal;
let base: string;
let sealed: Uint8Array;
let otherSealed: Uint8Array;
const PUBLIC_ID = "q7Hd92kLmN3x";

const file = (name: string) => corpus.files.find((entry) => entry.name === name)!.bytes;

function form(bytes: Uint8Array, fields: Record<string, string> = {}, name = "document.pdf"): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  data.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), name);
  return data;
}

async function upload(
  bytes: Uint8Array,
  options: { fields?: Record<string, string>; language?: string; url?: string } = {},
) {
  const response = await fetch(`${options.url ?? base}/verify`, {
    method: "POST",
    body: form(bytes, options.fields),
    headers: options.language ? { "Accept-Language": options.language } : {},
  });
  return { status: response.status, html: await response.text() };
}

async function api(bytes: Uint8Array, url = base) {
  const response = await fetch(`${url}/api/verify`, { method: "POST", body: form(bytes) });
  return { status: response.status, report: (await response.json()) as VerificationReport };
}

/** Text of the first heading: the verdict must be the page's first line. */
function firstLine(html: string): string {
  const main = html.slice(html.indexOf("<main>"));
  const match = /<h1[^>]*>([^<]*)<\/h1>/.exec(main)!;
  expect(main.slice(6, main.indexOf("<h1")).trim()).toBe("");
  return match[1].replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

beforeAll(async () => {
  corpus = await buildCorpus();
  const dataDir = corpus.sealing.dataDir;
  sealed = file("sealed-1-page");
  otherSealed = file("sealed-xref-stream");
  const { db, sqlite } = openDatabase(dataDir);
  migrateDatabase(db);
  db.insert(schema.registry)
    .values({
      publicId: PUBLIC_ID,
      documentNumber: "FV/2026/0001",
      completedAt: new Date("2026-11-28T10:00:00Z"),
      signatureCount: 1,
      sha256: crypto.createHash("sha256").update(sealed).digest("hex"),
    })
    .run();
  sqlite.close();
  portal = await startPortal({ port: 0, dataDir, trust: [], rateLimitPerMinute: 0, log: false });
  base = `http://127.0.0.1:${portal.port}`;
}, 180_000);

afterAll(async () => {
  await portal?.close();
});

describe("verification portal", () => {
  it("serves the upload form without JavaScript, in English or Polish", async () => {
    const english = await (await fetch(`${base}/`)).text();
    expect(english).toContain('<form method="post" action="/verify" enctype="multipart/form-data">');
    expect(english).toMatch(/<label for="file">PDF file/);
    expect(english).toMatch(/<title>[^<]+<\/title>/);
    expect(english).toContain('name="viewport"');
    expect(english).not.toContain("<script");
    const polish = await (
      await fetch(`${base}/`, { headers: { "Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5" } })
    ).text();
    expect(firstLine(polish)).toBe("Sprawdź podpisany PDF");
    const switched = await (await fetch(`${base}/?lang=pl`)).text();
    expect(switched).toContain('<html lang="pl">');
    expect(switched).toContain('href="/?lang=en"');
  });

  it("says a registered sealed file is intact, in plain words", async () => {
    const { status, html } = await upload(sealed);
    expect(status).toBe(200);
    expect(firstLine(html)).toBe(
      "Intact: this is the original signed document FV/2026/0001, completed 28 November 2026",
    );
    expect(html).toContain("Signet seal");
    expect(html).toContain("Signet instance CA");
    const polish = await upload(sealed, { language: "pl" });
    expect(firstLine(polish.html)).toBe(
      "Nienaruszony: to oryginalny podpisany dokument FV/2026/0001, ukończony 28 listopada 2026",
    );
    const byField = await upload(sealed, { fields: { lang: "pl" } });
    expect(firstLine(byField.html)).toContain("Nienaruszony");
  });

  it("names each verdict in its first line and shows the details", async () => {
    const modified = await upload(file("isa-annotation"));
    expect(firstLine(modified.html)).toBe("Changed after signing");
    expect(modified.html).toMatch(/Annotation added on page 1/);
    const shadow = await upload(file("shadow-hide-and-replace-xref"));
    expect(shadow.html).toMatch(
      /Page content changed on page 1 \(object \d+\): brings back content hidden in the signed part/,
    );
    const foreign = await upload(file("foreign-signed"));
    expect(firstLine(foreign.html)).toBe("Signature not valid");
    expect(foreign.html).toContain("certificate not trusted");
    expect(firstLine((await upload(await makePdf(1))).html)).toBe("Not signed");
    expect(firstLine((await upload(new TextEncoder().encode("not a pdf"))).html)).toBe("Not a readable PDF");
    const valid = await upload(otherSealed);
    expect(firstLine(valid.html)).toBe("Intact: the seal is valid and nothing was changed after signing");
    expect(valid.html).toContain("not in the registry");
  });

  it("says in its first line which signature a change came after, and what a later signature signed", async () => {
    const changed = signPdf(replacePageContent(sealed, "table"), corpus.sealing.signer);
    const page = await upload(changed);
    expect(page.status).toBe(200);
    expect(firstLine(page.html)).toBe("Changed after Signet's seal, then signed again by Signet seal");
    expect(page.html).toContain("changes it does not allow: content a viewer shows in revision 3");
    // The registry knows the sealed file: this one begins with it and was changed since.
    expect(page.html).toContain("This file begins with the registered document FV/2026/0001");
    const polish = await upload(changed, { language: "pl" });
    expect(firstLine(polish.html)).toBe("Zmieniony po pieczęci Signet, a potem ponownie podpisany przez Signet seal");
    const json = await api(changed);
    expect(json.report.verdict).toBe("modified");
    expect(json.report.registry).toMatchObject({ match: false, earlier: { documentNumber: "FV/2026/0001" } });
  });

  it("accepts long-term validation data after the seal, and says so", async () => {
    const withDss = addDss(sealed, {
      certificates: [new Uint8Array(corpus.sealing.identity.certificate), corpus.sealing.caDer],
      signatures: [lastSignatureValue(sealed)],
    });
    const page = await upload(withDss);
    // The registry knows the sealed file: this is it, with validation data added since.
    expect(firstLine(page.html)).toBe(
      "Intact: this is the signed document FV/2026/0001, completed 28 November 2026, with validation data added since",
    );
    expect(page.html).toContain("only long-term validation data was added after it");
    expect(page.html).toContain("validation data (DSS)");
    // Not registered (another instance's file, say): valid, and the DSS explained.
    const unregistered = addDss(otherSealed, { certificates: [corpus.sealing.caDer] });
    const other = await upload(unregistered);
    expect(firstLine(other.html)).toBe("Intact: the seal is valid and nothing was changed after signing");
    expect(other.html).toContain("Validation data (a DSS) was added after the last signature");
  });

  it("tells that a password is needed for a file encrypted with one", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-portal-encrypted-"));
    await fs.writeFile(path.join(dir, "plain.pdf"), await makePdf(1));
    execFileSync("qpdf", [
      "--encrypt",
      "secret",
      "owner",
      "256",
      "--",
      path.join(dir, "plain.pdf"),
      path.join(dir, "locked.pdf"),
    ]);
    const locked = new Uint8Array(await fs.readFile(path.join(dir, "locked.pdf")));
    const { report } = await api(locked);
    expect(report).toMatchObject({ verdict: "unreadable", unreadable: { reason: "password-required" } });
    const page = await upload(locked, { language: "pl" });
    expect(page.html).toContain("plik jest zaszyfrowany hasłem");
  });

  it("answers the JSON API as SPEC section 7 says", async () => {
    const { status, report } = await api(sealed);
    expect(status).toBe(200);
    expect(report.verdict).toBe("valid");
    expect(report.registry).toMatchObject({
      match: true,
      publicId: PUBLIC_ID,
      documentNumber: "FV/2026/0001",
      signatureCount: 1,
    });
    expect(report.problems).toEqual([]);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({
      coversWholeFile: true,
      digestMatch: true,
      signatureMatch: true,
      certificateTrusted: true,
    });
    expect(report.signatures[0].signer?.subject).toContain("Signet seal");

    const foreign = await api(file("foreign-signed"));
    expect(foreign.report.verdict).toBe("invalid");
    expect(foreign.report.problems.map((problem) => problem.message)).toContain("certificate not trusted");
    expect(foreign.report.registry.match).toBe(false);
    expect((await api(file("isa-page-content-table"))).report.verdict).toBe("modified");

    const raw = await fetch(`${base}/api/verify`, {
      method: "POST",
      body: new Blob([sealed as Uint8Array<ArrayBuffer>]),
      headers: { "Content-Type": "application/pdf" },
    });
    expect(((await raw.json()) as VerificationReport).verdict).toBe("valid");
    const missing = await fetch(`${base}/api/verify`, { method: "POST", body: new FormData() });
    expect(missing.status).toBe(400);
  });

  it("shows what the registry holds at /d/<public id>, and compares a copy", async () => {
    const response = await fetch(`${base}/d/${PUBLIC_ID}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("FV/2026/0001");
    expect(html).toContain("28 November 2026");
    expect(html).toContain(crypto.createHash("sha256").update(sealed).digest("hex"));
    expect(html).toContain(`<input type="hidden" name="publicId" value="${PUBLIC_ID}">`);
    expect(html).not.toMatch(/\bdownload\b|PLN|<a [^>]*\.pdf/i);
    expect(html).not.toContain("<script");

    const same = await upload(sealed, { fields: { publicId: PUBLIC_ID } });
    expect(same.html).toContain("This file is document FV/2026/0001 from the registry.");
    const other = await upload(otherSealed, { fields: { publicId: PUBLIC_ID } });
    expect(other.html).toContain("This file is not the registered document FV/2026/0001");

    expect((await fetch(`${base}/d/no-such-document`)).status).toBe(404);
    expect((await fetch(`${base}/d/%E0%A4%A`)).status).toBe(404);
  });

  it("refuses an upload over 25 MB with a readable 413", async () => {
    const big = new Uint8Array(26 * 1024 * 1024);
    big.set(new TextEncoder().encode("%PDF-1.7\n"));
    const page = await upload(big);
    expect(page.status).toBe(413);
    expect(page.html).toContain("larger than 25 MB");
    const json = await fetch(`${base}/api/verify`, { method: "POST", body: form(big) });
    expect(json.status).toBe(413);
    expect(((await json.json()) as VerificationReport).unreadable?.reason).toBe("too-large");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("stays up through hundreds of hostile uploads in a row", async () => {
    const inputs = await buildBadInputs(sealed);
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const input = inputs[i % inputs.length];
      const { status, report } = await api(input.bytes);
      expect(status, input.name).toBe(200);
      expect(report.verdict, input.name).toBe("unreadable");
      expect(report.unreadable?.reason, input.name).toBe(input.reason);
    }
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
    expect((await api(sealed)).report.verdict).toBe("valid");
  }, 180_000);

  it("answers 404 and 405 with pages", async () => {
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${base}/verify`)).status).toBe(405);
    expect((await fetch(`${base}/`, { method: "DELETE" })).status).toBe(405);
  });
});

describe("verification portal on a fresh instance", () => {
  it("picks up the CA and the database once the app has created them", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-portal-fresh-"));
    const fresh = await startPortal({ port: 0, dataDir, trust: [], rateLimitPerMinute: 0, log: false });
    try {
      const url = `http://127.0.0.1:${fresh.port}`;
      const before = await api(sealed, url);
      expect(before.report.verdict).toBe("invalid");
      expect(before.report.registry.match).toBe(false);
      expect((await fetch(`${url}/d/${PUBLIC_ID}`)).status).toBe(404);

      // What the app does on its first start: keys, then the migrated database.
      await fs.mkdir(path.join(dataDir, "keys"), { recursive: true });
      await fs.writeFile(path.join(dataDir, "keys", "ca.pem"), corpus.sealing.caPem);
      const { db, sqlite } = openDatabase(dataDir);
      migrateDatabase(db);
      db.insert(schema.registry)
        .values({
          publicId: PUBLIC_ID,
          documentNumber: "FV/2026/0001",
          completedAt: new Date("2026-11-28T10:00:00Z"),
          signatureCount: 1,
          sha256: crypto.createHash("sha256").update(sealed).digest("hex"),
        })
        .run();
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const after = await api(sealed, url);
      expect(after.report.verdict).toBe("valid");
      expect(after.report.registry.match).toBe(true);
      expect((await fetch(`${url}/d/${PUBLIC_ID}`)).status).toBe(200);
      sqlite.close();
    } finally {
      await fresh.close();
    }
  });

  it("rate-limits uploads per address", async () => {
    const limited = await startPortal({
      port: 0,
      dataDir: corpus.sealing.dataDir,
      trust: [],
      rateLimitPerMinute: 3,
      log: false,
    });
    try {
      const url = `http://127.0.0.1:${limited.port}`;
      for (let i = 0; i < 3; i++) expect((await upload(sealed, { url })).status).toBe(200);
      const refused = await upload(sealed, { url });
      expect(refused.status).toBe(429);
      expect(refused.html).toContain("Too many checks");
      expect((await fetch(`${url}/`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
