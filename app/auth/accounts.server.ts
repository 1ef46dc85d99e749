// Companies, users and teams: onboarding, login with throttling, invitations, roles.
import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { appendAudit, type RequestMeta } from "~/audit/audit.server";
import { composeEmail } from "~/notify/email.server";
import { queueEmail } from "~/notify/outbox.server";
import { config } from "~/config.server";
import { translator, type Language } from "~/i18n";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password.server";
import { hashToken, newId, newToken } from "./tokens.server";
import type { Role, StaffUser } from "./session.server";

export const INVITATION_DAYS = 7;
const LOGIN_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_IP = 20;

export function isInstanceEmpty() {
  const row = getDb().select({ n: count() }).from(schema.companies).get();
  return (row?.n ?? 0) === 0;
}

export interface CompanyInput {
  legalName: string;
  taxId: string;
  address: string;
  bankAccount: string;
  directorName: string;
  directorEmail: string;
  directorPhone: string;
}

/** Creates a company with its first admin (onboarding, demo, tests). */
export async function createCompanyWithAdmin(
  company: CompanyInput,
  admin: { name: string; email: string; password: string; language?: Language },
  meta?: RequestMeta,
) {
  const passwordHash = await hashPassword(admin.password);
  const db = getDb();
  const companyId = newId();
  const userId = newId();
  db.transaction((tx) => {
    tx.insert(schema.companies)
      .values({ id: companyId, ...company })
      .run();
    tx.insert(schema.users)
      .values({
        id: userId,
        companyId,
        email: admin.email.toLowerCase(),
        name: admin.name,
        passwordHash,
        role: "admin",
        language: admin.language ?? null,
      })
      .run();
    appendAudit(tx, {
      companyId,
      actorType: "user",
      actorId: userId,
      actorLabel: admin.email,
      action: "company.created",
      meta,
    });
  });
  return { companyId, userId };
}

export function emailTaken(email: string) {
  return !!getDb()
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.email, email.toLowerCase()))
    .get();
}

export function getCompany(companyId: string) {
  const company = getDb().select().from(schema.companies).where(eq(schema.companies.id, companyId)).get();
  if (!company) throw new Response("Not found", { status: 404 });
  return company;
}

export function updateCompany(user: StaffUser, input: CompanyInput, meta: RequestMeta) {
  getDb().transaction((tx) => {
    tx.update(schema.companies).set(input).where(eq(schema.companies.id, user.companyId)).run();
    appendAudit(tx, {
      companyId: user.companyId,
      actorType: "user",
      actorId: user.id,
      actorLabel: user.email,
      action: "company.updated",
      meta,
    });
  });
}

// ---------------------------------------------------------------- login

function recentFailures(key: string, now: number) {
  const row = getDb()
    .select({ n: count() })
    .from(schema.loginAttempts)
    .where(and(eq(schema.loginAttempts.key, key), gt(schema.loginAttempts.at, new Date(now - LOGIN_WINDOW_MS))))
    .get();
  return row?.n ?? 0;
}

export type LoginResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "throttled" };

/** Checks a password; throttled per account and per IP over a 15-minute window. */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginResult> {
  const db = getDb();
  const now = Date.now();
  const accountKey = `email:${email.toLowerCase()}`;
  const ipKey = `ip:${ip}`;
  if (
    recentFailures(accountKey, now) >= MAX_FAILURES_PER_ACCOUNT ||
    recentFailures(ipKey, now) >= MAX_FAILURES_PER_IP
  ) {
    return { ok: false, reason: "throttled" };
  }
  const user = db.select().from(schema.users).where(eq(schema.users.email, email.toLowerCase())).get();
  const matches =
    user?.passwordHash && user.active
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await dummyPasswordHash(), password), false);
  if (!user || !matches) {
    db.insert(schema.loginAttempts)
      .values([
        { key: accountKey, at: new Date(now) },
        { key: ipKey, at: new Date(now) },
      ])
      .run();
    return { ok: false, reason: "invalid" };
  }
  db.delete(schema.loginAttempts).where(eq(schema.loginAttempts.key, accountKey)).run();
  return { ok: true, userId: user.id };
}

export function recordLogin(userId: string, meta: RequestMeta) {
  const user = getDb().select().from(schema.users).where(eq(schema.users.id, userId)).get();
  if (!user) return;
  appendAudit(getDb(), {
    companyId: user.companyId,
    actorType: "user",
    actorId: user.id,
    actorLabel: user.email,
    action: "user.login",
    meta,
  });
}

// ---------------------------------------------------------------- users and teams

export function listUsers(companyId: string) {
  return getDb()
    .select({
      id: schema.users.id,
      name: schema.users.name,
      email: schema.users.email,
      role: schema.users.role,
      teamId: schema.users.teamId,
      teamName: schema.teams.name,
      active: schema.users.active,
      invited: sql<number>`${schema.users.passwordHash} is null`,
    })
    .from(schema.users)
    .leftJoin(schema.teams, eq(schema.teams.id, schema.users.teamId))
    .where(eq(schema.users.companyId, companyId))
    .orderBy(asc(schema.users.name))
    .all();
}

export function listTeams(companyId: string) {
  return getDb()
    .select()
    .from(schema.teams)
    .where(eq(schema.teams.companyId, companyId))
    .orderBy(asc(schema.teams.name))
    .all();
}

export function getTeamInCompany(companyId: string, teamId: string) {
  return (
    getDb()
      .select()
      .from(schema.teams)
      .where(and(eq(schema.teams.id, teamId), eq(schema.teams.companyId, companyId)))
      .get() ?? null
  );
}

export function createTeam(admin: StaffUser, name: string, meta: RequestMeta) {
  const db = getDb();
  const exists = db
    .select()
    .from(schema.teams)
    .where(and(eq(schema.teams.companyId, admin.companyId), eq(schema.teams.name, name)))
    .get();
  if (exists) return { ok: false as const, error: "error.teamExists" };
  const id = newId();
  db.transaction((tx) => {
    tx.insert(schema.teams).values({ id, companyId: admin.companyId, name }).run();
    appendAudit(tx, {
      companyId: admin.companyId,
      actorType: "user",
      actorId: admin.id,
      actorLabel: admin.email,
      action: "team.created",
      details: { name },
      meta,
    });
  });
  return { ok: true as const, id };
}

export function getUserInCompany(companyId: string, userId: string) {
  return (
    getDb()
      .select()
      .from(schema.users)
      .where(and(eq(schema.users.id, userId), eq(schema.users.companyId, companyId)))
      .get() ?? null
  );
}

function invitationEmail(language: Language, companyName: string, inviterName: string, link: string) {
  const t = translator(language);
  return composeEmail({
    subject: t("mail.invite.subject", { company: companyName }),
    paragraphs: [
      t("mail.invite.body", { inviter: inviterName, company: companyName }),
      t("mail.invite.expiry", { days: INVITATION_DAYS }),
    ],
    action: { label: t("mail.invite.action"), url: link },
    footer: t("mail.footer"),
  });
}

/** Creates the user (no password yet) and queues the set-password e-mail in one transaction. */
export function inviteUser(
  admin: StaffUser,
  input: { name: string; email: string; role: Role; teamId: string | null; language: Language },
  meta: RequestMeta,
) {
  const token = newToken();
  const userId = newId();
  const company = getCompany(admin.companyId);
  const link = `${config.publicUrl}/invitation/${token}`;
  const email = invitationEmail(input.language, company.legalName, admin.name, link);
  getDb().transaction((tx) => {
    tx.insert(schema.users)
      .values({
        id: userId,
        companyId: admin.companyId,
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        teamId: input.teamId,
        language: input.language,
      })
      .run();
    tx.insert(schema.invitations)
      .values({
        id: newId(),
        userId,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      })
      .run();
    queueEmail(tx, {
      to: input.email,
      ...email,
      companyId: admin.companyId,
      secrets: [link],
      purpose: "staff_invitation",
      ref: userId,
    });
    appendAudit(tx, {
      companyId: admin.companyId,
      actorType: "user",
      actorId: admin.id,
      actorLabel: admin.email,
      action: "user.invited",
      details: { email: input.email, role: input.role },
      meta,
    });
  });
  return userId;
}

/** A fresh invitation for a user who has not set a password yet; older links die. */
export function resendInvitation(admin: StaffUser, userId: string, meta: RequestMeta) {
  const user = getUserInCompany(admin.companyId, userId);
  if (!user || user.passwordHash) return false;
  const token = newToken();
  const company = getCompany(admin.companyId);
  const link = `${config.publicUrl}/invitation/${token}`;
  const email = invitationEmail(user.language ?? "en", company.legalName, admin.name, link);
  getDb().transaction((tx) => {
    tx.update(schema.invitations)
      .set({ usedAt: new Date() })
      .where(and(eq(schema.invitations.userId, userId), isNull(schema.invitations.usedAt)))
      .run();
    tx.insert(schema.invitations)
      .values({
        id: newId(),
        userId,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      })
      .run();
    queueEmail(tx, {
      to: user.email,
      ...email,
      companyId: admin.companyId,
      secrets: [link],
      purpose: "staff_invitation",
      ref: userId,
    });
    appendAudit(tx, {
      companyId: admin.companyId,
      actorType: "user",
      actorId: admin.id,
      actorLabel: admin.email,
      action: "user.invitation_resent",
      details: { email: user.email },
      meta,
    });
  });
  return true;
}

export function findInvitation(token: string) {
  const row = getDb()
    .select({ invitation: schema.invitations, user: schema.users })
    .from(schema.invitations)
    .innerJoin(schema.users, eq(schema.users.id, schema.invitations.userId))
    .where(eq(schema.invitations.tokenHash, hashToken(token)))
    .get();
  if (!row || row.invitation.usedAt || row.invitation.expiresAt.getTime() < Date.now() || !row.user.active) return null;
  return row;
}

export async function acceptInvitation(token: string, password: string, meta: RequestMeta) {
  const found = findInvitation(token);
  if (!found) return null;
  const passwordHash = await hashPassword(password);
  const accepted = getDb().transaction((tx) => {
    const used = tx
      .update(schema.invitations)
      .set({ usedAt: new Date() })
      .where(and(eq(schema.invitations.id, found.invitation.id), isNull(schema.invitations.usedAt)))
      .run();
    if (used.changes === 0) return false;
    tx.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, found.user.id)).run();
    appendAudit(tx, {
      companyId: found.user.companyId,
      actorType: "user",
      actorId: found.user.id,
      actorLabel: found.user.email,
      action: "user.invitation_accepted",
      meta,
    });
    return true;
  });
  return accepted ? found.user.id : null;
}

export function updateUser(
  admin: StaffUser,
  userId: string,
  changes: { role: Role; teamId: string | null; active: boolean },
  meta: RequestMeta,
): { ok: true } | { ok: false; error: string } {
  const user = getUserInCompany(admin.companyId, userId);
  if (!user) throw new Response("Not found", { status: 404 });
  if (user.id === admin.id && (changes.role !== "admin" || !changes.active)) {
    return { ok: false, error: "error.cannotDemoteSelf" };
  }
  getDb().transaction((tx) => {
    tx.update(schema.users).set(changes).where(eq(schema.users.id, userId)).run();
    if (!changes.active) tx.delete(schema.sessions).where(eq(schema.sessions.userId, userId)).run();
    appendAudit(tx, {
      companyId: admin.companyId,
      actorType: "user",
      actorId: admin.id,
      actorLabel: admin.email,
      action: changes.active ? "user.updated" : "user.deactivated",
      details: { userId, ...changes },
      meta,
    });
  });
  return { ok: true };
}

export async function changePassword(user: StaffUser, current: string, next: string, meta: RequestMeta) {
  const row = getDb().select().from(schema.users).where(eq(schema.users.id, user.id)).get();
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) return false;
  const passwordHash = await hashPassword(next);
  getDb().transaction((tx) => {
    tx.update(schema.users).set({ passwordHash }).where(eq(schema.users.id, user.id)).run();
    // other devices are signed out
    tx.delete(schema.sessions).where(eq(schema.sessions.userId, user.id)).run();
    appendAudit(tx, {
      companyId: user.companyId,
      actorType: "user",
      actorId: user.id,
      actorLabel: user.email,
      action: "user.password_changed",
      meta,
    });
  });
  return true;
}

export function setLanguage(user: StaffUser, language: Language) {
  getDb().update(schema.users).set({ language }).where(eq(schema.users.id, user.id)).run();
}

export function activeUsersOf(companyId: string) {
  return getDb()
    .select({ id: schema.users.id, name: schema.users.name, teamId: schema.users.teamId })
    .from(schema.users)
    .where(and(eq(schema.users.companyId, companyId), eq(schema.users.active, true)))
    .orderBy(asc(schema.users.name))
    .all();
}
