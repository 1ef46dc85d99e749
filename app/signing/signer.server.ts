// The signer's side of a document, reached through a signing link (/s/<token>): what the
// link may show, terms and one-time codes, the signer session, images and data, Sign and
// Decline. Every change is one synchronous transaction with a compare-and-set on the
// party's status and the document's stage, and an audit event with IP and user agent.
import crypto from "node:crypto";
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "~db/client";
import type { DocumentStage } from "~db/schema";
import { appendAudit, type RequestMeta, type Tx } from "~/audit/audit.server";
import { hashToken, newId, newToken } from "~/auth/tokens.server";
import { config } from "~/config.server";
import { sha256Hex } from "~/documents/documents.server";
import { moveStage } from "~/documents/lifecycle.server";
import { CLIENT_DATA_FIELDS, type ClientDataField } from "~/documents/options";
import { fields, taxIdField } from "~/http/forms.server";
import { normalizeImage, renderTypedSignature } from "~/pdf/images.server";
import { fileStorage } from "~/storage/files.server";
import { issueSigningLink, queueSigningInvitation } from "./links.server";
import { ownerRecipient, partyRecipient, queueNotice, senderCompanyName } from "./notices.server";
import { takeRateLimit } from "./rate-limit.server";
import { equalHex, hmac } from "./secrets.server";

type DocumentRow = typeof schema.documents.$inferSelect;
type PartyRow = typeof schema.parties.$inferSelect;
type BoxRow = typeof schema.boxes.$inferSelect;

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_TRIES = 5;
/** Unconfirmed codes a link may get in its life: at most 3 × 5 = 15 guesses per link (ADR 004). */
export const CODES_PER_LINK = 3;
export const CODE_RESEND_MS = 60_000;
export const SESSION_TTL_MS = 30 * 60_000;
// what an attacker holding one link, or one address, can make us send (each code costs an SMS)
const SENDS_PER_LINK_PER_HOUR = 6;
const SENDS_PER_IP_PER_HOUR = 30;

export interface SignerContext {
  document: DocumentRow;
  party: PartyRow;
  parties: PartyRow[];
  boxes: BoxRow[];
}

export type LinkState =
  | { kind: "invalid" }
  | { kind: "expired"; context: SignerContext }
  | { kind: "ended"; context: SignerContext }
  | { kind: "completed"; context: SignerContext }
  | { kind: "notReady"; context: SignerContext }
  | { kind: "signedByMe"; context: SignerContext }
  | { kind: "terms"; context: SignerContext }
  | { kind: "code"; context: SignerContext }
  | { kind: "session"; context: SignerContext };

/** Which party's turn it is in a stage. */
export function roleOnTurn(stage: DocumentStage): "company" | "client" | null {
  return stage === "company_signing" ? "company" : stage === "client_signing" ? "client" : null;
}

function loadContext(tx: Tx, party: PartyRow): SignerContext | null {
  const document = tx.select().from(schema.documents).where(eq(schema.documents.id, party.documentId)).get();
  if (!document) return null;
  const parties = tx
    .select()
    .from(schema.parties)
    .where(eq(schema.parties.documentId, document.id))
    .orderBy(asc(schema.parties.signingOrder))
    .all();
  const boxes = tx
    .select()
    .from(schema.boxes)
    .where(eq(schema.boxes.documentId, document.id))
    .orderBy(asc(schema.boxes.page))
    .all();
  return { document, party, parties, boxes };
}

/** The party and document of a link token, or null for an unknown (or replaced) token. */
export function findSigningLink(token: string): SignerContext | null {
  if (!token || token.length > 100) return null;
  const party = getDb()
    .select()
    .from(schema.parties)
    .where(eq(schema.parties.tokenHash, hashToken(token)))
    .get();
  return party ? loadContext(getDb(), party) : null;
}

/** What the link shows now, given an optional signer session cookie. */
export function linkState(
  context: SignerContext | null,
  cookieHeader: string | null,
  token: string,
  now = new Date(),
): LinkState {
  if (!context) return { kind: "invalid" };
  const { document, party } = context;
  if (document.stage === "signed" || document.stage === "archived") {
    const until = Math.max(
      party.tokenExpiresAt?.getTime() ?? 0,
      (document.completedAt?.getTime() ?? 0) + config.downloadLinkDays * 86_400_000,
    );
    return now.getTime() < until ? { kind: "completed", context } : { kind: "expired", context };
  }
  if (document.stage === "declined" || document.stage === "cancelled" || document.stage === "expired")
    return { kind: "ended", context };
  if (document.stage === "draft") return { kind: "invalid" };
  if (party.tokenExpiresAt && party.tokenExpiresAt.getTime() <= now.getTime()) return { kind: "expired", context };
  if (document.deadlineAt && document.deadlineAt.getTime() <= now.getTime()) return { kind: "expired", context };
  if (party.status === "signed") return { kind: "signedByMe", context };
  if (roleOnTurn(document.stage) !== party.role) return { kind: "notReady", context };
  if (!party.termsAcceptedAt) return { kind: "terms", context };
  if (readSignerSession(cookieHeader, party, token)) return { kind: "session", context };
  return { kind: "code", context };
}

// ---------------------------------------------------------------- signer session cookie

const COOKIE = "signet_signer";

function sessionMac(party: PartyRow, expires: number) {
  return hmac(
    "signer-session",
    party.id,
    party.tokenHash ?? "",
    String(party.codeVerifiedAt?.getTime() ?? 0),
    String(expires),
  );
}

/** Set-Cookie for a verified signer: bound to the party, its current link and code, 30 minutes, only under /s/<token>. */
export function signerSessionCookie(party: PartyRow, token: string, now = Date.now()) {
  const expires = now + SESSION_TTL_MS;
  const value = `${party.id}.${expires}.${sessionMac(party, expires)}`;
  return `${COOKIE}=${value}; Path=/s/${token}; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; SameSite=Lax${config.secureCookies ? "; Secure" : ""}`;
}

export function clearSignerSessionCookie(token: string) {
  return `${COOKIE}=; Path=/s/${token}; Max-Age=0; HttpOnly; SameSite=Lax${config.secureCookies ? "; Secure" : ""}`;
}

export function readSignerSession(
  cookieHeader: string | null,
  party: PartyRow,
  _token: string,
  now = Date.now(),
): boolean {
  if (!party.codeVerifiedAt) return false;
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(cookieHeader ?? "");
  if (!match) return false;
  const [partyId, expiresText, mac] = match[1].split(".");
  const expires = Number(expiresText);
  if (partyId !== party.id || !Number.isFinite(expires) || expires <= now || !mac) return false;
  return equalHex(mac, sessionMac(party, expires));
}

// ---------------------------------------------------------------- terms and codes

function signerAudit(context: SignerContext, meta: RequestMeta) {
  return {
    companyId: context.document.companyId,
    documentId: context.document.id,
    actorType: "signer" as const,
    actorId: context.party.id,
    actorLabel: `${context.party.role}: ${context.party.name}`,
    meta,
  };
}

export function codeHashFor(codeId: string, code: string) {
  return hmac("signing-code", codeId, code);
}

// ---------------------------------------------------------------- the browser a code belongs to

const CODE_COOKIE = "signet_code";

/**
 * A code may only be tried from the browser that asked for it: the request carries a random
 * value in this cookie (a new one when there is none), and the code row keeps its hash. Wrong
 * guesses from anyone else then never use up the tries of the signer's own code.
 */
export function codeBrowserOf(cookieHeader: string | null): string {
  const match = new RegExp(`(?:^|;\\s*)${CODE_COOKIE}=([A-Za-z0-9_-]{20,64})(?:;|$)`).exec(cookieHeader ?? "");
  return match?.[1] ?? newToken();
}

export function codeBrowserCookie(browser: string, token: string) {
  return `${CODE_COOKIE}=${browser}; Path=/s/${token}; Max-Age=86400; HttpOnly; SameSite=Lax${config.secureCookies ? "; Secure" : ""}`;
}

function browserHash(browser: string) {
  return hmac("signing-code-browser", browser);
}

/** Reads the party again inside a transaction and checks it may still act. */
function freshParty(tx: Tx, context: SignerContext): { document: DocumentRow; party: PartyRow } | null {
  const party = tx.select().from(schema.parties).where(eq(schema.parties.id, context.party.id)).get();
  const document = tx.select().from(schema.documents).where(eq(schema.documents.id, context.document.id)).get();
  if (!party || !document || party.tokenHash !== context.party.tokenHash) return null;
  if (roleOnTurn(document.stage) !== party.role || party.status === "signed" || party.status === "declined")
    return null;
  if (document.sealPendingSince) return null;
  return { document, party };
}

export type ActionResult = { ok: true } | { ok: false; error: string; field?: string };

type CodeRow = typeof schema.signingCodes.$inferSelect;

function unconfirmedCodes(tx: Tx, party: PartyRow): CodeRow[] {
  return tx
    .select()
    .from(schema.signingCodes)
    .where(
      and(
        eq(schema.signingCodes.partyId, party.id),
        eq(schema.signingCodes.linkHash, party.tokenHash ?? ""),
        isNull(schema.signingCodes.confirmedAt),
      ),
    )
    .all();
}

function usable(code: CodeRow, now: Date) {
  return code.codeHash !== null && code.wrongTries < CODE_MAX_TRIES && code.expiresAt.getTime() > now.getTime();
}

/**
 * Locks the link once it has had CODES_PER_LINK unconfirmed codes and none of them can still
 * be used: no more codes for it, the sender is told and can send a new link. A code that is
 * still usable keeps working, so the signer who has it is never locked out by someone else.
 */
function lockLinkIfSpent(tx: Tx, context: SignerContext, meta: RequestMeta, now: Date, force = false) {
  const fresh = freshParty(tx, context);
  if (!fresh || fresh.party.linkLockedAt) return;
  const codes = unconfirmedCodes(tx, fresh.party);
  if (codes.length < CODES_PER_LINK || (!force && codes.some((code) => usable(code, now)))) return;
  tx.update(schema.parties).set({ linkLockedAt: now }).where(eq(schema.parties.id, fresh.party.id)).run();
  appendAudit(tx, {
    ...signerAudit(context, meta),
    action: "signer.link_locked",
    details: { codes: codes.length, wrongTries: codes.reduce((sum, code) => sum + code.wrongTries, 0) },
    at: now,
  });
  const owner = ownerRecipient(tx, fresh.document);
  if (owner)
    queueNotice(tx, fresh.document, owner, {
      subjectKey: "signing.mail.lockedSubject",
      bodyKeys: ["signing.mail.lockedBody"],
      smsKey: "signing.sms.locked",
      params: { who: fresh.party.name },
    });
}

function sendCodeIn(tx: Tx, context: SignerContext, meta: RequestMeta, now: Date, browser: string): ActionResult {
  const fresh = freshParty(tx, context);
  if (!fresh) return { ok: false, error: "signing.error.notAvailable" };
  const { document, party } = fresh;
  if (party.linkLockedAt) return { ok: false, error: "signing.error.linkLocked" };
  if (party.codeSentAt && now.getTime() - party.codeSentAt.getTime() < CODE_RESEND_MS)
    return { ok: false, error: "signing.error.codeTooSoon" };
  if (unconfirmedCodes(tx, party).length >= CODES_PER_LINK) {
    lockLinkIfSpent(tx, context, meta, now, true);
    return { ok: false, error: "signing.error.linkLocked" };
  }
  if (
    !takeRateLimit(tx, `code-send:party:${party.id}`, SENDS_PER_LINK_PER_HOUR, 3_600_000, now) ||
    !takeRateLimit(tx, `code-send:ip:${meta.ip}`, SENDS_PER_IP_PER_HOUR, 3_600_000, now)
  ) {
    appendAudit(tx, {
      ...signerAudit(context, meta),
      action: "signer.code_refused",
      details: { reason: "rate_limit" },
      at: now,
    });
    return { ok: false, error: "signing.error.rateLimited" };
  }
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  const codeId = newId();
  const browserKey = browserHash(browser);
  // this browser's earlier code is replaced by the new one
  tx.update(schema.signingCodes)
    .set({ codeHash: null })
    .where(and(eq(schema.signingCodes.browserHash, browserKey), eq(schema.signingCodes.partyId, party.id)))
    .run();
  tx.insert(schema.signingCodes)
    .values({
      id: codeId,
      partyId: party.id,
      linkHash: party.tokenHash ?? "",
      browserHash: browserKey,
      codeHash: codeHashFor(codeId, code),
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
      createdAt: now,
    })
    .run();
  tx.update(schema.parties).set({ codeSentAt: now }).where(eq(schema.parties.id, party.id)).run();
  const to = partyRecipient(document, party);
  queueNotice(tx, document, to, {
    subjectKey: "signing.mail.codeSubject",
    bodyKeys: ["signing.mail.codeBody", "signing.mail.codeIgnore"],
    smsKey: "signing.sms.code",
    params: { code },
    secrets: [code],
    purpose: "signing_code",
    ref: party.id,
  });
  appendAudit(tx, {
    ...signerAudit(context, meta),
    action: "signer.code_sent",
    details: { channel: to.channel },
    at: now,
  });
  return { ok: true };
}

/** The signer accepts the terms of electronic signing; the first code goes out (to this browser). */
export function acceptTermsAndSendCode(
  context: SignerContext,
  meta: RequestMeta,
  browser: string,
  now = new Date(),
): ActionResult {
  return getDb().transaction((tx) => {
    const fresh = freshParty(tx, context);
    if (!fresh) return { ok: false, error: "signing.error.notAvailable" };
    if (!fresh.party.termsAcceptedAt) {
      tx.update(schema.parties).set({ termsAcceptedAt: now }).where(eq(schema.parties.id, fresh.party.id)).run();
      appendAudit(tx, { ...signerAudit(context, meta), action: "signer.terms_accepted", at: now });
    }
    if (fresh.party.status === "notified" || fresh.party.status === "waiting") {
      tx.update(schema.parties).set({ status: "viewed" }).where(eq(schema.parties.id, fresh.party.id)).run();
      appendAudit(tx, { ...signerAudit(context, meta), action: "signer.viewed", at: now });
    }
    if (fresh.party.codeSentAt && now.getTime() - fresh.party.codeSentAt.getTime() < CODE_RESEND_MS)
      return { ok: true };
    return sendCodeIn(tx, context, meta, now, browser);
  });
}

export function resendCode(context: SignerContext, meta: RequestMeta, browser: string, now = new Date()): ActionResult {
  return getDb().transaction((tx) => sendCodeIn(tx, context, meta, now, browser));
}

/**
 * Checks a code against the one sent to this browser; on success the party is verified (the
 * caller sets the session cookie). At most CODE_MAX_TRIES wrong tries per code.
 */
export function verifyCode(
  context: SignerContext,
  code: string,
  meta: RequestMeta,
  browser: string,
  now = new Date(),
): ActionResult & { party?: PartyRow } {
  const cleaned = code.replace(/\s+/g, "");
  return getDb().transaction((tx) => {
    const fresh = freshParty(tx, context);
    if (!fresh) return { ok: false, error: "signing.error.notAvailable" };
    const { party } = fresh;
    const failed = (reason: string, error: string, extra: Record<string, unknown> = {}) => {
      appendAudit(tx, {
        ...signerAudit(context, meta),
        action: "signer.code_failed",
        details: { reason, ...extra },
        at: now,
      });
      return { ok: false as const, error, field: "code" };
    };
    const sent = tx
      .select()
      .from(schema.signingCodes)
      .where(
        and(
          eq(schema.signingCodes.partyId, party.id),
          eq(schema.signingCodes.linkHash, party.tokenHash ?? ""),
          eq(schema.signingCodes.browserHash, browserHash(browser)),
          isNull(schema.signingCodes.confirmedAt),
        ),
      )
      .orderBy(desc(schema.signingCodes.createdAt))
      .get();
    if (!sent)
      return failed("not_this_browser", party.linkLockedAt ? "signing.error.linkLocked" : "signing.error.codeNone");
    if (sent.wrongTries >= CODE_MAX_TRIES) return failed("exhausted", "signing.error.codeExhausted");
    if (!sent.codeHash || sent.expiresAt.getTime() <= now.getTime())
      return failed("expired", "signing.error.codeExpired");
    if (!/^\d{6}$/.test(cleaned) || !equalHex(codeHashFor(sent.id, cleaned), sent.codeHash)) {
      const tries = sent.wrongTries + 1;
      tx.update(schema.signingCodes)
        .set({ wrongTries: tries, ...(tries >= CODE_MAX_TRIES ? { codeHash: null } : {}) })
        .where(eq(schema.signingCodes.id, sent.id))
        .run();
      const result = failed(
        "wrong",
        tries >= CODE_MAX_TRIES ? "signing.error.codeExhausted" : "signing.error.codeWrong",
        { triesLeft: CODE_MAX_TRIES - tries },
      );
      if (tries >= CODE_MAX_TRIES) lockLinkIfSpent(tx, context, meta, now);
      return result;
    }
    tx.update(schema.signingCodes)
      .set({ confirmedAt: now, codeHash: null })
      .where(eq(schema.signingCodes.id, sent.id))
      .run();
    const verified = tx
      .update(schema.parties)
      .set({ codeVerifiedAt: now })
      .where(eq(schema.parties.id, party.id))
      .returning()
      .get();
    appendAudit(tx, {
      ...signerAudit(context, meta),
      action: "signer.code_verified",
      details: { channel: partyRecipient(fresh.document, party).channel },
      at: now,
    });
    return { ok: true, party: verified };
  });
}

// ---------------------------------------------------------------- what the signer provides

export type ImageKind = "signature" | "stamp";
export type ImageSource =
  | { method: "upload"; bytes: Uint8Array }
  | { method: "typed"; name: string }
  | { method: "drawn"; dataUrl: string }
  | { method: "saved" };

export function partyBoxes(context: SignerContext, kind?: ImageKind) {
  return context.boxes.filter((b) => b.partyRole === context.party.role && (!kind || b.kind === kind));
}

export function stampRequired(context: SignerContext) {
  if (partyBoxes(context, "stamp").length === 0) return false;
  return context.party.role === "company" ? true : context.document.clientStampRequired;
}

export function requiredDataFields(context: SignerContext): ClientDataField[] {
  if (context.party.role !== "client") return [];
  try {
    const parsed = JSON.parse(context.document.clientRequiredFields) as string[];
    return CLIENT_DATA_FIELDS.filter((f) => parsed.includes(f));
  } catch {
    return [];
  }
}

export function providedData(party: PartyRow): Partial<Record<ClientDataField, string>> {
  try {
    return party.providedData ? (JSON.parse(party.providedData) as Record<ClientDataField, string>) : {};
  } catch {
    return {};
  }
}

export function savedCompanyImages(context: SignerContext) {
  if (context.party.role !== "company") return { signature: null, stamp: null };
  const company = getDb()
    .select()
    .from(schema.companies)
    .where(eq(schema.companies.id, context.document.companyId))
    .get();
  return { signature: company?.directorSignatureKey ?? null, stamp: company?.directorStampKey ?? null };
}

async function imageBytes(
  source: ImageSource,
  kind: ImageKind,
  context: SignerContext,
): Promise<{ ok: true; png: Buffer } | { ok: false; error: string }> {
  if (source.method === "saved") {
    const key = savedCompanyImages(context)[kind];
    const png = key ? await fileStorage().get(key) : null;
    return png ? { ok: true, png } : { ok: false, error: "signing.error.noSavedImage" };
  }
  if (source.method === "typed") {
    const name = source.name.trim();
    if (kind !== "signature") return { ok: false, error: "signing.error.imageType" };
    if (name.length < 2 || name.length > 80) return { ok: false, error: "signing.error.typedName" };
    return { ok: true, png: await renderTypedSignature(name) };
  }
  let bytes: Uint8Array;
  if (source.method === "drawn") {
    const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(source.dataUrl);
    if (!match) return { ok: false, error: "signing.error.imageBroken" };
    bytes = Buffer.from(match[1], "base64");
  } else {
    bytes = source.bytes;
  }
  const normalized = await normalizeImage(bytes);
  return normalized.ok ? { ok: true, png: normalized.png } : normalized;
}

/** Stores the signer's signature or stamp image (re-encoded) for this document. */
export async function saveSignerImage(
  context: SignerContext,
  kind: ImageKind,
  source: ImageSource,
  meta: RequestMeta,
): Promise<ActionResult> {
  if (kind === "stamp" && partyBoxes(context, "stamp").length === 0)
    return { ok: false, error: "signing.error.notAvailable" };
  const image = await imageBytes(source, kind, context);
  if (!image.ok) return { ok: false, error: image.error, field: kind };
  const sha256 = sha256Hex(image.png);
  const key = `documents/${context.document.id}/parties/${context.party.id}/${kind}-${sha256.slice(0, 16)}.png`;
  await fileStorage().put(key, image.png);
  return getDb().transaction((tx) => {
    if (!freshParty(tx, context)) return { ok: false, error: "signing.error.notAvailable" };
    tx.update(schema.parties)
      .set(kind === "signature" ? { signatureImageKey: key } : { stampImageKey: key })
      .where(eq(schema.parties.id, context.party.id))
      .run();
    appendAudit(tx, {
      ...signerAudit(context, meta),
      action: "signer.image_added",
      details: { kind, method: source.method, sha256 },
    });
    return { ok: true } as const;
  });
}

const dataSchemas: Record<ClientDataField, z.ZodTypeAny> = {
  fullName: fields.required(120),
  position: fields.required(120),
  companyName: fields.required(200),
  taxId: taxIdField(false).pipe(z.string().min(1)),
};

export function providedDataSchema(required: ClientDataField[]) {
  return z.object(Object.fromEntries(required.map((f) => [f, dataSchemas[f]])));
}

export function saveProvidedData(
  context: SignerContext,
  data: Record<string, string>,
  meta: RequestMeta,
): ActionResult {
  return getDb().transaction((tx) => {
    if (!freshParty(tx, context)) return { ok: false, error: "signing.error.notAvailable" };
    tx.update(schema.parties)
      .set({ providedData: JSON.stringify(data) })
      .where(eq(schema.parties.id, context.party.id))
      .run();
    appendAudit(tx, {
      ...signerAudit(context, meta),
      action: "signer.data_provided",
      details: { fields: Object.keys(data) },
    });
    return { ok: true } as const;
  });
}

/** What is still missing before Sign, as i18n keys by step. */
export function missingForSigning(context: SignerContext): string[] {
  const missing: string[] = [];
  const party = context.party;
  const data = providedData(party);
  if (requiredDataFields(context).some((f) => !data[f])) missing.push("data");
  if (partyBoxes(context, "signature").length > 0 && !party.signatureImageKey) missing.push("signature");
  if (stampRequired(context) && !party.stampImageKey) missing.push("stamp");
  return missing;
}

// ---------------------------------------------------------------- Sign and Decline

export type SignResult = { ok: true; completed: boolean } | { ok: false; error: string };

/**
 * Signs for the party. The compare-and-set on the party's status makes a second press a
 * no-op that still answers ok; the director's signature moves the document to the client,
 * the client's marks it for sealing (done by the caller or the signing worker).
 */
export function signAsSigner(
  context: SignerContext,
  options: { keepImages: boolean },
  meta: RequestMeta,
  now = new Date(),
): SignResult {
  return getDb().transaction((tx): SignResult => {
    const current = tx.select().from(schema.parties).where(eq(schema.parties.id, context.party.id)).get();
    if (current?.status === "signed") return { ok: true, completed: false };
    const fresh = freshParty(tx, context);
    if (!fresh) return { ok: false, error: "signing.error.notAvailable" };
    const { document, party } = fresh;
    const missing = missingForSigning({ ...context, document, party });
    if (missing.length > 0) return { ok: false, error: `signing.error.missing.${missing[0]}` };
    const signed = tx
      .update(schema.parties)
      .set({ status: "signed", signedAt: now })
      .where(and(eq(schema.parties.id, party.id), inArray(schema.parties.status, ["notified", "viewed"])))
      .run();
    if (signed.changes === 0) return { ok: true, completed: false };
    const audit = signerAudit({ ...context, party }, meta);
    appendAudit(tx, {
      ...audit,
      action: "signer.signed",
      details: { role: party.role, signatureSha256: null, data: providedData(party) },
      at: now,
    });
    if (party.role === "company") {
      if (options.keepImages) {
        tx.update(schema.companies)
          .set({ directorSignatureKey: party.signatureImageKey, directorStampKey: party.stampImageKey ?? undefined })
          .where(eq(schema.companies.id, document.companyId))
          .run();
        appendAudit(tx, { ...audit, action: "signer.images_kept", details: { consent: true }, at: now });
      }
      const moved = moveStage(tx, document.id, "company_signing", "client_signing", {
        ...audit,
        action: "document.client_signing",
      });
      if (!moved) throw new Error("stage changed under a signed party");
      const client = tx
        .select()
        .from(schema.parties)
        .where(and(eq(schema.parties.documentId, document.id), eq(schema.parties.role, "client")))
        .get();
      if (client) {
        const expires = document.deadlineAt ?? new Date(now.getTime() + 30 * 86_400_000);
        const link = issueSigningLink(tx, client, expires);
        tx.update(schema.parties).set({ status: "notified" }).where(eq(schema.parties.id, client.id)).run();
        const updated = tx.select().from(schema.documents).where(eq(schema.documents.id, document.id)).get()!;
        queueSigningInvitation(tx, updated, client, link, senderCompanyName(tx, document));
        appendAudit(tx, {
          companyId: document.companyId,
          documentId: document.id,
          actorType: "system",
          action: "signer.invited",
          details: { role: "client", channel: document.clientChannel },
          at: now,
        });
      }
      return { ok: true, completed: false };
    }
    const marked = tx
      .update(schema.documents)
      .set({ sealPendingSince: now, updatedAt: now })
      .where(
        and(
          eq(schema.documents.id, document.id),
          eq(schema.documents.stage, "client_signing"),
          isNull(schema.documents.sealPendingSince),
        ),
      )
      .run();
    if (marked.changes === 0) throw new Error("document changed under a signing client");
    return { ok: true, completed: true };
  });
}

export const declineSchema = z.object({ reason: fields.required(500) });

export function declineAsSigner(
  context: SignerContext,
  reason: string,
  meta: RequestMeta,
  now = new Date(),
): ActionResult {
  return getDb().transaction((tx): ActionResult => {
    const fresh = freshParty(tx, context);
    if (!fresh) return { ok: false, error: "signing.error.notAvailable" };
    const { document, party } = fresh;
    const changed = tx
      .update(schema.parties)
      .set({ status: "declined", declinedAt: now, declineReason: reason })
      .where(and(eq(schema.parties.id, party.id), inArray(schema.parties.status, ["notified", "viewed"])))
      .run();
    if (changed.changes === 0) return { ok: false, error: "signing.error.notAvailable" };
    const audit = signerAudit({ ...context, party }, meta);
    if (
      !moveStage(
        tx,
        document.id,
        document.stage,
        "declined",
        { ...audit, action: "document.declined", details: { role: party.role, reason } },
        { endReason: reason, nextReminderAt: null },
      )
    ) {
      throw new Error("stage changed under a declining party");
    }
    const notice = {
      subjectKey: "signing.mail.declinedSubject",
      bodyKeys: ["signing.mail.declinedBody"],
      smsKey: "signing.sms.declined",
      params: { who: party.name, reason },
    };
    const owner = ownerRecipient(tx, document);
    if (owner) queueNotice(tx, document, owner, notice);
    if (party.role === "client") {
      const director = context.parties.find((p) => p.role === "company");
      if (director) queueNotice(tx, document, partyRecipient(document, director), notice);
    }
    return { ok: true };
  });
}
