// Staff sessions. lucia 3 stays inside this file: routes see only StaffUser and the
// functions below, so lucia can be replaced without touching them (ADR 001).
import { Lucia } from "lucia";
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { config } from "~/config.server";

export type Role = "admin" | "supervisor" | "employee";

export interface StaffUser {
  id: string;
  companyId: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  language: "en" | "pl" | null;
}

let lucia: Lucia | undefined;

function getLucia() {
  if (!lucia) {
    const adapter = new DrizzleSQLiteAdapter(getDb(), schema.sessions, schema.users);
    lucia = new Lucia(adapter, {
      sessionCookie: {
        name: "signet_session",
        attributes: { secure: config.secureCookies, sameSite: "lax" },
      },
      sessionExpiresIn: undefined,
    });
  }
  return lucia;
}

function sessionIdFrom(request: Request) {
  return getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

/** Starts a session; returns the Set-Cookie header value. */
export async function startSession(userId: string): Promise<string> {
  const session = await getLucia().createSession(userId, {});
  return getLucia().createSessionCookie(session.id).serialize();
}

/** Ends the current session (if any); returns the Set-Cookie header that clears it. */
export async function endSession(request: Request): Promise<string> {
  const sessionId = sessionIdFrom(request);
  if (sessionId) await getLucia().invalidateSession(sessionId);
  return getLucia().createBlankSessionCookie().serialize();
}

export async function endAllSessionsOf(userId: string) {
  await getLucia().invalidateUserSessions(userId);
}

type SessionLookup = { kind: "none" } | { kind: "invalid" } | { kind: "valid"; user: StaffUser };

// The root loader and the page's loader both ask for the user of the same request: look the
// session up once per request object.
const lookups = new WeakMap<Request, Promise<SessionLookup>>();

function lookupSession(request: Request): Promise<SessionLookup> {
  let lookup = lookups.get(request);
  if (!lookup) {
    lookup = lookupSessionUncached(request);
    lookups.set(request, lookup);
  }
  return lookup;
}

async function lookupSessionUncached(request: Request): Promise<SessionLookup> {
  const sessionId = sessionIdFrom(request);
  if (!sessionId) return { kind: "none" };
  const { session, user } = await getLucia().validateSession(sessionId);
  if (!session || !user) return { kind: "invalid" };
  const row = getDb().select().from(schema.users).where(eq(schema.users.id, user.id)).get();
  if (!row || !row.active) {
    await getLucia().invalidateSession(session.id);
    return { kind: "invalid" };
  }
  return {
    kind: "valid",
    user: {
      id: row.id,
      companyId: row.companyId,
      email: row.email,
      name: row.name,
      role: row.role,
      teamId: row.teamId,
      language: row.language,
    },
  };
}

/** The signed-in staff member, or null (a tampered or expired cookie counts as none). */
export async function getStaff(request: Request): Promise<StaffUser | null> {
  const found = await lookupSession(request);
  return found.kind === "valid" ? found.user : null;
}

/** The signed-in staff member, or a redirect to the login page that also clears a bad cookie. */
export async function requireStaff(request: Request, roles?: Role[]): Promise<StaffUser> {
  const found = await lookupSession(request);
  if (found.kind !== "valid") {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`, {
      headers: found.kind === "invalid" ? { "Set-Cookie": getLucia().createBlankSessionCookie().serialize() } : {},
    });
  }
  if (roles && !roles.includes(found.user.role)) {
    throw new Response("Not found", { status: 404 });
  }
  return found.user;
}
