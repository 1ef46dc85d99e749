// Files with more than one revision after signing, generated here: what may and may not
// change between and after signatures. Signet's seal followed by a change and another
// trusted signature; the same for approval signatures (pyHanko's "sneaky" files);
// certification signatures (DocMDP 1, 2, 3) with form filling and annotations; FieldMDP
// locks; long-term validation updates (DSS, document time-stamps: PAdES B-LT and B-LTA)
// and the things that must not hide in them; a rewritten revision history; and the field
// amplification file (tens of thousands of fields showing one signature).
import pdfLib from "pdf-lib";
import type { Verdict } from "../../verify-portal/core";
import { PdfArray, PdfRef } from "../../verify-portal/core/syntax";
import { addAnnotation, baseWithFormField, createSealing, replacePageContent, type Sealing } from "./attacks";
import { opensslPki, type OpensslPki } from "./verify-openssl";
import {
  addDss,
  appendUpdate,
  concat,
  fillTextField,
  lastSignatureValue,
  makePdf,
  readBasics,
  serialize,
  signPdf,
  withEntries,
} from "./verify-pdf-writer";
import { testPki, type TestPki } from "./verify-pki";
import { testIdentity } from "./verify-signature-types";

export interface RevisionCase {
  name: string;
  description: string;
  bytes: Uint8Array;
  expected: Verdict;
  /** The headline the page must show, when it says more than the verdict. */
  headline?: string;
  /** Signatures (1-based) whose changesAfter must be disallowed. */
  disallowedAfter?: number[];
}

export interface RevisionCases {
  sealing: Sealing;
  pki: TestPki;
  openssl: OpensslPki;
  /** The instance CA, the foreign CA (as VERIFY_TRUST would add it) and the test TSA's CA. */
  trusted: Uint8Array[];
  /** The Signet-sealed file the Signet cases start from (for registry checks). */
  sealed: Uint8Array;
  cases: RevisionCase[];
}

/** An invoice with two text fields, "amount" and "note". */
async function twoFields(): Promise<Uint8Array> {
  const document = await pdfLib.PDFDocument.create();
  const page = document.addPage([595, 842]);
  const font = await document.embedFont(pdfLib.StandardFonts.Helvetica);
  page.drawText("Amount due:", { x: 50, y: 740, size: 14, font });
  const form = document.getForm();
  const amount = form.createTextField("amount");
  amount.setText("1 230,00 PLN");
  amount.addToPage(page, { x: 150, y: 730, width: 200, height: 24, font });
  const note = form.createTextField("note");
  note.addToPage(page, { x: 150, y: 690, width: 300, height: 24, font });
  return document.save({ useObjectStreams: false });
}

/**
 * A page that names an image XObject which does not exist yet: a viewer draws nothing there.
 * Whoever adds that object number later changes the page without touching it.
 */
function withDanglingResource(pdf: Uint8Array): { pdf: Uint8Array; missing: number } {
  const basics = readBasics(pdf);
  const page = basics.pages[0];
  const view = basics.document.finalView();
  const resources = view.dict(page.dict.get("Resources"));
  const missing = basics.size + 50;
  const content = basics.size;
  const data = new Uint8Array(Buffer.from("q /Later Do Q", "latin1"));
  const xobjects = resources ? view.dict(resources.get("XObject")) : undefined;
  const names = xobjects ? [...xobjects.entries].map(([name, value]) => `/${name} ${serialize(value)}`).join(" ") : "";
  const newResources = resources
    ? withEntries(resources, { XObject: `<<${names} /Later ${missing} 0 R>>` })
    : `<</XObject <</Later ${missing} 0 R>>>>`;
  return {
    pdf: appendUpdate(pdf, [
      { num: content, body: { dict: `<</Length ${data.length}>>`, data } },
      {
        num: page.ref.num,
        gen: page.ref.gen,
        body: withEntries(page.dict, {
          Contents: `[${page.contents.map(serialize).join(" ")} ${content} 0 R]`,
          Resources: newResources,
        }),
      },
    ]),
    missing,
  };
}

/** A form XObject that paints over the amount. */
function paintingXObject(): { dict: string; data: Uint8Array } {
  const data = new Uint8Array(Buffer.from("q 1 0 0 rg 40 700 400 60 re f Q", "latin1"));
  return { dict: `<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length ${data.length}>>`, data };
}

/** `count` signature fields (widgets) that all show the file's one signature dictionary. */
export function amplifySignatureFields(signed: Uint8Array, count: number): Uint8Array {
  const basics = readBasics(signed);
  const view = basics.document.finalView();
  const acroFormValue = basics.catalog.get("AcroForm");
  const acroForm = view.dict(acroFormValue)!;
  const fields = view.resolve(acroForm.get("Fields")) as PdfArray;
  const firstField = view.dict(fields.items[fields.items.length - 1])!;
  const signature = firstField.get("V") as PdfRef;
  const objects = [];
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const num = basics.size + i;
    refs.push(`${num} 0 R`);
    objects.push({
      num,
      body: `<</FT /Sig /T (s${i}) /V ${serialize(signature)} /Type /Annot /Subtype /Widget /Rect [0 0 0 0]>>`,
    });
  }
  const updatedForm = withEntries(acroForm, { Fields: `[${fields.items.map(serialize).join(" ")} ${refs.join(" ")}]` });
  if (acroFormValue instanceof PdfRef) objects.push({ num: acroFormValue.num, body: updatedForm });
  else objects.push({ num: basics.root.num, body: withEntries(basics.catalog, { AcroForm: updatedForm }) });
  return appendUpdate(signed, objects);
}

let cached: Promise<RevisionCases> | null = null;

export function buildRevisionCases(): Promise<RevisionCases> {
  cached ??= createCases();
  return cached;
}

async function createCases(): Promise<RevisionCases> {
  const [sealing, pki, openssl] = await Promise.all([createSealing(), testPki(), opensslPki()]);
  const tsa = testIdentity(openssl.tsa, openssl);
  const documentTimestamp = (pdf: Uint8Array) =>
    signPdf(pdf, tsa, { documentTimestamp: true, cmsFor: (signed) => openssl.timestamp(concat(...signed)) });
  const trustedSigner = sealing.signer; // chains to the instance CA, but is not Signet's seal
  const cases: RevisionCase[] = [];
  const add = (entry: RevisionCase) => cases.push(entry);

  const sealed = await sealing.seal(await makePdf(1));
  const approved = signPdf(await makePdf(1), trustedSigner);

  // ---- a change, then another trusted signature
  add({
    name: "signet-changed-then-signed-foreign",
    description: "Signet's seal, page text changed, then signed by a trusted foreign signer (VERIFY_TRUST)",
    bytes: signPdf(replacePageContent(sealed, "table"), pki.foreignSeal),
    expected: "modified",
    headline: "Changed after Signet's seal, then signed again by Foreign Company Seal",
    disallowedAfter: [1],
  });
  add({
    name: "signet-changed-then-resealed",
    description: "Signet's seal, page text changed, then sealed again by the same instance",
    bytes: await sealing.seal(replacePageContent(sealed, "table")),
    expected: "modified",
    headline: "Changed after Signet's seal, then signed again by Signet seal",
    disallowedAfter: [1],
  });
  add({
    name: "signet-then-signed-again",
    description:
      "Signet's seal, then another trusted signature (nothing else changed): a new signature over a changed file",
    bytes: signPdf(sealed, pki.foreignSeal),
    expected: "modified",
    headline: "Changed after Signet's seal, then signed again by Foreign Company Seal",
    disallowedAfter: [1],
  });
  add({
    name: "approval-changed-then-signed",
    description: "approval signature, page text changed, then another trusted signature (pyHanko's sneaky case)",
    bytes: signPdf(replacePageContent(approved, "table"), pki.foreignSeal),
    expected: "modified",
    headline: "Changed after signature 1 (Signet seal), then signed again by Foreign Company Seal",
    disallowedAfter: [1],
  });
  add({
    name: "approval-then-signed",
    description: "two approval signatures, nothing else changed",
    bytes: signPdf(approved, pki.foreignSeal),
    expected: "valid",
  });
  add({
    name: "approval-then-visible-signature",
    description: "approval signature, then a visible signature with its own appearance",
    bytes: signPdf(approved, pki.foreignSeal, {
      visible: { rect: [350, 40, 550, 100], appearance: "q 0 0 0.6 rg 0 0 200 60 re f Q" },
    }),
    expected: "valid",
  });
  add({
    name: "approval-annotation-then-signed",
    description: "approval signature, an annotation added, then another signature",
    bytes: signPdf(addAnnotation(approved), pki.foreignSeal),
    expected: "modified",
    disallowedAfter: [1],
  });
  {
    const basics = readBasics(approved);
    const info = basics.size;
    const withInfo = appendUpdate(
      approved,
      [{ num: info, body: "<</Title (Invoice FV/2026/0001) /ModDate (D:20261129100000Z)>>" }],
      { trailer: { Info: `${info} 0 R` } },
    );
    add({
      name: "approval-metadata-then-signed",
      description: "approval signature, document information updated, then another signature",
      bytes: signPdf(withInfo, pki.foreignSeal),
      expected: "valid",
    });
  }

  // ---- certification signatures (DocMDP) and FieldMDP locks
  const form = await twoFields();
  const certified = (level: 1 | 2 | 3, lock?: { action: "Include"; fields: string[] }) =>
    signPdf(form, trustedSigner, { docMdp: level, lock });
  add({
    name: "certified-p2-filled-then-signed",
    description: "certification (DocMDP P=2), a form field filled, then an approval signature",
    bytes: signPdf(fillTextField(certified(2), "note", "paid by transfer"), pki.foreignSeal),
    expected: "valid",
  });
  add({
    name: "certified-p2-filled-unsigned",
    description: "certification (DocMDP P=2), a form field filled, no signature after it",
    bytes: fillTextField(certified(2), "note", "paid by transfer"),
    expected: "modified",
  });
  add({
    name: "certified-p1-filled-then-signed",
    description: "certification (DocMDP P=1: no changes), a field filled, then signed",
    bytes: signPdf(fillTextField(certified(1), "note", "paid by transfer"), pki.foreignSeal),
    expected: "modified",
    disallowedAfter: [1],
  });
  add({
    name: "certified-p1-then-signed",
    description: "certification (DocMDP P=1), then an approval signature (signing is a change too)",
    bytes: signPdf(certified(1), pki.foreignSeal),
    expected: "modified",
    disallowedAfter: [1],
  });
  add({
    name: "certified-p2-annotation-then-signed",
    description: "certification (DocMDP P=2), an annotation added, then signed",
    bytes: signPdf(addAnnotation(certified(2)), pki.foreignSeal),
    expected: "modified",
    disallowedAfter: [1],
  });
  add({
    name: "certified-p3-annotation-then-signed",
    description: "certification (DocMDP P=3), an annotation added, then signed",
    bytes: signPdf(addAnnotation(certified(3)), pki.foreignSeal),
    expected: "valid",
  });
  add({
    name: "certified-locked-field-filled",
    description: "certification (P=2) locking field 'amount' (FieldMDP), then 'amount' filled and signed",
    bytes: signPdf(
      fillTextField(certified(2, { action: "Include", fields: ["amount"] }), "amount", "0,00 PLN"),
      pki.foreignSeal,
    ),
    expected: "modified",
    disallowedAfter: [1],
  });
  add({
    name: "certified-unlocked-field-filled",
    description: "certification (P=2) locking field 'amount', then 'note' filled and signed",
    bytes: signPdf(
      fillTextField(certified(2, { action: "Include", fields: ["amount"] }), "note", "paid by transfer"),
      pki.foreignSeal,
    ),
    expected: "valid",
  });

  // ---- long-term validation after Signet's seal
  const sealCertificates = [new Uint8Array(sealing.identity.certificate), sealing.caDer];
  const bLt = addDss(sealed, { certificates: sealCertificates, signatures: [lastSignatureValue(sealed)] });
  const bLta = documentTimestamp(bLt);
  add({
    name: "signet-b-lt",
    description: "Signet's seal, then a DSS update (PAdES B-LT)",
    bytes: bLt,
    expected: "valid",
  });
  add({
    name: "signet-b-lta",
    description: "Signet's seal, a DSS, then a document time-stamp (PAdES B-LTA)",
    bytes: bLta,
    expected: "valid",
  });
  add({
    name: "signet-b-lta-extended",
    description: "B-LTA, then another DSS with the TSA's certificates (the next LTA round)",
    bytes: addDss(bLta, { certificates: [openssl.tsa.certDer, openssl.caDer] }),
    expected: "valid",
  });
  {
    const sealedStreams = await sealing.seal(await makePdf(2, { objectStreams: true }));
    add({
      name: "signet-b-lt-xref-stream",
      description: "Signet's seal on a file with object streams, then a DSS in an xref-stream update",
      bytes: addDss(sealedStreams, { certificates: sealCertificates }, { xref: "stream" }),
      expected: "valid",
    });
  }
  {
    const basics = readBasics(sealed);
    const content = basics.pages[0].contents[0];
    const data = new Uint8Array(Buffer.from("BT /F1 24 Tf 50 720 Td (PAID - NOTHING DUE) Tj ET", "latin1"));
    add({
      name: "signet-dss-with-page-change",
      description: "a DSS update that also replaces the page's content",
      bytes: addDss(
        sealed,
        { certificates: sealCertificates },
        { extra: [{ num: content.num, gen: content.gen, body: { dict: `<</Length ${data.length}>>`, data } }] },
      ),
      expected: "modified",
    });
  }
  {
    const dangling = withDanglingResource(await makePdf(1));
    const base = await sealing.seal(dangling.pdf);
    add({
      name: "signet-base-dangling-resource",
      description: "sealed page that names an XObject that does not exist (draws nothing)",
      bytes: base,
      expected: "valid",
    });
    add({
      name: "signet-dss-fills-dangling-resource",
      description: "a DSS update that also adds the missing XObject: the page now paints over the amount",
      bytes: addDss(
        base,
        { certificates: sealCertificates },
        { extra: [{ num: dangling.missing, body: paintingXObject() }] },
      ),
      expected: "modified",
    });
  }
  add({
    name: "signet-visible-document-timestamp",
    description: "Signet's seal, then a document time-stamp whose widget paints over the page",
    bytes: signPdf(sealed, tsa, {
      documentTimestamp: true,
      visible: { rect: [40, 700, 440, 760], appearance: "q 1 0 0 rg 0 0 400 60 re f Q" },
      cmsFor: (signed) => openssl.timestamp(concat(...signed)),
    }),
    expected: "modified",
    disallowedAfter: [1],
  });
  add({
    name: "signet-changed-then-timestamped",
    description: "Signet's seal, page text changed, then a document time-stamp over it",
    bytes: documentTimestamp(replacePageContent(sealed, "table")),
    expected: "modified",
    disallowedAfter: [1],
  });
  {
    // History rewritten: after a DSS update, another update whose /Prev skips the signed revision.
    const basics = readBasics(bLt);
    const unsigned = basics.document.markers[0].xrefOffset;
    const skipped = appendUpdate(
      bLt,
      [{ num: basics.root.num, gen: basics.root.gen, body: withEntries(basics.catalog, {}) }],
      { trailer: { Prev: String(unsigned) } },
    );
    add({
      name: "signet-history-rewritten",
      description: "an update whose /Prev skips the signed revision (its startxref no longer leads to it)",
      bytes: skipped,
      expected: "modified",
    });
  }

  return {
    sealing,
    pki,
    openssl,
    trusted: [sealing.caDer, pki.foreignCa.certificateDer, openssl.caDer],
    sealed,
    cases,
  };
}
