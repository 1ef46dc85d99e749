// The signature types in real use are judged as openssl judges their cryptography: one
// generated file per type (RSASSA-PSS, DSA, brainpool ECDSA, Ed25519, Ed448/SHAKE256,
// SHA-3, SHA-1 before and after 2017, @signpdf's CAdES without signing-certificate-v2,
// RFC 3161 document and signature time-stamps, encrypted files), each checked by the
// portal and, independently, by `openssl cms -verify`, `openssl ts -verify` or
// `openssl pkeyutl -verify` — also after one signed byte is changed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPdf, type SignatureReport } from "../../verify-portal/core";
import { buildSignatureTypeCases, type TypeCase } from "../helpers/verify-signature-types";
import type { OpensslPki } from "../helpers/verify-openssl";

let pki: OpensslPki;
let trusted: Uint8Array[];
let cases: TypeCase[];

beforeAll(async () => {
  ({ pki, trusted, cases } = await buildSignatureTypeCases());
}, 180_000);

/** The signed bytes and the DER signature value of a signature, straight from the file. */
function parts(bytes: Uint8Array, signature: SignatureReport) {
  const [start, first, gapEnd, second] = signature.byteRange!;
  const signed = new Uint8Array(
    Buffer.concat([bytes.subarray(start, start + first), bytes.subarray(gapEnd, gapEnd + second)]),
  );
  const hex = Buffer.from(bytes.subarray(start + first + 1, gapEnd - 1)).toString("latin1");
  const value = new Uint8Array(Buffer.from(hex, "hex"));
  const der = value.subarray(0, asn1js.fromBER(value as Uint8Array<ArrayBuffer>).offset);
  return { signed, der };
}

/** What openssl says of the cryptography of this signature over these bytes. */
function opensslSays(entry: TypeCase, der: Uint8Array, signed: Uint8Array): boolean {
  if (entry.crossCheck === "cms") return pki.cmsVerifies(der, signed);
  if (entry.crossCheck === "timestamp") return pki.timestampVerifies(der, signed);
  // Raw: the signature over the signed attributes, and the message digest over the bytes.
  const signedData = new pkijs.SignedData({
    schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(der as Uint8Array<ArrayBuffer>).result }).content,
  });
  const signer = signedData.signerInfos[0];
  const attributes = new Uint8Array(signer.signedAttrs!.encodedValue);
  const messageDigest = signer.signedAttrs!.attributes.find((attribute) => attribute.type === "1.2.840.113549.1.9.4")!
    .values[0] as asn1js.OctetString;
  const file = path.join(pki.dir, `check-${entry.name}.bin`);
  fs.writeFileSync(file, signed);
  const node = entry.raw!.messageDigest!.node;
  const args = node.startsWith("shake")
    ? ["dgst", `-${node}`, "-xoflen", "64", "-binary", file]
    : ["dgst", `-${node}`, "-binary", file];
  const digest = execFileSync("openssl", args);
  const digestOk = Buffer.from(messageDigest.valueBlock.valueHexView).equals(digest);
  return (
    digestOk &&
    pki.rawVerifies(
      attributes,
      new Uint8Array(signer.signature.valueBlock.valueHexView),
      entry.raw!.signer,
      entry.raw!.digest,
    )
  );
}

describe("signature types in real use", () => {
  it("judges one genuine file per type as expected", async () => {
    const lines: string[] = [];
    const failures: string[] = [];
    for (const entry of cases) {
      const report = await verifyPdf(entry.bytes, { trustedCertificates: trusted });
      const codes = report.problems.map((problem) => problem.code);
      const warnings = report.warnings.map((warning) => warning.code);
      const ok =
        report.verdict === entry.expected &&
        (!entry.expectedProblem || codes.includes(entry.expectedProblem)) &&
        (!entry.expectedWarning || warnings.includes(entry.expectedWarning)) &&
        (!entry.expectedReason || report.unreadable?.reason === entry.expectedReason);
      const signature = report.signatures[0];
      const line = `${ok ? "ok  " : "FAIL"} ${entry.name}: ${report.verdict} ${signature ? `${signature.signatureAlgorithm}/${signature.digestAlgorithm} ${signature.signer?.publicKey}` : (report.unreadable?.message ?? "")} [${codes.join(", ")}] ~[${warnings.join(", ")}]`;
      lines.push(line);
      if (!ok) failures.push(line);
    }
    console.log(lines.join("\n"));
    expect(failures).toEqual([]);
  });

  it("agrees with openssl on the cryptography, also after a signed byte changes", async () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const entry of cases.filter((candidate) => candidate.crossCheck !== "none")) {
      const report = await verifyPdf(entry.bytes, { trustedCertificates: trusted });
      const signature = report.signatures[0];
      const { signed, der } = parts(entry.bytes, signature);
      const ours = signature.digestMatch && signature.signatureMatch;
      const theirs = opensslSays(entry, der, signed);
      compared++;
      if (ours !== theirs) disagreements.push(`${entry.name}: ours ${ours}, openssl ${theirs}`);
      expect(theirs, entry.name).toBe(true);

      // One signed byte changed (in the header's binary comment, so the file still parses): both refuse.
      const mutated = Uint8Array.from(entry.bytes);
      const comment = Buffer.from(entry.bytes).indexOf("\n%", 0) + 3;
      mutated[comment] ^= 0x01;
      const after = await verifyPdf(mutated, { trustedCertificates: trusted });
      const changed = parts(mutated, after.signatures[0]);
      const oursAfter = after.signatures[0].digestMatch && after.signatures[0].signatureMatch;
      const theirsAfter = opensslSays(entry, changed.der, changed.signed);
      if (oursAfter !== theirsAfter)
        disagreements.push(`${entry.name} (changed): ours ${oursAfter}, openssl ${theirsAfter}`);
      expect(after.verdict, entry.name).toBe("invalid");
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(12);
  });

  it("reports what each type is", async () => {
    const find = async (name: string) => {
      const entry = cases.find((candidate) => candidate.name === name)!;
      return verifyPdf(entry.bytes, { trustedCertificates: trusted });
    };
    expect((await find("rsa-pss-sha256")).signatures[0]).toMatchObject({
      signatureAlgorithm: "rsa-pss",
      digestAlgorithm: "sha256",
      signer: { publicKey: "RSA 2048" },
    });
    expect((await find("ecdsa-brainpoolP256r1")).signatures[0]).toMatchObject({
      signatureAlgorithm: "ecdsa",
      signer: { publicKey: "EC brainpoolP256r1" },
    });
    expect((await find("ed448-shake256")).signatures[0]).toMatchObject({
      signatureAlgorithm: "ed448",
      digestAlgorithm: "shake256",
      signer: { publicKey: "Ed448" },
    });
    const stamp = await find("document-timestamp");
    expect(stamp.signatures[0]).toMatchObject({
      type: "document-timestamp",
      subFilter: "ETSI.RFC3161",
      digestAlgorithm: "sha256",
      signer: { subject: expect.stringContaining("Test TSA") },
      timestamp: { valid: true, policy: "1.3.6.1.4.1.99999.1", imprintMatch: true },
    });
    expect(Date.now() - new Date(stamp.signatures[0].signingTime!).getTime()).toBeLessThan(3600_000);
    const stamped = await find("signature-timestamp");
    expect(stamped.signatures[0].timestamp).toMatchObject({
      valid: true,
      tsa: { subject: expect.stringContaining("TSA") },
    });
    const encrypted = await find("encrypted-aes-256-object-streams");
    expect(encrypted.encryption).toBe("AES-256");
    expect(encrypted.pageCount).toBe(2);
    expect((await find("encrypted-rc4-40")).encryption).toBe("RC4 40-bit");
    expect((await find("encrypted-aes-128")).encryption).toBe("AES-128");
    expect((await find("encrypted-user-password")).unreadable?.message).toMatch(/password/);
  });
});
