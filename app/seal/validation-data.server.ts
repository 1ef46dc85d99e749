// What a verifier needs offline to check a certificate chain years later (PAdES B-LT):
// every certificate of the chain and a CRL for every certificate below its root. The
// instance CA's CRL is issued here (crl.server.ts); anyone else's is fetched from the
// certificate's CRL distribution point, checked (issuer's signature, still current) and
// kept in memory until its nextUpdate. A certificate found revoked stops the seal.
import { crlDistributionUrls, parseCertificate } from "./certificates.server";
import { crlSignedBy, parseCrl, serialHex, type ParsedCrl } from "./crl.server";

export interface ValidationData {
  certificates: Buffer[];
  crls: Buffer[];
  /** Certificates for which no revocation data could be had (logged; the DSS is then partial). */
  missing: string[];
}

export interface ValidationSources {
  /** The instance CA's certificate and a way to get its CRL issued after a given time. */
  instanceCa?: { der: Buffer; crl: (issuedAfter: Date) => Promise<Buffer> };
  /** Revocation data should be issued after this (the signature's time-stamp). */
  issuedAfter: Date;
  fetchTimeoutMs?: number;
}

export class RevokedCertificateError extends Error {
  constructor(subject: string, revokedAt: Date) {
    super(`certificate "${subject}" was revoked on ${revokedAt.toISOString()}`);
    this.name = "RevokedCertificateError";
  }
}

const MAX_CRL_BYTES = 20 * 1024 * 1024;
const MAX_CACHE_MS = 6 * 3600 * 1000;
const crlCache = new Map<string, { der: Buffer; parsed: ParsedCrl; keepUntil: number }>();

/** Certificates and CRLs for `chains` (each leaf first, root last), deduplicated. */
export async function collectValidationData(chains: Buffer[][], sources: ValidationSources): Promise<ValidationData> {
  const certificates = new Map<string, Buffer>();
  const crls = new Map<string, Buffer>();
  const missing: string[] = [];
  for (const chain of chains) {
    for (const der of chain) certificates.set(der.toString("base64"), der);
    for (let index = 0; index < chain.length - 1; index++) {
      const certificate = chain[index];
      const issuer = chain[index + 1];
      const parsed = parseCertificate(certificate);
      const subject = describe(parsed);
      let crl: { der: Buffer; parsed: ParsedCrl } | null = null;
      if (sources.instanceCa && issuer.equals(sources.instanceCa.der)) {
        const der = await sources.instanceCa.crl(sources.issuedAfter);
        crl = { der, parsed: parseCrl(der) };
      } else {
        crl = await fetchCrl(crlDistributionUrls(parsed), issuer, sources.fetchTimeoutMs ?? 10_000);
      }
      if (!crl) {
        missing.push(subject);
        continue;
      }
      const revokedAt = crl.parsed.revoked.get(serialHex(parsed.serialNumber));
      if (revokedAt) throw new RevokedCertificateError(subject, revokedAt);
      crls.set(crl.der.toString("base64"), crl.der);
    }
  }
  return { certificates: [...certificates.values()], crls: [...crls.values()], missing };
}

/** The first CRL from `urls` signed by `issuer` and still current; null when none is. */
async function fetchCrl(urls: string[], issuer: Buffer, timeoutMs: number) {
  const now = Date.now();
  for (const url of urls) {
    const cached = crlCache.get(url);
    if (cached && cached.keepUntil > now) return cached;
    try {
      const response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) {
        await response.body?.cancel();
        continue;
      }
      const length = Number(response.headers.get("content-length") ?? 0);
      if (length > MAX_CRL_BYTES) {
        await response.body?.cancel();
        continue;
      }
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > MAX_CRL_BYTES) continue;
      const der = pemOrDer(body);
      const parsed = parseCrl(der);
      const current =
        parsed.thisUpdate.getTime() <= now + 5 * 60_000 && (!parsed.nextUpdate || parsed.nextUpdate.getTime() > now);
      if (!current || !crlSignedBy(parsed, issuer)) continue;
      const entry = {
        der,
        parsed,
        keepUntil: Math.min(parsed.nextUpdate?.getTime() ?? now + MAX_CACHE_MS, now + MAX_CACHE_MS),
      };
      crlCache.set(url, entry);
      return entry;
    } catch {
      // unreachable or unreadable: the next distribution point, if any
    }
  }
  return null;
}

/** Some CAs publish CRLs as PEM although RFC 5280 says DER. */
function pemOrDer(bytes: Buffer): Buffer {
  const text = bytes.subarray(0, 40).toString("latin1");
  if (!text.includes("-----BEGIN")) return bytes;
  const match = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(bytes.toString("latin1"));
  return match ? Buffer.from(match[1].replace(/\s+/g, ""), "base64") : bytes;
}

function describe(certificate: ReturnType<typeof parseCertificate>) {
  return certificate.subject.typesAndValues
    .map((entry) => String(entry.value.valueBlock.value))
    .filter(Boolean)
    .join(", ");
}
