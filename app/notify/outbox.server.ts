// The notification outbox. A message is written in the same transaction as the event
// that causes it (queueEmail/queueSms), then the worker delivers it with retries and
// exponential backoff. Without SMTP_URL / SMS_WEBHOOK_URL messages are "held" and shown
// in the development mailbox instead.
import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import nodemailer from "nodemailer";
import { getDb, schema } from "~db/client";
import type { Tx } from "~/audit/audit.server";
import { newId } from "~/auth/tokens.server";
import { config } from "~/config.server";

export const MAX_ATTEMPTS = 8;

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  companyId?: string | null;
  documentId?: string | null;
}

export interface SmsMessage {
  to: string;
  text: string;
  companyId?: string | null;
  documentId?: string | null;
}

export function queueEmail(tx: Tx, message: EmailMessage) {
  const id = newId();
  tx.insert(schema.outboxMessages)
    .values({
      id,
      channel: "email",
      recipient: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      companyId: message.companyId ?? null,
      documentId: message.documentId ?? null,
      nextAttemptAt: new Date(),
    })
    .run();
  wakeWorker();
  return id;
}

export function queueSms(tx: Tx, message: SmsMessage) {
  const id = newId();
  tx.insert(schema.outboxMessages)
    .values({
      id,
      channel: "sms",
      recipient: message.to,
      text: message.text,
      companyId: message.companyId ?? null,
      documentId: message.documentId ?? null,
      nextAttemptAt: new Date(),
    })
    .run();
  wakeWorker();
  return id;
}

/** Backoff before attempt n+1: 5 s, 10 s, 20 s ... capped at one hour. */
export function backoffMs(attempts: number) {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

type OutboxRow = typeof schema.outboxMessages.$inferSelect;

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

async function deliver(message: OutboxRow): Promise<"sent" | "held"> {
  if (message.channel === "email") {
    if (!config.smtpUrl) return "held";
    await getMailTransport(config.smtpUrl).sendMail({
      from: config.mailFrom,
      to: message.recipient,
      subject: message.subject,
      text: message.text,
      html: message.html ?? undefined,
    });
    return "sent";
  }
  if (!config.smsWebhookUrl) return "held";
  const response = await fetch(config.smsWebhookUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ to: message.recipient, text: message.text }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  return "sent";
}

/** Delivers every due message once; returns how many were handled. */
export async function deliverDueMessages(now = new Date()): Promise<number> {
  const db = getDb();
  const due = db
    .select()
    .from(schema.outboxMessages)
    .where(and(eq(schema.outboxMessages.status, "pending"), lte(schema.outboxMessages.nextAttemptAt, now)))
    .orderBy(asc(schema.outboxMessages.nextAttemptAt))
    .limit(50)
    .all();
  for (const message of due) {
    const attempts = message.attempts + 1;
    try {
      const outcome = await deliver(message);
      db.update(schema.outboxMessages)
        .set({ status: outcome, attempts, sentAt: outcome === "sent" ? new Date() : null, lastError: null })
        .where(eq(schema.outboxMessages.id, message.id))
        .run();
    } catch (error) {
      const failed = attempts >= MAX_ATTEMPTS;
      db.update(schema.outboxMessages)
        .set({
          status: failed ? "failed" : "pending",
          attempts,
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
        })
        .where(eq(schema.outboxMessages.id, message.id))
        .run();
    }
  }
  return due.length;
}

/** Held messages go out once a transport is configured (e.g. after a restart with SMTP_URL). */
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
  releaseHeldMessages();
  timer = setInterval(() => void tick(), config.outboxPollMs);
  timer.unref();
  void tick();
}

export function stopOutboxWorker() {
  if (timer) clearInterval(timer);
  timer = undefined;
}

export function listOutbox(options: { companyId?: string; recipient?: string; limit?: number; offset?: number } = {}) {
  const db = getDb();
  const where = and(
    options.companyId ? eq(schema.outboxMessages.companyId, options.companyId) : undefined,
    options.recipient ? eq(schema.outboxMessages.recipient, options.recipient) : undefined,
  );
  return db
    .select()
    .from(schema.outboxMessages)
    .where(where)
    .orderBy(desc(schema.outboxMessages.createdAt), desc(schema.outboxMessages.id))
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .all();
}

export function listFailedMessages(companyId: string) {
  return getDb()
    .select()
    .from(schema.outboxMessages)
    .where(and(eq(schema.outboxMessages.companyId, companyId), eq(schema.outboxMessages.status, "failed")))
    .orderBy(desc(schema.outboxMessages.createdAt))
    .limit(100)
    .all();
}

/** An admin sends a failed message again. */
export function retryMessage(companyId: string, messageId: string) {
  return (
    getDb()
      .update(schema.outboxMessages)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null })
      .where(
        and(
          eq(schema.outboxMessages.id, messageId),
          eq(schema.outboxMessages.companyId, companyId),
          eq(schema.outboxMessages.status, "failed"),
        ),
      )
      .run().changes > 0
  );
}
