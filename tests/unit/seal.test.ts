// Sealing: the file a reader gets is a PAdES B-B signature over the whole
// document, valid and trusted in pdfsig once the instance CA is trusted.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import pdfLib from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSealIdentity, type SealIdentity } from "~/seal/keys.server";
import { sealPdf } from "~/seal/seal.server";
import { CMS_OID, SealSigner } from "~/seal/signer.server";
import { parsePdfsig, pdfinfoPages, runPdfsig, trustedNssDir } from "../helpers/pdfsig";

const { PDFDocument, StandardFonts } = pdfLib;

let root: string;
let identity: SealIdentity;
let nssDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "signet-seal-"));
  identity = await loadSealIdentity(path.join(root, "instance"));
  nssDir = await trustedNssDir(identity.caCertificatePem);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function makePdf(pages: number, options: { useObjectStreams?: boolean; withFormField?: boolean } = {}) {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let index = 0; index < pages; index++) {
    const page = document.addPage([595, 842]);
    page.drawText(`Invoice FV/2026/${index + 1}`, { x: 50, y: 780, size: 14, font });
    page.drawText("Net 1 000,00 PLN   VAT 230,00 PLN   Gross 1 230,00 PLN", { x: 50, y: 740, size: 10, font });
    page.drawText(`page ${index + 1} of ${pages}`, { x: 50, y: 20, size: 8, font });
  }
  if (options.withFormField) document.getForm().createTextField("customer").addToPage(document.getPage(0));
  return document.save({ useObjectStreams: options.useObjectStreams ?? true });
}

async function writeTemp(name: string, bytes: Uint8Array) {
  const file = path.join(root, name);
  await fs.writeFile(file, bytes);
  return file;
}

const sealOptions = () => ({
  reason: "Document signed by all parties",
  name: "Signet – Przykładowa Spółka z o.o.",
  location: "Łódź",
  contactInfo: "https://verify.example",
  signingTime: new Date("2026-03-04T05:06:07Z"),
  identity,
});

/** The signed bytes and the CMS of the file's last signature, read straight from its ByteRange. */
function signatureParts(sealed: Buffer) {
  const text = sealed.toString("latin1");
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  expect(matches).toHaveLength(1);
  const [start, firstLength, secondStart, secondLength] = matches[0].slice(1).map(Number);
  expect(start).toBe(0);
  expect(secondStart + secondLength).toBe(sealed.length);
  const hex = text.slice(firstLength, secondStart);
  expect(hex).toMatch(/^<[0-9a-f]+>$/i); // the gap is exactly the /Contents hex string
  const signedBytes = Buffer.concat([sealed.subarray(0, firstLength), sealed.subarray(secondStart)]);
  const der = Buffer.from(hex.slice(1, -1), "hex");
  return { signedBytes, der };
}

function parseSignedData(der: Buffer) {
  const asn1 = asn1js.fromBER(new Uint8Array(der)); // trailing zero padding is ignored
  expect(asn1.offset).toBeGreaterThan(0);
  const contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
  expect(contentInfo.contentType).toBe(CMS_OID.signedData);
  return new pkijs.SignedData({ schema: contentInfo.content });
}

/** Everything a PAdES B-B verifier checks in the CMS, done by hand. */
async function expectBaselineCms(der: Buffer, signedBytes: Buffer) {
  const signedData = parseSignedData(der);
  expect(signedData.encapContentInfo.eContentType).toBe(CMS_OID.data);
  expect(signedData.encapContentInfo.eContent).toBeUndefined(); // detached
  expect(signedData.signerInfos).toHaveLength(1);
  const certificates = (signedData.certificates ?? []) as pkijs.Certificate[];
  expect(certificates.map((certificate) => Buffer.from(certificate.toSchema().toBER()).toString("hex"))).toEqual(
    identity.chain.map((certificate) => certificate.toString("hex")),
  );

  const signerInfo = signedData.signerInfos[0];
  expect(signerInfo.digestAlgorithm.algorithmId).toBe(CMS_OID.sha256);
  expect(signerInfo.signatureAlgorithm.algorithmId).toBe(CMS_OID.sha256WithRSAEncryption);
  const attributes = signerInfo.signedAttrs!.attributes;
  const types = attributes.map((attribute) => attribute.type);
  expect(types).not.toContain(CMS_OID.signingTime); // B-B: time in /M only
  expect(new Set(types)).toEqual(new Set([CMS_OID.contentType, CMS_OID.messageDigest, CMS_OID.signingCertificateV2]));

  const attribute = (type: string) => attributes.find((candidate) => candidate.type === type)!.values[0];
  const messageDigest = Buffer.from((attribute(CMS_OID.messageDigest) as asn1js.OctetString).valueBlock.valueHexView);
  expect(messageDigest.equals(crypto.createHash("sha256").update(signedBytes).digest())).toBe(true);

  // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash, issuerSerial } ] }, hashAlgorithm omitted (SHA-256 default).
  const certs = (attribute(CMS_OID.signingCertificateV2) as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  expect(certs.valueBlock.value).toHaveLength(1);
  const essCertId = certs.valueBlock.value[0] as asn1js.Sequence;
  const [certHash, issuerSerial] = essCertId.valueBlock.value;
  expect(certHash).toBeInstanceOf(asn1js.OctetString);
  expect(Buffer.from((certHash as asn1js.OctetString).valueBlock.valueHexView).toString("hex")).toBe(
    crypto.createHash("sha256").update(identity.certificate).digest("hex"),
  );
  const serial = (issuerSerial as asn1js.Sequence).valueBlock.value[1] as asn1js.Integer;
  expect(serial.isEqual(certificates[0].serialNumber)).toBe(true);

  // The signature over the DER SET of signed attributes, checked with node:crypto...
  const signedAttributes = Buffer.from(signerInfo.signedAttrs!.toSchema().toBER());
  signedAttributes[0] = 0x31;
  const sealCertificate = new crypto.X509Certificate(identity.certificate);
  expect(
    crypto.verify(
      "sha256",
      signedAttributes,
      sealCertificate.publicKey,
      Buffer.from(signerInfo.signature.valueBlock.valueHexView),
    ),
  ).toBe(true);
  // ...and by pkijs given the ByteRange bytes ourselves (never the CMS's own content).
  const verified = await signedData.verify({ signer: 0, data: toArrayBuffer(signedBytes), checkChain: false });
  expect(verified).toBe(true);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function expectValidInPdfsig(file: string, trustStore = nssDir) {
  const output = await runPdfsig(file, trustStore);
  expect(output).not.toMatch(/Syntax Error|Error/);
  expect(output).toContain("Signature is Valid.");
  expect(output).toContain("Certificate is Trusted.");
  expect(output).toContain("Total document signed");
  expect(output).toContain("Signature Type: ETSI.CAdES.detached");
  const signatures = parsePdfsig(output);
  expect(signatures).toHaveLength(1);
  expect(signatures[0]).toMatchObject({
    fieldName: "Signet seal",
    signerCommonName: "Signet seal",
    totalDocumentSigned: true,
  });
  return output;
}

describe("sealPdf", () => {
  it("seals a one-page invoice: valid, trusted, whole document, PAdES B-B", async () => {
    const original = await makePdf(1);
    const sealed = await sealPdf(original, sealOptions());
    // An incremental update: the document's own bytes are untouched.
    expect(sealed.subarray(0, original.length).equals(Buffer.from(original))).toBe(true);
    const file = await writeTemp("one-page.pdf", sealed);
    const output = await expectValidInPdfsig(file);
    expect(output).toContain("Signing Time: Mar 04 2026 05:06:07"); // from /M
    expect(await pdfinfoPages(file)).toBe(1);

    const text = sealed.subarray(original.length).toString("latin1");
    expect(text).toContain("/Type /Sig");
    expect(text).toContain("/Filter /Adobe.PPKLite");
    expect(text).toContain("/SubFilter /ETSI.CAdES.detached");
    expect(text).toContain("/M (D:20260304050607Z)");
    expect(text).toContain("/Reason (Document signed by all parties)");
    expect(text).toMatch(/\/SigFlags 3/);
    const { signedBytes, der } = signatureParts(sealed);
    await expectBaselineCms(der, signedBytes);
  });

  it("seals a 100-page document", async () => {
    const original = await makePdf(100);
    const sealed = await sealPdf(original, sealOptions());
    const file = await writeTemp("hundred-pages.pdf", sealed);
    await expectValidInPdfsig(file);
    expect(await pdfinfoPages(file)).toBe(100);
    const { signedBytes, der } = signatureParts(sealed);
    await expectBaselineCms(der, signedBytes);
  });

  it("seals files with a classic cross-reference table and with an existing form", async () => {
    const plain = await sealPdf(await makePdf(2, { useObjectStreams: false }), sealOptions());
    await expectValidInPdfsig(await writeTemp("xref-table.pdf", plain));

    const withForm = await sealPdf(await makePdf(1, { withFormField: true }), sealOptions());
    await expectValidInPdfsig(await writeTemp("with-form.pdf", withForm));
    const reread = await PDFDocument.load(withForm);
    expect(
      reread
        .getForm()
        .getFields()
        .map((field) => field.getName())
        .sort(),
    ).toEqual(["Signet seal", "customer"]);
  });

  it("keeps Polish text in the signature dictionary readable", async () => {
    const sealed = await sealPdf(await makePdf(1), sealOptions());
    const reread = await PDFDocument.load(sealed);
    const widget = reread.getForm().getFields()[0].acroField.dict;
    const signature = reread.context.lookup(widget.get(pdfLib.PDFName.of("V")), pdfLib.PDFDict);
    const text = (key: string) => (signature.get(pdfLib.PDFName.of(key)) as pdfLib.PDFHexString).decodeText();
    expect(text("Name")).toBe("Signet – Przykładowa Spółka z o.o.");
    expect(text("Location")).toBe("Łódź");
  });

  it("detects a change to a signed byte", async () => {
    const sealed = await sealPdf(await makePdf(1, { useObjectStreams: false }), sealOptions());
    const tampered = Buffer.from(sealed);
    // A same-length edit of the page size, in the document's own (uncompressed) page object.
    const at = tampered.indexOf("/MediaBox [ 0 0 595 842 ]");
    expect(at).toBeGreaterThan(0);
    tampered.write("/MediaBox [ 0 0 594 842 ]", at, "latin1");
    const output = await runPdfsig(await writeTemp("tampered.pdf", tampered), nssDir);
    const signatures = parsePdfsig(output);
    expect(signatures).toHaveLength(1);
    expect(signatures[0].signatureValidation).not.toBe("Signature is Valid.");
    expect(output).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it("shows a seal from another instance as valid but not trusted", async () => {
    const otherInstance = await loadSealIdentity(path.join(root, "other-instance"));
    const sealed = await sealPdf(await makePdf(1), { ...sealOptions(), identity: otherInstance });
    const output = await runPdfsig(await writeTemp("other-instance.pdf", sealed), nssDir);
    expect(output).toContain("Signature is Valid.");
    expect(output).not.toContain("Certificate is Trusted.");
    expect(parsePdfsig(output)[0].certificateValidation).toBe("Certificate issuer isn't Trusted.");
  });
});

describe("SealSigner", () => {
  it("signs many times on one instance, each a fresh detached CMS", async () => {
    const signer = new SealSigner(identity);
    const first = Buffer.from("first ByteRange content");
    const second = Buffer.from("second ByteRange content");
    const firstCms = await signer.sign(first);
    const secondCms = await signer.sign(second, new Date());
    await expectBaselineCms(firstCms, first);
    await expectBaselineCms(secondCms, second);
    expect(firstCms.equals(secondCms)).toBe(false);
  });

  it("is reused by sealPdf across documents", async () => {
    const files = await Promise.all(
      [1, 3].map(async (pages) => writeTemp(`repeat-${pages}.pdf`, await sealPdf(await makePdf(pages), sealOptions()))),
    );
    for (const file of files) await expectValidInPdfsig(file);
  });
});
