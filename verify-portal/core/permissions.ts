// Which later changes a signature allows (ISO 32000-2 §12.8.2, PAdES):
//   Signet's own seal      only long-term validation data: a DSS and document time-stamps
//   DocMDP P=1             the same (PDF 2.0 and PAdES exempt DSS and document time-stamps)
//   DocMDP P=2             also signing, filling form fields and metadata
//   DocMDP P=3             also annotations
//   no DocMDP (approval)   signing and metadata: nothing that changes what a viewer shows
// FieldMDP (a field's /Lock, or a /Reference with /TransformMethod /FieldMDP) further
// forbids filling the fields it locks. A rewritten revision history is never allowed.
import { CATEGORY_RANK, type ChangeCategory, type ObjectChange } from "./changes";
import type { View } from "./reader";
import type { ChangePermissions } from "./report";
import { textOf } from "./structure";
import { PdfArray, PdfDict, isInteger, nameOf, type PdfObject } from "./syntax";

const ALL_CATEGORIES = Object.keys(CATEGORY_RANK) as ChangeCategory[];

/** Highest category rank each rule allows. */
const MAX_RANK = {
  signet: CATEGORY_RANK["document-timestamp"],
  1: CATEGORY_RANK["document-timestamp"],
  2: CATEGORY_RANK["form-fill"],
  3: CATEGORY_RANK.annotation,
  approval: CATEGORY_RANK.metadata,
} as const;

/** The signature dictionary names Signet as the application that made it (/Prop_Build /App /Name). */
export function isSignetSignature(view: View, signature: PdfDict): boolean {
  const build = view.dict(signature.get("Prop_Build"));
  const app = build ? view.dict(build.get("App")) : undefined;
  const name = app?.get("Name");
  return nameOf(name) === "Signet" || textOf(name) === "Signet";
}

function transforms(view: View, signature: PdfDict): Array<{ method: string; params: PdfDict | undefined }> {
  const references = view.resolve(signature.get("Reference"));
  if (!(references instanceof PdfArray)) return [];
  return references.items.slice(0, 16).flatMap((item) => {
    const reference = view.dict(item);
    const method = reference ? nameOf(reference.get("TransformMethod")) : undefined;
    return reference && method ? [{ method, params: view.dict(reference.get("TransformParams")) }] : [];
  });
}

function permissionValue(value: PdfObject | undefined): 1 | 2 | 3 {
  return value === 1 || value === 3 ? value : 2;
}

/** The DocMDP permission of a certification signature, or null for any other. */
export function certificationLevel(view: View, signature: PdfDict): 1 | 2 | 3 | null {
  const docMdp = transforms(view, signature).find((transform) => transform.method === "DocMDP");
  return docMdp ? permissionValue(docMdp.params?.get("P")) : null;
}

/** FieldMDP: the fields a signature locks, from its field's /Lock or its own /Reference. */
export function lockedFields(
  view: View,
  signature: PdfDict,
  lock: PdfDict | undefined,
): { locked: ChangePermissions["lockedFields"]; permission: 1 | 2 | 3 | null } {
  const fieldMdp = transforms(view, signature).find((transform) => transform.method === "FieldMDP")?.params;
  const source = lock ?? fieldMdp;
  if (!source) return { locked: null, permission: null };
  const action = nameOf(source.get("Action"));
  const fields = view.resolve(source.get("Fields"));
  const names =
    fields instanceof PdfArray
      ? fields.items.slice(0, 200).flatMap((item) => {
          const text = textOf(view.resolve(item));
          return text === undefined ? [] : [text];
        })
      : [];
  // PDF 2.0: a /Lock may also carry a DocMDP-like /P.
  const p = lock?.get("P");
  return {
    locked: action === "All" || action === "Include" || action === "Exclude" ? { action, fields: names } : null,
    permission: isInteger(p) ? permissionValue(p) : null,
  };
}

function isLocked(locked: ChangePermissions["lockedFields"], field: string | undefined): boolean {
  if (!locked || field === undefined) return false;
  const listed = locked.fields.some((name) => field === name || field.startsWith(`${name}.`));
  return locked.action === "All" || (locked.action === "Include" ? listed : !listed);
}

export function permissionsFor(options: {
  signet: boolean;
  /** Lowest DocMDP permission of the certification signatures at or before this one. */
  docMdp: 1 | 2 | 3 | null;
  lock: { locked: ChangePermissions["lockedFields"]; permission: 1 | 2 | 3 | null };
}): ChangePermissions {
  const docMdp =
    options.docMdp !== null && options.lock.permission !== null
      ? (Math.min(options.docMdp, options.lock.permission) as 1 | 2 | 3)
      : (options.docMdp ?? options.lock.permission);
  const policy: ChangePermissions["policy"] = options.signet
    ? "signet-seal"
    : docMdp !== null
      ? "certified"
      : "approval";
  const rank = options.signet ? MAX_RANK.signet : docMdp !== null ? MAX_RANK[docMdp] : MAX_RANK.approval;
  return {
    policy,
    docMdp,
    lockedFields: options.lock.locked,
    allowed: ALL_CATEGORIES.filter((category) => CATEGORY_RANK[category] <= rank),
  };
}

/** Does a signature with these permissions allow this change after it? */
export function allows(permissions: ChangePermissions, change: Pick<ObjectChange, "category" | "field">): boolean {
  if (!permissions.allowed.includes(change.category)) return false;
  return !(change.category === "form-fill" && isLocked(permissions.lockedFields, change.field));
}
