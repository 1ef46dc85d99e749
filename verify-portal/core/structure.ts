// Document structure as a viewer sees it through one view: catalog, page tree, form
// fields and signature fields, and what kind of thing an object is (for reporting what a
// later revision changes).
import { UnreadablePdfError } from "./limits";
import type { View } from "./reader";
import { PdfArray, PdfDict, PdfRef, PdfStream, PdfString, isInteger, nameOf, type PdfObject } from "./syntax";

const MAX_PAGES = 100_000;
const MAX_TREE_DEPTH = 64;
const MAX_FIELDS = 50_000;

export function catalogOf(view: View): PdfDict {
  const root = view.trailer?.get("Root");
  const catalog = root instanceof PdfRef ? view.dict(root) : undefined;
  if (!catalog) throw new UnreadablePdfError("no-catalog", "the document catalog (/Root) is missing or unreadable");
  return catalog;
}

export interface PageInfo {
  ref: PdfRef | null;
  dict: PdfDict;
  contents: PdfRef[];
  annotations: PdfRef[];
}

function refsOf(view: View, value: PdfObject | undefined): PdfRef[] {
  if (value instanceof PdfRef) {
    const resolved = view.resolve(value);
    if (resolved instanceof PdfArray) return resolved.items.filter((item): item is PdfRef => item instanceof PdfRef);
    return [value];
  }
  if (value instanceof PdfArray) return value.items.filter((item): item is PdfRef => item instanceof PdfRef);
  return [];
}

/** The pages in order, walking /Kids iteratively with a visited set (page-tree loops are hostile). */
export function pagesOf(view: View, catalog: PdfDict): PageInfo[] {
  const pages: PageInfo[] = [];
  const visited = new Set<string>();
  const stack: Array<{ node: PdfObject | undefined; depth: number }> = [{ node: catalog.get("Pages"), depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    view.document.budget.tick();
    if (depth > MAX_TREE_DEPTH) throw new UnreadablePdfError("nesting-too-deep", "the page tree is nested too deeply");
    if (node instanceof PdfRef) {
      const key = `${node.num} ${node.gen}`;
      if (visited.has(key)) throw new UnreadablePdfError("no-catalog", "the page tree contains a loop");
      visited.add(key);
    }
    const dict = view.dict(node);
    if (!dict) throw new UnreadablePdfError("no-catalog", "the page tree refers to a missing page");
    const kids = view.resolve(dict.get("Kids"));
    if (nameOf(dict.get("Type")) === "Pages" || (nameOf(dict.get("Type")) !== "Page" && kids instanceof PdfArray)) {
      if (!(kids instanceof PdfArray)) throw new UnreadablePdfError("no-catalog", "a page-tree node has no /Kids");
      for (let i = kids.items.length - 1; i >= 0; i--) stack.push({ node: kids.items[i], depth: depth + 1 });
      continue;
    }
    pages.push({
      ref: node instanceof PdfRef ? node : null,
      dict,
      contents: refsOf(view, dict.get("Contents")),
      annotations: refsOf(view, dict.get("Annots")),
    });
    if (pages.length > MAX_PAGES) throw new UnreadablePdfError("too-many-objects", `more than ${MAX_PAGES} pages`);
  }
  return pages;
}

export interface SignatureField {
  fieldName: string;
  fieldRef: PdfRef | null;
  /** The signature dictionary (/V) and where it was read from. */
  signatureRef: PdfRef | null;
  signature: PdfDict;
  /** False when the dictionary sits inside a compressed object stream (no file offsets). */
  inFileBody: boolean;
  /** The field's /Lock (FieldMDP), if any. */
  lock?: PdfDict;
  /** Identifies the signature dictionary: fields that share one name the same key. */
  key: string;
  /** Why the signature dictionary could not be read (then `signature` is an empty stand-in). */
  unreadable?: string;
}

export function textOf(value: PdfObject | undefined): string | undefined {
  if (!(value instanceof PdfString)) return undefined;
  const bytes = value.bytes;
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = "";
    for (let i = 2; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return text;
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return Buffer.from(bytes.subarray(3)).toString("utf8");
  return Buffer.from(bytes).toString("latin1");
}

/** One node of the form-field tree (a field, or a widget kid of one). */
export interface FieldInfo {
  /** Fully qualified name (a widget kid has its field's). */
  name: string;
  /** /FT, inherited. */
  type: string | undefined;
  /** /Ff, inherited. */
  flags: number;
  /** A widget kid without a /T of its own. */
  widgetOnly: boolean;
}

export interface FormFields {
  /** Every field-tree node's "num gen". */
  fieldRefs: Set<string>;
  fields: Map<string, FieldInfo>;
  signatures: SignatureField[];
  acroForm: PdfRef | null;
  /** /Fields when it is an indirect array. */
  fieldsArray: PdfRef | null;
}

/** Every node the form fields tree reaches, and the signature fields among them. */
export function formFieldsOf(view: View, catalog: PdfDict): FormFields {
  const form: FormFields = {
    fieldRefs: new Set(),
    fields: new Map(),
    signatures: [],
    acroForm: null,
    fieldsArray: null,
  };
  const acroFormValue = catalog.get("AcroForm");
  if (acroFormValue instanceof PdfRef) form.acroForm = acroFormValue;
  const acroForm = view.dict(acroFormValue);
  if (!acroForm) return form;
  const fieldsValue = acroForm.get("Fields");
  if (fieldsValue instanceof PdfRef) form.fieldsArray = fieldsValue;
  const fields = view.resolve(fieldsValue);
  if (!(fields instanceof PdfArray)) return form;

  const stack: Array<{
    node: PdfObject;
    depth: number;
    inheritedType?: string;
    inheritedFlags: number;
    parentName: string;
  }> = [];
  for (let i = fields.items.length - 1; i >= 0; i--)
    stack.push({ node: fields.items[i], depth: 0, parentName: "", inheritedFlags: 0 });
  let count = 0;
  while (stack.length > 0) {
    const { node, depth, inheritedType, inheritedFlags, parentName } = stack.pop()!;
    view.document.budget.tick();
    if (++count > MAX_FIELDS) throw new UnreadablePdfError("too-many-objects", `more than ${MAX_FIELDS} form fields`);
    if (depth > 32) throw new UnreadablePdfError("nesting-too-deep", "form fields are nested too deeply");
    let loaded = null;
    const nodeKey = node instanceof PdfRef ? key(node) : null;
    if (node instanceof PdfRef && nodeKey) {
      if (form.fieldRefs.has(nodeKey)) continue; // shared or looping kids
      form.fieldRefs.add(nodeKey);
      loaded = view.getObject(node);
    }
    const dict = view.dict(node);
    if (!dict) continue;
    const partial = textOf(dict.get("T"));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const type = nameOf(dict.get("FT")) ?? inheritedType;
    const ownFlags = dict.get("Ff");
    const flags = isInteger(ownFlags) ? ownFlags : inheritedFlags;
    if (nodeKey) form.fields.set(nodeKey, { name: name.slice(0, 300), type, flags, widgetOnly: partial === undefined });
    const kids = view.resolve(dict.get("Kids"));
    if (kids instanceof PdfArray) {
      for (let i = kids.items.length - 1; i >= 0; i--)
        stack.push({
          node: kids.items[i],
          depth: depth + 1,
          inheritedType: type,
          inheritedFlags: flags,
          parentName: name,
        });
    }
    if (type !== "Sig") continue;
    const value = dict.get("V");
    if (value === undefined || value === null) continue; // an empty signature field
    let signature: PdfDict | undefined;
    let inFileBody: boolean;
    if (value instanceof PdfRef) {
      let target;
      try {
        target = view.getObject(value);
      } catch (error) {
        if (
          !(error instanceof UnreadablePdfError) ||
          error.reason === "time-limit" ||
          error.reason === "too-many-objects"
        )
          throw error;
        // A viewer opens the document and shows a broken signature: so do we.
        const entry = view.lookup(value.num);
        const at = entry?.type === "offset" ? entry.offset : -1;
        form.signatures.push({
          fieldName: name,
          fieldRef: node instanceof PdfRef ? node : null,
          signatureRef: value,
          signature: new PdfDict(new Map(), at, at),
          inFileBody: true,
          key: `r${key(value)}`,
          unreadable: error.message,
        });
        continue;
      }
      signature = target?.value instanceof PdfDict ? target.value : undefined;
      inFileBody = target ? !target.inObjectStream : false;
    } else {
      signature = value instanceof PdfDict ? value : undefined;
      inFileBody = loaded ? !loaded.inObjectStream : false;
    }
    if (!signature) continue;
    const lock = view.dict(dict.get("Lock"));
    form.signatures.push({
      fieldName: name,
      fieldRef: node instanceof PdfRef ? node : null,
      signatureRef: value instanceof PdfRef ? value : null,
      signature,
      inFileBody,
      lock,
      key: value instanceof PdfRef ? `r${key(value)}` : `d${nodeKey ?? count}:${signature.start}`,
    });
  }
  return form;
}

// ---------------------------------------------------------------- classification

export type ObjectKind =
  | "catalog"
  | "page-tree"
  | "page"
  | "page-content"
  | "annotation"
  | "form-field"
  | "form"
  | "signature"
  | "form-xobject"
  | "image"
  | "font"
  | "metadata"
  | "document-info"
  | "cross-reference"
  | "object-stream"
  | "other";

/** What a view refers to, so a changed object number can be named and judged. */
export interface StructureIndex {
  catalog: string | null;
  info: string | null;
  acroForm: string | null;
  pageTreeNodes: Set<string>;
  pages: Map<string, number>;
  contents: Map<string, number>;
  annotations: Map<string, number>;
  /** Indirect /Annots arrays, by page. */
  annotationArrays: Map<string, number>;
  fields: Set<string>;
  fieldInfo: Map<string, FieldInfo>;
  fieldsArray: string | null;
  /** Signature dictionaries (/V of signature fields) and whether each is a document time-stamp. */
  signatureValues: Map<string, "signature" | "document-timestamp">;
  /** The catalog's /DSS and /Metadata objects. */
  dss: string | null;
  metadata: string | null;
  pageCount: number;
}

export const key = (ref: PdfRef) => `${ref.num} ${ref.gen}`;

export function isDocumentTimestamp(dict: PdfDict): boolean {
  return nameOf(dict.get("Type")) === "DocTimeStamp" || nameOf(dict.get("SubFilter")) === "ETSI.RFC3161";
}

export function emptyIndex(): StructureIndex {
  return {
    catalog: null,
    info: null,
    acroForm: null,
    pageTreeNodes: new Set(),
    pages: new Map(),
    contents: new Map(),
    annotations: new Map(),
    annotationArrays: new Map(),
    fields: new Set(),
    fieldInfo: new Map(),
    fieldsArray: null,
    signatureValues: new Map(),
    dss: null,
    metadata: null,
    pageCount: 0,
  };
}

export function indexStructure(view: View): StructureIndex {
  const catalog = catalogOf(view);
  const root = view.trailer?.get("Root");
  const info = view.trailer?.get("Info");
  const pages = pagesOf(view, catalog);
  const index = emptyIndex();
  index.catalog = root instanceof PdfRef ? key(root) : null;
  index.info = info instanceof PdfRef ? key(info) : null;
  index.pageCount = pages.length;
  pages.forEach((page, i) => {
    if (page.ref) index.pages.set(key(page.ref), i + 1);
    for (const ref of page.contents) index.contents.set(key(ref), i + 1);
    for (const ref of page.annotations) index.annotations.set(key(ref), i + 1);
    const annots = page.dict.get("Annots");
    if (annots instanceof PdfRef) index.annotationArrays.set(key(annots), i + 1);
    const parent = page.dict.get("Parent");
    if (parent instanceof PdfRef) index.pageTreeNodes.add(key(parent));
  });
  const pagesRoot = catalog.get("Pages");
  if (pagesRoot instanceof PdfRef) index.pageTreeNodes.add(key(pagesRoot));
  const form = formFieldsOf(view, catalog);
  index.fields = form.fieldRefs;
  index.fieldInfo = form.fields;
  index.acroForm = form.acroForm ? key(form.acroForm) : null;
  index.fieldsArray = form.fieldsArray ? key(form.fieldsArray) : null;
  for (const signature of form.signatures)
    if (signature.signatureRef)
      index.signatureValues.set(
        key(signature.signatureRef),
        isDocumentTimestamp(signature.signature) ? "document-timestamp" : "signature",
      );
  const dss = catalog.get("DSS");
  if (dss instanceof PdfRef) index.dss = key(dss);
  const metadata = catalog.get("Metadata");
  if (metadata instanceof PdfRef) index.metadata = key(metadata);
  return index;
}

export function classify(
  ref: PdfRef,
  value: PdfObject | undefined,
  index: StructureIndex,
): { kind: ObjectKind; page?: number } {
  const k = key(ref);
  if (k === index.catalog) return { kind: "catalog" };
  if (index.pages.has(k)) return { kind: "page", page: index.pages.get(k) };
  if (index.contents.has(k)) return { kind: "page-content", page: index.contents.get(k) };
  if (index.fields.has(k)) return { kind: "form-field", page: index.annotations.get(k) };
  if (index.annotations.has(k)) return { kind: "annotation", page: index.annotations.get(k) };
  if (k === index.acroForm) return { kind: "form" };
  if (index.pageTreeNodes.has(k)) return { kind: "page-tree" };
  if (k === index.info) return { kind: "document-info" };
  const dict = value instanceof PdfStream ? value.dict : value instanceof PdfDict ? value : undefined;
  if (!dict) return { kind: "other" };
  const type = nameOf(dict.get("Type"));
  const subtype = nameOf(dict.get("Subtype"));
  if (type === "Catalog") return { kind: "catalog" };
  if (type === "Pages") return { kind: "page-tree" };
  if (type === "Page") return { kind: "page" };
  if (type === "XRef") return { kind: "cross-reference" };
  if (type === "ObjStm") return { kind: "object-stream" };
  if (type === "Sig" || dict.get("ByteRange") !== undefined) return { kind: "signature" };
  if (type === "Annot" || (dict.get("Rect") !== undefined && subtype !== undefined && !(value instanceof PdfStream)))
    return { kind: "annotation" };
  if (
    dict.get("FT") !== undefined ||
    (dict.get("T") !== undefined && (dict.get("Kids") !== undefined || dict.get("Parent") !== undefined))
  )
    return { kind: "form-field" };
  if (dict.get("Fields") !== undefined) return { kind: "form" };
  if (type === "Font" || type === "FontDescriptor") return { kind: "font" };
  if (type === "Metadata") return { kind: "metadata" };
  if (subtype === "Form") return { kind: "form-xobject" };
  if (subtype === "Image") return { kind: "image" };
  return { kind: "other" };
}
