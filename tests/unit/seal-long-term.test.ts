// Long-term validity of the seal: the RFC 3161 client refuses every kind of bad answer and
// waits out a TSA that is down; with a TSA the seal is PAdES B-LTA (signature time-stamp,
// DSS, document time-stamp), each token accepted by `openssl ts -verify`, the seal still
// valid in pdfsig and signed in total up to its own revision; renewal adds a DSS and a new
// document time-stamp; revocation lists the old certificate and switches to a new one.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import * as pkijs from "pkijs";
import pdfLib from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevelopmentTsa, type RunningDevelopmentTsa } from "../../dev-tsa/server";
import { parseCrl } from "~/seal/crl.server";
import { loadSealIdentity, type SealIdentity } from "~/seal/keys.server";
import { checkRenewal, renewTimestamp } from "~/seal/renew.server";
import { revokeSealCertificate } from "~/seal/revoke.server";
import { sealPdf } from "~/seal/seal.server";
import {
  configuredTimestampAuthority,
  randomNonce,
  TimestampAuthority,
  TimestampError,
  timestampAuthorityHealth,
  tsaTrustAnchors,
} from "~/seal/tsp.server";
import {
  expectLongTermFile,
  fileSignatures,
  opensslVerifyCrl,
  opensslVerifyToken,
  opensslVerifyWithCrl,
  readDss,
  sha1Upper,
  signatureTimestamp,
} from "../helpers/long-term";
import { parsePdfsig, runPdfsig, trustedNssDir } from "../helpers/pdfsig";

const { PDFDocument, StandardFonts } = pdfLib;

let root: string;
let tsa: RunningDevelopmentTsa;
let identity: SealIdentity;
let authority: TimestampAuthority;
let nssDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "signet-long-term-"));
  tsa = await startDevelopmentTsa({ dir: path.join(root, "tsa") });
  identity = await loadSealIdentity(path.join(root, "instance"), {});
  authority = new TimestampAuthority({ url: tsa.url, trustAnchors: tsaTrustAnchors([tsa.caFile]) });
  nssDir = await trustedNssDir(identity.caCertificatePem);
});

afterAll(async () => {
  await tsa?.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function invoicePdf(pages = 1) {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let index = 0; index < pages; index++) {
    document.addPage([595, 842]).drawText(`Invoice FV/2026/${index + 1}`, { x: 50, y: 780, size: 14, font });
  }
  return document.save();
}

const sealOptions = (extra: Partial<Parameters<typeof sealPdf>[1]> = {}) => ({
  reason: "Document signed by all parties",
  name: "Signet test",
  identity,
  timestampAuthority: authority,
  ...extra,
});

/** A server standing in for a TSA: `answer` decides what each request gets. */
function fakeTsa(answer: (request: Buffer, response: http.ServerResponse) => void | Promise<void>) {
  return fakeTsaWithHeaders((_headers, body, response) => void answer(body, response));
}

/** Like fakeTsa, with the request's headers. */
async function fakeTsaWithHeaders(
  answer: (headers: http.IncomingHttpHeaders, body: Buffer, response: http.ServerResponse) => void,
) {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => answer(request.headers, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function replyWith(response: http.ServerResponse, body: Buffer, type = "application/timestamp-reply") {
  response.writeHead(200, { "Content-Type": type }).end(body);
}

async function expectTimestampError(promise: Promise<unknown>, kind: "unavailable" | "refused", message: RegExp) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TimestampError);
  expect((error as TimestampError).kind).toBe(kind);
  expect((error as TimestampError).message).toMatch(message);
}

describe("the time-stamping client", () => {
  it("asks with a 64-bit+ nonce for SHA-256 and the TSA's certificate, and keeps a token openssl accepts", async () => {
    const seen: Buffer[] = [];
    const proxy = await fakeTsa(async (request, response) => {
      seen.push(request);
      replyWith(response, tsa.authority.respond(request));
    });
    try {
      const client = new TimestampAuthority({ url: proxy.url, trustAnchors: tsaTrustAnchors([tsa.caFile]) });
      const data = Buffer.from("the seal's signature value");
      const before = Date.now();
      const token = await client.timestamp(data);

      const request = pkijs.TimeStampReq.fromBER(new Uint8Array(seen[0]));
      expect(request.version).toBe(1);
      expect(request.certReq).toBe(true);
      expect(request.messageImprint.hashAlgorithm.algorithmId).toBe("2.16.840.1.101.3.4.2.1");
      expect(Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(
        crypto.createHash("sha256").update(data).digest(),
      );
      const nonce = Buffer.from(request.nonce!.valueBlock.valueHexView);
      expect(nonce.length).toBeGreaterThanOrEqual(8);
      expect(nonce.equals(Buffer.alloc(nonce.length))).toBe(false);

      expect(token.chain).toHaveLength(2);
      expect(token.chain[1].equals(tsa.authority.caCertificate)).toBe(true);
      expect(token.genTime.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(await opensslVerifyToken(token.der, data, tsa.authority.caPem)).toContain("Verification: OK");
      // every nonce is a minimal positive DER INTEGER (OpenSSL refuses a padded one in the token)
      for (let index = 0; index < 5000; index++) {
        const sample = randomNonce();
        expect(sample.length).toBe(16);
        expect(sample[0]).toBeGreaterThanOrEqual(1);
        expect(sample[0]).toBeLessThan(0x80);
      }
      // two requests never share a nonce
      await client.timestamp(data);
      expect(pkijs.TimeStampReq.fromBER(new Uint8Array(seen[1])).nonce!.isEqual(request.nonce!)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("refuses a wrong nonce, a wrong imprint, a time far from ours, a rejection and a broken signature", async () => {
    const data = Buffer.from("data");
    for (const [overrides, message] of [
      [{ nonce: crypto.randomBytes(16) }, /nonce does not match/],
      [{ nonce: null }, /nonce does not match/],
      [{ hashedMessage: crypto.randomBytes(32) }, /imprint does not match/],
      [{ genTime: new Date(Date.now() - 3600_000) }, /far from ours/],
      [{ status: 2 }, /rejected the request \(status 2/],
    ] as const) {
      tsa.setOverrides(overrides);
      await expectTimestampError(authority.timestamp(data), "refused", message);
    }
    tsa.setOverrides(undefined);

    // one bit of the token's signature flipped (the signature value ends the answer)
    const tampered = await fakeTsa((request, response) => {
      const answer = tsa.authority.respond(request);
      answer[answer.length - 5] ^= 0x01;
      replyWith(response, answer);
    });
    // an HTML error page with status 200
    const html = await fakeTsa((_request, response) =>
      replyWith(response, Buffer.from("<html>oops</html>"), "text/html"),
    );
    try {
      const trust = tsaTrustAnchors([tsa.caFile]);
      await expectTimestampError(
        new TimestampAuthority({ url: tampered.url, trustAnchors: trust }).timestamp(data),
        "refused",
        /signature does not verify/,
      );
      await expectTimestampError(
        new TimestampAuthority({ url: html.url, trustAnchors: trust }).timestamp(data),
        "refused",
        /not a time-stamp reply/,
      );
    } finally {
      await tampered.close();
      await html.close();
    }
  });

  it("refuses a TSA chained to an untrusted CA, and a certificate not made for time-stamping", async () => {
    const data = Buffer.from("data");
    // the development TSA is not among the public roots
    await expectTimestampError(
      new TimestampAuthority({ url: tsa.url, trustAnchors: tsaTrustAnchors([]) }).timestamp(data),
      "refused",
      /not trusted/,
    );
    const other = await startDevelopmentTsa({ dir: path.join(root, "other-tsa") });
    const serverAuth = await startDevelopmentTsa({
      dir: path.join(root, "server-auth-tsa"),
      authority: { extendedKeyUsage: ["1.3.6.1.5.5.7.3.1"] },
    });
    const extra = await startDevelopmentTsa({
      dir: path.join(root, "extra-eku-tsa"),
      authority: { extendedKeyUsage: ["1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.4"] },
    });
    try {
      // trusting our own TSA does not make another one trusted
      await expectTimestampError(
        new TimestampAuthority({ url: other.url, trustAnchors: tsaTrustAnchors([tsa.caFile]) }).timestamp(data),
        "refused",
        /not trusted/,
      );
      for (const wrong of [serverAuth, extra]) {
        await expectTimestampError(
          new TimestampAuthority({ url: wrong.url, trustAnchors: tsaTrustAnchors([wrong.caFile]) }).timestamp(data),
          "refused",
          /extended key usage/,
        );
      }
    } finally {
      await other.close();
      await serverAuth.close();
      await extra.close();
    }
  });

  it("sends TSA_USERNAME/TSA_PASSWORD as HTTP Basic credentials; a refused login is not retried as 'down'", async () => {
    const expected = `Basic ${Buffer.from("signet:s3cret pass").toString("base64")}`;
    const server = await fakeTsaWithHeaders((headers, body, response) => {
      if (headers.authorization !== expected) return void response.writeHead(401).end();
      replyWith(response, tsa.authority.respond(body));
    });
    try {
      const trust = tsaTrustAnchors([tsa.caFile]);
      const good = new TimestampAuthority({
        url: server.url,
        trustAnchors: trust,
        username: "signet",
        password: "s3cret pass",
      });
      expect((await good.timestamp(Buffer.from("x"))).chain).toHaveLength(2);
      await expectTimestampError(
        new TimestampAuthority({
          url: server.url,
          trustAnchors: trust,
          username: "signet",
          password: "wrong",
        }).timestamp(Buffer.from("x")),
        "refused",
        /HTTP 401/,
      );
    } finally {
      await server.close();
    }
  });

  it("calls a TSA that is down, failing or silent unavailable, so the seal waits", async () => {
    const data = Buffer.from("data");
    const closed = await fakeTsa(() => {});
    const closedUrl = closed.url;
    await closed.close();
    await expectTimestampError(
      new TimestampAuthority({ url: closedUrl, trustAnchors: [] }).timestamp(data),
      "unavailable",
      /unreachable/,
    );
    const failing = await fakeTsa((_request, response) => void response.writeHead(503).end());
    const silent = await fakeTsa(() => {}); // never answers
    try {
      await expectTimestampError(
        new TimestampAuthority({ url: failing.url, trustAnchors: [] }).timestamp(data),
        "unavailable",
        /HTTP 503/,
      );
      await expectTimestampError(
        new TimestampAuthority({ url: silent.url, trustAnchors: [], timeoutMs: 300 }).timestamp(data),
        "unavailable",
        /timed out/,
      );
    } finally {
      await failing.close();
      await silent.close();
    }
  });
});

describe("TSA settings", () => {
  it("reads TSA_URL, TSA_TRUST and credentials; unusable settings make documents wait with a reason", async () => {
    const saved = { url: process.env.TSA_URL, trust: process.env.TSA_TRUST };
    try {
      delete process.env.TSA_URL;
      expect(configuredTimestampAuthority()).toBeUndefined(); // B-B
      process.env.TSA_URL = tsa.url;
      process.env.TSA_TRUST = tsa.caFile;
      const configured = configuredTimestampAuthority()!;
      expect(configured.url).toBe(tsa.url);
      expect((await configured.timestamp(Buffer.from("x"))).chain).toHaveLength(2);
      expect(configuredTimestampAuthority()).toBe(configured); // one client per settings
      process.env.TSA_TRUST = path.join(root, "missing.pem");
      expect(() => configuredTimestampAuthority()).toThrow(TimestampError);
      expect(timestampAuthorityHealth(tsa.url).lastFailure?.message).toMatch(/TSA settings unusable/);
      process.env.TSA_URL = "ftp://tsa.example/";
      expect(() => configuredTimestampAuthority()).toThrow(/not an http\(s\) URL/);
    } finally {
      for (const [name, value] of [
        ["TSA_URL", saved.url],
        ["TSA_TRUST", saved.trust],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

async function writeTemp(name: string, bytes: Uint8Array) {
  const file = path.join(root, name);
  await fs.writeFile(file, bytes);
  return file;
}

function expectLongTermSeal(sealed: Buffer, original: Uint8Array, sealIdentity = identity) {
  expect(sealed.subarray(0, original.length).equals(Buffer.from(original))).toBe(true);
  return expectLongTermFile(sealed, {
    sealChain: sealIdentity.chain,
    sealCaPem: sealIdentity.caCertificatePem,
    tsaChain: tsa.authority.chain,
    tsaCaPem: tsa.authority.caPem,
  });
}

describe("sealPdf with a time-stamping authority", () => {
  it("makes a PAdES B-LTA file: signature time-stamp, DSS with both chains and CRLs, document time-stamp", async () => {
    for (const pages of [1, 30]) {
      const original = await invoicePdf(pages);
      await expectLongTermSeal(await sealPdf(original, sealOptions()), original);
    }
  });

  it("without one makes exactly the B-B seal: one signature, no time-stamp, no DSS", async () => {
    const original = await invoicePdf();
    const sealed = await sealPdf(original, sealOptions({ timestampAuthority: undefined }));
    const signatures = fileSignatures(sealed);
    expect(signatures).toHaveLength(1);
    expect(signatures[0].end).toBe(sealed.length);
    expect(signatureTimestamp(signatures[0].der).token).toBeNull();
    expect(sealed.toString("latin1")).not.toContain("/DSS");
  });

  it("gives no file at all when the TSA is down or its answer is wrong", async () => {
    const original = await invoicePdf();
    const down = new TimestampAuthority({ url: "http://127.0.0.1:9/", trustAnchors: [] });
    await expectTimestampError(
      sealPdf(original, sealOptions({ timestampAuthority: down })),
      "unavailable",
      /unreachable/,
    );
    tsa.setOverrides({ hashedMessage: crypto.randomBytes(32) });
    try {
      await expectTimestampError(sealPdf(original, sealOptions()), "refused", /imprint/);
    } finally {
      tsa.setOverrides(undefined);
    }
  });
});

describe("renewal (seal:renew)", () => {
  it("adds a DSS for the last time-stamp and a new document time-stamp, leaving every earlier byte", async () => {
    const original = await invoicePdf();
    const sealed = await sealPdf(original, sealOptions());
    expect((await checkRenewal(sealed, { withinDays: 30 })).status).toBe("not-due"); // the TSA certificate lives 5 years
    const due = await checkRenewal(sealed, { withinDays: 6 * 365 });
    expect(due.status).toBe("due");

    const renewed = await renewTimestamp(sealed, { authority, trustAnchors: tsaTrustAnchors([tsa.caFile]), identity });
    expect(renewed.subarray(0, sealed.length).equals(sealed)).toBe(true);
    const [seal, first, second] = fileSignatures(renewed);
    expect(second.subFilter).toBe("ETSI.RFC3161");
    expect(second.end).toBe(renewed.length);
    expect(await opensslVerifyToken(second.der, second.signedBytes, tsa.authority.caPem)).toContain("Verification: OK");
    // the first document time-stamp's evidence is now in the DSS too (VRI keyed by its token)
    const dss = (await readDss(renewed))!;
    expect(dss.vri.get(sha1Upper(first.der))).toEqual({ certificates: 2, crls: 1 });
    expect(dss.vri.get(sha1Upper(seal.contents))).toEqual({ certificates: 4, crls: 2 });
    const output = await runPdfsig(await writeTemp("renewed.pdf", renewed), nssDir);
    expect(parsePdfsig(output)[0].signatureValidation).toBe("Signature is Valid.");
    expect(parsePdfsig(output)).toHaveLength(3);
  });

  it("time-stamps a B-B file on request, and refuses a file whose time-stamp is not its own", async () => {
    const original = await invoicePdf();
    const plain = await sealPdf(original, sealOptions({ timestampAuthority: undefined }));
    expect((await checkRenewal(plain, { withinDays: 30 })).status).toBe("no-timestamp");
    const stamped = await renewTimestamp(plain, { authority, trustAnchors: tsaTrustAnchors([tsa.caFile]), identity });
    const [seal, documentTimestamp] = fileSignatures(stamped);
    expect(seal.end).toBe(plain.length);
    expect(
      await opensslVerifyToken(documentTimestamp.der, documentTimestamp.signedBytes, tsa.authority.caPem),
    ).toContain("Verification: OK");
    expect((await readDss(stamped))!.vri.get(sha1Upper(seal.contents))).toEqual({ certificates: 2, crls: 1 });

    // a byte changed in the covered part: the old token no longer matches, nothing is added
    const sealed = await sealPdf(original, sealOptions());
    const broken = Buffer.from(sealed);
    broken[100] ^= 0x01;
    await expect(
      renewTimestamp(broken, { authority, trustAnchors: tsaTrustAnchors([tsa.caFile]), identity }),
    ).rejects.toThrow(/imprint does not match/);
  });
});

describe("revocation (seal:revoke)", () => {
  it("puts the old certificate on the CRL, seals with a new one, and refuses to seal with the revoked one", async () => {
    const dataDir = path.join(root, "revoking");
    const before = await loadSealIdentity(dataDir, {});
    const original = await invoicePdf();
    const sealedBefore = await sealPdf(original, sealOptions({ identity: before }));

    const revocation = await revokeSealCertificate(dataDir, { reason: "keyCompromise" });
    const crl = await fs.readFile(path.join(dataDir, "crl", "instance-ca.crl"));
    expect(await opensslVerifyWithCrl(before.certificate, before.caCertificatePem, crl)).toMatch(/certificate revoked/);
    const text = await opensslVerifyCrl(crl, before.caCertificatePem);
    expect(text).toContain("verify OK");
    expect(text).toMatch(/Key Compromise/);

    const after = await loadSealIdentity(dataDir, {});
    expect(after.certificate.equals(before.certificate)).toBe(false);
    expect(after.caCertificatePem).toBe(before.caCertificatePem); // same CA: trust stays
    expect(new crypto.X509Certificate(after.certificate).serialNumber.toLowerCase()).toContain(revocation.newSerial);
    expect(await opensslVerifyWithCrl(after.certificate, after.caCertificatePem, crl)).toMatch(/: OK/);
    await expectLongTermSeal(await sealPdf(original, sealOptions({ identity: after })), original, after);
    // the old key is gone from disk; a process still holding it cannot make a B-LTA seal
    await expect(sealPdf(original, sealOptions({ identity: before }))).rejects.toThrow(/revoked/);
    // the document sealed before keeps its DSS: a CRL from before the revocation, time-stamped
    const dss = (await readDss(sealedBefore))!;
    expect(dss.crls.some((der) => parseCrl(der).revoked.size === 0)).toBe(true);
    expect(await fs.readdir(path.join(dataDir, "keys", "retired"))).toHaveLength(1);
  });
});
