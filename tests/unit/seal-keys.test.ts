// The instance seal's keys: generated once per DATA_DIR with private files,
// reused on later starts, or read from an operator's PKCS#12 file.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadSealIdentity, caCertificatePem, type SealIdentity } from "~/seal/keys.server";

const run = promisify(execFile);
let root: string;
let dataDir: string;
let identity: SealIdentity;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "signet-seal-keys-"));
  dataDir = path.join(root, "data");
  identity = await loadSealIdentity(dataDir);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function extensions(der: Buffer) {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(der));
  return new Map((certificate.extensions ?? []).map((extension) => [extension.extnID, extension]));
}

function keyUsageBits(extension: pkijs.Extension | undefined) {
  const bits = asn1js.fromBER(extension!.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
  return Array.from(bits.valueBlock.valueHexView);
}

describe("generated instance seal", () => {
  it("writes the four files with private keys readable by the owner only", async () => {
    const keysDir = path.join(dataDir, "keys");
    expect((await fs.stat(keysDir)).mode & 0o777).toBe(0o700);
    expect((await fs.readdir(keysDir)).sort()).toEqual(["ca.key.pem", "ca.pem", "seal.key.pem", "seal.pem"]);
    expect((await fs.stat(path.join(keysDir, "ca.key.pem"))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(keysDir, "seal.key.pem"))).mode & 0o777).toBe(0o600);
    // No temp directory left behind next to keys/.
    expect(await fs.readdir(dataDir)).toEqual(["keys"]);
  });

  it("reuses the keys on a later start instead of making new ones", async () => {
    const before = await fs.readFile(path.join(dataDir, "keys", "seal.key.pem"), "utf8");
    expect(await loadSealIdentity(dataDir)).toBe(identity); // same process: cached
    vi.resetModules(); // a fresh module: what a restart sees
    const fresh = await import("~/seal/keys.server");
    const reloaded = await fresh.loadSealIdentity(dataDir);
    expect(reloaded).not.toBe(identity);
    expect(reloaded.certificate.equals(identity.certificate)).toBe(true);
    expect(reloaded.chain.map((der) => der.toString("hex"))).toEqual(identity.chain.map((der) => der.toString("hex")));
    expect(await fs.readFile(path.join(dataDir, "keys", "seal.key.pem"), "utf8")).toBe(before);
  });

  it("issues a CA and a seal certificate fit for pdfsig and PAdES", async () => {
    const [sealDer, caDer] = identity.chain;
    expect(identity.chain).toHaveLength(2);
    expect(identity.certificate.equals(sealDer)).toBe(true);
    const seal = new crypto.X509Certificate(sealDer);
    const ca = new crypto.X509Certificate(caDer);

    expect(ca.subject).toMatch(/CN=Signet instance CA/);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(seal.subject).toMatch(/CN=Signet seal/);
    expect(seal.subject).toMatch(/O=Signet instance/);
    expect(seal.ca).toBe(false);
    expect(seal.verify(ca.publicKey)).toBe(true);
    expect(seal.checkPrivateKey(identity.privateKey)).toBe(true);
    expect(identity.privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);

    const years = (certificate: crypto.X509Certificate) =>
      (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / (365.25 * 24 * 3600 * 1000);
    expect(Math.round(years(ca))).toBe(10);
    expect(Math.round(years(seal))).toBe(5);

    const caExtensions = extensions(caDer);
    expect(caExtensions.get("2.5.29.15")?.critical).toBe(true);
    expect(keyUsageBits(caExtensions.get("2.5.29.15"))).toEqual([0x06]); // keyCertSign + cRLSign
    const sealExtensions = extensions(sealDer);
    expect(keyUsageBits(sealExtensions.get("2.5.29.15"))).toEqual([0xc0]); // digitalSignature + nonRepudiation
    expect(sealExtensions.has("2.5.29.37")).toBe(false); // no extended key usage

    expect(await caCertificatePem(dataDir)).toBe(ca.toString());
    expect(identity.caCertificatePem).toBe(await fs.readFile(path.join(dataDir, "keys", "ca.pem"), "utf8"));
  });

  it("gives each data directory its own CA", async () => {
    const other = await loadSealIdentity(path.join(root, "other"));
    expect(other.caCertificatePem).not.toBe(identity.caCertificatePem);
  });
});

describe("seal from SEAL_P12", () => {
  async function makeP12(name: string, password: string, extraArgs: string[]) {
    const keys = path.join(dataDir, "keys");
    const file = path.join(root, name);
    await run("openssl", [
      "pkcs12",
      "-export",
      "-inkey",
      path.join(keys, "seal.key.pem"),
      "-in",
      path.join(keys, "seal.pem"),
      "-certfile",
      path.join(keys, "ca.pem"),
      "-passout",
      `pass:${password}`,
      "-out",
      file,
      ...extraArgs,
    ]);
    return file;
  }

  it("reads an OpenSSL 3 (AES, PBKDF2) file: same key and byte-exact chain", async () => {
    const p12Path = await makeP12("modern.p12", "correct horse", []);
    const fromP12 = await loadSealIdentity(path.join(root, "unused"), { p12Path, p12Password: "correct horse" });
    expect(fromP12.chain.map((der) => der.toString("hex"))).toEqual(identity.chain.map((der) => der.toString("hex")));
    expect(fromP12.caCertificatePem).toBe(identity.caCertificatePem);
    const probe = Buffer.from("probe");
    const signature = crypto.sign("sha256", probe, fromP12.privateKey);
    expect(crypto.verify("sha256", probe, new crypto.X509Certificate(identity.certificate).publicKey, signature)).toBe(
      true,
    );
    // Nothing was generated for a P12 seal.
    await expect(fs.stat(path.join(root, "unused"))).rejects.toThrow();
  });

  it("reads a legacy (3DES, SHA-1 MAC) file", async () => {
    const p12Path = await makeP12("legacy.p12", "pw", [
      "-certpbe",
      "PBE-SHA1-3DES",
      "-keypbe",
      "PBE-SHA1-3DES",
      "-macalg",
      "sha1",
    ]);
    const fromP12 = await loadSealIdentity(root, { p12Path, p12Password: "pw" });
    expect(fromP12.certificate.equals(identity.certificate)).toBe(true);
    expect(fromP12.chain).toHaveLength(2);
  });

  it("refuses a wrong password with a message naming SEAL_P12_PASSWORD", async () => {
    const p12Path = await makeP12("wrong.p12", "right", []);
    await expect(loadSealIdentity(root, { p12Path, p12Password: "wrong" })).rejects.toThrow(/SEAL_P12_PASSWORD/);
  });
});
