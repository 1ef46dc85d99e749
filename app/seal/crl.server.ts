// Certificate revocation lists: the instance CA's own (issued here, published at
// PUBLIC_URL/ca.crl, the seal certificate's CRL distribution point) and reading anyone's.
// The list of revoked seal certificates lives next to the CA in DATA_DIR/keys/revoked.json;
// the published CRL in DATA_DIR/crl/instance-ca.crl, rewritten atomically.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import {
  extension,
  keyIdentifier,
  parseCertificate,
  rsaSha256Algorithm,
  toArrayBuffer,
  X509_OID,
} from "./certificates.server";
import { keysDirectory, loadInstanceCa, writeDurably } from "./keys.server";

/** RFC 5280 5.3.1 reason codes we offer. */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
} as const;
export type CrlReason = keyof typeof CRL_REASONS;

export interface RevokedEntry {
  /** Serial number, lower-case hex as node:crypto prints it. */
  serial: string;
  revokedAt: string;
  reason: CrlReason;
}

const REVOKED_FILE = "revoked.json";
const CRL_DIR = "crl";
const CRL_FILE = "instance-ca.crl";
/** A CRL is good for a week; the seal worker issues a new one every day (and on revocation). */
export const CRL_VALIDITY_MS = 7 * 24 * 3600 * 1000;
export const CRL_REISSUE_AFTER_MS = 24 * 3600 * 1000;

export async function revokedSealCertificates(dataDir: string): Promise<RevokedEntry[]> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(keysDirectory(dataDir), REVOKED_FILE), "utf8"));
    return Array.isArray(parsed) ? (parsed as RevokedEntry[]) : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Adds a certificate to the instance CA's revocation list (idempotent per serial). */
export async function recordRevocation(dataDir: string, entry: RevokedEntry) {
  const entries = await revokedSealCertificates(dataDir);
  if (entries.some((existing) => normalizeSerial(existing.serial) === normalizeSerial(entry.serial))) return;
  await replaceFile(
    path.join(keysDirectory(dataDir), REVOKED_FILE),
    `${JSON.stringify([...entries, entry], null, 2)}\n`,
  );
}

/**
 * The instance CA's CRL as published, issuing a fresh one when there is none, it is older
 * than a day, or it was issued before `issuedAfter` (a DSS wants revocation data issued
 * after the signature's time-stamp).
 */
export async function instanceCrl(dataDir: string, options: { issuedAfter?: Date; now?: Date } = {}) {
  let now = options.now ?? new Date();
  // thisUpdate is whole seconds and must not lie in the future (verifiers call such a CRL
  // "not yet valid"): for a time-stamp from this very second, wait for the next one.
  const wait = options.issuedAfter ? Math.ceil(options.issuedAfter.getTime() / 1000) * 1000 - now.getTime() : 0;
  if (!options.now && wait > 0 && wait <= 1500) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    now = new Date();
  }
  const published = await readPublishedCrl(dataDir);
  if (published) {
    const { thisUpdate } = parseCrl(published);
    const fresh = now.getTime() - thisUpdate.getTime() < CRL_REISSUE_AFTER_MS && thisUpdate <= now;
    if (fresh && (!options.issuedAfter || thisUpdate >= options.issuedAfter)) return published;
  }
  return publishInstanceCrl(dataDir, now);
}

/** Issues a new CRL of the instance CA (every revoked seal certificate) and publishes it. */
export async function publishInstanceCrl(dataDir: string, now = new Date()): Promise<Buffer> {
  const ca = await loadInstanceCa(dataDir);
  // Whole seconds (UTCTime), never in the future.
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const crl = issueCrl({
    issuerDer: ca.der,
    issuerPrivateKey: ca.privateKey,
    revoked: await revokedSealCertificates(dataDir),
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + CRL_VALIDITY_MS),
  });
  const file = path.join(path.resolve(dataDir), CRL_DIR, CRL_FILE);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // No fsync: the CRL is derived from revoked.json (which is synced) and reissued at will;
  // a seal should not wait for the disk.
  await replaceFile(file, crl, { durable: false });
  return crl;
}

export async function readPublishedCrl(dataDir: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path.join(path.resolve(dataDir), CRL_DIR, CRL_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export interface CrlRequest {
  issuerDer: Uint8Array;
  issuerPrivateKey: crypto.KeyObject;
  revoked: RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
}

/** A v2 CRL with authority key identifier and CRL number, signed with node:crypto. */
export function issueCrl(request: CrlRequest): Buffer {
  const issuer = parseCertificate(request.issuerDer);
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: rsaSha256Algorithm(),
    issuer: issuer.subject,
    thisUpdate: new pkijs.Time({ type: 0, value: request.thisUpdate }),
    nextUpdate: new pkijs.Time({ type: 0, value: request.nextUpdate }),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        extension(
          X509_OID.authorityKeyIdentifier,
          false,
          new pkijs.AuthorityKeyIdentifier({
            keyIdentifier: new asn1js.OctetString({
              valueHex: keyIdentifier(new crypto.X509Certificate(Buffer.from(request.issuerDer)).publicKey),
            }),
          }).toSchema(),
        ),
        // Increases with every issue, across processes: milliseconds since 1970.
        extension(X509_OID.crlNumber, false, integerFromBigInt(BigInt(request.thisUpdate.getTime()))),
      ],
    }),
  });
  if (request.revoked.length > 0) {
    crl.revokedCertificates = request.revoked.map(
      (entry) =>
        new pkijs.RevokedCertificate({
          userCertificate: integerFromBigInt(BigInt(`0x${entry.serial}`)),
          revocationDate: new pkijs.Time({ type: 0, value: new Date(entry.revokedAt) }),
          ...(CRL_REASONS[entry.reason]
            ? {
                crlEntryExtensions: new pkijs.Extensions({
                  extensions: [
                    extension(X509_OID.crlReason, false, new asn1js.Enumerated({ value: CRL_REASONS[entry.reason] })),
                  ],
                }),
              }
            : {}),
        }),
    );
  }
  crl.signatureAlgorithm = rsaSha256Algorithm();
  crl.tbsView = new Uint8Array((crl.toSchema(true) as asn1js.Sequence).valueBlock.value[0].toBER());
  const signature = crypto.sign("sha256", crl.tbsView, request.issuerPrivateKey);
  crl.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  return Buffer.from(crl.toSchema().toBER());
}

export interface ParsedCrl {
  issuer: pkijs.RelativeDistinguishedNames;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Revoked serials (lower-case hex, no leading zeros) with their revocation dates. */
  revoked: Map<string, Date>;
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: string;
}

export function parseCrl(der: Uint8Array): ParsedCrl {
  const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  const revoked = new Map<string, Date>();
  for (const entry of crl.revokedCertificates ?? []) {
    revoked.set(serialHex(entry.userCertificate), entry.revocationDate.value);
  }
  return {
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value,
    revoked,
    tbs: crl.tbsView,
    signature: crl.signatureValue.valueBlock.valueHexView,
    signatureAlgorithm: crl.signatureAlgorithm.algorithmId,
  };
}

/** Whether `issuer` signed the CRL (RSA PKCS#1 v1.5 or ECDSA, as node:crypto verifies them). */
export function crlSignedBy(crl: ParsedCrl, issuerDer: Uint8Array): boolean {
  const issuer = new crypto.X509Certificate(Buffer.from(issuerDer));
  const hash = SIGNATURE_HASHES[crl.signatureAlgorithm];
  if (!hash) return false;
  if (!parseCertificate(issuerDer).subject.isEqual(crl.issuer)) return false;
  try {
    return crypto.verify(hash, crl.tbs, issuer.publicKey, crl.signature);
  } catch {
    return false;
  }
}

/** Signature algorithm OIDs node:crypto can check with a plain hash name. */
export const SIGNATURE_HASHES: Record<string, string> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};

export function serialHex(serial: asn1js.Integer): string {
  return normalizeSerial(Buffer.from(serial.valueBlock.valueHexView).toString("hex"));
}

/** Serial numbers compared as lower-case hex without leading zeros (node:crypto prints them upper-case). */
export function normalizeSerial(hex: string) {
  return hex.toLowerCase().replace(/^0+/, "") || "0";
}

/** A positive INTEGER from a bigint, with the leading zero octet DER wants when the top bit is set. */
function integerFromBigInt(value: bigint) {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.from(hex, "hex")) });
}

async function replaceFile(file: string, content: string | Uint8Array, options = { durable: true }) {
  const temp = `${file}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  if (options.durable) await writeDurably(temp, content, 0o644);
  else await fs.writeFile(temp, content, { mode: 0o644, flag: "wx" });
  await fs.rename(temp, file);
}
