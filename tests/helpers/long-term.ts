// Reading PAdES B-T/B-LT/B-LTA files the way an outside checker does, without the app's
// code: signatures found by their /ByteRange in the bytes, tokens and CRLs handed to
// `openssl` (ts -verify, crl, verify -crl_check) as an independent judge, the DSS read
// with pdf-lib (our own files only).
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import pdfLib from "pdf-lib";
import { expect } from "vitest";
import { parseCrl } from "../../app/seal/crl.server";
import { parsePdfsig, runPdfsig, trustedNssDir } from "./pdfsig";

const run = promisify(execFile);

export interface FileSignature {
  byteRange: [number, number, number, number];
  /** The /Contents DER without its zero padding. */
  der: Buffer;
  /** The /Contents bytes as stored, padding included (what a CAdES signature's /VRI key hashes). */
  contents: Buffer;
  subFilter: string;
  /** The bytes the signature covers. */
  signedBytes: Buffer;
  /** Where its revision ends: the end of the second ByteRange part. */
  end: number;
}

/** Every signature of the file, in file order, from its ByteRange (the gap is the /Contents hex string). */
export function fileSignatures(pdf: Buffer): FileSignature[] {
  const text = pdf.toString("latin1");
  return [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((match) => {
    const [start, firstLength, secondStart, secondLength] = match.slice(1).map(Number) as FileSignature["byteRange"];
    const hex = text.slice(firstLength, secondStart);
    if (!/^<[0-9a-f]+>$/i.test(hex)) throw new Error(`the ByteRange gap at ${firstLength} is not a hex string`);
    const padded = Buffer.from(hex.slice(1, -1), "hex");
    const dictionaryStart = text.lastIndexOf("<<", match.index);
    const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(text.slice(dictionaryStart, secondStart + 200))?.[1] ?? "";
    return {
      byteRange: [start, firstLength, secondStart, secondLength],
      der: padded.subarray(0, asn1js.fromBER(new Uint8Array(padded)).offset),
      contents: padded,
      subFilter,
      signedBytes: Buffer.concat([
        pdf.subarray(start, start + firstLength),
        pdf.subarray(secondStart, secondStart + secondLength),
      ]),
      end: secondStart + secondLength,
    };
  });
}

function signedDataOf(der: Buffer) {
  return new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(der)).content });
}

/** The signature time-stamp token (unsigned attribute) of a CAdES signature, and the signature value it covers. */
export function signatureTimestamp(cmsDer: Buffer) {
  const signerInfo = signedDataOf(cmsDer).signerInfos[0];
  const attribute = signerInfo.unsignedAttrs?.attributes.find(
    (candidate) => candidate.type === "1.2.840.113549.1.9.16.2.14",
  );
  return {
    token: attribute ? Buffer.from(attribute.values[0].toBER()) : null,
    signatureValue: Buffer.from(signerInfo.signature.valueBlock.valueHexView),
  };
}

/** genTime of a token, read with pkijs. */
export function tokenTime(token: Buffer): Date {
  const eContent = signedDataOf(token).encapContentInfo.eContent!;
  return pkijs.TSTInfo.fromBER(new Uint8Array(eContent.getValue())).genTime;
}

async function scratch() {
  return fs.mkdtemp(path.join(os.tmpdir(), "signet-openssl-"));
}

/** `openssl ts -verify` of `token` over `data`, trusting `caPem`; returns openssl's output (it must say OK). */
export async function opensslVerifyToken(token: Buffer, data: Buffer, caPem: string) {
  const dir = await scratch();
  try {
    await fs.writeFile(path.join(dir, "token.der"), token);
    await fs.writeFile(path.join(dir, "data.bin"), data);
    await fs.writeFile(path.join(dir, "ca.pem"), caPem);
    const { stdout, stderr } = await run("openssl", [
      "ts",
      "-verify",
      "-in",
      path.join(dir, "token.der"),
      "-token_in",
      "-data",
      path.join(dir, "data.bin"),
      "-CAfile",
      path.join(dir, "ca.pem"),
    ]).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }));
    return `${stdout}${stderr}`;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `openssl verify -crl_check` of a certificate against a CA and its CRL. */
export async function opensslVerifyWithCrl(certificate: Buffer, caPem: string, crl: Buffer) {
  const dir = await scratch();
  try {
    await fs.writeFile(path.join(dir, "cert.der"), certificate);
    await fs.writeFile(path.join(dir, "ca.pem"), caPem);
    await fs.writeFile(path.join(dir, "crl.der"), crl);
    await run("openssl", ["x509", "-inform", "DER", "-in", "cert.der", "-out", "cert.pem"], { cwd: dir });
    await run("openssl", ["crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem"], { cwd: dir });
    const { stdout, stderr } = await run(
      "openssl",
      ["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "crl.pem", "cert.pem"],
      { cwd: dir },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }));
    return `${stdout}${stderr}`;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `openssl crl -verify` of a DER CRL against a CA: "verify OK" when its signature holds. */
export async function opensslVerifyCrl(crl: Buffer, caPem: string) {
  const dir = await scratch();
  try {
    await fs.writeFile(path.join(dir, "crl.der"), crl);
    await fs.writeFile(path.join(dir, "ca.pem"), caPem);
    const { stdout, stderr } = await run(
      "openssl",
      ["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout", "-text"],
      { cwd: dir },
    );
    return `${stdout}${stderr}`;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface Dss {
  certificates: Buffer[];
  crls: Buffer[];
  vri: Map<string, { certificates: number; crls: number }>;
}

/** The DSS of the file's last revision (pdf-lib reads our own files right). */
export async function readDss(pdf: Uint8Array): Promise<Dss | null> {
  const { PDFDocument, PDFName, PDFDict, PDFArray, PDFRawStream, PDFRef } = pdfLib;
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const dss = document.catalog.lookupMaybe(PDFName.of("DSS"), PDFDict);
  if (!dss) return null;
  const streams = (key: string) => {
    const array = dss.lookupMaybe(PDFName.of(key), PDFArray);
    const out: Buffer[] = [];
    for (let index = 0; index < (array?.size() ?? 0); index++) {
      const ref = array!.get(index);
      const stream = ref instanceof PDFRef ? document.context.lookup(ref) : undefined;
      if (stream instanceof PDFRawStream) out.push(Buffer.from(stream.getContents()));
    }
    return out;
  };
  const vri = new Map<string, { certificates: number; crls: number }>();
  const vriDict = dss.lookupMaybe(PDFName.of("VRI"), PDFDict);
  for (const [key, value] of vriDict?.entries() ?? []) {
    const entry = document.context.lookupMaybe(value, PDFDict);
    vri.set(key.decodeText(), {
      certificates: entry?.lookupMaybe(PDFName.of("Cert"), PDFArray)?.size() ?? 0,
      crls: entry?.lookupMaybe(PDFName.of("CRL"), PDFArray)?.size() ?? 0,
    });
  }
  return { certificates: streams("Certs"), crls: streams("CRLs"), vri };
}

/** Upper-case SHA-1 hex, as /VRI keys are written. */
export function sha1Upper(bytes: Uint8Array) {
  return crypto.createHash("sha1").update(bytes).digest("hex").toUpperCase();
}

export function pemOf(der: Uint8Array) {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString("base64")
    .replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
}

export interface LongTermParties {
  /** The seal's chain, seal certificate first, and the PEM of its root. */
  sealChain: Buffer[];
  sealCaPem: string;
  /** The TSA's chain (TSA certificate, CA) and the PEM of its root. */
  tsaChain: Buffer[];
  tsaCaPem: string;
}

/**
 * Everything a PAdES B-LTA file from Signet must show to outside tools, and its B-T and
 * B-LT revisions as files of their own: the seal's
 * signature time-stamp and the document time-stamp accepted by `openssl ts -verify`, a DSS
 * with both chains and a CRL for each (checked by `openssl crl` and `openssl verify
 * -crl_check`), the seal valid and trusted in pdfsig and signed in total up to its own
 * revision, and qpdf finding no damage.
 */
export async function expectLongTermFile(sealed: Buffer, parties: LongTermParties) {
  const [seal, documentTimestamp, ...rest] = fileSignatures(sealed);
  expect(rest).toHaveLength(0);
  expect(seal.subFilter).toBe("ETSI.CAdES.detached");
  expect(documentTimestamp.subFilter).toBe("ETSI.RFC3161");
  expect(sealed.toString("latin1")).toContain("/Type /DocTimeStamp");

  // B-T: the signature time-stamp covers the seal's signature value; openssl agrees
  const { token, signatureValue } = signatureTimestamp(seal.der);
  expect(token).not.toBeNull();
  expect(await opensslVerifyToken(token!, signatureValue, parties.tsaCaPem)).toContain("Verification: OK");

  // B-LT: after the seal's revision, before the document time-stamp, a DSS
  const between = sealed.subarray(seal.end, documentTimestamp.byteRange[1]).toString("latin1");
  expect(between).toContain("/DSS");
  const dss = (await readDss(sealed))!;
  const hex = (list: Buffer[]) => list.map((der) => der.toString("hex")).sort();
  expect(hex(dss.certificates)).toEqual(hex([...parties.sealChain, ...parties.tsaChain]));
  expect(dss.crls).toHaveLength(2);
  const [instanceCrl, tsaCrl] = [...dss.crls].sort((a) =>
    parseCrl(a).issuer.isEqual(pkijs.Certificate.fromBER(new Uint8Array(parties.sealChain[1])).subject) ? -1 : 1,
  );
  expect(await opensslVerifyCrl(instanceCrl, parties.sealCaPem)).toContain("verify OK");
  expect(await opensslVerifyCrl(tsaCrl, parties.tsaCaPem)).toContain("verify OK");
  expect(await opensslVerifyWithCrl(parties.sealChain[0], parties.sealCaPem, instanceCrl)).toMatch(/: OK/);
  expect(await opensslVerifyWithCrl(parties.tsaChain[0], parties.tsaCaPem, tsaCrl)).toMatch(/: OK/);
  // revocation data issued after the signature's time-stamp
  expect(parseCrl(instanceCrl).thisUpdate.getTime()).toBeGreaterThanOrEqual(tokenTime(token!).getTime());
  expect(dss.vri.get(sha1Upper(seal.contents))).toEqual({ certificates: 4, crls: 2 });

  // B-LTA: the document time-stamp covers the whole file, DSS included
  expect(documentTimestamp.end).toBe(sealed.length);
  expect(await opensslVerifyToken(documentTimestamp.der, documentTimestamp.signedBytes, parties.tsaCaPem)).toContain(
    "Verification: OK",
  );
  expect(tokenTime(documentTimestamp.der).getTime()).toBeGreaterThanOrEqual(tokenTime(token!).getTime());

  // pdfsig: the seal valid and trusted, signed in total up to its own revision
  const dir = await scratch();
  const file = path.join(dir, "sealed.pdf");
  await fs.writeFile(file, sealed);
  const output = await runPdfsig(file, await trustedNssDir(parties.sealCaPem));
  expect(output).not.toMatch(/Syntax Error/);
  const [sealReport, timestampReport] = parsePdfsig(output);
  expect(sealReport).toMatchObject({
    fieldName: "Signet seal",
    signatureType: "ETSI.CAdES.detached",
    signatureValidation: "Signature is Valid.",
    certificateValidation: "Certificate is Trusted.",
    totalDocumentSigned: false,
  });
  expect(sealReport.signedRanges).toBe(
    `[${seal.byteRange[0]} - ${seal.byteRange[1]}], [${seal.byteRange[2]} - ${seal.end}]`,
  );
  expect(timestampReport).toMatchObject({ fieldName: "Signet time-stamp", totalDocumentSigned: true });
  await run("qpdf", ["--check", file]);

  // Each level is a complete file on its own: cut after the seal's revision it is B-T
  // (signed in total), cut after the DSS's revision it is B-LT.
  const bT = path.join(dir, "b-t.pdf");
  await fs.writeFile(bT, sealed.subarray(0, seal.end));
  const [bTReport] = parsePdfsig(await runPdfsig(bT, await trustedNssDir(parties.sealCaPem)));
  expect(bTReport).toMatchObject({
    signatureValidation: "Signature is Valid.",
    certificateValidation: "Certificate is Trusted.",
    totalDocumentSigned: true,
  });
  const dssEnd = sealed.indexOf("%%EOF", seal.end, "latin1") + "%%EOF\n".length;
  expect(dssEnd).toBeLessThan(documentTimestamp.byteRange[1]);
  const bLt = sealed.subarray(0, dssEnd);
  const bLtFile = path.join(dir, "b-lt.pdf");
  await fs.writeFile(bLtFile, bLt);
  await run("qpdf", ["--check", bLtFile]);
  expect((await readDss(bLt))?.vri.get(sha1Upper(seal.contents))).toEqual({ certificates: 4, crls: 2 });
  const [bLtReport] = parsePdfsig(await runPdfsig(bLtFile, await trustedNssDir(parties.sealCaPem)));
  expect(bLtReport.signatureValidation).toBe("Signature is Valid.");
  expect(bLtReport.signedRanges).toBe(sealReport.signedRanges);

  await fs.rm(dir, { recursive: true, force: true });
  return { seal, documentTimestamp, token: token! };
}
