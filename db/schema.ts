// The whole data model. Times are UTC (timestamp_ms), money is integer minor units
// with a currency code, quantities are integer thousandths, VAT rates are basis points.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const id = () => text("id").primaryKey();
// A constant SQL default, so that the column can be added to existing tables.
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`0`)
    .$defaultFn(() => new Date());
// Creation time, set once.
const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch() * 1000)`)
    .$defaultFn(() => new Date());

// The head of an audit chain, kept on the row the chain belongs to (a document, or a company for
// its events outside documents) and written in the same transaction as each event: how many events
// the chain has, the last one's hash, and an HMAC over both (app/audit), so that dropping trailing
// events or rewriting the head needs the key, not only the database.
const auditChainHead = () => ({
  auditEventCount: integer("audit_event_count").notNull().default(0),
  auditHead: text("audit_head"),
  auditHeadMac: text("audit_head_mac"),
  // set when the chain was found not to verify (shown to admins; a document is not sealed)
  auditBrokenAt: integer("audit_broken_at", { mode: "timestamp_ms" }),
  auditProblem: text("audit_problem"),
});

// ---------------------------------------------------------------- companies and people

export const companies = sqliteTable("companies", {
  id: id(),
  legalName: text("legal_name").notNull(),
  taxId: text("tax_id").notNull(),
  address: text("address").notNull(),
  bankAccount: text("bank_account").notNull().default(""),
  directorName: text("director_name").notNull().default(""),
  directorEmail: text("director_email").notNull().default(""),
  directorPhone: text("director_phone").notNull().default(""),
  // Director's saved signature/stamp images (storage keys), kept only with consent.
  directorSignatureKey: text("director_signature_key"),
  directorStampKey: text("director_stamp_key"),
  ...auditChainHead(),
  createdAt: createdAt(),
});

export const teams = sqliteTable(
  "teams",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("teams_company_name").on(t.companyId, t.name)],
);

export const users = sqliteTable(
  "users",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    // null until an invited user sets a password
    passwordHash: text("password_hash"),
    role: text("role", { enum: ["admin", "supervisor", "employee"] }).notNull(),
    teamId: text("team_id").references(() => teams.id),
    language: text("language", { enum: ["en", "pl"] }),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email").on(t.email), index("users_company").on(t.companyId)],
);

// lucia's session table (shape required by @lucia-auth/adapter-drizzle)
export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  expiresAt: integer("expires_at").notNull(),
});

export const invitations = sqliteTable("invitations", {
  id: id(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  tokenHash: text("token_hash").notNull().unique(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  usedAt: integer("used_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});

// Failed logins, for throttling per account and per IP (key = "email:x" or "ip:y").
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("login_attempts_key_at").on(t.key, t.at)],
);

// ---------------------------------------------------------------- CRM

export const clients = sqliteTable(
  "clients",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    name: text("name").notNull(),
    taxId: text("tax_id").notNull().default(""),
    address: text("address").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("clients_company_name").on(t.companyId, t.name)],
);

export const contacts = sqliteTable(
  "contacts",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    clientId: text("client_id")
      .notNull()
      .references(() => clients.id),
    name: text("name").notNull(),
    email: text("email").notNull().default(""),
    phone: text("phone").notNull().default(""),
    position: text("position").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("contacts_company_client").on(t.companyId, t.clientId)],
);

export const dealStages = ["new", "negotiation", "won", "lost"] as const;

export const deals = sqliteTable(
  "deals",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    clientId: text("client_id")
      .notNull()
      .references(() => clients.id),
    contactId: text("contact_id").references(() => contacts.id),
    stage: text("stage", { enum: dealStages }).notNull().default("new"),
    currency: text("currency").notNull().default("PLN"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("deals_company_owner").on(t.companyId, t.ownerId)],
);

export const dealItems = sqliteTable(
  "deal_items",
  {
    id: id(),
    dealId: text("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    unit: text("unit").notNull().default("szt."),
    quantityMilli: integer("quantity_milli").notNull(),
    unitNetMinor: integer("unit_net_minor").notNull(),
    // basis points: 2300 = 23 %; -1 = exempt ("zw")
    vatRateBp: integer("vat_rate_bp").notNull(),
  },
  (t) => [index("deal_items_deal").on(t.dealId)],
);

// ---------------------------------------------------------------- notifications

export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: id(),
    companyId: text("company_id"),
    documentId: text("document_id"),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull().default(""),
    // subject, text and html name each secret (a link, a code) as ⟦n⟧; the values are in `secrets`
    text: text("text").notNull(),
    html: text("html"),
    // JSON array of the secrets, kept only until the message is sent or has failed for good
    secrets: text("secrets"),
    // what the message carries, so that retrying a failed one issues a fresh link (app/signing/redeliver.server.ts)
    purpose: text("purpose", {
      enum: ["notice", "signing_link", "signing_code", "download_link", "staff_invitation"],
    })
      .notNull()
      .default("notice"),
    // the party (signing_*), user (staff_invitation) or document (download_link) it is about
    ref: text("ref"),
    // pending: to be sent; held: no transport configured (development mailbox, demo only); sent;
    // failed: gave up (listed for admins); replaced: an admin's retry sent a fresh message instead
    status: text("status", { enum: ["pending", "held", "sent", "failed", "replaced"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lastError: text("last_error"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    redactedAt: integer("redacted_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_status_next").on(t.status, t.nextAttemptAt),
    index("outbox_company_created").on(t.companyId, t.createdAt),
  ],
);

// ---------------------------------------------------------------- documents

export const documentStages = [
  "draft",
  "company_signing",
  "client_signing",
  "signed",
  "archived",
  "declined",
  "expired",
  "cancelled",
] as const;
export type DocumentStage = (typeof documentStages)[number];

export const documents = sqliteTable(
  "documents",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    // denormalised from the owner at creation, so team scoping needs no join
    teamId: text("team_id"),
    dealId: text("deal_id").references(() => deals.id),
    clientId: text("client_id").references(() => clients.id),
    // random id printed in the QR code; the portal's /d/<publicId>
    publicId: text("public_id").notNull().unique(),
    number: text("number").notNull(),
    title: text("title").notNull(),
    template: text("template", {
      enum: ["invoice", "contract", "protocol", "upload"],
    }).notNull(),
    language: text("language", { enum: ["en", "pl"] }).notNull(),
    stage: text("stage", { enum: documentStages }).notNull().default("draft"),
    stageChangedAt: integer("stage_changed_at", { mode: "timestamp_ms" }).notNull(),
    clientName: text("client_name").notNull().default(""),
    amountMinor: integer("amount_minor"),
    currency: text("currency"),
    originalFileKey: text("original_file_key").notNull(),
    originalSha256: text("original_sha256").notNull(),
    // JSON [[width, height], ...] in PDF points
    pageSizes: text("page_sizes").notNull(),
    sealedFileKey: text("sealed_file_key"),
    sealedSha256: text("sealed_sha256"),
    clientChannel: text("client_channel", { enum: ["email", "sms"] })
      .notNull()
      .default("email"),
    // JSON array of "fullName" | "position" | "companyName" | "taxId"
    clientRequiredFields: text("client_required_fields").notNull().default("[]"),
    clientStampRequired: integer("client_stamp_required", { mode: "boolean" }).notNull().default(false),
    deadlineAt: integer("deadline_at", { mode: "timestamp_ms" }),
    reminderEveryDays: integer("reminder_every_days").notNull().default(2),
    reminderMax: integer("reminder_max").notNull().default(5),
    remindersSent: integer("reminders_sent").notNull().default(0),
    nextReminderAt: integer("next_reminder_at", { mode: "timestamp_ms" }),
    lastRemindedAt: integer("last_reminded_at", { mode: "timestamp_ms" }),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    // set when every party signed and the seal is pending; cleared once sealed
    sealPendingSince: integer("seal_pending_since", { mode: "timestamp_ms" }),
    endReason: text("end_reason"),
    ...auditChainHead(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // board columns in stage order; the trailing columns are every board filter (scope, owner,
    // team, period, client, search), so a filtered count or column reads the index, not the table
    index("documents_company_stage").on(
      t.companyId,
      t.stage,
      t.stageChangedAt,
      t.ownerId,
      t.teamId,
      t.createdAt,
      t.number,
      t.title,
      t.clientName,
    ),
    // counts per owner and stage (board, list, team page) and the list sorted by owner (an owner's
    // documents in id order); the trailing columns are every board filter, so that a filtered count
    // reads the index, not the table
    index("documents_company_owner").on(
      t.companyId,
      t.ownerId,
      t.stage,
      t.id,
      t.teamId,
      t.createdAt,
      t.number,
      t.title,
      t.clientName,
    ),
    index("documents_company_team").on(t.companyId, t.teamId, t.stage),
    // board and team page (app/board): the list's default order, signed this week/month and the
    // median time to sign, overdue documents
    index("documents_company_changed").on(t.companyId, t.stageChangedAt),
    index("documents_company_completed").on(t.companyId, t.completedAt, t.ownerId, t.sentAt),
    index("documents_company_stage_deadline").on(t.companyId, t.stage, t.deadlineAt),
    uniqueIndex("documents_company_number").on(t.companyId, t.number),
  ],
);

// Per-company yearly numbering series (FV/2026/0001)
export const numberSeries = sqliteTable(
  "number_series",
  {
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    series: text("series").notNull(),
    year: integer("year").notNull(),
    last: integer("last").notNull().default(0),
  },
  (t) => [uniqueIndex("number_series_key").on(t.companyId, t.series, t.year)],
);

export const partyRoles = ["company", "client"] as const;
export type PartyRole = (typeof partyRoles)[number];

export const parties = sqliteTable(
  "parties",
  {
    id: id(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id),
    role: text("role", { enum: partyRoles }).notNull(),
    // signing order: company (1) before client (2)
    signingOrder: integer("signing_order").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull().default(""),
    phone: text("phone").notNull().default(""),
    position: text("position").notNull().default(""),
    companyName: text("company_name").notNull().default(""),
    taxId: text("tax_id").notNull().default(""),
    status: text("status", {
      enum: ["waiting", "notified", "viewed", "signed", "declined"],
    })
      .notNull()
      .default("waiting"),
    tokenHash: text("token_hash").unique(),
    tokenExpiresAt: integer("token_expires_at", { mode: "timestamp_ms" }),
    termsAcceptedAt: integer("terms_accepted_at", { mode: "timestamp_ms" }),
    // when the link ran out of codes (signing_codes): no new code until staff send a new link
    linkLockedAt: integer("link_locked_at", { mode: "timestamp_ms" }),
    codeSentAt: integer("code_sent_at", { mode: "timestamp_ms" }),
    codeVerifiedAt: integer("code_verified_at", { mode: "timestamp_ms" }),
    // JSON of the data the signer provided (fullName, position, companyName, taxId)
    providedData: text("provided_data"),
    signatureImageKey: text("signature_image_key"),
    stampImageKey: text("stamp_image_key"),
    signedAt: integer("signed_at", { mode: "timestamp_ms" }),
    declinedAt: integer("declined_at", { mode: "timestamp_ms" }),
    declineReason: text("decline_reason"),
  },
  (t) => [index("parties_document").on(t.documentId)],
);

// One-time codes (app/signing/codes.server.ts). A code is bound to the browser that asked for it
// (a random value in a cookie, stored hashed), so that wrong guesses from anyone else never touch
// the signer's own code; a link gets at most CODES_PER_LINK unconfirmed codes in its life.
export const signingCodes = sqliteTable(
  "signing_codes",
  {
    id: id(),
    partyId: text("party_id")
      .notNull()
      .references(() => parties.id),
    // the link's token hash when the code was sent: a new link starts afresh
    linkHash: text("link_hash").notNull(),
    browserHash: text("browser_hash").notNull(),
    // HMAC of the code; cleared once it was used or ran out of tries
    codeHash: text("code_hash"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    wrongTries: integer("wrong_tries").notNull().default(0),
    confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("signing_codes_party_link").on(t.partyId, t.linkHash),
    index("signing_codes_browser").on(t.browserHash),
  ],
);

export const boxes = sqliteTable(
  "boxes",
  {
    id: id(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id),
    partyRole: text("party_role", { enum: partyRoles }).notNull(),
    kind: text("kind", { enum: ["signature", "stamp"] }).notNull(),
    // 1-based page; x, y = lower-left corner in PDF points
    page: integer("page").notNull(),
    x: integer("x").notNull(),
    y: integer("y").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
  },
  (t) => [index("boxes_document").on(t.documentId)],
);

// Download links for the sealed PDF sent to parties at completion.
export const downloadLinks = sqliteTable("download_links", {
  id: id(),
  documentId: text("document_id")
    .notNull()
    .references(() => documents.id),
  tokenHash: text("token_hash").notNull().unique(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------- audit

// Append-only and chained: one chain per document, one per company for the rest. A keyed
// event's hash is an HMAC (key under DATA_DIR/keys) over its position, the previous hash and
// its content; events written before the chain was keyed keep their SHA-256 hashes (keyed = 0),
// anchored by the keyed "audit.rekeyed" event that follows them (app/audit/rekey.server.ts).
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // 1-based position in its chain (null on events from before the chain was keyed)
    seq: integer("seq"),
    keyed: integer("keyed", { mode: "boolean" }).notNull().default(false),
    companyId: text("company_id").notNull(),
    documentId: text("document_id"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actorType: text("actor_type", {
      enum: ["user", "signer", "system", "public"],
    }).notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull().default(""),
    action: text("action").notNull(),
    // JSON
    details: text("details").notNull().default("{}"),
    ip: text("ip").notNull().default(""),
    userAgent: text("user_agent").notNull().default(""),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_company_id").on(t.companyId, t.id), index("audit_document").on(t.documentId, t.id)],
);

// ---------------------------------------------------------------- registry (read by the portal)

export const registry = sqliteTable("registry", {
  publicId: text("public_id").primaryKey(),
  documentNumber: text("document_number").notNull(),
  completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
  signatureCount: integer("signature_count").notNull(),
  sha256: text("sha256").notNull().unique(),
});

// Generic fixed-window rate limiter buckets (codes, reminders, portal uploads).
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
  count: integer("count").notNull(),
});
