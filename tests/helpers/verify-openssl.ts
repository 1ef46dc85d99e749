// A second, independent PKI for the verifier's tests, made with the openssl command line:
// a "trust service" CA, signers with every key type in real use (RSA, DSA, brainpool and
// NIST ECDSA, Ed25519, Ed448), a time-stamping authority, and the CMS signatures and
// RFC 3161 tokens openssl makes with them. openssl also verifies, so the tests can check
// that the portal agrees with it. One PKI per test process (key generation is the slow part).
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type KeyType = "rsa" | "dsa" | "brainpoolP256r1" | "brainpoolP384r1" | "P-256" | "ed25519" | "ed448";

export interface OpensslIdentity {
  label: string;
  keyPath: string;
  certPath: string;
  certPem: string;
  certDer: Uint8Array;
}

export interface OpensslPki {
  dir: string;
  caPath: string;
  caPem: string;
  caDer: Uint8Array;
  signers: Record<KeyType, OpensslIdentity>;
  tsa: OpensslIdentity;
  /** `openssl cms -sign` over the bytes (detached, DER), with extra arguments (-md, -keyopt, -cades). */
  cmsSign(content: Uint8Array, signer: OpensslIdentity, args: string[]): Uint8Array;
  /** A raw signature value: `openssl pkeyutl -sign -rawin` (EdDSA) or `openssl dgst -sign` (others). */
  rawSign(data: Uint8Array, signer: OpensslIdentity, digest?: string): Uint8Array;
  /** An RFC 3161 token from the test TSA over the bytes (`openssl ts -reply -token_out`). */
  timestamp(content: Uint8Array, digest?: string): Uint8Array;
  /** `openssl cms -verify` (purpose any): signature and chain to the CA. */
  cmsVerifies(cms: Uint8Array, content: Uint8Array): boolean;
  /** `openssl ts -verify`: imprint, TSA signature and chain. */
  timestampVerifies(token: Uint8Array, content: Uint8Array): boolean;
  /** `openssl pkeyutl -verify -rawin` of a raw signature value. */
  rawVerifies(data: Uint8Array, signature: Uint8Array, signer: OpensslIdentity, digest?: string): boolean;
  /** A PKCS #12 of a signer's key and certificate (for @signpdf's P12Signer). */
  p12(signer: OpensslIdentity, password: string): Uint8Array;
}

const LEAF_EXTENSIONS = [
  "basicConstraints=critical,CA:false",
  "keyUsage=critical,digitalSignature,nonRepudiation",
  "subjectKeyIdentifier=hash",
  "authorityKeyIdentifier=keyid",
].join("\n");
const TSA_EXTENSIONS = [
  "basicConstraints=critical,CA:false",
  "keyUsage=critical,digitalSignature",
  "extendedKeyUsage=critical,timeStamping",
  "subjectKeyIdentifier=hash",
  "authorityKeyIdentifier=keyid",
].join("\n");
const TSA_CONFIG = (dir: string) => `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ${path.join(dir, "tsa-serial")}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha1, sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

async function generateKey(type: KeyType | "rsa-tsa", file: string, dir: string): Promise<void> {
  switch (type) {
    case "rsa":
    case "rsa-tsa":
      await run("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file]);
      return;
    case "dsa": {
      const params = path.join(dir, "dsa-params.pem");
      await run("openssl", [
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:2048",
        "-pkeyopt",
        "dsa_paramgen_q_bits:256",
        "-out",
        params,
      ]);
      await run("openssl", ["genpkey", "-paramfile", params, "-out", file]);
      return;
    }
    case "ed25519":
    case "ed448":
      await run("openssl", ["genpkey", "-algorithm", type, "-out", file]);
      return;
    default:
      await run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${type}`, "-out", file]);
  }
}

/** `openssl cms -verify` of a detached DER CMS over a content file, chained to a CA file (any purpose). */
export function cmsVerifyArguments(cmsFile: string, contentFile: string, caFile: string): string[] {
  const args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", cmsFile, "-content", contentFile];
  return [...args, "-CAfile", caFile, "-purpose", "any", "-out", "/dev/null"];
}

function derOf(pem: string): Uint8Array {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)![1];
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ""), "base64"));
}

let cached: Promise<OpensslPki> | null = null;

export function opensslPki(): Promise<OpensslPki> {
  cached ??= createPki();
  return cached;
}

async function createPki(): Promise<OpensslPki> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "signet-openssl-"));
  const file = (name: string) => path.join(dir, name);
  fs.writeFileSync(file("leaf.ext"), LEAF_EXTENSIONS);
  fs.writeFileSync(file("tsa.ext"), TSA_EXTENSIONS);
  fs.writeFileSync(file("ts.cnf"), TSA_CONFIG(dir));
  fs.writeFileSync(file("tsa-serial"), "01\n");

  const types: KeyType[] = ["rsa", "dsa", "brainpoolP256r1", "brainpoolP384r1", "P-256", "ed25519", "ed448"];
  await Promise.all([
    run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      file("ca.key"),
      "-out",
      file("ca.pem"),
      "-days",
      "3650",
      "-subj",
      "/C=PL/O=Test Trust Service/CN=Test Trust Service Root CA",
      "-addext",
      "basicConstraints=critical,CA:true",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]),
    ...types.map((type) => generateKey(type, file(`${type}.key`), dir)),
    generateKey("rsa-tsa", file("tsa.key"), dir),
  ]);

  let serial = 100;
  const issue = async (label: string, keyFile: string, extensions: string): Promise<OpensslIdentity> => {
    const base = file(label.replace(/\W+/g, "-"));
    await run("openssl", [
      "req",
      "-new",
      "-key",
      keyFile,
      "-subj",
      `/C=PL/O=Test Signers/CN=${label}`,
      "-out",
      `${base}.csr`,
    ]);
    await run("openssl", [
      "x509",
      "-req",
      "-in",
      `${base}.csr`,
      "-CA",
      file("ca.pem"),
      "-CAkey",
      file("ca.key"),
      "-set_serial",
      String(serial++),
      "-days",
      "3650",
      "-extfile",
      extensions,
      "-out",
      `${base}.pem`,
    ]);
    const certPem = fs.readFileSync(`${base}.pem`, "utf8");
    return { label, keyPath: keyFile, certPath: `${base}.pem`, certPem, certDer: derOf(certPem) };
  };
  const signers = {} as Record<KeyType, OpensslIdentity>;
  for (const type of types) signers[type] = await issue(`${type} signer`, file(`${type}.key`), file("leaf.ext"));
  const tsa = await issue("Test TSA", file("tsa.key"), file("tsa.ext"));

  let scratch = 0;
  const temp = (bytes: Uint8Array | Uint8Array[]) => {
    const target = file(`scratch-${scratch++}.bin`);
    fs.writeFileSync(target, Array.isArray(bytes) ? Buffer.concat(bytes) : bytes);
    return target;
  };
  const ok = (args: string[]) => {
    try {
      execFileSync("openssl", args, { stdio: "pipe" });
      return true;
    } catch {
      return false;
    }
  };
  const caPem = fs.readFileSync(file("ca.pem"), "utf8");
  return {
    dir,
    caPath: file("ca.pem"),
    caPem,
    caDer: derOf(caPem),
    signers,
    tsa,
    cmsSign(content, signer, args) {
      const input = temp(content);
      const output = `${input}.p7s`;
      execFileSync("openssl", [
        "cms",
        "-sign",
        "-binary",
        "-in",
        input,
        "-signer",
        signer.certPath,
        "-inkey",
        signer.keyPath,
        "-outform",
        "DER",
        "-out",
        output,
        "-nosmimecap",
        ...args,
      ]);
      return new Uint8Array(fs.readFileSync(output));
    },
    rawSign(data, signer, digest) {
      const input = temp(data);
      const output = `${input}.sig`;
      if (digest) execFileSync("openssl", ["dgst", `-${digest}`, "-sign", signer.keyPath, "-out", output, input]);
      else
        execFileSync("openssl", ["pkeyutl", "-sign", "-rawin", "-inkey", signer.keyPath, "-in", input, "-out", output]);
      return new Uint8Array(fs.readFileSync(output));
    },
    timestamp(content, digest = "sha256") {
      const input = temp(content);
      execFileSync("openssl", [
        "ts",
        "-query",
        "-data",
        input,
        `-${digest}`,
        "-cert",
        "-no_nonce",
        "-out",
        `${input}.tsq`,
      ]);
      execFileSync(
        "openssl",
        [
          "ts",
          "-reply",
          "-queryfile",
          `${input}.tsq`,
          "-inkey",
          tsa.keyPath,
          "-signer",
          tsa.certPath,
          "-config",
          file("ts.cnf"),
          "-section",
          "tsa_config",
          "-token_out",
          "-out",
          `${input}.tsr`,
        ],
        { stdio: "pipe" },
      );
      return new Uint8Array(fs.readFileSync(`${input}.tsr`));
    },
    cmsVerifies(cms, content) {
      return ok(cmsVerifyArguments(temp(cms), temp(content), file("ca.pem")));
    },
    timestampVerifies(token, content) {
      return ok([
        "ts",
        "-verify",
        "-data",
        temp(content),
        "-in",
        temp(token),
        "-token_in",
        "-CAfile",
        file("ca.pem"),
        "-untrusted",
        tsa.certPath,
      ]);
    },
    rawVerifies(data, signature, signer, digest) {
      const input = temp(data);
      const sig = temp(signature);
      if (digest) return ok(["dgst", `-${digest}`, "-verify", publicKey(signer), "-signature", sig, input]);
      return ok(["pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", publicKey(signer), "-in", input, "-sigfile", sig]);
    },
    p12(signer, password) {
      const output = file(`${signer.label.replace(/\W+/g, "-")}.p12`);
      execFileSync("openssl", [
        "pkcs12",
        "-export",
        "-inkey",
        signer.keyPath,
        "-in",
        signer.certPath,
        "-passout",
        `pass:${password}`,
        "-out",
        output,
      ]);
      return new Uint8Array(fs.readFileSync(output));
    },
  };

  function publicKey(signer: OpensslIdentity): string {
    const target = `${signer.keyPath}.pub`;
    if (!fs.existsSync(target)) execFileSync("openssl", ["pkey", "-in", signer.keyPath, "-pubout", "-out", target]);
    return target;
  }
}
