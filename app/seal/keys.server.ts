// The instance seal's key and certificates: generated once per DATA_DIR, or
// loaded from a PKCS#12 file (SEAL_P12) when the operator has a real one.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import forge from "node-forge";
import { config } from "~/config.server";
import {
  addYears,
  derToPem,
  distinguishedName,
  extensions,
  generateRsaKeyPair,
  issueCertificate,
  keyIdentifier,
  parseCertificate,
} from "./certificates.server";

export interface SealIdentity {
  privateKey: crypto.KeyObject;
  /** DER of the seal (signing) certificate. */
  certificate: Buffer;
  /** DER certificates, seal certificate first, then its issuers up to the root. */
  chain: Buffer[];
  /** PEM of the top certificate of the chain: what a verifier has to trust. */
  caCertificatePem: string;
  /**
   * Set for the generated instance seal: its issuer is this instance's CA under
   * `dataDir`/keys, which also signs the CRL (crl.server.ts). Unset for SEAL_P12.
   */
  instanceCa?: { dataDir: string };
}

export interface SealSource {
  /** Path of a PKCS#12 file; unset means the generated instance CA and seal. */
  p12Path?: string;
  p12Password?: string;
}

const KEYS_DIR = "keys";
export const KEY_FILES = {
  ca: "ca.pem",
  caKey: "ca.key.pem",
  seal: "seal.pem",
  sealKey: "seal.key.pem",
  /** Certificates replaced by `npm run seal:revoke`, kept for the record (their keys are deleted). */
  retired: "retired",
} as const;

// RSA-3072 rather than 2048: the seal certificate lives 5 years and sealed PDFs
// are checked for longer; NIST SP 800-57 and BSI TR-02102 want ≥3000 bits past
// 2030. The cost is ~1.8 ms per seal instead of ~0.4 ms and a one-off ~1 s
// key generation on first start, both negligible next to rendering a PDF.
const MODULUS_BITS = 3072;
const CA_YEARS = 10;
const SEAL_YEARS = 5;
const ORGANIZATION = "Signet instance";

/** The stable address of the instance CA's CRL, written into every seal certificate it issues. */
export function instanceCrlUrl() {
  return `${config.publicUrl}/ca.crl`;
}

export function keysDirectory(dataDir: string) {
  return path.join(path.resolve(dataDir), KEYS_DIR);
}

interface Cached {
  /** Size, mtime and inode of seal.pem and seal.key.pem when loaded; null for SEAL_P12. */
  fileSignature: string | null;
  identity: Promise<SealIdentity>;
}

const cache = new Map<string, Cached>();

/**
 * The seal identity for a data directory (cached per directory and source).
 * First call on a fresh DATA_DIR generates the instance CA and the seal
 * certificate under DATA_DIR/keys; with SEAL_P12 set it reads that file instead.
 * A seal certificate replaced on disk (`npm run seal:revoke`, possibly by another
 * process) is picked up at the next call: a stat of two files, no reading.
 */
export async function loadSealIdentity(
  dataDir: string,
  source: SealSource = { p12Path: config.sealP12, p12Password: config.sealP12Password },
): Promise<SealIdentity> {
  const resolved = path.resolve(dataDir);
  const cacheKey = `${resolved}\0${source.p12Path ?? ""}`;
  const fileSignature = source.p12Path ? null : await sealFilesSignature(keysDirectory(resolved));
  const cached = cache.get(cacheKey);
  if (cached && cached.fileSignature === fileSignature) return cached.identity;
  const identity = source.p12Path
    ? loadP12Identity(source.p12Path, source.p12Password ?? "")
    : loadOrCreateInstanceIdentity(resolved);
  const entry: Cached = { fileSignature, identity };
  // A failed load (bad password, unreadable file) must not stick for the process.
  identity.catch(() => {
    if (cache.get(cacheKey) === entry) cache.delete(cacheKey);
  });
  cache.set(cacheKey, entry);
  if (fileSignature === "missing") {
    // Generated just now: remember the files as written, not as missing.
    identity.then(
      async () => {
        if (cache.get(cacheKey) === entry) entry.fileSignature = await sealFilesSignature(keysDirectory(resolved));
      },
      () => {},
    );
  }
  return identity;
}

/** The certificate a verifier must trust, as PEM, for the CA download. */
export async function caCertificatePem(dataDir: string, source?: SealSource): Promise<string> {
  return (await loadSealIdentity(dataDir, source)).caCertificatePem;
}

async function sealFilesSignature(keysDir: string) {
  try {
    const stats = await Promise.all(
      [KEY_FILES.seal, KEY_FILES.sealKey].map((name) => fs.stat(path.join(keysDir, name))),
    );
    return stats.map((stat) => `${stat.ino}:${stat.size}:${stat.mtimeMs}`).join("|");
  } catch {
    return "missing";
  }
}

// ---------------------------------------------------------------- instance CA

async function loadOrCreateInstanceIdentity(dataDir: string): Promise<SealIdentity> {
  const keysDir = keysDirectory(dataDir);
  if (!(await exists(path.join(keysDir, KEY_FILES.sealKey)))) await createKeysDir(dataDir, keysDir);
  // seal:revoke replaces seal.pem and seal.key.pem one after the other: a reader
  // between the two renames sees a mismatched pair and reads again.
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await readKeysDir(keysDir)), instanceCa: { dataDir } };
    } catch (error) {
      if (attempt >= 5 || !/does not match/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function readKeysDir(keysDir: string): Promise<SealIdentity> {
  const read = (name: string) => fs.readFile(path.join(keysDir, name), "utf8");
  const [caPem, sealPem, sealKeyPem] = await Promise.all([
    read(KEY_FILES.ca),
    read(KEY_FILES.seal),
    read(KEY_FILES.sealKey),
  ]);
  const ca = new crypto.X509Certificate(caPem);
  const seal = new crypto.X509Certificate(sealPem);
  const privateKey = crypto.createPrivateKey(sealKeyPem);
  if (!seal.checkPrivateKey(privateKey))
    throw new Error(`${keysDir}: ${KEY_FILES.sealKey} does not match ${KEY_FILES.seal}`);
  if (!seal.verify(ca.publicKey)) throw new Error(`${keysDir}: ${KEY_FILES.seal} is not issued by ${KEY_FILES.ca}`);
  return identityFrom(privateKey, [seal, ca]);
}

/** The instance CA's certificate and private key (for issuing seal certificates and CRLs). */
export async function loadInstanceCa(dataDir: string) {
  const keysDir = keysDirectory(dataDir);
  const [pem, keyPem] = await Promise.all([
    fs.readFile(path.join(keysDir, KEY_FILES.ca), "utf8"),
    fs.readFile(path.join(keysDir, KEY_FILES.caKey), "utf8"),
  ]);
  const certificate = new crypto.X509Certificate(pem);
  const privateKey = crypto.createPrivateKey(keyPem);
  if (!certificate.checkPrivateKey(privateKey)) throw new Error(`${keysDir}: ${KEY_FILES.caKey} does not match`);
  return { certificate, der: certificate.raw, privateKey, keysDir };
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
      if (!(await exists(path.join(keysDir, KEY_FILES.sealKey)))) {
        for (const name of [KEY_FILES.ca, KEY_FILES.caKey, KEY_FILES.seal, KEY_FILES.sealKey])
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
  const [caKeys, sealKeys] = await Promise.all([generateRsaKeyPair(MODULUS_BITS), generateRsaKeyPair(MODULUS_BITS)]);
  // Every instance's CA has the same CN; a short id tells two instances apart
  // in a trust store or on the verification portal.
  const instanceId = crypto.randomBytes(4).toString("hex");
  const caName = instanceName("Signet instance CA", instanceId);
  const notBefore = new Date(Date.now() - 60 * 60 * 1000); // tolerate clock skew of verifiers
  const caDer = issueCertificate({
    subject: caName,
    issuer: caName,
    subjectPublicKey: caKeys.publicKey,
    issuerPrivateKey: caKeys.privateKey,
    notBefore,
    notAfter: addYears(notBefore, CA_YEARS),
    extensions: extensions.ca(keyIdentifier(caKeys.publicKey)),
  });
  const ca = { der: caDer, privateKey: caKeys.privateKey, publicKey: caKeys.publicKey };
  const sealDer = issueSealCertificate(ca, sealKeys.publicKey, notBefore);
  const pkcs8 = (key: crypto.KeyObject) => key.export({ type: "pkcs8", format: "pem" }) as string;
  return {
    [KEY_FILES.ca]: derToPem(caDer),
    [KEY_FILES.caKey]: pkcs8(caKeys.privateKey),
    [KEY_FILES.seal]: derToPem(sealDer),
    [KEY_FILES.sealKey]: pkcs8(sealKeys.privateKey),
  };
}

function instanceName(commonName: string, instanceId: string) {
  return distinguishedName({ organization: ORGANIZATION, organizationalUnit: `Instance ${instanceId}`, commonName });
}

/**
 * A seal certificate under the instance CA: 5 years, digitalSignature + nonRepudiation,
 * the CA's CRL as distribution point. No extended key usage on purpose: pdfsig (NSS)
 * rejects a leaf whose EKU lacks emailProtection.
 */
function issueSealCertificate(
  ca: { der: Buffer; privateKey: crypto.KeyObject; publicKey: crypto.KeyObject },
  sealPublicKey: crypto.KeyObject,
  notBefore: Date,
) {
  const caCertificate = parseCertificate(ca.der);
  const instanceUnit = caCertificate.subject.typesAndValues.find((entry) => entry.type === "2.5.4.11")?.value.valueBlock
    .value as string | undefined;
  return issueCertificate({
    subject: distinguishedName({
      organization: ORGANIZATION,
      organizationalUnit: instanceUnit ?? "Instance",
      commonName: "Signet seal",
    }),
    issuer: caCertificate.subject,
    subjectPublicKey: sealPublicKey,
    issuerPrivateKey: ca.privateKey,
    notBefore,
    notAfter: addYears(notBefore, SEAL_YEARS),
    extensions: [
      ...extensions.leaf(keyIdentifier(sealPublicKey), keyIdentifier(ca.publicKey)),
      extensions.crlDistributionPoint(instanceCrlUrl()),
    ],
  });
}

/**
 * Issues a new seal key and certificate under the instance CA and puts them in place
 * of the current ones (the old certificate moves to keys/retired/, its key is deleted).
 * Returns both certificates. The caller revokes the old one (revoke.server.ts).
 */
export async function replaceSealCertificate(dataDir: string) {
  await loadSealIdentity(dataDir, {}); // generates the instance on a fresh DATA_DIR
  const ca = await loadInstanceCa(dataDir);
  const keysDir = ca.keysDir;
  const oldPem = await fs.readFile(path.join(keysDir, KEY_FILES.seal), "utf8");
  const old = new crypto.X509Certificate(oldPem);
  const sealKeys = await generateRsaKeyPair(MODULUS_BITS);
  const sealDer = issueSealCertificate(
    { der: ca.der, privateKey: ca.privateKey, publicKey: ca.certificate.publicKey },
    sealKeys.publicKey,
    new Date(Date.now() - 60 * 60 * 1000),
  );
  const retiredDir = path.join(keysDir, KEY_FILES.retired);
  await fs.mkdir(retiredDir, { recursive: true, mode: 0o700 });
  await fs.writeFile(path.join(retiredDir, `seal-${old.serialNumber.toLowerCase()}.pem`), oldPem, { mode: 0o644 });
  const suffix = `.${crypto.randomBytes(6).toString("hex")}.tmp`;
  const keyTemp = path.join(keysDir, `${KEY_FILES.sealKey}${suffix}`);
  const certTemp = path.join(keysDir, `${KEY_FILES.seal}${suffix}`);
  await writeDurably(keyTemp, sealKeys.privateKey.export({ type: "pkcs8", format: "pem" }) as string, 0o600);
  await writeDurably(certTemp, derToPem(sealDer), 0o644);
  await fs.rename(keyTemp, path.join(keysDir, KEY_FILES.sealKey));
  await fs.rename(certTemp, path.join(keysDir, KEY_FILES.seal));
  await fsyncPath(keysDir);
  return { old, current: new crypto.X509Certificate(sealDer) };
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

export async function writeDurably(file: string, content: string | Uint8Array, mode: number) {
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
