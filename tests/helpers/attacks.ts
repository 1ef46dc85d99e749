// The verifier's test corpus, generated (never downloaded): untouched files sealed by the
// app's own seal, a file signed by a foreign CA, and the published classes of PDF
// signature attacks built from a sealed base file —
//   USF  universal signature forgery (Mladenov et al., NDSS 2019): missing/empty/zero
//        /Contents, missing or malformed /ByteRange, a CMS that signs other content;
//   ISA  incremental saving attack: content appended after the signature, with or
//        without a new cross-reference section;
//   SWA  signature wrapping: a ByteRange that hides a second cross-reference table;
//   shadow attacks (Mainka et al., NDSS 2021): content hidden before signing and
//        revealed, replaced, or both by a later update;
// and the bad inputs the reader must refuse within bounded time and memory.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import pdfLib from "pdf-lib";
import * as pkijs from "pkijs";
import {
  distinguishedName,
  extensions,
  generateRsaKeyPair,
  issueCertificate,
  keyIdentifier,
} from "../../app/seal/certificates.server";
import { loadInstanceCa, loadSealIdentity, type SealIdentity } from "../../app/seal/keys.server";
import { sealPdf } from "../../app/seal/seal.server";
import type { ProblemCode, Verdict, WarningCode } from "../../verify-portal/core";
import { PdfArray, PdfDict, PdfRef, type PdfObject } from "../../verify-portal/core/syntax";
import {
  appendUpdate,
  buildCms,
  concat,
  makePdf,
  readBasics,
  serialize,
  signPdf,
  withEntries,
} from "./verify-pdf-writer";
import { testPki, type TestIdentity } from "./verify-pki";

export interface CorpusFile {
  name: string;
  /** Attack class or kind of file. */
  family: "sealed" | "foreign" | "usf" | "isa" | "swa" | "shadow" | "bad-input";
  description: string;
  bytes: Uint8Array;
  expected: Verdict[];
  /** A problem code the report must contain. */
  expectedProblem?: ProblemCode;
  /** A warning code the report must contain. */
  expectedWarning?: WarningCode;
}

export interface Sealing {
  dataDir: string;
  identity: SealIdentity;
  /** The instance seal as a signer for our own (misbehaving) signer. */
  signer: TestIdentity;
  caPem: string;
  caDer: Uint8Array;
  seal(pdf: Uint8Array): Promise<Uint8Array>;
}

/** Another certificate under the sealing instance's CA, for a second trusted signature. */
async function secondInstanceSigner(sealing: Sealing): Promise<TestIdentity> {
  const ca = await loadInstanceCa(sealing.dataDir);
  const keys = await generateRsaKeyPair(2048);
  const der = issueCertificate({
    subject: distinguishedName({
      organization: "Signet instance",
      organizationalUnit: "Tests",
      commonName: "Second signer",
    }),
    issuer: pkijs.Certificate.fromBER(new Uint8Array(ca.der)).subject,
    subjectPublicKey: keys.publicKey,
    issuerPrivateKey: ca.privateKey,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    extensions: extensions.leaf(keyIdentifier(keys.publicKey), keyIdentifier(ca.certificate.publicKey)),
  });
  return {
    ...sealing.signer,
    name: "Second signer",
    certificate: pkijs.Certificate.fromBER(new Uint8Array(der)),
    certificateDer: new Uint8Array(der),
    privateKey: keys.privateKey,
  };
}

/** The app's instance seal in a fresh DATA_DIR (keys generated as on first start). */
export async function createSealing(dataDir?: string): Promise<Sealing> {
  const dir = dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "signet-verify-")));
  const identity = await loadSealIdentity(dir, {});
  const signer: TestIdentity = {
    name: "Signet seal",
    certificate: pkijs.Certificate.fromBER(new Uint8Array(identity.certificate)),
    certificateDer: new Uint8Array(identity.certificate),
    certificatePem: "",
    privateKey: identity.privateKey,
    chainDer: identity.chain.slice(1).map((der) => new Uint8Array(der)),
    caDer: new Uint8Array(identity.chain[identity.chain.length - 1]),
    caPem: identity.caCertificatePem,
  };
  return {
    dataDir: dir,
    identity,
    signer,
    caPem: identity.caCertificatePem,
    caDer: signer.caDer,
    seal: async (pdf) =>
      new Uint8Array(
        await sealPdf(pdf, {
          reason: "Document completed",
          name: "Signet",
          identity,
          signingTime: new Date("2026-11-28T12:00:00Z"),
        }),
      ),
  };
}

// ---------------------------------------------------------------- byte surgery

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

/** The last signature dictionary's key spans, found textually (the corpus knows its files). */
function lastSignature(bytes: Uint8Array) {
  const text = latin1(bytes);
  const rangeAt = text.lastIndexOf("/ByteRange");
  const rangeClose = text.indexOf("]", rangeAt) + 1;
  // @signpdf pads the filled-in ByteRange with spaces: that room is ours to use too.
  let rangeEnd = rangeClose;
  while (text[rangeEnd] === " ") rangeEnd++;
  const contentsKey = text.indexOf("/Contents", rangeAt);
  const contentsAt = text.indexOf("<", contentsKey);
  const contentsEnd = text.indexOf(">", contentsAt) + 1;
  const range = text
    .slice(text.indexOf("[", rangeAt) + 1, rangeClose - 1)
    .trim()
    .split(/\s+/)
    .map(Number);
  return { text, rangeAt, rangeEnd, contentsKey, contentsAt, contentsEnd, range };
}

/** Overwrites [start, end) with `replacement` padded by spaces: no offset moves. */
function overwrite(bytes: Uint8Array, start: number, end: number, replacement: string): Uint8Array {
  if (replacement.length > end - start) throw new Error(`replacement longer than ${end - start} bytes`);
  const out = Uint8Array.from(bytes);
  out.set(fromLatin1(replacement.padEnd(end - start, " ")), start);
  return out;
}

function editByteRange(sealed: Uint8Array, value: string): Uint8Array {
  const sig = lastSignature(sealed);
  return overwrite(sealed, sig.rangeAt, sig.rangeEnd, `/ByteRange ${value}`);
}

function editContents(sealed: Uint8Array, value: string): Uint8Array {
  const sig = lastSignature(sealed);
  return overwrite(sealed, sig.contentsKey, sig.contentsEnd, `/Contents ${value}`);
}

/** Replaces the CMS inside /Contents, keeping its length. */
function withCms(sealed: Uint8Array, der: Uint8Array): Uint8Array {
  const sig = lastSignature(sealed);
  const hex = Buffer.from(der).toString("hex");
  const room = sig.contentsEnd - sig.contentsAt - 2;
  if (hex.length > room) throw new Error("CMS does not fit");
  return overwrite(sealed, sig.contentsAt, sig.contentsEnd, `<${hex.padEnd(room, "0")}>`);
}

// ---------------------------------------------------------------- updates an attacker appends

/** A content stream that paints the page: what the attacker wants shown. */
function paint(color = "1 0 0"): { dict: string; data: Uint8Array } {
  const data = fromLatin1(`q ${color} rg 40 700 400 60 re f Q BT /F1 24 Tf 50 720 Td (PAID - NOTHING DUE) Tj ET`);
  return { dict: `<</Length ${data.length}>>`, data };
}

export function replacePageContent(sealed: Uint8Array, xref: "table" | "stream" | "none"): Uint8Array {
  const basics = readBasics(sealed);
  const page = basics.pages[0];
  const content = page.contents[0];
  return appendUpdate(sealed, [{ num: content.num, gen: content.gen, body: paint() }], { xref });
}

export function addAnnotation(sealed: Uint8Array): Uint8Array {
  const basics = readBasics(sealed);
  const page = basics.pages[0];
  const view = basics.document.finalView();
  const annots = view.resolve(page.dict.get("Annots"));
  const existing = annots instanceof PdfArray ? annots.items.map(serialize).join(" ") + " " : "";
  const annotation = basics.size;
  return appendUpdate(sealed, [
    {
      num: annotation,
      body: `<</Type /Annot /Subtype /FreeText /Rect [40 700 440 760] /Contents (Amount due: 0,00 PLN) /DA (/Helv 18 Tf 1 0 0 rg) /P ${serialize(page.ref)}>>`,
    },
    {
      num: page.ref.num,
      gen: page.ref.gen,
      body: withEntries(page.dict, { Annots: `[${existing}${annotation} 0 R]` }),
    },
  ]);
}

function addPage(sealed: Uint8Array): Uint8Array {
  const basics = readBasics(sealed);
  const view = basics.document.finalView();
  const pagesRef = basics.catalog.get("Pages") as PdfRef;
  const pagesDict = view.dict(pagesRef)!;
  const kids = view.resolve(pagesDict.get("Kids")) as PdfArray;
  const count = pagesDict.get("Count") as number;
  const pageNum = basics.size;
  const contentNum = basics.size + 1;
  return appendUpdate(sealed, [
    {
      num: pageNum,
      body: `<</Type /Page /Parent ${serialize(pagesRef)} /MediaBox [0 0 595 842] /Contents ${contentNum} 0 R>>`,
    },
    { num: contentNum, body: paint("0 0 1") },
    {
      num: pagesRef.num,
      gen: pagesRef.gen,
      body: withEntries(pagesDict, {
        Kids: `[${kids.items.map(serialize).join(" ")} ${pageNum} 0 R]`,
        Count: String(count + 1),
      }),
    },
  ]);
}

function addFormField(sealed: Uint8Array): Uint8Array {
  const basics = readBasics(sealed);
  const view = basics.document.finalView();
  const acroFormValue = basics.catalog.get("AcroForm");
  const acroForm = view.dict(acroFormValue)!;
  const fields = view.resolve(acroForm.get("Fields")) as PdfArray;
  const field = basics.size;
  const updatedForm = withEntries(acroForm, { Fields: `[${fields.items.map(serialize).join(" ")} ${field} 0 R]` });
  const objects = [
    { num: field, body: `<</FT /Tx /T (amount) /V (0,00 PLN) /Rect [0 0 0 0] /Type /Annot /Subtype /Widget>>` },
  ];
  if (acroFormValue instanceof PdfRef) objects.push({ num: acroFormValue.num, body: updatedForm });
  else objects.push({ num: basics.root.num, body: withEntries(basics.catalog, { AcroForm: updatedForm }) });
  return appendUpdate(sealed, objects);
}

/** Removes the signature from the form (and repaints the page): the final revision shows no signature. */
function removeSignatureField(sealed: Uint8Array): Uint8Array {
  const basics = readBasics(sealed);
  const view = basics.document.finalView();
  const acroFormValue = basics.catalog.get("AcroForm");
  const page = basics.pages[0];
  const content = page.contents[0];
  const objects = [{ num: content.num, body: paint() as string | { dict: string; data: Uint8Array } }];
  if (acroFormValue instanceof PdfRef)
    objects.push({ num: acroFormValue.num, body: withEntries(view.dict(acroFormValue)!, { Fields: "[]" }) });
  else objects.push({ num: basics.root.num, body: withEntries(basics.catalog, { AcroForm: "<</Fields []>>" }) });
  return appendUpdate(sealed, objects);
}

// ---------------------------------------------------------------- base files for shadow attacks

/** A page whose /Contents is [text, white overlay]: the overlay hides "1 230,00 PLN" at signing. */
async function baseWithOverlay(): Promise<Uint8Array> {
  const plain = await makePdf(1);
  const basics = readBasics(plain);
  const page = basics.pages[0];
  const overlay = basics.size;
  const data = fromLatin1("q 1 1 1 rg 40 735 400 25 re f Q");
  return appendUpdate(plain, [
    { num: overlay, body: { dict: `<</Length ${data.length}>>`, data } },
    {
      num: page.ref.num,
      gen: page.ref.gen,
      body: withEntries(page.dict, { Contents: `[${page.contents.map(serialize).join(" ")} ${overlay} 0 R]` }),
    },
  ]);
}

/** A document with a filled text field (value and appearance), as a form produces. */
export async function baseWithFormField(): Promise<Uint8Array> {
  const document = await pdfLib.PDFDocument.create();
  const page = document.addPage([595, 842]);
  const font = await document.embedFont(pdfLib.StandardFonts.Helvetica);
  page.drawText("Amount due:", { x: 50, y: 740, size: 14, font });
  const field = document.getForm().createTextField("amount");
  field.setText("1 230,00 PLN");
  field.addToPage(page, { x: 150, y: 730, width: 200, height: 24, font });
  return document.save({ useObjectStreams: false });
}

/**
 * Hide-and-replace base: a second, unreferenced version of page 1's content stream sits in
 * the body (no cross-reference entry points at it) before the document is sealed.
 */
async function baseWithShadowObject(): Promise<{ pdf: Uint8Array; shadowOffset: number; contentNum: number }> {
  const plain = await makePdf(1);
  const basics = readBasics(plain);
  const content = basics.pages[0].contents[0];
  const pdf = appendUpdate(plain, [], { unlisted: [{ num: content.num, gen: content.gen, body: paint() }] });
  const shadowOffset = latin1(pdf).lastIndexOf(`\n${content.num} 0 obj`) + 1;
  return { pdf, shadowOffset, contentNum: content.num };
}

/** A shadow catalog and page tree (another document entirely) hidden in the body. */
async function baseWithShadowDocument(): Promise<{ pdf: Uint8Array; shadowRoot: number }> {
  const plain = await makePdf(1);
  const basics = readBasics(plain);
  const n = basics.size + 10; // far from anything the sealing update will allocate
  const shadow = [
    { num: n, body: `<</Type /Catalog /Pages ${n + 1} 0 R>>` },
    { num: n + 1, body: `<</Type /Pages /Kids [${n + 2} 0 R] /Count 1>>` },
    { num: n + 2, body: `<</Type /Page /Parent ${n + 1} 0 R /MediaBox [0 0 595 842] /Contents ${n + 3} 0 R>>` },
    { num: n + 3, body: paint() },
  ];
  // In the body only: reachable through no cross-reference section yet.
  const pdf = appendUpdate(plain, [], { unlisted: shadow });
  return { pdf, shadowRoot: n };
}

function offsetsOf(bytes: Uint8Array, nums: number[]): Array<{ num: number; offset: number }> {
  const text = latin1(bytes);
  return nums.map((num) => ({ num, offset: text.lastIndexOf(`\n${num} 0 obj`) + 1 }));
}

// ---------------------------------------------------------------- the corpus

export interface Corpus {
  sealing: Sealing;
  /** Trusted DER certificates for verifyPdf (the instance CA). */
  trusted: Uint8Array[];
  files: CorpusFile[];
}

let cachedCorpus: Promise<Corpus> | null = null;

export function buildCorpus(): Promise<Corpus> {
  cachedCorpus ??= createCorpus();
  return cachedCorpus;
}

async function createCorpus(): Promise<Corpus> {
  const sealing = await createSealing();
  const pki = await testPki();
  const files: CorpusFile[] = [];
  const add = (file: CorpusFile) => files.push(file);

  // ---- untouched sealed files
  const sealed1 = await sealing.seal(await makePdf(1));
  const sealed100 = await sealing.seal(await makePdf(100));
  const sealedStreams = await sealing.seal(await makePdf(3, { objectStreams: true }));
  add({
    name: "sealed-1-page",
    family: "sealed",
    description: "sealed by the app, 1 page",
    bytes: sealed1,
    expected: ["valid"],
  });
  add({
    name: "sealed-100-pages",
    family: "sealed",
    description: "sealed by the app, 100 pages",
    bytes: sealed100,
    expected: ["valid"],
  });
  add({
    name: "sealed-xref-stream",
    family: "sealed",
    description: "sealed by the app, object and xref streams",
    bytes: sealedStreams,
    expected: ["valid"],
  });
  add({
    name: "sealed-form",
    family: "sealed",
    description: "sealed by the app, with a filled text field",
    bytes: await sealing.seal(await baseWithFormField()),
    expected: ["valid"],
  });
  // Two trusted signatures, the last covering the file, by two certificates of the instance
  // CA. (Not one certificate twice: pdfsig 22.12 reports "Unknown issue with Certificate" when
  // it checks a certificate with a CRL distribution point, as the seal's has, a second time.)
  add({
    name: "signed-twice",
    family: "sealed",
    description: "two trusted signatures, the second over the whole file",
    bytes: signPdf(signPdf(await makePdf(1), await secondInstanceSigner(sealing)), sealing.signer),
    expected: ["valid"],
  });
  add({
    name: "signed-own-signer-xref-stream",
    family: "sealed",
    description: "trusted seal, xref-stream update written by the test signer",
    bytes: signPdf(await makePdf(2, { objectStreams: true }), sealing.signer, { xref: "stream" }),
    expected: ["valid"],
  });

  // ---- foreign CA: valid signature, untrusted signer
  add({
    name: "foreign-signed",
    family: "foreign",
    description: "signed by a foreign CA's seal: the signature verifies, the signer is not trusted",
    bytes: signPdf(await makePdf(1), pki.foreignSeal),
    expected: ["invalid"],
    expectedProblem: "certificate-not-trusted",
  });
  add({
    name: "foreign-self-signed",
    family: "foreign",
    description: "signed with a self-signed certificate that copies the instance CA's name",
    bytes: signPdf(await makePdf(1), { ...pki.foreignCa, chainDer: [] }),
    expected: ["invalid"],
    expectedProblem: "certificate-not-trusted",
  });

  // ---- universal signature forgery
  const sig = lastSignature(sealed1);
  const room = sig.contentsEnd - sig.contentsAt - 2;
  const [, firstLength, gapEnd, secondLength] = sig.range;
  const usf: Array<[string, string, Uint8Array, ProblemCode]> = [
    [
      "usf-contents-missing",
      "/Contents key removed",
      overwrite(sealed1, sig.contentsKey, sig.contentsKey + 9, "/Contentz"),
      "contents-missing",
    ],
    ["usf-contents-null", "/Contents null", editContents(sealed1, "null"), "contents-missing"],
    ["usf-contents-empty", "/Contents <>", editContents(sealed1, "<>"), "contents-empty"],
    [
      "usf-contents-zero",
      "/Contents all zeros",
      overwrite(sealed1, sig.contentsAt, sig.contentsEnd, `<${"0".repeat(room)}>`),
      "contents-empty",
    ],
    [
      "usf-contents-garbage",
      "/Contents random bytes",
      overwrite(sealed1, sig.contentsAt, sig.contentsEnd, `<${crypto.randomBytes(room / 2).toString("hex")}>`),
      "cms-malformed",
    ],
    ["usf-contents-literal", "/Contents as a literal string", editContents(sealed1, "(forged)"), "contents-missing"],
    [
      "usf-byterange-missing",
      "/ByteRange key removed",
      overwrite(sealed1, sig.rangeAt, sig.rangeAt + 10, "/ByteRangz"),
      "byte-range-missing",
    ],
    ["usf-byterange-null", "/ByteRange null", editByteRange(sealed1, "null"), "byte-range-malformed"],
    ["usf-byterange-empty", "/ByteRange []", editByteRange(sealed1, "[]"), "byte-range-malformed"],
    [
      "usf-byterange-three",
      "/ByteRange with three numbers",
      editByteRange(sealed1, `[0 ${firstLength} ${gapEnd}]`),
      "byte-range-malformed",
    ],
    ["usf-byterange-zero", "/ByteRange [0 0 0 0]", editByteRange(sealed1, "[0 0 0 0]"), "byte-range-outside-file"],
    [
      "usf-byterange-negative",
      "/ByteRange with a negative length",
      editByteRange(sealed1, `[0 -${firstLength} ${gapEnd} ${secondLength}]`),
      "byte-range-malformed",
    ],
    [
      "usf-byterange-beyond",
      "/ByteRange past the end of the file",
      editByteRange(sealed1, `[0 ${firstLength} ${gapEnd} ${secondLength + 100000}]`),
      "byte-range-outside-file",
    ],
    [
      "usf-byterange-reals",
      "/ByteRange with real numbers",
      editByteRange(sealed1, `[0 ${firstLength}.5 ${gapEnd} ${secondLength}]`),
      "byte-range-malformed",
    ],
    [
      "usf-byterange-reference",
      "/ByteRange as an indirect reference",
      editByteRange(sealed1, "1 0 R"),
      "byte-range-malformed",
    ],
    [
      "usf-byterange-partial",
      "/ByteRange covering only the first part",
      editByteRange(sealed1, `[0 ${firstLength} ${gapEnd} 0]`),
      "byte-range-not-revision-end",
    ],
  ];
  for (const [name, description, bytes, expectedProblem] of usf)
    add({ name, family: "usf", description, bytes, expected: ["invalid"], expectedProblem });

  // A CMS with embedded content, validly signed by the trusted key: it "verifies" — over other bytes.
  const embedded = Buffer.from("I agree to nothing in particular.");
  const embeddedCms = buildCms(crypto.createHash("sha256").update(embedded).digest(), sealing.signer, {
    embeddedContent: embedded,
  });
  add({
    name: "usf-cms-embedded-content",
    family: "usf",
    description: "trusted CMS signing embedded text instead of the document",
    bytes: withCms(sealed1, embeddedCms),
    expected: ["invalid"],
    expectedProblem: "cms-embedded-content",
  });
  // The genuine CMS of another sealed document, transplanted.
  const otherSig = lastSignature(sealedStreams);
  const otherCms = Buffer.from(
    otherSig.text.slice(otherSig.contentsAt + 1, otherSig.contentsEnd - 1).replace(/(00)+$/, ""),
    "hex",
  );
  add({
    name: "usf-cms-transplanted",
    family: "usf",
    description: "the genuine seal of another document",
    bytes: withCms(sealed1, otherCms),
    expected: ["invalid"],
    expectedProblem: "digest-mismatch",
  });
  add({
    name: "cades-no-signing-certificate",
    family: "sealed",
    description:
      "ETSI.CAdES.detached without signing-certificate-v2 (as @signpdf's P12Signer makes): valid, with a warning",
    bytes: signPdf(await makePdf(1), sealing.signer, { cms: { signingCertificateV2: false } }),
    expected: ["valid"],
    expectedWarning: "signing-certificate-absent",
  });
  add({
    name: "usf-byterange-not-from-start",
    family: "usf",
    description: "trusted signature whose ByteRange starts after the header (the header can then be changed)",
    bytes: signPdf(await makePdf(1), sealing.signer, { rangeStart: 9 }),
    expected: ["invalid"],
    expectedProblem: "byte-range-not-from-start",
  });
  {
    // Same file, with the unsigned header rewritten.
    const file = signPdf(await makePdf(1), sealing.signer, { rangeStart: 9 });
    add({
      name: "usf-header-changed",
      family: "usf",
      description: "unsigned header bytes changed after signing",
      bytes: overwrite(file, 0, 8, "%PDF-1.4"),
      expected: ["invalid"],
      expectedProblem: "byte-range-not-from-start",
    });
  }
  add({
    name: "usf-duplicate-contents",
    family: "usf",
    description: "signature dictionary with two /Contents keys",
    bytes: (() => {
      const s = lastSignature(sealed1);
      // "/Reason (…)" follows /Contents: it becomes a second, empty /Contents.
      const reasonAt = s.text.indexOf("/Reason", s.contentsEnd);
      const reasonEnd = s.text.indexOf(")", reasonAt) + 1;
      return overwrite(sealed1, reasonAt, reasonEnd, "/Contents <>");
    })(),
    expected: ["invalid"],
    expectedProblem: "signature-duplicate-keys",
  });

  // ---- incremental saving
  add({
    name: "isa-page-content-table",
    family: "isa",
    description: "page content replaced in an appended revision (xref table)",
    bytes: replacePageContent(sealed1, "table"),
    expected: ["modified"],
    expectedProblem: "modified-after-signing",
  });
  add({
    name: "isa-page-content-stream",
    family: "isa",
    description: "page content replaced in an appended revision (xref stream)",
    bytes: replacePageContent(sealed1, "stream"),
    expected: ["modified"],
    expectedProblem: "modified-after-signing",
  });
  add({
    name: "isa-no-xref",
    family: "isa",
    description: "object appended after %%EOF without a cross-reference section (viewers that repair show it)",
    bytes: replacePageContent(sealed1, "none"),
    expected: ["modified"],
    expectedProblem: "modified-after-signing",
  });
  add({
    name: "isa-annotation",
    family: "isa",
    description: "FreeText annotation added over the amount",
    bytes: addAnnotation(sealed1),
    expected: ["modified"],
  });
  add({
    name: "isa-new-page",
    family: "isa",
    description: "page appended",
    bytes: addPage(sealed1),
    expected: ["modified"],
  });
  add({
    name: "isa-form-field",
    family: "isa",
    description: "form field added",
    bytes: addFormField(sealed1),
    expected: ["modified"],
  });
  add({
    name: "isa-empty-update",
    family: "isa",
    description: "an update with no objects (trailer only)",
    bytes: appendUpdate(sealed1, []),
    expected: ["modified"],
  });
  add({
    name: "isa-trailing-newline",
    family: "isa",
    description: "a single newline appended",
    bytes: concat(sealed1, "\n"),
    expected: ["modified"],
  });
  add({
    name: "isa-100-pages",
    family: "isa",
    description: "content changed in the 100-page file",
    bytes: replacePageContent(sealed100, "table"),
    expected: ["modified"],
  });
  add({
    name: "isa-xref-stream-file",
    family: "isa",
    description: "content changed in a file with object streams",
    bytes: replacePageContent(sealedStreams, "stream"),
    expected: ["modified"],
  });
  add({
    name: "isa-broken-update",
    family: "isa",
    description: "content appended with an unreadable cross-reference section",
    bytes: (() => {
      const file = replacePageContent(sealed1, "table");
      const text = latin1(file);
      const xrefAt = text.lastIndexOf("\nxref\n") + 1;
      return overwrite(file, xrefAt, xrefAt + 30, "garbage garbage garbage");
    })(),
    expected: ["modified"],
    expectedProblem: "broken-update",
  });
  add({
    name: "isa-signature-removed",
    family: "isa",
    description: "update removes the signature field and repaints the page",
    bytes: removeSignatureField(sealed1),
    expected: ["modified"],
    expectedProblem: "signature-not-referenced",
  });
  add({
    name: "isa-resigned-foreign",
    family: "isa",
    description: "content changed, then signed over by a foreign seal",
    bytes: signPdf(replacePageContent(sealed1, "table"), pki.foreignSeal),
    expected: ["invalid"],
    expectedProblem: "certificate-not-trusted",
  });

  // ---- signature wrapping
  {
    // Signature wrapping: bytes are inserted right after the gap so that the signed
    // startxref (unchanged, in the moved second part) now lands on a hidden xref section
    // that replaces the page content; the ByteRange is rewritten, same width, to follow
    // the moved part.
    const s = lastSignature(sealed1);
    const startxref = Number(/startxref\s+(\d+)/.exec(s.text.slice(s.text.lastIndexOf("startxref")))![1]);
    const basics = readBasics(sealed1);
    const content = basics.pages[0].contents[0];
    const evil = paint();
    // Closes the signature dictionary early; the signed rest of it follows later, unread.
    const filler = ">>\nendobj\n%".padEnd(startxref - gapEnd - 1, " ") + "\n";
    const xrefLength = (prev: number, objectAt: number) =>
      `xref\n${content.num} 1\n${String(objectAt).padStart(10, "0")} 00000 n \ntrailer\n<</Size ${basics.size} /Root ${serialize(basics.root)} /Prev ${String(prev).padStart(10, "0")}>>\n`
        .length;
    const hiddenObject = `${content.num} 0 obj\n${evil.dict}\nstream\n${latin1(evil.data)}\nendstream\nendobj\n`;
    const xrefSize = xrefLength(0, 0);
    const hiddenLength = filler.length + xrefSize + hiddenObject.length;
    const objectAt = startxref + xrefSize;
    const hiddenXref = `xref\n${content.num} 1\n${String(objectAt).padStart(10, "0")} 00000 n \ntrailer\n<</Size ${basics.size} /Root ${serialize(basics.root)} /Prev ${String(startxref + hiddenLength).padStart(10, "0")}>>\n`;
    const moved = concat(sealed1.subarray(0, gapEnd), filler, hiddenXref, hiddenObject, sealed1.subarray(gapEnd));
    const newRange = `[0 ${firstLength} ${gapEnd + hiddenLength} ${secondLength}]`;
    add({
      name: "swa-relocated-part",
      family: "swa",
      description:
        "second signed part moved behind a hidden xref section that the signed startxref now points at; ByteRange rewritten",
      bytes: editByteRange(moved, newRange),
      expected: ["invalid"],
    });
  }
  add({
    name: "swa-gap-hides-xref",
    family: "swa",
    description: "trusted signature whose ByteRange gap hides a second cross-reference table after /Contents",
    bytes: signPdf(await makePdf(1), sealing.signer, {
      gapExtra: "xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 1>>\n",
    }),
    expected: ["invalid"],
    expectedProblem: "byte-range-gap-mismatch",
  });
  {
    // /Contents closed early: the rest of the unsigned gap hides a cross-reference table
    // (in a string, so the dictionary still parses); a /Pad hex string takes the old ">".
    // The app's seal leaves only a few spare bytes, so the base is signed with a roomier placeholder.
    const roomy = signPdf(await makePdf(1), sealing.signer);
    const s = lastSignature(roomy);
    const hexLength = s.text.slice(s.contentsAt + 1, s.contentsEnd - 1).replace(/(00)+$/, "").length;
    const hidden = "> /Hidden (xref\n0 1\n0000000000 65535 f \ntrailer <</Size 1>>) /Pad <";
    const cutAt = s.contentsAt + 1 + hexLength + 2;
    const forged = overwrite(roomy, cutAt, cutAt + hidden.length, hidden);
    const padded = overwrite(
      forged,
      cutAt + hidden.length,
      s.contentsEnd - 1,
      "0".repeat(s.contentsEnd - 1 - cutAt - hidden.length),
    );
    add({
      name: "swa-contents-shortened",
      family: "swa",
      description: "/Contents closed early; the unsigned rest of the gap hides a cross-reference table",
      bytes: padded,
      expected: ["invalid"],
    });
  }

  // ---- shadow attacks
  {
    const sealed = await sealing.seal(await baseWithOverlay());
    const basics = readBasics(sealed);
    const page = basics.pages[0];
    const hide = appendUpdate(sealed, [
      { num: page.ref.num, gen: page.ref.gen, body: withEntries(page.dict, { Contents: serialize(page.contents[0]) }) },
    ]);
    add({
      name: "shadow-base-overlay",
      family: "sealed",
      description: "shadow-attack base: overlay hiding text, sealed",
      bytes: sealed,
      expected: ["valid"],
    });
    add({
      name: "shadow-hide",
      family: "shadow",
      description: "update drops the overlay: hidden text revealed",
      bytes: hide,
      expected: ["modified"],
    });
    const overlay = page.contents[1];
    add({
      name: "shadow-hide-free",
      family: "shadow",
      description: "update frees the overlay object",
      bytes: appendUpdate(sealed, [], { free: [overlay.num] }),
      expected: ["modified"],
    });
  }
  {
    const sealed = await sealing.seal(await baseWithFormField());
    const basics = readBasics(sealed);
    const view = basics.document.finalView();
    const acroForm = view.dict(basics.catalog.get("AcroForm"))!;
    const fields = (view.resolve(acroForm.get("Fields")) as PdfArray).items.filter(
      (item): item is PdfRef => item instanceof PdfRef,
    );
    const amount = fields.find((ref) => {
      const dict = view.dict(ref);
      return dict && dict.get("FT") && serialize(dict.get("FT")) === "/Tx";
    })!;
    const fieldDict = view.dict(amount)!;
    const appearance = basics.size;
    const ap = fromLatin1("/Tx BMC BT /Helv 12 Tf 2 6 Td (0,00 PLN) Tj ET EMC");
    const replace = appendUpdate(sealed, [
      {
        num: appearance,
        body: { dict: `<</Type /XObject /Subtype /Form /BBox [0 0 200 24] /Length ${ap.length}>>`, data: ap },
      },
      {
        num: amount.num,
        gen: amount.gen,
        body: withEntries(fieldDict, { V: "(0,00 PLN)", AP: `<</N ${appearance} 0 R>>` }),
      },
    ]);
    add({
      name: "shadow-replace-field",
      family: "shadow",
      description: "update replaces a form field's value and appearance",
      bytes: replace,
      expected: ["modified"],
    });
    const fontRef = (() => {
      const resources = view.dict(basics.pages[0].dict.get("Resources"));
      const fonts = resources ? view.dict(resources.get("Font")) : undefined;
      const first = fonts ? [...fonts.entries.values()][0] : undefined;
      return first instanceof PdfRef ? first : null;
    })();
    if (fontRef) {
      const font = view.dict(fontRef)!;
      add({
        name: "shadow-replace-font",
        family: "shadow",
        description: "update swaps the page font",
        bytes: appendUpdate(sealed, [
          { num: fontRef.num, gen: fontRef.gen, body: withEntries(font, { BaseFont: "/Courier" }) },
        ]),
        expected: ["modified"],
      });
    }
  }
  {
    const base = await baseWithShadowObject();
    const sealed = await sealing.seal(base.pdf);
    add({
      name: "shadow-base-hidden-object",
      family: "sealed",
      description: "shadow-attack base: an unreferenced second page content in the body, sealed",
      bytes: sealed,
      expected: ["valid"],
    });
    const repoint = appendUpdate(sealed, [], { repoint: [{ num: base.contentNum, offset: base.shadowOffset }] });
    add({
      name: "shadow-hide-and-replace-xref",
      family: "shadow",
      description: "update only re-points the page content to the hidden version (no new objects)",
      bytes: repoint,
      expected: ["modified"],
    });
  }
  {
    const base = await baseWithShadowDocument();
    const sealed = await sealing.seal(base.pdf);
    const shadowNums = [base.shadowRoot, base.shadowRoot + 1, base.shadowRoot + 2, base.shadowRoot + 3];
    const repoint = appendUpdate(sealed, [], {
      repoint: offsetsOf(sealed, shadowNums),
      trailer: { Root: `${base.shadowRoot} 0 R` },
    });
    add({
      name: "shadow-hide-and-replace-root",
      family: "shadow",
      description: "update swaps /Root to a whole shadow document hidden in the signed bytes",
      bytes: repoint,
      expected: ["modified"],
      expectedProblem: "signature-not-referenced",
    });
  }

  return { sealing, trusted: [sealing.caDer], files };
}

// ---------------------------------------------------------------- bad input

/** Zeros compress about 1000:1: a few tens of kilobytes that inflate to `size` bytes. */
function deflateZeros(size: number): Buffer {
  return zlib.deflateSync(Buffer.alloc(size), { level: 9 });
}

function replaceFirstContent(pdf: Uint8Array, dict: string, data: Uint8Array): Uint8Array {
  const basics = readBasics(pdf);
  const content = basics.pages[0].contents[0];
  return appendUpdate(pdf, [{ num: content.num, gen: content.gen, body: { dict, data } }]);
}

/** Inputs that must come out "unreadable", each with the reason the report should give. */
export async function buildBadInputs(
  sealed: Uint8Array,
): Promise<Array<{ name: string; bytes: Uint8Array; reason: string }>> {
  const plain = await makePdf(2);
  const text = latin1(plain);
  const xrefAt = text.lastIndexOf("\nxref\n") + 1;
  const trailerAt = text.indexOf("trailer", xrefAt);
  const basics = readBasics(plain);
  const bomb = deflateZeros(48 << 20);
  const nested = "[".repeat(100_000) + "]".repeat(100_000);
  const out: Array<{ name: string; bytes: Uint8Array; reason: string }> = [
    { name: "empty", bytes: new Uint8Array(0), reason: "empty" },
    { name: "not-pdf-text", bytes: fromLatin1("Hello, this is a text file.\n".repeat(50)), reason: "not-pdf" },
    {
      name: "not-pdf-png",
      bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...crypto.randomBytes(2000)]),
      reason: "not-pdf",
    },
    { name: "header-only", bytes: fromLatin1("%PDF-1.7\n"), reason: "truncated" },
    { name: "random-after-header", bytes: concat("%PDF-1.7\n", crypto.randomBytes(50_000)), reason: "truncated" },
    { name: "truncated-half", bytes: sealed.subarray(0, Math.floor(sealed.length / 2)), reason: "truncated" },
    { name: "truncated-90", bytes: sealed.subarray(0, Math.floor(sealed.length * 0.9)), reason: "truncated" },
    { name: "truncated-eof-marker", bytes: sealed.subarray(0, sealed.length - 4), reason: "truncated" },
    { name: "truncated-plain", bytes: plain.subarray(0, plain.length - 40), reason: "truncated" },
    {
      name: "garbage-xref",
      bytes: overwrite(
        plain,
        xrefAt,
        trailerAt,
        crypto
          .randomBytes(trailerAt - xrefAt)
          .toString("base64")
          .slice(0, trailerAt - xrefAt),
      ),
      reason: "xref-broken",
    },
    {
      name: "startxref-past-end",
      bytes: fromLatin1(text.replace(/startxref\s+\d+/, "startxref\n99999999")),
      reason: "xref-broken",
    },
    {
      name: "xref-prev-loop",
      bytes: appendUpdate(plain, [], { trailer: { Prev: String(plain.length + 1) } }),
      reason: "xref-broken",
    },
    {
      name: "deeply-nested-arrays",
      bytes: appendUpdate(plain, [{ num: basics.root.num, body: withEntries(basics.catalog, { Nested: nested }) }]),
      reason: "nesting-too-deep",
    },
    {
      name: "deeply-nested-dicts",
      bytes: appendUpdate(plain, [
        {
          num: basics.root.num,
          body: withEntries(basics.catalog, { Nested: "<</A ".repeat(20_000) + "1" + ">>".repeat(20_000) }),
        },
      ]),
      reason: "nesting-too-deep",
    },
    {
      name: "huge-stream-length",
      bytes: replaceFirstContent(plain, "<</Length 999999999999>>", fromLatin1("q Q")),
      reason: "stream-length",
    },
    {
      name: "compression-bomb-content",
      bytes: replaceFirstContent(plain, `<</Length ${bomb.length} /Filter /FlateDecode>>`, bomb),
      reason: "stream-too-large",
    },
    {
      name: "compression-bomb-nested-filters",
      bytes: (() => {
        // Each layer is small; the second inflate is the bomb.
        const inner = zlib.deflateSync(deflateZeros(48 << 20));
        return replaceFirstContent(plain, `<</Length ${inner.length} /Filter [/FlateDecode /FlateDecode]>>`, inner);
      })(),
      reason: "stream-too-large",
    },
    { name: "compression-bomb-object-stream", bytes: objectStreamBomb(bomb), reason: "stream-too-large" },
    { name: "page-tree-loop", bytes: pageTreeLoop(plain), reason: "no-catalog" },
    { name: "no-root", bytes: appendUpdate(plain, [], { trailer: { Root: "9999 0 R" } }), reason: "no-catalog" },
  ];
  return out;
}

/** A file whose catalog lives in an object stream that inflates without end. */
function objectStreamBomb(bomb: Buffer): Uint8Array {
  const head = concat(
    "%PDF-1.7\n",
    `1 0 obj\n<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length}>>\nstream\n`,
    bomb,
    "\nendstream\nendobj\n",
  );
  const xrefOffset = head.length;
  // W [1 4 2], objects 1..3: the object stream at byte 9, the catalog inside it, this xref stream.
  const rows = Buffer.alloc(21);
  rows.writeUInt8(1, 0);
  rows.writeUInt32BE(9, 1);
  rows.writeUInt8(2, 7);
  rows.writeUInt32BE(1, 8);
  rows.writeUInt8(1, 14);
  rows.writeUInt32BE(xrefOffset, 15);
  return concat(
    head,
    `3 0 obj\n<</Type /XRef /Size 4 /Index [1 3] /W [1 4 2] /Root 2 0 R /Length ${rows.length}>>\nstream\n`,
    rows,
    `\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`,
  );
}

function pageTreeLoop(plain: Uint8Array): Uint8Array {
  const basics = readBasics(plain);
  const pagesRef = basics.catalog.get("Pages") as PdfRef;
  const view = basics.document.finalView();
  const pages = view.dict(pagesRef) as PdfDict;
  const kids = (view.resolve(pages.get("Kids")) as PdfArray).items.map((item: PdfObject) => serialize(item));
  return appendUpdate(plain, [
    { num: pagesRef.num, body: withEntries(pages, { Kids: `[${kids.join(" ")} ${serialize(pagesRef)}]` }) },
  ]);
}
