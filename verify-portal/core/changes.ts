// What one revision (an incremental update) changes, object by object, and what each
// change is part of: adding validation data (a DSS), a document time-stamp, a signature,
// filling form fields, annotations, metadata — or content a viewer shows. Whether a
// category is allowed is the signature's business (permissions.ts); this file only names
// the changes, the way ISO 32000-2 §12.8.2 (DocMDP, FieldMDP) and PAdES describe them.
//
// The rule that makes it safe: a changed object is explained only by what it is and what
// refers to it. Every object a new revision adds or changes must either be one of the
// structures a category may touch (the catalog's /DSS, a new signature field, a field's
// value and appearance, an annotation), or be referenced only by such changed structures
// (an appearance stream of a new signature widget, a certificate stream of the DSS). An
// object that any unchanged object refers to — a page's font, a content stream, a
// resource that a page named before it existed — is content.
import { UnreadablePdfError } from "./limits";
import type { PdfDocument, View, XrefEntry, XrefSection } from "./reader";
import {
  classify,
  emptyIndex,
  indexStructure,
  isDocumentTimestamp,
  key,
  type ObjectKind,
  type StructureIndex,
} from "./structure";
import { PdfArray, PdfDict, PdfRef, PdfStream, type PdfObject } from "./syntax";

export type ChangeCategory =
  | "unused"
  | "structure"
  | "validation-data"
  | "document-timestamp"
  | "signature"
  | "metadata"
  | "form-fill"
  | "annotation"
  | "content"
  | "history";

/** Categories in the order policies allow them: each policy allows everything up to a rank. */
export const CATEGORY_RANK: Record<ChangeCategory, number> = {
  unused: 0,
  structure: 0,
  "validation-data": 1,
  "document-timestamp": 2,
  signature: 3,
  metadata: 4,
  "form-fill": 5,
  annotation: 6,
  content: 7,
  history: 8,
};

export interface ObjectChange {
  object: number;
  generation: number;
  action: "added" | "changed" | "deleted";
  kind: ObjectKind;
  /** What the change is part of; the signatures' rules judge this. */
  category: ChangeCategory;
  /** Page number the object belongs to, when known. */
  page?: number;
  /** For form filling: the fully qualified name of the field. */
  field?: string;
  /** The new version lies in bytes of an earlier revision: hidden content brought back (shadow attack). */
  pointsIntoSignedBytes?: boolean;
}

export interface JudgedRevision {
  changes: ObjectChange[];
  /** False when the revision could not be compared (then every change counts as content). */
  judged: boolean;
  pageCountBefore: number | null;
  pageCountAfter: number | null;
}

const MAX_JUDGED_OBJECTS = 20_000;

interface Pending {
  num: number;
  gen: number;
  ref: PdfRef;
  action: ObjectChange["action"];
  entry: XrefEntry;
  before: PdfObject | undefined;
  after: PdfObject | undefined;
  kind: ObjectKind;
  page?: number;
  category?: ChangeCategory;
  field?: string;
  points: boolean;
}

function sameLocation(a: XrefEntry, b: XrefEntry): boolean {
  if (a.type === "offset" && b.type === "offset") return a.offset === b.offset && a.gen === b.gen;
  if (a.type === "compressed" && b.type === "compressed") return a.stream === b.stream && a.index === b.index;
  return false;
}

function fatal(error: unknown): boolean {
  return error instanceof UnreadablePdfError && (error.reason === "time-limit" || error.reason === "too-many-objects");
}

function safely<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch (error) {
    if (fatal(error)) throw error;
    return fallback;
  }
}

function dictOf(value: PdfObject | undefined): PdfDict | undefined {
  if (value instanceof PdfStream) return value.dict;
  return value instanceof PdfDict ? value : undefined;
}

function refKeys(view: View, value: PdfObject | undefined): string[] {
  const resolved = safely(() => view.resolve(value), undefined);
  if (!(resolved instanceof PdfArray)) return [];
  return resolved.items.filter((item): item is PdfRef => item instanceof PdfRef).map(key);
}

/** Serialized form of a value for comparing versions (references by number, streams by data). */
function same(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 40) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return a === b;
  if (typeof a !== "object" || typeof b !== "object") return a === b;
  if (a.constructor !== b.constructor) return false;
  if (a instanceof PdfRef) return a.num === (b as PdfRef).num && a.gen === (b as PdfRef).gen;
  if ("name" in a && "name" in b) return a.name === b.name;
  if ("bytes" in a && "bytes" in b) return Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  if (a instanceof PdfArray) {
    const other = b as PdfArray;
    return a.items.length === other.items.length && a.items.every((item, i) => same(item, other.items[i], depth + 1));
  }
  if (a instanceof PdfDict) {
    const other = b as PdfDict;
    if (a.entries.size !== other.entries.size) return false;
    for (const [k, v] of a.entries)
      if (!other.entries.has(k) || !same(v, other.entries.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) {
    const other = b as PdfStream;
    return same(a.dict, other.dict, depth + 1) && Buffer.from(a.data).equals(Buffer.from(other.data));
  }
  return false;
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(before: PdfDict | undefined, after: PdfDict | undefined): string[] {
  if (!before || !after) return ["*"];
  const keys = new Set([...before.entries.keys(), ...after.entries.keys()]);
  return [...keys].filter((k) => !same(before.get(k), after.get(k)));
}

function highest(categories: ChangeCategory[]): ChangeCategory {
  return categories.reduce<ChangeCategory>(
    (best, category) => (CATEGORY_RANK[category] > CATEGORY_RANK[best] ? category : best),
    "structure",
  );
}

function isContainer(value: PdfObject): boolean {
  return value instanceof PdfRef || value instanceof PdfArray || value instanceof PdfDict;
}

/** Does this widget show on the page (a rectangle with an area, not hidden)? */
function shows(view: View, widget: PdfDict): boolean {
  const rect = safely(() => view.resolve(widget.get("Rect")), undefined);
  if (!(rect instanceof PdfArray) || rect.items.length !== 4) return false;
  const [x1, y1, x2, y2] = rect.items;
  if (![x1, y1, x2, y2].every((value) => typeof value === "number")) return false;
  const area = Math.abs((x2 as number) - (x1 as number)) * Math.abs((y2 as number) - (y1 as number));
  const flags = widget.get("F");
  const hidden = typeof flags === "number" && (flags & (2 | 32)) !== 0; // Hidden, NoView
  return area > 0 && !hidden;
}

interface Graph {
  reachable: Set<string>;
  /** For each changed object number: who refers to it ("trailer" or "num gen"). */
  referrers: Map<number, Set<string>>;
}

/**
 * Every object the view reaches from its trailer (everything a viewer could follow), and
 * who refers to the objects in `targets`.
 */
function walk(view: View, targets: Set<number>): Graph {
  const graph: Graph = { reachable: new Set(), referrers: new Map() };
  const trailer = view.trailer;
  if (!trailer) return graph;
  const stack: Array<{ value: PdfObject | undefined; owner: string }> = [];
  for (const [name, value] of trailer.entries)
    if (name !== "Prev" && name !== "XRefStm" && name !== "Encrypt") stack.push({ value, owner: "trailer" });
  const budget = view.document.budget;
  while (stack.length > 0) {
    const { value, owner } = stack.pop()!;
    budget.tick();
    if (value instanceof PdfRef) {
      if (targets.has(value.num)) {
        let set = graph.referrers.get(value.num);
        if (!set) graph.referrers.set(value.num, (set = new Set()));
        set.add(owner);
      }
      const k = key(value);
      if (graph.reachable.has(k)) continue;
      graph.reachable.add(k);
      const loaded = safely(() => view.getObject(value), null);
      if (loaded) stack.push({ value: loaded.value instanceof PdfStream ? loaded.value.dict : loaded.value, owner: k });
    } else if (value instanceof PdfArray) {
      for (const item of value.items) if (isContainer(item)) stack.push({ value: item, owner });
    } else if (value instanceof PdfDict) {
      for (const item of value.entries.values()) if (isContainer(item)) stack.push({ value: item, owner });
    }
  }
  return graph;
}

/**
 * Compares the revision made of `sections` (what it adds to `before`) with `before`, and
 * names every change. `revisionStart`: where this revision's bytes begin in the file.
 */
export function judgeRevision(
  document: PdfDocument,
  before: View,
  after: View,
  sections: XrefSection[],
  revisionStart: number,
): JudgedRevision {
  const indexOf = (view: View): StructureIndex | null => safely(() => indexStructure(view), null);
  const afterIndex = indexOf(after);
  const beforeIndex = indexOf(before);
  const result: JudgedRevision = {
    changes: [],
    judged: afterIndex !== null && beforeIndex !== null,
    pageCountBefore: beforeIndex?.pageCount ?? null,
    pageCountAfter: afterIndex?.pageCount ?? null,
  };
  const A = afterIndex ?? emptyIndex();
  const B = beforeIndex ?? emptyIndex();

  // A new entry that lands in an earlier revision's bytes (directly, or in an object stream
  // written there) brings back something hidden there: legitimate updates write new objects.
  const pointsBack = (entry: XrefEntry): boolean => {
    if (entry.type === "offset") return entry.offset < revisionStart;
    if (entry.type !== "compressed") return false;
    const container = after.lookup(entry.stream);
    return container?.type === "offset" && container.offset < revisionStart;
  };

  // ---- what the sections of this revision change
  const pending = new Map<number, Pending>();
  const seen = new Set<number>();
  for (const section of sections) {
    for (const [num, entry] of section.entries) {
      document.budget.tick();
      if (seen.has(num)) continue; // the newest section of the revision wins
      seen.add(num);
      const previous = before.lookup(num);
      const previousInUse = previous !== undefined && previous.type !== "free";
      let action: ObjectChange["action"];
      if (entry.type === "free") {
        if (!previousInUse || num === 0) continue;
        action = "deleted";
      } else if (!previousInUse) action = "added";
      else if (sameLocation(previous, entry)) continue;
      else action = "changed";
      const gen =
        action === "deleted"
          ? previous?.type === "offset"
            ? previous.gen
            : 0
          : entry.type === "offset"
            ? entry.gen
            : 0;
      const ref = new PdfRef(num, gen);
      const afterValue = action === "deleted" ? undefined : safely(() => after.resolve(ref), undefined);
      const beforeValue = action === "added" ? undefined : safely(() => before.resolve(ref), undefined);
      let kind = classify(ref, action === "deleted" ? beforeValue : afterValue, action === "deleted" ? B : A);
      if (kind.kind === "other" && action !== "deleted" && beforeValue !== undefined)
        kind = classify(ref, beforeValue, B);
      if (kind.kind === "cross-reference") continue;
      pending.set(num, {
        num,
        gen,
        ref,
        action,
        entry,
        before: beforeValue,
        after: afterValue,
        kind: kind.kind,
        page: kind.page,
        points: pointsBack(entry),
      });
      if (pending.size > MAX_JUDGED_OBJECTS) result.judged = false;
    }
  }

  const finish = (): JudgedRevision => {
    for (const change of pending.values()) {
      const category = result.judged ? (change.category ?? "content") : "content";
      const out: ObjectChange = {
        object: change.num,
        generation: change.gen,
        action: change.action,
        kind: change.kind,
        category,
      };
      if (change.page !== undefined) out.page = change.page;
      if (change.field !== undefined) out.field = change.field;
      if (change.points) out.pointsIntoSignedBytes = true;
      result.changes.push(out);
    }
    result.changes.sort((a, b) => a.object - b.object);
    return result;
  };

  // The trailer itself: another /Root is another document; /Info is metadata.
  const trailerChanges: ObjectChange[] = [];
  const beforeRoot = before.trailer?.get("Root");
  const afterRoot = after.trailer?.get("Root");
  if (!same(beforeRoot, afterRoot)) {
    const ref = afterRoot instanceof PdfRef ? afterRoot : new PdfRef(0, 0);
    if (!pending.has(ref.num))
      trailerChanges.push({
        object: ref.num,
        generation: ref.gen,
        action: "changed",
        kind: "catalog",
        category: "content",
      });
    else pending.get(ref.num)!.category = "content";
  }
  if (!same(before.trailer?.get("Encrypt"), after.trailer?.get("Encrypt")))
    trailerChanges.push({ object: 0, generation: 0, action: "changed", kind: "other", category: "content" });

  if (!result.judged) {
    finish();
    result.changes.push(...trailerChanges);
    return result;
  }

  // ---- who refers to each changed object, before and after
  const targets = new Set(pending.keys());
  const afterGraph = targets.size > 0 ? walk(after, targets) : { reachable: new Set<string>(), referrers: new Map() };
  const beforeGraph = targets.size > 0 ? walk(before, targets) : { reachable: new Set<string>(), referrers: new Map() };

  const k = (p: Pending) => `${p.num} ${p.gen}`;
  const set = (p: Pending, category: ChangeCategory) => {
    if (p.category === undefined || CATEGORY_RANK[category] > CATEGORY_RANK[p.category]) p.category = category;
  };
  const forced = (p: Pending) => p.points || p.category === "content";
  const byKey = (refKey: string): Pending | undefined => {
    const num = Number(refKey.split(" ")[0]);
    const found = pending.get(num);
    return found && k(found) === refKey ? found : undefined;
  };

  for (const p of pending.values()) {
    if (p.points) p.category = "content";
    // A new object stream only holds new objects; rewriting or removing an existing one
    // changes every object its old entries still point into.
    if (p.kind === "object-stream") set(p, p.action === "added" ? "structure" : "content");
  }

  // ---- signature dictionaries, fields and widgets, annotations, DSS, metadata
  for (const p of pending.values()) {
    if (forced(p)) continue;
    const refKey = k(p);
    if (A.signatureValues.has(refKey) || B.signatureValues.has(refKey)) {
      // A new signature dictionary is what signing adds; rewriting an existing one is not.
      if (p.action === "added" && A.signatureValues.has(refKey)) set(p, A.signatureValues.get(refKey)!);
      else set(p, "content");
    } else if (A.fields.has(refKey) || B.fields.has(refKey)) {
      // Fields first, their widget kids below (a widget follows its field).
      if (!A.fieldInfo.get(refKey)?.widgetOnly) judgeField(p, refKey);
    } else if (A.annotations.has(refKey) || B.annotations.has(refKey)) set(p, "annotation");
    else if (refKey === A.dss || refKey === B.dss) set(p, p.action === "deleted" ? "content" : "validation-data");
    else if ((refKey === A.info || refKey === A.metadata) && p.action !== "deleted") set(p, "metadata");
  }
  for (const p of pending.values()) {
    const refKey = k(p);
    if (!forced(p) && p.category === undefined && A.fieldInfo.get(refKey)?.widgetOnly) judgeField(p, refKey);
  }

  function judgeField(p: Pending, refKey: string) {
    const afterDict = dictOf(p.after);
    const beforeDict = dictOf(p.before);
    const infoAfter = A.fieldInfo.get(refKey);
    const infoBefore = B.fieldInfo.get(refKey);
    if (p.action === "deleted" || !infoAfter || !afterDict) return set(p, "content");
    // Actions (/A, /AA: links, JavaScript on open or focus) change what the document does.
    if (afterDict.get("A") !== undefined || afterDict.get("AA") !== undefined) return set(p, "content");
    const parentValue = afterDict.get("Parent");
    const parent = infoAfter.widgetOnly && parentValue instanceof PdfRef ? byKey(key(parentValue)) : undefined;
    if (infoAfter.type === "Sig") {
      if (infoAfter.widgetOnly) {
        // A widget of a signature field that this revision signs (new or filled). A document
        // time-stamp shows nothing: one that does (anyone can get a token) is content.
        const parentCategory = parent?.category;
        const ok =
          parentCategory === "signature" || (parentCategory === "document-timestamp" && !shows(after, afterDict));
        const keys = changedKeys(beforeDict, afterDict);
        if (ok && (p.action === "added" || keys.every((name) => ["AP", "AS", "MK", "F"].includes(name))))
          return set(p, parentCategory);
        return set(p, "content");
      }
      // Signing adds a new signature dictionary: a field showing one that existed before
      // (a replayed signature) is not signing.
      const value = afterDict.get("V");
      const signedNow = value instanceof PdfRef && byKey(key(value))?.action === "added";
      const kind =
        value instanceof PdfRef
          ? signedNow
            ? A.signatureValues.get(key(value))
            : undefined
          : value instanceof PdfDict
            ? isDocumentTimestamp(value)
              ? "document-timestamp"
              : "signature"
            : undefined;
      // A document time-stamp's widget shows nothing: one that does (anyone can get a token) is content.
      if (kind === "document-timestamp" && shows(after, afterDict)) return set(p, "content");
      // A new signature field is signing; an empty one is a new form field.
      if (p.action === "added") return set(p, kind ?? "content");
      // Filling an empty signature field is signing; replacing a value or a signed appearance is not.
      const hadValue = beforeDict?.get("V") !== undefined && beforeDict?.get("V") !== null;
      const keys = changedKeys(beforeDict, afterDict);
      if (!hadValue && kind && keys.every((name) => ["V", "AP", "AS", "MK", "F"].includes(name))) return set(p, kind);
      return set(p, "content");
    }
    // Filling a form: the value, the appearance state and the appearance; nothing else.
    if (p.action === "added" || !infoBefore) return set(p, "content"); // a new field or widget
    const readOnly = (infoBefore.flags & 1) === 1;
    const keys = changedKeys(beforeDict, afterDict);
    if (!readOnly && keys.every((name) => ["V", "AS", "AP"].includes(name))) {
      p.field = infoAfter.name;
      return set(p, "form-fill");
    }
    return set(p, "content");
  }

  // ---- arrays of annotations and fields, pages, the form dictionary, the catalog
  const explained = (refKey: string, allowed: ChangeCategory[]): ChangeCategory => {
    const found = byKey(refKey);
    if (!found || found.action !== "added" || found.category === undefined) return "content";
    return allowed.includes(found.category) ? found.category : "content";
  };
  const judgeAnnots = (beforeRefs: string[], afterRefs: string[]): ChangeCategory => {
    const old = new Set(beforeRefs);
    const now = new Set(afterRefs);
    const categories: ChangeCategory[] = [];
    for (const ref of afterRefs) {
      if (old.has(ref)) continue;
      categories.push(explained(ref, ["signature", "document-timestamp", "annotation"]));
    }
    for (const ref of beforeRefs) {
      if (now.has(ref)) continue;
      categories.push(B.fields.has(ref) ? "content" : "annotation");
    }
    return highest(categories);
  };
  const judgeFields = (beforeRefs: string[], afterRefs: string[]): ChangeCategory => {
    const old = new Set(beforeRefs);
    const now = new Set(afterRefs);
    const categories: ChangeCategory[] = [];
    for (const ref of afterRefs)
      if (!old.has(ref)) categories.push(explained(ref, ["signature", "document-timestamp"]));
    for (const ref of beforeRefs) if (!now.has(ref)) categories.push("content");
    return highest(categories);
  };
  const judgeAcroForm = (beforeForm: PdfDict | undefined, afterForm: PdfDict | undefined): ChangeCategory => {
    if (!beforeForm && afterForm) {
      // The first signature of a document without a form creates one.
      const keys = [...afterForm.entries.keys()];
      if (!keys.every((name) => ["Fields", "SigFlags", "DR", "DA"].includes(name))) return "content";
      return judgeFields([], refKeys(after, afterForm.get("Fields")));
    }
    const categories: ChangeCategory[] = [];
    for (const name of changedKeys(beforeForm, afterForm)) {
      if (name === "Fields") {
        if (afterForm?.get("Fields") instanceof PdfRef && same(beforeForm?.get("Fields"), afterForm.get("Fields")))
          continue;
        categories.push(
          judgeFields(refKeys(before, beforeForm?.get("Fields")), refKeys(after, afterForm?.get("Fields"))),
        );
      } else if (name === "SigFlags") categories.push("signature");
      else if (name === "DR" || name === "DA") categories.push("structure");
      else if (name === "NeedAppearances") categories.push("form-fill");
      else categories.push("content");
    }
    return highest(categories);
  };

  // Arrays, pages and the form dictionary first: the catalog's judgement uses theirs.
  for (const p of pending.values()) {
    if (forced(p) || p.category !== undefined) continue;
    const refKey = k(p);
    const afterDict = dictOf(p.after);
    const beforeDict = dictOf(p.before);
    if (A.annotationArrays.has(refKey) && B.annotationArrays.has(refKey) && p.action === "changed") {
      set(p, judgeAnnots(refKeys(before, p.ref), refKeys(after, p.ref)));
    } else if (refKey === A.fieldsArray && refKey === B.fieldsArray && p.action === "changed") {
      set(p, judgeFields(refKeys(before, p.ref), refKeys(after, p.ref)));
    } else if (A.pages.has(refKey) && B.pages.has(refKey) && p.action === "changed") {
      const categories: ChangeCategory[] = [];
      for (const name of changedKeys(beforeDict, afterDict)) {
        if (name !== "Annots") categories.push("content");
        else if (afterDict?.get("Annots") instanceof PdfRef && same(beforeDict?.get("Annots"), afterDict.get("Annots")))
          continue;
        else
          categories.push(
            judgeAnnots(refKeys(before, beforeDict?.get("Annots")), refKeys(after, afterDict?.get("Annots"))),
          );
      }
      set(p, highest(categories));
    } else if (refKey === A.acroForm && p.action !== "deleted") {
      set(p, judgeAcroForm(refKey === B.acroForm ? beforeDict : undefined, afterDict));
    }
  }
  for (const p of pending.values()) {
    if (forced(p) || p.category !== undefined) continue;
    const refKey = k(p);
    if (refKey !== A.catalog || refKey !== B.catalog || p.action !== "changed") continue;
    const afterDict = dictOf(p.after);
    const beforeDict = dictOf(p.before);
    const categories: ChangeCategory[] = [];
    for (const name of changedKeys(beforeDict, afterDict)) {
      const was = beforeDict?.get(name);
      const now = afterDict?.get(name);
      if (name === "DSS" || name === "Extensions") categories.push("validation-data");
      else if (name === "Version") categories.push("structure");
      else if (name === "Metadata")
        categories.push(now instanceof PdfRef ? explained(key(now), ["metadata"]) : "content");
      else if (name === "AcroForm") {
        if (now instanceof PdfDict && (was === undefined || was instanceof PdfDict))
          categories.push(judgeAcroForm(was instanceof PdfDict ? was : undefined, now));
        else if (now instanceof PdfRef && was === undefined)
          categories.push(explained(key(now), ["signature", "document-timestamp"]));
        else categories.push("content");
      } else categories.push("content");
    }
    set(p, highest(categories));
  }

  // ---- objects explained by what refers to them (appearances, DSS streams, resources)
  const children = new Map<string, Pending[]>();
  for (const p of pending.values()) {
    for (const owner of afterGraph.referrers.get(p.num) ?? []) {
      let list = children.get(owner);
      if (!list) children.set(owner, (list = []));
      list.push(p);
    }
  }
  const inherit = (p: Pending): ChangeCategory | null => {
    if (forced(p) || p.category !== undefined) return null;
    const ownersAfter = [...(afterGraph.referrers.get(p.num) ?? [])];
    if (p.action === "deleted") return null;
    if (ownersAfter.length === 0) return null;
    const categories: ChangeCategory[] = [];
    for (const owner of ownersAfter) {
      const parent = owner === "trailer" ? undefined : byKey(owner);
      if (!parent || parent.category === undefined || parent.category === "content" || parent === p) return null;
      categories.push(parent.category);
    }
    // An object that existed must have belonged to changed structures only, then too.
    if (p.action === "changed") {
      for (const owner of beforeGraph.referrers.get(p.num) ?? []) {
        const parent = owner === "trailer" ? undefined : byKey(owner);
        if (!parent || parent.category === undefined || parent.category === "content") return null;
      }
    }
    return highest(categories);
  };
  const queue = [...pending.values()].filter((p) => p.category !== undefined);
  while (queue.length > 0) {
    const parent = queue.pop()!;
    document.budget.tick();
    for (const child of children.get(k(parent)) ?? []) {
      const category = inherit(child);
      if (category) {
        child.category = category;
        queue.push(child);
      }
    }
  }

  // ---- the rest: unreachable objects change nothing; anything else is content
  for (const p of pending.values()) {
    if (p.category !== undefined) continue;
    const refKey = k(p);
    if (p.action === "deleted") {
      // Removing what only changed structures used (an appearance replaced by another).
      const owners = [...(beforeGraph.referrers.get(p.num) ?? [])];
      const parents = owners.map((owner) => (owner === "trailer" ? undefined : byKey(owner)));
      if (owners.length > 0 && parents.every((parent) => parent?.category && parent.category !== "content"))
        p.category = highest(parents.map((parent) => parent!.category!));
      else p.category = beforeGraph.reachable.has(refKey) ? "content" : "unused";
    } else if (!afterGraph.reachable.has(refKey) && (p.action === "added" || !beforeGraph.reachable.has(refKey)))
      p.category = "unused";
    else p.category = "content";
  }

  finish();
  result.changes.push(...trailerChanges);
  return result;
}
