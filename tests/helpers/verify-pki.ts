// Test PKI for the verifier: an instance CA with its seal certificate, and a foreign CA
// with its own (valid signatures whose signer the portal must not trust). Built with
// pkijs and WebCrypto; private keys exported for node:crypto signing.
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export interface TestIdentity {
  name: string;
  certificate: pkijs.Certificate;
  certificateDer: Uint8Array;
  certificatePem: string;
  privateKey: crypto.KeyObject;
  /** Issuer certificates to embed in the CMS (not the trust anchor itself). */
  chainDer: Uint8Array[];
  /** The CA that issued it (for trust lists). */
  caDer: Uint8Array;
  caPem: string;
}

export interface TestPki {
  instanceCa: TestIdentity;
  seal: TestIdentity;
  foreignCa: TestIdentity;
  foreignSeal: TestIdentity;
}

const subtle = crypto.webcrypto.subtle;

function pem(der: Uint8Array): string {
  const base64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${base64.trim()}\n-----END CERTIFICATE-----\n`;
}

/** One RDN per attribute: pkijs would put them all in one multi-valued RDN ("CN=a+O=b"). */
function distinguishedName(parts: Array<[string, string]>): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({
    value: parts.map(
      ([type, value]) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({
              type,
              value: type === "2.5.4.6" ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
            }).toSchema(),
          ],
        }),
    ),
  });
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(sequence.toBER(false)).result });
}

function keyIdentifier(publicKeyInfo: pkijs.PublicKeyInfo): Uint8Array {
  return crypto.createHash("sha1").update(publicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
}

interface IssueOptions {
  subject: Array<[string, string]>;
  isCa: boolean;
  issuer?: { certificate: pkijs.Certificate; key: CryptoKey };
  notBefore?: Date;
  notAfter?: Date;
  /** Key usage bits to set (0 digitalSignature, 1 nonRepudiation, 5 keyCertSign, 6 cRLSign). */
  keyUsage?: number[];
}

async function issue(
  options: IssueOptions,
): Promise<{ certificate: pkijs.Certificate; der: Uint8Array; keys: CryptoKeyPair }> {
  const keys = (await subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serial = crypto.randomBytes(12);
  serial[0] &= 0x7f;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject = distinguishedName(options.subject);
  certificate.issuer = options.issuer ? options.issuer.certificate.subject : distinguishedName(options.subject);
  certificate.notBefore.value = options.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  certificate.notAfter.value = options.notAfter ?? new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);

  const extensions: pkijs.Extension[] = [];
  const basic = new pkijs.BasicConstraints({ cA: options.isCa });
  extensions.push(
    new pkijs.Extension({
      extnID: "2.5.29.19",
      critical: true,
      extnValue: basic.toSchema().toBER(false),
      parsedValue: basic,
    }),
  );
  const bits = options.keyUsage ?? (options.isCa ? [5, 6] : [0, 1]);
  let usage = 0;
  for (const bit of bits) usage |= 0x8000 >> bit;
  const usageBytes = usage & 0xff ? new Uint8Array([usage >> 8, usage & 0xff]) : new Uint8Array([usage >> 8]);
  const lowest = Math.max(...bits);
  const keyUsage = new asn1js.BitString({ valueHex: usageBytes, unusedBits: usageBytes.length * 8 - 1 - lowest });
  extensions.push(new pkijs.Extension({ extnID: "2.5.29.15", critical: true, extnValue: keyUsage.toBER(false) }));
  const ski = keyIdentifier(certificate.subjectPublicKeyInfo);
  extensions.push(
    new pkijs.Extension({ extnID: "2.5.29.14", extnValue: new asn1js.OctetString({ valueHex: ski }).toBER(false) }),
  );
  const issuerKeyId = options.issuer ? keyIdentifier(options.issuer.certificate.subjectPublicKeyInfo) : ski;
  const aki = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: issuerKeyId }) });
  extensions.push(new pkijs.Extension({ extnID: "2.5.29.35", extnValue: aki.toSchema().toBER(false) }));
  certificate.extensions = extensions;

  await certificate.sign(options.issuer?.key ?? keys.privateKey, "SHA-256");
  const der = new Uint8Array(certificate.toSchema(true).toBER(false));
  return { certificate: pkijs.Certificate.fromBER(der), der, keys };
}

async function nodeKey(key: CryptoKey): Promise<crypto.KeyObject> {
  const pkcs8 = await subtle.exportKey("pkcs8", key);
  return crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
}

async function authority(label: string): Promise<{ identity: TestIdentity; key: CryptoKey }> {
  const ca = await issue({
    subject: [
      ["2.5.4.6", "PL"],
      ["2.5.4.10", label],
      ["2.5.4.3", `${label} Root CA`],
    ],
    isCa: true,
  });
  const identity: TestIdentity = {
    name: `${label} Root CA`,
    certificate: ca.certificate,
    certificateDer: ca.der,
    certificatePem: pem(ca.der),
    privateKey: await nodeKey(ca.keys.privateKey),
    chainDer: [],
    caDer: ca.der,
    caPem: pem(ca.der),
  };
  return { identity, key: ca.keys.privateKey };
}

export async function issueSealCertificate(
  ca: { identity: TestIdentity; key: CryptoKey },
  label: string,
  options: Partial<Pick<IssueOptions, "notBefore" | "notAfter" | "keyUsage">> = {},
): Promise<TestIdentity> {
  const leaf = await issue({
    subject: [
      ["2.5.4.6", "PL"],
      ["2.5.4.10", label],
      ["2.5.4.3", `${label} Seal`],
    ],
    isCa: false,
    issuer: { certificate: ca.identity.certificate, key: ca.key },
    ...options,
  });
  return {
    name: `${label} Seal`,
    certificate: leaf.certificate,
    certificateDer: leaf.der,
    certificatePem: pem(leaf.der),
    privateKey: await nodeKey(leaf.keys.privateKey),
    chainDer: [ca.identity.certificateDer],
    caDer: ca.identity.certificateDer,
    caPem: ca.identity.certificatePem,
  };
}

let cached: Promise<
  TestPki & {
    authorities: {
      instance: { identity: TestIdentity; key: CryptoKey };
      foreign: { identity: TestIdentity; key: CryptoKey };
    };
  }
> | null = null;

/** One PKI per test process (RSA key generation is the slow part). */
export function testPki() {
  cached ??= (async () => {
    const instance = await authority("Signet Test Instance");
    const foreign = await authority("Foreign Trust Service");
    const [seal, foreignSeal] = await Promise.all([
      issueSealCertificate(instance, "Signet Test"),
      issueSealCertificate(foreign, "Foreign Company"),
    ]);
    return {
      instanceCa: instance.identity,
      seal,
      foreignCa: foreign.identity,
      foreignSeal,
      authorities: { instance, foreign },
    };
  })();
  return cached;
}
