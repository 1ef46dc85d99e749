// RFC 3161 time-stamping client: builds the request with pkijs, posts it to the TSA, and
// checks the whole answer before anyone stores it: status, nonce, message imprint, the
// token's signature and ESS signing-certificate attribute, the TSA certificate's
// extended key usage (timeStamping only, critical) and its chain up to a trusted root,
// and a time close to ours. Anything short of that is an error: the seal never falls
// back to a bare time (ADR 008).
import crypto from "node:crypto";
import fs from "node:fs";
import tls from "node:tls";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { config } from "~/config.server";
import {
  certificatesFromPem,
  extendedKeyUsage,
  KEY_USAGE,
  keyUsageBits,
  parseCertificate,
  toArrayBuffer,
  X509_OID,
} from "./certificates.server";
import { CMS_OID, DIGEST_NAMES } from "./cms.server";

/**
 * `unavailable`: the TSA could not be reached or answered with an HTTP error (try later);
 * `refused`: it answered, but not with a token we can accept (rejected request, wrong
 * nonce or imprint, bad signature, untrusted certificate...).
 */
export class TimestampError extends Error {
  constructor(
    message: string,
    readonly kind: "unavailable" | "refused",
  ) {
    super(message);
    this.name = "TimestampError";
  }
}

export interface TimestampToken {
  /** The token (a CMS ContentInfo) exactly as the TSA sent it. */
  der: Buffer;
  genTime: Date;
  /** TSTInfo serial number, hex. */
  serialNumber: string;
  policy: string;
  /** The TSA certificate first, then its issuers up to and including the trusted root. */
  chain: Buffer[];
}

export interface TimestampAuthorityOptions {
  url: string;
  username?: string;
  password?: string;
  /** Trusted roots (DER) the TSA certificate must chain to. */
  trustAnchors: Buffer[];
  timeoutMs?: number;
  /** How far the token's time may be from our clock around the request. */
  clockSkewMs?: number;
}

export interface TimestampAuthorityHealth {
  lastSuccessAt?: Date;
  /** Set while the last request failed. */
  lastFailure?: { at: Date; message: string; kind: "unavailable" | "refused" };
}

// What this process last saw of each TSA, for the admin page.
const health = new Map<string, TimestampAuthorityHealth>();

export function timestampAuthorityHealth(url: string): TimestampAuthorityHealth {
  return health.get(url) ?? {};
}

const MAX_RESPONSE_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
const NONCE_BYTES = 16; // ~127 random bits; RFC 3161 asks for a large random number

export class TimestampAuthority {
  readonly url: string;
  readonly #options: TimestampAuthorityOptions;

  constructor(options: TimestampAuthorityOptions) {
    this.url = options.url;
    this.#options = options;
  }

  /** A checked token over SHA-256(`data`). */
  async timestamp(data: Uint8Array): Promise<TimestampToken> {
    try {
      const token = await this.#timestamp(data);
      health.set(this.url, { lastSuccessAt: new Date(), lastFailure: undefined });
      return token;
    } catch (error) {
      const failure = {
        at: new Date(),
        message: (error as Error).message,
        kind: error instanceof TimestampError ? error.kind : ("refused" as const),
      };
      health.set(this.url, { ...health.get(this.url), lastFailure: failure });
      throw error;
    }
  }

  async #timestamp(data: Uint8Array): Promise<TimestampToken> {
    const digest = crypto.createHash("sha256").update(data).digest();
    const nonce = randomNonce();
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        // NULL parameters, as OpenSSL writes them: what TSAs see most.
        hashAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: CMS_OID.sha256,
          algorithmParams: new asn1js.Null(),
        }),
        hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(digest) }),
      }),
      nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
      certReq: true, // the TSA's certificate in the token: needed to check it, and for the DSS
    });
    const requestedAt = new Date();
    const response = await this.#post(Buffer.from(request.toSchema().toBER()));
    return checkTimestampResponse(response, {
      digest,
      nonce,
      trustAnchors: this.#options.trustAnchors,
      notBefore: new Date(requestedAt.getTime() - (this.#options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS)),
      notAfter: new Date(Date.now() + (this.#options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS)),
    });
  }

  async #post(body: Buffer): Promise<Buffer> {
    const headers: Record<string, string> = {
      "Content-Type": "application/timestamp-query",
      Accept: "application/timestamp-reply",
    };
    if (this.#options.username !== undefined) {
      const credentials = `${this.#options.username}:${this.#options.password ?? ""}`;
      headers.Authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers,
        body: new Uint8Array(body),
        redirect: "error",
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TimestampError(`TSA ${this.url} unreachable: ${causeOf(error)}`, "unavailable");
    }
    if (!response.ok) {
      await response.body?.cancel();
      // 5xx and 429 pass; 4xx means our request or credentials are wrong, which waiting will not fix.
      const kind = response.status >= 500 || response.status === 429 ? "unavailable" : "refused";
      throw new TimestampError(`TSA ${this.url} answered HTTP ${response.status}`, kind);
    }
    const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/timestamp-reply" && type !== "application/timestamp-response") {
      await response.body?.cancel();
      throw new TimestampError(
        `TSA ${this.url} answered ${type || "no content type"}, not a time-stamp reply`,
        "refused",
      );
    }
    try {
      return await readLimited(response, MAX_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof TimestampError) throw error;
      throw new TimestampError(`TSA ${this.url} answer cut off: ${causeOf(error)}`, "unavailable");
    }
  }
}

export interface ExpectedToken {
  /** SHA-256 of the time-stamped data. */
  digest: Buffer;
  /** The nonce we sent; omitted only when checking a stored token again. */
  nonce?: Buffer;
  trustAnchors: Buffer[];
  /** The token's time must lie in [notBefore, notAfter] (our clock around the request). */
  notBefore?: Date;
  notAfter?: Date;
}

/** Parses and checks a TimeStampResp; returns the checked token or throws a `refused` TimestampError. */
export async function checkTimestampResponse(der: Uint8Array, expected: ExpectedToken): Promise<TimestampToken> {
  const refuse = (reason: string): never => {
    throw new TimestampError(`time-stamp refused: ${reason}`, "refused");
  };
  const parsed = asn1js.fromBER(new Uint8Array(der));
  if (parsed.offset === -1 || parsed.offset !== der.byteLength) refuse("the answer is not one DER TimeStampResp");
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: parsed.result });
  } catch {
    return refuse("the answer is not a TimeStampResp");
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = (response.status.statusStrings ?? []).map((line) => line.valueBlock.value).join("; ");
    refuse(`the TSA rejected the request (status ${status}${text ? `: ${text}` : ""})`);
  }
  if (!response.timeStampToken) return refuse("granted, but no token");
  const tokenDer = Buffer.from(response.timeStampToken.toSchema().toBER());
  // The token's bytes as they were sent, not as asn1js would re-encode them.
  const tokenBlock = (parsed.result as asn1js.Sequence).valueBlock.value[1];
  const originalTokenDer = Buffer.from(tokenBlock.valueBeforeDecodeView);
  return checkTimestampToken(originalTokenDer.length ? originalTokenDer : tokenDer, expected);
}

/** Checks a time-stamp token (ContentInfo) against what was asked for. */
export async function checkTimestampToken(tokenDer: Buffer, expected: ExpectedToken): Promise<TimestampToken> {
  const refuse = (reason: string): never => {
    throw new TimestampError(`time-stamp refused: ${reason}`, "refused");
  };
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(tokenDer));
    if (contentInfo.contentType !== CMS_OID.signedData) refuse("the token is not CMS SignedData");
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    if (error instanceof TimestampError) throw error;
    return refuse("the token is not CMS SignedData");
  }
  if (signedData.encapContentInfo.eContentType !== CMS_OID.tstInfo) refuse("the token holds no TSTInfo");
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) return refuse("the token holds no TSTInfo");
  const tstInfoDer = new Uint8Array(eContent.getValue());
  let tstInfo: pkijs.TSTInfo;
  try {
    tstInfo = pkijs.TSTInfo.fromBER(tstInfoDer);
  } catch {
    return refuse("the TSTInfo cannot be read");
  }
  if (tstInfo.version !== 1) refuse(`TSTInfo version ${tstInfo.version}`);

  // What was time-stamped: our digest, with our hash algorithm.
  const imprint = tstInfo.messageImprint;
  if (imprint.hashAlgorithm.algorithmId !== CMS_OID.sha256) refuse("the imprint's hash algorithm is not SHA-256");
  if (!Buffer.from(imprint.hashedMessage.valueBlock.valueHexView).equals(expected.digest)) {
    refuse("the imprint does not match the data (the token is for something else)");
  }
  if (expected.nonce) {
    const nonce = tstInfo.nonce ? unsignedBytes(tstInfo.nonce.valueBlock.valueHexView) : null;
    if (!nonce || !nonce.equals(unsignedBytes(expected.nonce))) refuse("the nonce does not match our request");
  }
  const genTime = tstInfo.genTime;
  if (!(genTime instanceof Date) || Number.isNaN(genTime.getTime())) return refuse("the token has no valid time");
  if ((expected.notBefore && genTime < expected.notBefore) || (expected.notAfter && genTime > expected.notAfter)) {
    refuse(`the token's time ${genTime.toISOString()} is far from ours`);
  }

  // One signer, whose certificate is in the token.
  if (signedData.signerInfos.length !== 1) refuse(`${signedData.signerInfos.length} signers in the token`);
  const signerInfo = signedData.signerInfos[0];
  const certificates = (signedData.certificates ?? []).filter(
    (entry): entry is pkijs.Certificate => entry instanceof pkijs.Certificate,
  );
  const signer = certificates.find((certificate) => matchesSignerIdentifier(certificate, signerInfo.sid));
  if (!signer) return refuse("the TSA's certificate is not in the token");
  const signerDer = Buffer.from(signer.toSchema().toBER());

  // Signed attributes: content type, message digest over the TSTInfo, ESS signing certificate.
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const attribute = (type: string) => attributes.filter((entry) => entry.type === type);
  const contentType = attribute(CMS_OID.contentType);
  if (
    contentType.length !== 1 ||
    (contentType[0].values[0] as asn1js.ObjectIdentifier).valueBlock.toString() !== CMS_OID.tstInfo
  ) {
    refuse("the signed content type is not TSTInfo");
  }
  const digestName = DIGEST_NAMES[signerInfo.digestAlgorithm.algorithmId];
  if (!digestName || digestName === "sha1") refuse("the token is signed with an unsupported or weak digest");
  const messageDigest = attribute(CMS_OID.messageDigest);
  const tstDigest = crypto.createHash(digestName).update(tstInfoDer).digest();
  if (
    messageDigest.length !== 1 ||
    !Buffer.from((messageDigest[0].values[0] as asn1js.OctetString).valueBlock.valueHexView).equals(tstDigest)
  ) {
    refuse("the signed message digest does not match the TSTInfo");
  }
  if (!essCertificateMatches(attributes, signerDer))
    refuse("the ESS signing-certificate attribute does not name the TSA's certificate");

  // The signature over the signed attributes, with node:crypto (RSA PKCS#1 v1.5, RSA-PSS, ECDSA).
  if (!verifySignerInfo(signerInfo, signer)) refuse("the token's signature does not verify");

  // The TSA certificate: for time-stamping only, valid at the time, chained to a trusted root.
  const usage = extendedKeyUsage(signer);
  if (!usage || !usage.critical || usage.purposes.length !== 1 || usage.purposes[0] !== X509_OID.timeStamping) {
    refuse("the TSA certificate's extended key usage is not timeStamping alone and critical (RFC 3161 2.3)");
  }
  const bits = keyUsageBits(signer);
  if (bits !== null && !(bits & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation))) {
    refuse("the TSA certificate's key usage does not allow signatures");
  }
  const chain = buildChain(
    signerDer,
    certificates.map((certificate) => Buffer.from(certificate.toSchema().toBER())),
    expected.trustAnchors,
    genTime,
  );
  if (typeof chain === "string") return refuse(chain);

  return {
    der: tokenDer,
    genTime,
    serialNumber: Buffer.from(tstInfo.serialNumber.valueBlock.valueHexView).toString("hex"),
    policy: tstInfo.policy,
    chain,
  };
}

/** The signer's signature over its DER signed attributes. */
function verifySignerInfo(signerInfo: pkijs.SignerInfo, signer: pkijs.Certificate) {
  if (!signerInfo.signedAttrs) return false;
  const attributes = Buffer.from(signerInfo.signedAttrs.encodedValue);
  if (attributes.length === 0) return false;
  attributes[0] = 0x31; // signed as a SET, stored as [0] IMPLICIT
  const publicKey = crypto.createPublicKey({
    key: Buffer.from(signer.subjectPublicKeyInfo.toSchema().toBER()),
    format: "der",
    type: "spki",
  });
  const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  const digestName = DIGEST_NAMES[signerInfo.digestAlgorithm.algorithmId];
  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  try {
    if (algorithm === "1.2.840.113549.1.1.10") {
      // RSA-PSS: parameters carry the hash and salt length.
      const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
      const hash = DIGEST_NAMES[params.hashAlgorithm.algorithmId] ?? "sha1";
      return crypto.verify(
        hash,
        attributes,
        { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength },
        signature,
      );
    }
    return crypto.verify(digestName, attributes, publicKey, signature);
  } catch {
    return false;
  }
}

function matchesSignerIdentifier(certificate: pkijs.Certificate, sid: pkijs.SignerInfo["sid"]) {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber);
  }
  // subjectKeyIdentifier [0]: SHA-1 of the public key bits (RFC 5280 method 1)
  const block = sid as asn1js.Constructed | asn1js.OctetString;
  const keyId = Buffer.from(
    block.idBlock.isConstructed
      ? ((block as asn1js.Constructed).valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView
      : (block as asn1js.OctetString).valueBlock.valueHexView,
  );
  const keyBits = certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  return crypto.createHash("sha1").update(keyBits).digest().equals(keyId);
}

/** ESS signingCertificate (v1, SHA-1) or signingCertificateV2 naming `certificateDer` first. */
function essCertificateMatches(attributes: pkijs.Attribute[], certificateDer: Buffer) {
  for (const attribute of attributes) {
    const isV2 = attribute.type === CMS_OID.signingCertificateV2;
    if (!isV2 && attribute.type !== CMS_OID.signingCertificate) continue;
    try {
      const certs = (attribute.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const first = certs.valueBlock.value[0] as asn1js.Sequence;
      const parts = first.valueBlock.value;
      let hashName = "sha1";
      let hashIndex = 0;
      if (isV2) {
        hashName = "sha256";
        if (parts[0] instanceof asn1js.Sequence) {
          const algorithm = new pkijs.AlgorithmIdentifier({ schema: parts[0] });
          hashName = DIGEST_NAMES[algorithm.algorithmId] ?? "";
          hashIndex = 1;
        }
      }
      if (!hashName) return false;
      const certHash = Buffer.from((parts[hashIndex] as asn1js.OctetString).valueBlock.valueHexView);
      return crypto.createHash(hashName).update(certificateDer).digest().equals(certHash);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * From the TSA certificate up to a trust anchor, through the certificates in the token:
 * each link's signature checks, each issuer is a CA allowed to sign certificates, and
 * every certificate is valid at `at`. A string says why no chain was found.
 */
export function buildChain(leafDer: Buffer, pool: Buffer[], anchors: Buffer[], at: Date): Buffer[] | string {
  const trusted = parsedAnchors(anchors);
  const anchorSet = trusted.hex;
  const candidates = [...pool.map((der) => ({ der, x509: new crypto.X509Certificate(der) })), ...trusted.parsed];
  const validAt = (x509: crypto.X509Certificate) =>
    Date.parse(x509.validFrom) <= at.getTime() && at.getTime() <= Date.parse(x509.validTo);
  const chain: Buffer[] = [leafDer];
  let current = new crypto.X509Certificate(leafDer);
  if (!validAt(current)) return `the TSA certificate is not valid at ${at.toISOString()}`;
  for (let depth = 0; depth < 8; depth++) {
    if (anchorSet.has(chain[chain.length - 1].toString("hex"))) return chain;
    const issuer = candidates.find(
      ({ der, x509 }) =>
        !chain.some((link) => link.equals(der)) &&
        current.checkIssued(x509) &&
        x509.ca &&
        current.verify(x509.publicKey) &&
        issuerMayCertify(der) &&
        validAt(x509),
    );
    if (!issuer) {
      const selfSigned = current.checkIssued(current) && current.verify(current.publicKey);
      return selfSigned
        ? `the TSA certificate chains to "${current.subject.replace(/\n/g, ", ")}", which is not trusted (TSA_TRUST)`
        : `no trusted issuer found for "${current.subject.replace(/\n/g, ", ")}" (TSA_TRUST)`;
    }
    chain.push(issuer.der);
    current = issuer.x509;
  }
  return "the TSA certificate chain is too long";
}

// Parsed once per list: with Node's public roots that is some 140 certificates per token otherwise.
const anchorCache = new WeakMap<
  Buffer[],
  { hex: Set<string>; parsed: { der: Buffer; x509: crypto.X509Certificate }[] }
>();

function parsedAnchors(anchors: Buffer[]) {
  let entry = anchorCache.get(anchors);
  if (!entry) {
    entry = {
      hex: new Set(anchors.map((der) => der.toString("hex"))),
      parsed: anchors.map((der) => ({ der, x509: new crypto.X509Certificate(der) })),
    };
    anchorCache.set(anchors, entry);
  }
  return entry;
}

function issuerMayCertify(der: Buffer) {
  const bits = keyUsageBits(parseCertificate(der));
  return bits === null || Boolean(bits & KEY_USAGE.keyCertSign);
}

function unsignedBytes(bytes: Uint8Array) {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return Buffer.from(bytes.subarray(start));
}

/**
 * A random positive INTEGER in minimal DER form: first octet 0x01-0x7f (no sign bit, no
 * leading zero, which OpenSSL rejects as "illegal padding" when the TSA echoes it).
 */
export function randomNonce() {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  nonce[0] = (nonce[0] % 0x7f) + 1;
  return nonce;
}

async function readLimited(response: Response, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new TimestampError(`TSA answer larger than ${limit} bytes`, "refused");
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === "TimeoutError") return "timed out";
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

// ---------------------------------------------------------------- configuration

let configured: { key: string; authority: TimestampAuthority } | undefined;

/**
 * The TSA from TSA_URL (with TSA_USERNAME/TSA_PASSWORD and TSA_TRUST), or undefined
 * when TSA_URL is unset: then seals are PAdES B-B and the log and admin page say so.
 */
export function configuredTimestampAuthority(): TimestampAuthority | undefined {
  const url = config.tsaUrl;
  if (!url) return undefined;
  const key = [url, config.tsaUsername, config.tsaPassword, config.tsaTrust.join(","), config.tsaTimeoutMs].join("\0");
  if (configured?.key !== key) {
    // A wrong setting is a TSA that cannot be used: documents wait, the admin page says why.
    try {
      if (!/^https?:$/.test(new URL(url).protocol)) throw new Error("not an http(s) URL");
      configured = {
        key,
        authority: new TimestampAuthority({
          url,
          username: config.tsaUsername,
          password: config.tsaPassword,
          trustAnchors: tsaTrustAnchors(config.tsaTrust),
          timeoutMs: config.tsaTimeoutMs,
        }),
      };
    } catch (error) {
      const message = `TSA settings unusable: ${(error as Error).message}`;
      health.set(url, { ...health.get(url), lastFailure: { at: new Date(), message, kind: "refused" } });
      throw new TimestampError(message, "refused");
    }
  }
  return configured.authority;
}

/** TSA_TRUST's PEM files, or the public roots Node ships (Mozilla's list) when it is unset. */
export function tsaTrustAnchors(files: string[]): Buffer[] {
  if (files.length === 0) return tls.rootCertificates.flatMap((pem) => certificatesFromPem(pem));
  return files.flatMap((file) => {
    const found = certificatesFromPem(fs.readFileSync(file, "utf8"));
    if (found.length === 0) throw new Error(`TSA_TRUST ${file}: no PEM certificate in it`);
    return found;
  });
}
