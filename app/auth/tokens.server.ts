// Random tokens for links (invitations, signing, downloads): only their SHA-256 is stored.
import crypto from "node:crypto";

/** 192 random bits, URL-safe. */
export function newToken(): string {
  return crypto.randomBytes(24).toString("base64url");
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** Unguessable row id. */
export function newId(): string {
  return crypto.randomBytes(12).toString("base64url");
}
