// The instance seal's key and certificates: generated once per DATA_DIR, or
// loaded from a PKCS#12 file (SEAL_P12) when the operator has a real one.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import forge from "node-forge";
import { config } from "~/config.server";

export interface SealIdentity {
  privateKey: crypto.KeyObject;
  /** DER of the seal (signing) certificate. */
  certificate: Buffer;
  /** DER certificates, seal certificate first, then its issuers up to the root. */
  chain: Buffer[];
  /** PEM of the top certificate of the chain: what a verifier has to trust. */
  caCertificatePem: string;
}

export interface SealSource {
  /** Path of a PKCS#12 file; unset means the generated instance CA and seal. */
  p12Path?: string;
  p12Password?: string;
}

const KEYS_DIR = "keys";
const FILES = { ca: "ca.pem", caKey: "ca.key.pem", seal: "seal.pem", sealKey: "seal.key.pem" } as const;

// RSA-3072 rather than 2048: the seal certificate lives 5 years and sealed PDFs
// are checked for longer; NIST SP 800-57 and BSI TR-02102 want ≥3000 bits past
// 2030. The cost is ~1.8 ms per seal instead of ~0.4 ms and a one-off ~1 s
// key generation on first start, both negligible next to rendering a PDF.
const MODULUS_BITS = 3072;
const CA_YEARS = 10;
const SEAL_YEARS = 5;
const ORGANIZATION = "Signet instance";

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
} as const;

const cache = new Map<string, Promise<SealIdentity>>();

/**
 * The seal identity for a data directory (cached per directory and source).
 * First call on a fresh DATA_DIR generates the instance CA and the seal
 * certificate under DATA_DIR/keys; with SEAL_P12 set it reads that file instead.
 */
export function loadSealIdentity(
  dataDir: string,
  source: SealSource = { p12Path: config.sealP12, p12Password: config.sealP12Password },
): Promise<SealIdentity> {
  const cacheKey = `${path.resolve(dataDir)}\0${source.p12Path ?? ""}`;
  let identity = cache.get(cacheKey);
  if (!identity) {
    identity = source.p12Path
      ? loadP12Identity(source.p12Path, source.p12Password ?? "")
      : loadOrCreateInstanceIdentity(path.resolve(dataDir));
    // A failed load (bad password, unreadable file) must not stick for the process.
    identity.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, identity);
  }
  return identity;
}

/** The certificate a verifier must trust, as PEM, for the CA download. */
export async function caCertificatePem(dataDir: string, source?: SealSource): Promise<string> {
  return (await loadSealIdentity(dataDir, source)).caCertificatePem;
}

// ---------------------------------------------------------------- instance CA

async function loadOrCreateInstanceIdentity(dataDir: string): Promise<SealIdentity> {
  const keysDir = path.join(dataDir, KEYS_DIR);
  if (!(await exists(path.join(keysDir, FILES.sealKey)))) await createKeysDir(dataDir, keysDir);
  return readKeysDir(keysDir);
}

async function readKeysDir(keysDir: string): Promise<SealIdentity> {
  const read = (name: string) => fs.readFile(path.join(keysDir, name), "utf8");
  const [caPem, sealPem, sealKeyPem] = await Promise.all([read(FILES.ca), read(FILES.seal), read(FILES.sealKey)]);
  const ca = new crypto.X509Certificate(caPem);
  const seal = new crypto.X509Certificate(sealPem);
  const privateKey = crypto.createPrivateKey(sealKeyPem);
  if (!seal.checkPrivateKey(privateKey)) throw new Error(`${keysDir}: ${FILES.sealKey} does not match ${FILES.seal}`);
  if (!seal.verify(ca.publicKey)) throw new Error(`${keysDir}: ${FILES.seal} is not issued by ${FILES.ca}`);
  return identityFrom(privateKey, [seal, ca]);
}

/**
 * Generates everything in a private temp directory next to keys/, then renames
 * the whole directory into place: a crash leaves no half set, and of two
 * processes starting at once the second rename fails and that one loads the
 * winner's keys.
 */
async function createKeysDir(dataDir: string, keysDir: string) {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = await fs.mkdtemp(path.join(dataDir, ".keys-")); // mode 0700
  try {
    const files = await generateInstanceFiles();
    for (const [name, content] of Object.entries(files)) {
      await writeDurably(path.join(temp, name), content, 0o600);
    }
    await fsyncPath(temp);
    try {
      // rename(2) replaces an empty directory and fails on a non-empty one.
      await fs.rename(temp, keysDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      // keys/ holds other keys already (the audit chain's) but no seal: move the set in file by
      // file, the seal's private key last, so that its presence still means a complete set
      if (!(await exists(path.join(keysDir, FILES.sealKey)))) {
        for (const name of [FILES.ca, FILES.caKey, FILES.seal, FILES.sealKey])
          await fs.rename(path.join(temp, name), path.join(keysDir, name));
      }
    }
    await fs.chmod(keysDir, 0o700);
    await fsyncPath(dataDir);
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

async function generateInstanceFiles() {
  const [caKeys, sealKeys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  // Every instance's CA has the same CN; a short id tells two instances apart
  // in a trust store or on the verification portal.
  const instanceId = crypto.randomBytes(4).toString("hex");
  const caName = distinguishedName("Signet instance CA", instanceId);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000); // tolerate clock skew of verifiers
  const caSki = keyIdentifier(caKeys.publicKey);

  const caDer = issueCertificate({
    subject: caName,
    issuer: caName,
    subjectPublicKey: caKeys.publicKey,
    issuerPrivateKey: caKeys.privateKey,
    notBefore,
    notAfter: addYears(notBefore, CA_YEARS),
    extensions: [
      extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema()),
      // keyCertSign (bit 5) + cRLSign (bit 6)
      extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: new Uint8Array([0x06]).buffer, unusedBits: 1 })),
      extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: caSki })),
    ],
  });
  const sealDer = issueCertificate({
    subject: distinguishedName("Signet seal", instanceId),
    issuer: caName,
    subjectPublicKey: sealKeys.publicKey,
    issuerPrivateKey: caKeys.privateKey,
    notBefore,
    notAfter: addYears(notBefore, SEAL_YEARS),
    // No extended key usage on purpose: pdfsig (NSS) rejects a leaf whose EKU lacks emailProtection.
    extensions: [
      extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
      // digitalSignature (bit 0) + nonRepudiation (bit 1)
      extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 })),
      extension(
        OID.subjectKeyIdentifier,
        false,
        new asn1js.OctetString({ valueHex: keyIdentifier(sealKeys.publicKey) }),
      ),
      extension(
        OID.authorityKeyIdentifier,
        false,
        new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: caSki }),
        }).toSchema(),
      ),
    ],
  });
  const pkcs8 = (key: crypto.KeyObject) => key.export({ type: "pkcs8", format: "pem" }) as string;
  return {
    [FILES.ca]: derToPem(caDer),
    [FILES.caKey]: pkcs8(caKeys.privateKey),
    [FILES.seal]: derToPem(sealDer),
    [FILES.sealKey]: pkcs8(sealKeys.privateKey),
  };
}

function generateRsaKeyPair(): Promise<{ publicKey: crypto.KeyObject; privateKey: crypto.KeyObject }> {
  return new Promise((resolve, reject) =>
    crypto.generateKeyPair(
      "rsa",
      { modulusLength: MODULUS_BITS, publicExponent: 0x10001 },
      (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey })),
    ),
  );
}

interface CertificateRequest {
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.RelativeDistinguishedNames;
  subjectPublicKey: crypto.KeyObject;
  issuerPrivateKey: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: pkijs.Extension[];
}

/** Builds the certificate with pkijs and signs its TBS with node:crypto (no WebCrypto engine needed). */
function issueCertificate(request: CertificateRequest): Buffer {
  const algorithm = () =>
    new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSAEncryption, algorithmParams: new asn1js.Null() });
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: positiveSerial() }),
    signature: algorithm(),
    issuer: request.issuer,
    subject: request.subject,
    notBefore: certificateTime(request.notBefore),
    notAfter: certificateTime(request.notAfter),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(request.subjectPublicKey.export({ type: "spki", format: "der" })),
    extensions: request.extensions,
  });
  certificate.signatureAlgorithm = algorithm();
  certificate.tbsView = new Uint8Array(certificate.encodeTBS().toBER());
  const signature = crypto.sign("sha256", certificate.tbsView, request.issuerPrivateKey);
  certificate.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });
  return Buffer.from(certificate.toSchema().toBER());
}

function distinguishedName(commonName: string, instanceId: string) {
  const rdn = (type: string, value: string) =>
    new asn1js.Set({
      value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }).toSchema()],
    });
  // One attribute per RDN, built by hand: pkijs would put them all in a single
  // multi-valued RDN ("O + OU + CN"), which viewers show badly.
  const name = new asn1js.Sequence({
    value: [
      rdn(OID.organization, ORGANIZATION),
      rdn(OID.organizationalUnit, `Instance ${instanceId}`),
      rdn(OID.commonName, commonName),
    ],
  });
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER());
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType) {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: crypto.KeyObject): ArrayBuffer {
  const spki = pkijs.PublicKeyInfo.fromBER(publicKey.export({ type: "spki", format: "der" }));
  return toArrayBuffer(crypto.createHash("sha1").update(spki.subjectPublicKey.valueBlock.valueHexView).digest());
}

function positiveSerial(): ArrayBuffer {
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, and no leading zero byte to strip
  return toArrayBuffer(serial);
}

function certificateTime(value: Date) {
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

function addYears(date: Date, years: number) {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

// ------------------------------------------------------------------- PKCS#12

async function loadP12Identity(p12Path: string, password: string): Promise<SealIdentity> {
  const bytes = await fs.readFile(p12Path);
  // node-forge only decrypts the bags (it reads legacy 3DES/RC2 files as well
  // as OpenSSL 3's AES/PBKDF2 ones); everything after is node:crypto.
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(forge.util.createBuffer(bytes.toString("binary"))),
      false,
      password,
    );
  } catch (error) {
    throw new Error(`SEAL_P12 ${p12Path}: cannot read (wrong SEAL_P12_PASSWORD?): ${(error as Error).message}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (keyBags.length !== 1) throw new Error(`SEAL_P12 ${p12Path}: expected one private key, found ${keyBags.length}`);

  const keyBag = keyBags[0];
  const keyInfo = keyBag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)) : keyBag.asn1;
  const privateKey = crypto.createPrivateKey({ key: forgeDer(keyInfo), format: "der", type: "pkcs8" });
  if (privateKey.asymmetricKeyType !== "rsa") {
    throw new Error(`SEAL_P12 ${p12Path}: the seal signs with RSA; this key is ${privateKey.asymmetricKeyType}`);
  }

  const certificates = certBags.map(
    (bag) => new crypto.X509Certificate(forgeDer(bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1)),
  );
  const leaf = certificates.find((certificate) => certificate.checkPrivateKey(privateKey));
  if (!leaf) throw new Error(`SEAL_P12 ${p12Path}: no certificate matches the private key`);
  return identityFrom(privateKey, buildChain(leaf, certificates));
}

/** Orders the file's certificates from the leaf up, following signatures, not file order. */
function buildChain(leaf: crypto.X509Certificate, pool: crypto.X509Certificate[]) {
  const chain = [leaf];
  for (let current = leaf; chain.length <= pool.length; ) {
    if (current.checkIssued(current) && current.verify(current.publicKey)) break; // self-signed root
    const issuer = pool.find(
      (candidate) =>
        !chain.includes(candidate) && current.checkIssued(candidate) && current.verify(candidate.publicKey),
    );
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

function forgeDer(value: forge.asn1.Asn1 | undefined): Buffer {
  if (!value) throw new Error("PKCS#12 bag without content");
  return Buffer.from(forge.asn1.toDer(value).getBytes(), "binary");
}

// ------------------------------------------------------------------- helpers

function identityFrom(privateKey: crypto.KeyObject, chain: crypto.X509Certificate[]): SealIdentity {
  return {
    privateKey,
    certificate: chain[0].raw,
    chain: chain.map((certificate) => certificate.raw),
    caCertificatePem: chain[chain.length - 1].toString(),
  };
}

function derToPem(der: Buffer) {
  const base64 = der.toString("base64").replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`;
}

async function writeDurably(file: string, content: string, mode: number) {
  const handle = await fs.open(file, "wx", mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode); // exact mode whatever the process umask
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncPath(directory: string) {
  const handle = await fs.open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(file: string) {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
