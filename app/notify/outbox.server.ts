// The notification outbox. A message is written in the same transaction as the event that
// causes it (queueEmail/queueSms), then the worker delivers it with retries and exponential
// backoff. Secrets (signing and download links, codes, invitation links) are never stored in
// the message's text: subject, text and html name them as ⟦n⟧ and their values sit in
// `secrets` only until the message is sent or has failed for good, then they are erased, so
// the database keeps no working link or code. Without a transport a message is "held" for the
// development mailbox in the demo and in development; in production it fails at once (and its
// secrets are erased): the admin sees it under Failed messages, and a retry issues a fresh link.
import { and, desc, eq, inArray, isNull, lte, ne } from "drizzle-orm";
import nodemailer from "nodemailer";
import { getDb, schema } from "~db/client";
import type { Tx } from "~/audit/audit.server";
import { newId } from "~/auth/tokens.server";
import { config } from "~/config.server";
import { escapeHtml } from "./email.server";

export const MAX_ATTEMPTS = 8;

export type MessagePurpose = (typeof schema.outboxMessages.$inferSelect)["purpose"];

interface MessageBase {
  to: string;
  companyId?: string | null;
  documentId?: string | null;
  /** exact strings in the message that must not outlive its delivery (links with tokens, codes) */
  secrets?: string[];
  purpose?: MessagePurpose;
  /** the party, user or document the message is about (for a retry that issues a fresh link) */
  ref?: string | null;
}

export interface EmailMessage extends MessageBase {
  subject: string;
  text: string;
  html: string;
}

export interface SmsMessage extends MessageBase {
  text: string;
}

const SECRET = /⟦(\d+)⟧/g;
export const MASK = "•••••";

/** Replaces each secret by ⟦n⟧ (in HTML also its escaped form). */
function protect(value: string, secrets: string[], html = false) {
  let result = value;
  secrets.forEach((secret, index) => {
    result = result.replaceAll(secret, `⟦${index}⟧`);
    if (html) result = result.replaceAll(escapeHtml(secret), `⟦${index}⟧`);
  });
  return result;
}

function reveal(value: string, secrets: string[], html = false) {
  return value.replace(SECRET, (whole, index: string) => {
    const secret = secrets[Number(index)];
    return secret === undefined ? whole : html ? escapeHtml(secret) : secret;
  });
}

export function maskSecrets(value: string) {
  return value.replace(SECRET, MASK);
}

function insertMessage(
  tx: Tx,
  message: MessageBase & { channel: "email" | "sms"; subject: string; text: string; html: string | null },
) {
  const secrets = (message.secrets ?? []).filter((s) => s.length > 0);
  const id = newId();
  tx.insert(schema.outboxMessages)
    .values({
      id,
      channel: message.channel,
      recipient: message.to,
      subject: protect(message.subject, secrets),
      text: protect(message.text, secrets),
      html: message.html === null ? null : protect(message.html, secrets, true),
      secrets: secrets.length > 0 ? JSON.stringify(secrets) : null,
      purpose: message.purpose ?? "notice",
      ref: message.ref ?? null,
      companyId: message.companyId ?? null,
      documentId: message.documentId ?? null,
      nextAttemptAt: new Date(),
    })
    .run();
  wakeWorker();
  return id;
}

export function queueEmail(tx: Tx, message: EmailMessage) {
  return insertMessage(tx, { ...message, channel: "email" });
}

export function queueSms(tx: Tx, message: SmsMessage) {
  return insertMessage(tx, { ...message, channel: "sms", subject: "", html: null });
}

/** Backoff before attempt n+1: 5 s, 10 s, 20 s ... capped at one hour. */
export function backoffMs(attempts: number) {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

type OutboxRow = typeof schema.outboxMessages.$inferSelect;

function secretsOf(message: OutboxRow): string[] {
  try {
    return message.secrets ? (JSON.parse(message.secrets) as string[]) : [];
  } catch {
    return [];
  }
}

/** The message as sent: secrets in place. */
function contentOf(message: OutboxRow) {
  const secrets = secretsOf(message);
  return {
    subject: reveal(message.subject, secrets),
    text: reveal(message.text, secrets),
    html: message.html === null ? undefined : reveal(message.html, secrets, true),
  };
}

let mailTransport: ReturnType<typeof nodemailer.createTransport> | undefined;
let mailTransportUrl: string | undefined;

/** SMTP_URL as nodemailer options, with timeouts so a stalled server cannot block the worker. */
function smtpOptions(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : parsed.protocol === "smtps:" ? 465 : 587,
    secure: parsed.protocol === "smtps:",
    auth: parsed.username
      ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
      : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

function getMailTransport(url: string) {
  if (!mailTransport || mailTransportUrl !== url) {
    mailTransport = nodemailer.createTransport(smtpOptions(url));
    mailTransportUrl = url;
  }
  return mailTransport;
}

class NoTransportError extends Error {}

async function deliver(message: OutboxRow): Promise<"sent" | "held"> {
  const content = contentOf(message);
  if (message.channel === "email") {
    if (!config.smtpUrl) {
      if (config.developmentMailbox) return "held";
      throw new NoTransportError("No e-mail transport: set SMTP_URL and restart, then try again");
    }
    await getMailTransport(config.smtpUrl).sendMail({
      from: config.mailFrom,
      to: message.recipient,
      subject: content.subject,
      text: content.text,
      html: content.html,
    });
    return "sent";
  }
  if (!config.smsWebhookUrl) {
    if (config.developmentMailbox) return "held";
    throw new NoTransportError("No SMS gateway: set SMS_WEBHOOK_URL and restart, then try again");
  }
  const response = await fetch(config.smsWebhookUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ to: message.recipient, text: content.text }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  return "sent";
}

/** Once a message is out (or has failed for good) its secrets are gone for good. */
const erased = () => ({ secrets: null, redactedAt: new Date() });

/** Delivers every due message once; returns how many were handled. */
export async function deliverDueMessages(now = new Date()): Promise<number> {
  const db = getDb();
  const due = db
    .select()
    .from(schema.outboxMessages)
    .where(and(eq(schema.outboxMessages.status, "pending"), lte(schema.outboxMessages.nextAttemptAt, now)))
    .orderBy(schema.outboxMessages.nextAttemptAt)
    .limit(50)
    .all();
  for (const message of due) {
    const attempts = message.attempts + 1;
    try {
      const outcome = await deliver(message);
      db.update(schema.outboxMessages)
        .set(
          outcome === "sent"
            ? { status: "sent", attempts, sentAt: new Date(), lastError: null, ...erased() }
            : { status: "held", attempts, lastError: null },
        )
        .where(eq(schema.outboxMessages.id, message.id))
        .run();
    } catch (error) {
      const failed = attempts >= MAX_ATTEMPTS || error instanceof NoTransportError;
      db.update(schema.outboxMessages)
        .set({
          status: failed ? "failed" : "pending",
          attempts,
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
          ...(failed ? erased() : {}),
        })
        .where(eq(schema.outboxMessages.id, message.id))
        .run();
    }
  }
  return due.length;
}

/** Held messages go out once a transport is configured (the demo restarted with SMTP_URL). */
function releaseHeldMessages() {
  const channels: ("email" | "sms")[] = [];
  if (config.smtpUrl) channels.push("email");
  if (config.smsWebhookUrl) channels.push("sms");
  if (channels.length === 0) return;
  getDb()
    .update(schema.outboxMessages)
    .set({ status: "pending", nextAttemptAt: new Date() })
    .where(and(eq(schema.outboxMessages.status, "held"), inArray(schema.outboxMessages.channel, channels)))
    .run();
}

// Links with a token and six-digit codes, as messages carried them before secrets were kept apart.
const LEGACY_SECRETS = /https?:\/\/[^\s"<>]+\/(?:s|dl|invitation)\/[A-Za-z0-9_-]{16,}|\b\d{6}\b/g;

/**
 * Start-up upgrade of messages written before secrets were kept apart: their links and codes
 * are moved out of the text as in new messages, and erased where the message is no longer
 * waiting to go out. In production, where nothing is ever held, held messages fail (an admin
 * retries them once a transport is configured, which issues fresh links).
 */
export function redactLegacyOutbox() {
  const db = getDb();
  if (!config.developmentMailbox) {
    db.update(schema.outboxMessages)
      .set({ status: "failed", lastError: "Held without a transport: set SMTP_URL / SMS_WEBHOOK_URL, then try again" })
      .where(eq(schema.outboxMessages.status, "held"))
      .run();
  }
  const legacy = db
    .select()
    .from(schema.outboxMessages)
    .where(and(isNull(schema.outboxMessages.secrets), isNull(schema.outboxMessages.redactedAt)))
    .all()
    .filter((row) => `${row.subject}\n${row.text}`.match(LEGACY_SECRETS));
  db.transaction((tx) => {
    for (const row of legacy) {
      const secrets = [...new Set(`${row.subject}\n${row.text}`.match(LEGACY_SECRETS) ?? [])];
      const waiting = row.status === "pending" || row.status === "held";
      tx.update(schema.outboxMessages)
        .set({
          subject: protect(row.subject, secrets),
          text: protect(row.text, secrets),
          html: row.html === null ? null : protect(row.html, secrets, true),
          ...(waiting ? { secrets: JSON.stringify(secrets) } : erased()),
        })
        .where(eq(schema.outboxMessages.id, row.id))
        .run();
    }
  });
}

let timer: NodeJS.Timeout | undefined;
let running = false;
let wakeRequested = false;

async function tick() {
  if (running) {
    wakeRequested = true;
    return;
  }
  running = true;
  try {
    do {
      wakeRequested = false;
      await deliverDueMessages();
    } while (wakeRequested);
  } catch (error) {
    console.error("outbox worker:", error);
  } finally {
    running = false;
  }
}

function wakeWorker() {
  // after the surrounding transaction commits
  if (timer) setImmediate(() => void tick());
}

export function startOutboxWorker() {
  if (timer) return;
  if (!config.developmentMailbox) {
    if (!config.smtpUrl) console.warn("outbox: SMTP_URL is not set: e-mail cannot be delivered (listed as failed)");
    if (!config.smsWebhookUrl)
      console.warn("outbox: SMS_WEBHOOK_URL is not set: SMS cannot be delivered (listed as failed)");
  }
  releaseHeldMessages();
  timer = setInterval(() => void tick(), config.outboxPollMs);
  timer.unref();
  void tick();
}

export function stopOutboxWorker() {
  if (timer) clearInterval(timer);
  timer = undefined;
}

export interface MessageView {
  id: string;
  channel: "email" | "sms";
  recipient: string;
  subject: string;
  text: string;
  status: OutboxRow["status"];
  purpose: MessagePurpose;
  lastError: string | null;
  createdAt: Date;
}

/** A message for a page: secrets shown only where `reveal` (the development mailbox), else masked. */
function viewOf(message: OutboxRow, options: { reveal: boolean }): MessageView {
  const content = options.reveal ? contentOf(message) : { subject: message.subject, text: message.text };
  return {
    id: message.id,
    channel: message.channel,
    recipient: message.recipient,
    subject: maskSecrets(content.subject),
    text: maskSecrets(content.text),
    status: message.status,
    purpose: message.purpose,
    lastError: message.lastError,
    createdAt: message.createdAt,
  };
}

/** The development mailbox's list (demo and development only; the route checks). */
export function listMailbox(options: { recipient?: string; limit?: number; offset?: number } = {}) {
  return getDb()
    .select()
    .from(schema.outboxMessages)
    .where(options.recipient ? eq(schema.outboxMessages.recipient, options.recipient) : undefined)
    .orderBy(desc(schema.outboxMessages.createdAt), desc(schema.outboxMessages.id))
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .all()
    .map((message) => viewOf(message, { reveal: true }));
}

/** Failed messages of a company, for its admins: never a link or a code. */
export function listFailedMessages(companyId: string) {
  return getDb()
    .select()
    .from(schema.outboxMessages)
    .where(and(eq(schema.outboxMessages.companyId, companyId), eq(schema.outboxMessages.status, "failed")))
    .orderBy(desc(schema.outboxMessages.createdAt))
    .limit(100)
    .all()
    .map((message) => viewOf(message, { reveal: false }));
}

export function findFailedMessage(tx: Tx, companyId: string, messageId: string) {
  return (
    tx
      .select()
      .from(schema.outboxMessages)
      .where(
        and(
          eq(schema.outboxMessages.id, messageId),
          eq(schema.outboxMessages.companyId, companyId),
          eq(schema.outboxMessages.status, "failed"),
        ),
      )
      .get() ?? null
  );
}

/** Sends a failed notice again as it is (a notice carries no secret). */
export function retryNotice(tx: Tx, messageId: string) {
  return (
    tx
      .update(schema.outboxMessages)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null })
      .where(
        and(
          eq(schema.outboxMessages.id, messageId),
          eq(schema.outboxMessages.status, "failed"),
          eq(schema.outboxMessages.purpose, "notice"),
        ),
      )
      .run().changes > 0
  );
}

/** A failed message that a fresh one (with a fresh link) replaces. */
export function markReplaced(tx: Tx, messageId: string) {
  tx.update(schema.outboxMessages)
    .set({ status: "replaced", ...erased() })
    .where(and(eq(schema.outboxMessages.id, messageId), ne(schema.outboxMessages.status, "replaced")))
    .run();
}
