// Document structure as a viewer sees it through one view: catalog, page tree, form
// fields and signature fields, and what kind of thing an object is (for reporting what a
// later revision changes).
import { UnreadablePdfError } from "./limits";
import type { View } from "./reader";
import { PdfArray, PdfDict, PdfRef, PdfStream, PdfString, isInteger, nameOf, type PdfObject } from "./syntax";

const MAX_PAGES = 100_000;
const MAX_TREE_DEPTH = 64;
const MAX_FIELDS = 20_000;

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

/** Every refs the form fields tree reaches, and the signature fields among them. */
export function formFieldsOf(
  view: View,
  catalog: PdfDict,
): { fieldRefs: Set<string>; signatures: SignatureField[]; acroForm: PdfRef | null } {
  const fieldRefs = new Set<string>();
  const signatures: SignatureField[] = [];
  const acroFormValue = catalog.get("AcroForm");
  const acroForm = view.dict(acroFormValue);
  if (!acroForm) return { fieldRefs, signatures, acroForm: null };
  const fields = view.resolve(acroForm.get("Fields"));
  if (!(fields instanceof PdfArray))
    return { fieldRefs, signatures, acroForm: acroFormValue instanceof PdfRef ? acroFormValue : null };

  const stack: Array<{ node: PdfObject; depth: number; inheritedType?: string; parentName: string }> = [];
  for (let i = fields.items.length - 1; i >= 0; i--) stack.push({ node: fields.items[i], depth: 0, parentName: "" });
  let count = 0;
  while (stack.length > 0) {
    const { node, depth, inheritedType, parentName } = stack.pop()!;
    if (++count > MAX_FIELDS) throw new UnreadablePdfError("too-many-objects", `more than ${MAX_FIELDS} form fields`);
    if (depth > 32) throw new UnreadablePdfError("nesting-too-deep", "form fields are nested too deeply");
    let loaded = null;
    if (node instanceof PdfRef) {
      const key = `${node.num} ${node.gen}`;
      if (fieldRefs.has(key)) continue; // shared or looping kids
      fieldRefs.add(key);
      loaded = view.getObject(node);
    }
    const dict = view.dict(node);
    if (!dict) continue;
    const partial = textOf(dict.get("T"));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const type = nameOf(dict.get("FT")) ?? inheritedType;
    const kids = view.resolve(dict.get("Kids"));
    if (kids instanceof PdfArray) {
      for (let i = kids.items.length - 1; i >= 0; i--)
        stack.push({ node: kids.items[i], depth: depth + 1, inheritedType: type, parentName: name });
    }
    if (type !== "Sig") continue;
    const value = dict.get("V");
    if (value === undefined || value === null) continue; // an empty signature field
    let signature: PdfDict | undefined;
    let inFileBody: boolean;
    if (value instanceof PdfRef) {
      const target = view.getObject(value);
      signature = target?.value instanceof PdfDict ? target.value : undefined;
      inFileBody = target ? !target.inObjectStream : false;
    } else {
      signature = value instanceof PdfDict ? value : undefined;
      inFileBody = loaded ? !loaded.inObjectStream : false;
    }
    if (!signature) continue;
    signatures.push({
      fieldName: name,
      fieldRef: node instanceof PdfRef ? node : null,
      signatureRef: value instanceof PdfRef ? value : null,
      signature,
      inFileBody,
    });
  }
  return { fieldRefs, signatures, acroForm: acroFormValue instanceof PdfRef ? acroFormValue : null };
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

/** What a view refers to, so a changed object number can be named. */
export interface StructureIndex {
  catalog: string | null;
  info: string | null;
  acroForm: string | null;
  pageTreeNodes: Set<string>;
  pages: Map<string, number>;
  contents: Map<string, number>;
  annotations: Map<string, number>;
  fields: Set<string>;
  pageCount: number;
}

const key = (ref: PdfRef) => `${ref.num} ${ref.gen}`;

export function indexStructure(view: View): StructureIndex {
  const catalog = catalogOf(view);
  const root = view.trailer?.get("Root");
  const info = view.trailer?.get("Info");
  const pages = pagesOf(view, catalog);
  const index: StructureIndex = {
    catalog: root instanceof PdfRef ? key(root) : null,
    info: info instanceof PdfRef ? key(info) : null,
    acroForm: null,
    pageTreeNodes: new Set(),
    pages: new Map(),
    contents: new Map(),
    annotations: new Map(),
    fields: new Set(),
    pageCount: pages.length,
  };
  pages.forEach((page, i) => {
    if (page.ref) index.pages.set(key(page.ref), i + 1);
    for (const ref of page.contents) index.contents.set(key(ref), i + 1);
    for (const ref of page.annotations) index.annotations.set(key(ref), i + 1);
    const parent = page.dict.get("Parent");
    if (parent instanceof PdfRef) index.pageTreeNodes.add(key(parent));
  });
  const pagesRoot = catalog.get("Pages");
  if (pagesRoot instanceof PdfRef) index.pageTreeNodes.add(key(pagesRoot));
  const form = formFieldsOf(view, catalog);
  index.fields = form.fieldRefs;
  index.acroForm = form.acroForm ? key(form.acroForm) : null;
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
