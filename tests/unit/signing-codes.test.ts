// One-time codes and signer sessions: hashed with the instance secret, bound to the party.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

let signer: typeof import("~/signing/signer.server");

beforeAll(async () => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "signet-codes-"));
  signer = await import("~/signing/signer.server");
});

function party(overrides: Record<string, unknown> = {}) {
  return {
    id: "p1",
    tokenHash: "t".repeat(64),
    codeVerifiedAt: new Date(1_700_000_000_000),
    ...overrides,
  } as Parameters<typeof signer.readSignerSession>[1];
}

describe("codes and sessions", () => {
  it("stores a code only as a keyed hash, different per party", () => {
    const hash = signer.codeHashFor("p1", "123456");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain("123456");
    expect(signer.codeHashFor("p2", "123456")).not.toBe(hash);
    expect(signer.codeHashFor("p1", "123456")).toBe(hash);
  });

  it("accepts the session cookie only for the same party, link and code confirmation, before it expires", () => {
    const now = Date.now();
    const cookie = signer.signerSessionCookie(party(), "tok", now).split(";")[0];
    expect(signer.signerSessionCookie(party(), "tok", now)).toMatch(
      /Path=\/s\/tok; Max-Age=1800; HttpOnly; SameSite=Lax/,
    );
    expect(signer.readSignerSession(cookie, party(), "tok", now)).toBe(true);
    expect(signer.readSignerSession(cookie, party({ id: "p2" }), "tok", now)).toBe(false);
    expect(signer.readSignerSession(cookie, party({ tokenHash: "u".repeat(64) }), "tok", now)).toBe(false);
    expect(signer.readSignerSession(cookie, party({ codeVerifiedAt: new Date() }), "tok", now)).toBe(false);
    expect(signer.readSignerSession(cookie, party(), "tok", now + signer.SESSION_TTL_MS + 1)).toBe(false);
    expect(
      signer.readSignerSession(
        cookie.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
        party(),
        "tok",
        now,
      ),
    ).toBe(false);
    expect(signer.readSignerSession(null, party(), "tok", now)).toBe(false);
  });
});
