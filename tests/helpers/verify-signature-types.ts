// One genuine signed PDF per signature type in real use, generated here (never downloaded):
// RSASSA-PSS, DSA, ECDSA on brainpool and NIST curves, Ed25519, Ed448 with SHAKE256, SHA-3,
// SHA-1 (before and after the cut-off), plain adbe.pkcs7.detached, @signpdf's own
// ETSI.CAdES.detached without signing-certificate-v2, an ETSI.RFC3161 document time-stamp, a
// signature time-stamp, and files encrypted with RC4 40/128, AES-128 and AES-256 (qpdf)
// that open with the empty user password, plus one that needs a password. openssl makes the
// CMS where it can (OpenSSL 3.0 cannot sign CMS with EdDSA or ECDSA-SHA3: those are
// assembled by the writer around openssl's raw signature values).
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SignPdf } from "@signpdf/signpdf";
import { P12Signer } from "@signpdf/signer-p12";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import * as pkijs from "pkijs";
import type { ProblemCode, UnreadableReason, Verdict, WarningCode } from "../../verify-portal/core";
import { DIGEST, makePdf, signPdf, type CmsOptions, type SignOptions } from "./verify-pdf-writer";
import { opensslPki, type OpensslIdentity, type OpensslPki } from "./verify-openssl";
import type { TestIdentity } from "./verify-pki";

export interface TypeCase {
  name: string;
  description: string;
  bytes: Uint8Array;
  expected: Verdict;
  expectedWarning?: WarningCode;
  expectedProblem?: ProblemCode;
  expectedReason?: UnreadableReason;
  /** How openssl can check the cryptography of the (first) signature independently. */
  crossCheck: "cms" | "raw" | "timestamp" | "none";
  /** The raw-signed identity and digest (crossCheck "raw"). */
  raw?: { signer: OpensslIdentity; digest?: string; messageDigest: CmsOptions["digest"] };
}

/** An openssl identity as the writer's signer wants it. */
export function testIdentity(signer: OpensslIdentity, pki: OpensslPki): TestIdentity {
  return {
    name: signer.label,
    certificate: pkijs.Certificate.fromBER(signer.certDer as Uint8Array<ArrayBuffer>),
    certificateDer: signer.certDer,
    certificatePem: signer.certPem,
    privateKey: crypto.createPrivateKey(fs.readFileSync(signer.keyPath)),
    chainDer: [],
    caDer: pki.caDer,
    caPem: pki.caPem,
  };
}

const OID = {
  ed25519: "1.3.101.112",
  ed448: "1.3.101.113",
  ecdsaSha3_256: "2.16.840.1.101.3.4.3.10",
  sha1WithRsa: "1.2.840.113549.1.1.5",
};

let cached: Promise<{ pki: OpensslPki; trusted: Uint8Array[]; cases: TypeCase[] }> | null = null;

export function buildSignatureTypeCases() {
  cached ??= createCases();
  return cached;
}

async function createCases(): Promise<{ pki: OpensslPki; trusted: Uint8Array[]; cases: TypeCase[] }> {
  const pki = await opensslPki();
  const plain = await makePdf(1);
  const cases: TypeCase[] = [];
  const { signers } = pki;
  const identity = (signer: OpensslIdentity) => testIdentity(signer, pki);
  /** Signed by openssl cms -sign with these arguments. */
  const withOpenssl = (signer: OpensslIdentity, args: string[], options: SignOptions = {}) =>
    signPdf(plain, identity(signer), { ...options, cmsFor: (signed) => pki.cmsSign(concat(signed), signer, args) });

  cases.push(
    {
      name: "rsa-pss-sha256",
      description: "RSASSA-PSS, SHA-256, salt 32 (openssl cms -keyopt rsa_padding_mode:pss)",
      bytes: withOpenssl(signers.rsa, [
        "-md",
        "sha256",
        "-keyopt",
        "rsa_padding_mode:pss",
        "-keyopt",
        "rsa_pss_saltlen:32",
        "-cades",
      ]),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "rsa-pss-sha512",
      description: "RSASSA-PSS, SHA-512, openssl's default salt length",
      bytes: withOpenssl(signers.rsa, ["-md", "sha512", "-keyopt", "rsa_padding_mode:pss", "-cades"]),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "dsa-sha256",
      description: "DSA 2048/256 with SHA-256",
      bytes: withOpenssl(signers.dsa, ["-md", "sha256", "-cades"]),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "ecdsa-brainpoolP256r1",
      description: "ECDSA on brainpoolP256r1 with SHA-256",
      bytes: withOpenssl(signers.brainpoolP256r1, ["-md", "sha256", "-cades"]),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "ecdsa-brainpoolP384r1",
      description: "ECDSA on brainpoolP384r1 with SHA-384",
      bytes: withOpenssl(signers.brainpoolP384r1, ["-md", "sha384", "-cades"]),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "rsa-sha3-256",
      description: "RSA PKCS #1 v1.5 with SHA3-256",
      bytes: withOpenssl(signers.rsa, ["-md", "sha3-256", "-cades"]),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "pkcs7-detached-plain",
      description: "adbe.pkcs7.detached, ECDSA P-256, as openssl makes it (signingTime, no ESS attribute)",
      bytes: withOpenssl(signers["P-256"], ["-md", "sha256"], { subFilter: "adbe.pkcs7.detached" }),
      expected: "valid",
      crossCheck: "cms",
    },
    {
      name: "sha1-now",
      description: "RSA with SHA-1, signed now (openssl puts the current signingTime): refused as weak",
      bytes: withOpenssl(signers.rsa, ["-md", "sha1", "-cades"]),
      expected: "invalid",
      expectedProblem: "digest-algorithm",
      crossCheck: "cms",
    },
  );

  // Assembled by the writer around openssl's raw signature values.
  const assembled = (
    signer: OpensslIdentity,
    oid: string,
    digest: NonNullable<CmsOptions["digest"]>,
    rawDigest: string | undefined,
    extra: CmsOptions = {},
    options: SignOptions = {},
  ) =>
    signPdf(plain, identity(signer), {
      ...options,
      cms: {
        ...extra,
        digest,
        signature: { oid, sign: (toSign) => pki.rawSign(toSign, signer, rawDigest) },
      },
    });
  cases.push(
    {
      name: "ed25519",
      description: "Ed25519 (RFC 8419: SHA-512 message digest)",
      bytes: assembled(signers.ed25519, OID.ed25519, DIGEST.sha512, undefined),
      expected: "valid",
      crossCheck: "raw",
      raw: { signer: signers.ed25519, messageDigest: DIGEST.sha512 },
    },
    {
      name: "ed448-shake256",
      description: "Ed448 with a SHAKE256 message digest (RFC 8419)",
      bytes: assembled(signers.ed448, OID.ed448, DIGEST.shake256, undefined),
      expected: "valid",
      crossCheck: "raw",
      raw: { signer: signers.ed448, messageDigest: DIGEST.shake256 },
    },
    {
      name: "ecdsa-p256-sha3-256",
      description: "ECDSA P-256 with SHA3-256",
      bytes: assembled(signers["P-256"], OID.ecdsaSha3_256, DIGEST.sha3_256, "sha3-256"),
      expected: "valid",
      crossCheck: "raw",
      raw: { signer: signers["P-256"], digest: "sha3-256", messageDigest: DIGEST.sha3_256 },
    },
    {
      name: "sha1-2016",
      description: "RSA with SHA-1, signed (by its claim) in 2016: valid, with a warning",
      bytes: assembled(
        signers.rsa,
        OID.sha1WithRsa,
        DIGEST.sha1,
        "sha1",
        { signingTime: new Date("2016-06-01T10:00:00Z") },
        { signingTime: new Date("2016-06-01T10:00:00Z") },
      ),
      expected: "valid",
      expectedWarning: "weak-digest-sha1",
      crossCheck: "raw",
      raw: { signer: signers.rsa, digest: "sha1", messageDigest: DIGEST.sha1 },
    },
  );

  // @signpdf's own signer: node-forge CMS, ETSI.CAdES.detached, no signing-certificate-v2.
  {
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: Buffer.from(plain),
      reason: "Approved",
      contactInfo: "signer@example.com",
      name: "P12 signer",
      location: "Warszawa",
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    });
    const signer = new P12Signer(Buffer.from(pki.p12(signers.rsa, "secret")), { passphrase: "secret" });
    cases.push({
      name: "signpdf-p12-cades",
      description: "@signpdf/signer-p12 with ETSI.CAdES.detached (no signing-certificate-v2)",
      bytes: new Uint8Array(await new SignPdf().sign(withPlaceholder, signer)),
      expected: "valid",
      expectedWarning: "signing-certificate-absent",
      crossCheck: "cms",
    });
  }

  // RFC 3161: a document time-stamp, and a signature time-stamp (PAdES B-T).
  cases.push(
    {
      name: "document-timestamp",
      description: "ETSI.RFC3161 document time-stamp by the test TSA (openssl ts)",
      bytes: signPdf(plain, identity(pki.tsa), {
        documentTimestamp: true,
        cmsFor: (signed) => pki.timestamp(concat(signed)),
      }),
      expected: "valid",
      crossCheck: "timestamp",
    },
    {
      name: "signature-timestamp",
      description: "CAdES signature with a signature time-stamp from the test TSA (B-T)",
      bytes: signPdf(plain, identity(signers.rsa), {
        cms: {
          signature: {
            oid: "1.2.840.113549.1.1.11",
            sign: (toSign) => pki.rawSign(toSign, signers.rsa, "sha256"),
          },
          timestamp: (value) => pki.timestamp(value),
        },
      }),
      expected: "valid",
      crossCheck: "none",
    },
  );

  // Encrypted files (qpdf), signed afterwards with an incremental update.
  const encrypted = (args: string[], source = plain) => {
    const input = path.join(pki.dir, `plain-${cases.length}.pdf`);
    const output = path.join(pki.dir, `encrypted-${cases.length}.pdf`);
    fs.writeFileSync(input, source);
    execFileSync("qpdf", [...args, input, output]);
    return new Uint8Array(fs.readFileSync(output));
  };
  const sign = (pdf: Uint8Array) => signPdf(pdf, identity(signers.rsa));
  const streams = await makePdf(2, { objectStreams: true });
  for (const [name, description, args, source] of [
    ["encrypted-rc4-40", "RC4 40-bit (R2)", ["--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"], plain],
    [
      "encrypted-rc4-128",
      "RC4 128-bit (R3)",
      ["--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"],
      plain,
    ],
    ["encrypted-aes-128", "AES-128 (R4, AESV2)", ["--encrypt", "", "owner", "128", "--use-aes=y", "--"], plain],
    ["encrypted-aes-256", "AES-256 (R6, AESV3)", ["--encrypt", "", "owner", "256", "--"], plain],
    [
      "encrypted-aes-256-object-streams",
      "AES-256 with object streams",
      ["--object-streams=generate", "--encrypt", "", "owner", "256", "--"],
      streams,
    ],
  ] as const) {
    cases.push({
      name,
      description: `encrypted with ${description} and an empty user password, then signed`,
      bytes: sign(encrypted([...args], source)),
      expected: "valid",
      crossCheck: "none",
    });
  }
  cases.push({
    name: "encrypted-user-password",
    description: "AES-256 with a user password: cannot be opened without it",
    bytes: encrypted(["--encrypt", "user-secret", "owner", "256", "--"]),
    expected: "unreadable",
    expectedReason: "password-required",
    crossCheck: "none",
  });

  return { pki, trusted: [pki.caDer], cases };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}
