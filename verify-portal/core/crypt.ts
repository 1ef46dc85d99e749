// Decryption of PDFs protected by the standard security handler (ISO 32000-2 §7.6.4) with
// the empty user password, which is how viewers open a file that only restricts printing
// or editing: RC4 40-128 bit (R2-R4), AES-128 (AESV2) and AES-256 (AESV3, R5/R6). A file
// that needs a password, or another security handler, is refused with a reason that says so.
// Signature values (/Contents of a signature dictionary) are never encrypted (PDF 2.0
// §7.6.2), so the signed bytes and the CMS are read as they are in the file.
import crypto from "node:crypto";
import { UnreadablePdfError } from "./limits";
import { PdfArray, PdfDict, PdfString, isInteger, nameOf, type PdfObject } from "./syntax";

const PADDING = Buffer.from("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a", "hex");

type Method = "none" | "rc4" | "aes128" | "aes256";

interface CryptFilter {
  method: Method;
}

export interface Decryptor {
  /** Decrypts a string of object num/gen. */
  string(bytes: Uint8Array, num: number, gen: number): Uint8Array;
  /** Decrypts a stream's data (before its filters) of object num/gen. */
  stream(bytes: Uint8Array, num: number, gen: number, dict: PdfDict): Uint8Array;
  /** Encrypts a string as a writer of the file would (tests write incremental updates with it). */
  encryptString(bytes: Uint8Array, num: number, gen: number): Uint8Array;
  /** e.g. "AES-256", "RC4 128-bit", for the report. */
  readonly description: string;
}

function bytesOf(value: PdfObject | undefined): Buffer | null {
  return value instanceof PdfString ? Buffer.from(value.bytes) : null;
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

function aesDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  // The first 16 bytes are the IV; what does not fill a block is dropped, as viewers do.
  if (data.length < 32) return new Uint8Array(0);
  const iv = data.subarray(0, 16);
  const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
  const decipher = crypto.createDecipheriv(key.length === 32 ? "aes-256-cbc" : "aes-128-cbc", key, iv);
  decipher.setAutoPadding(false);
  const out = Buffer.concat([decipher.update(body), decipher.final()]);
  const pad = out[out.length - 1];
  const padded = pad >= 1 && pad <= 16 && out.subarray(out.length - pad).every((byte) => byte === pad);
  return new Uint8Array(padded ? out.subarray(0, out.length - pad) : out);
}

function aesEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv(key.length === 32 ? "aes-256-cbc" : "aes-128-cbc", key, iv);
  return new Uint8Array(Buffer.concat([iv, cipher.update(data), cipher.final()]));
}

function int32le(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32LE(value | 0);
  return buffer;
}

/** ISO 32000-2 Algorithm 2.B (R6): the iterated hash of a password. */
function hashR6(password: Buffer, salt: Buffer, userKey: Buffer): Buffer {
  let k: Buffer = crypto.createHash("sha256").update(password).update(salt).update(userKey).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k, userKey])));
    const cipher = crypto.createCipheriv("aes-128-cbc", k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    const e = Buffer.concat([cipher.update(k1), cipher.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i];
    k = crypto
      .createHash(["sha256", "sha384", "sha512"][sum % 3])
      .update(e)
      .digest();
    // At least 64 rounds, then on until the last byte of E is at most (rounds done) - 32.
    if (round >= 63 && e[e.length - 1] <= round + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/**
 * Opens the standard security handler with the empty user password, or refuses:
 * "password-required" when the empty password is not the user password, "encrypted"
 * for a handler or algorithm this reader does not implement.
 */
export function openEncryption(encrypt: PdfDict, fileId: Uint8Array | null): Decryptor {
  const filter = nameOf(encrypt.get("Filter"));
  if (filter !== "Standard") {
    throw new UnreadablePdfError(
      "encrypted",
      filter === "Adobe.PubSec"
        ? "the file is encrypted for particular recipients (certificate security): only their private key opens it"
        : `the file is encrypted with a security handler this verifier does not support (${filter ?? "none"})`,
    );
  }
  const v = encrypt.get("V");
  const r = encrypt.get("R");
  const o = bytesOf(encrypt.get("O"));
  const u = bytesOf(encrypt.get("U"));
  const p = encrypt.get("P");
  if (!isInteger(v) || !isInteger(r) || !o || !u || !isInteger(p))
    throw new UnreadablePdfError("encrypted", "the file's encryption dictionary is incomplete");
  const encryptMetadata = encrypt.get("EncryptMetadata") !== false;

  // Crypt filters (V4, V5): which method strings and streams use.
  const filters = new Map<string, CryptFilter>([["Identity", { method: "none" }]]);
  let stringFilter: CryptFilter = { method: "rc4" };
  let streamFilter: CryptFilter = { method: "rc4" };
  if (v === 4 || v === 5) {
    const cf = encrypt.get("CF");
    if (cf instanceof PdfDict) {
      for (const [name, value] of cf.entries) {
        if (!(value instanceof PdfDict)) continue;
        const cfm = nameOf(value.get("CFM")) ?? "None";
        const method: Method | null =
          cfm === "V2"
            ? "rc4"
            : cfm === "AESV2"
              ? "aes128"
              : cfm === "AESV3"
                ? "aes256"
                : cfm === "None"
                  ? "none"
                  : null;
        if (!method) throw new UnreadablePdfError("encrypted", `unsupported crypt filter method /${cfm}`);
        filters.set(name, { method });
      }
    }
    const pick = (key: string): CryptFilter => {
      const name = nameOf(encrypt.get(key)) ?? "Identity";
      const found = filters.get(name);
      if (!found) throw new UnreadablePdfError("encrypted", `the file names an unknown crypt filter /${name}`);
      return found;
    };
    stringFilter = pick("StrF");
    streamFilter = pick("StmF");
  } else if (v !== 1 && v !== 2) {
    throw new UnreadablePdfError("encrypted", `unsupported encryption version V ${v}`);
  }

  let fileKey: Buffer;
  let description: string;
  if (r >= 5) {
    // AES-256: the key is wrapped in /UE under a hash of the (empty) password.
    const ue = bytesOf(encrypt.get("UE"));
    if (u.length < 48 || !ue || ue.length < 32)
      throw new UnreadablePdfError("encrypted", "the file's AES-256 encryption dictionary is incomplete");
    const empty = Buffer.alloc(0);
    const validation =
      r === 5
        ? crypto.createHash("sha256").update(u.subarray(32, 40)).digest()
        : hashR6(empty, u.subarray(32, 40), empty);
    if (!validation.equals(u.subarray(0, 32))) throw passwordRequired();
    const intermediate =
      r === 5
        ? crypto.createHash("sha256").update(u.subarray(40, 48)).digest()
        : hashR6(empty, u.subarray(40, 48), empty);
    const decipher = crypto.createDecipheriv("aes-256-cbc", intermediate, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    fileKey = Buffer.concat([decipher.update(ue.subarray(0, 32)), decipher.final()]);
    description = "AES-256";
  } else if (r >= 2 && r <= 4) {
    const length = r === 2 ? 5 : Math.max(5, Math.min(16, (intOr(encrypt.get("Length"), 40) as number) / 8));
    const id = Buffer.from(fileId ?? new Uint8Array(0));
    // Algorithm 2 with the empty password: the padding string alone.
    let hash = crypto
      .createHash("md5")
      .update(PADDING)
      .update(o.subarray(0, 32))
      .update(int32le(p))
      .update(id)
      .update(r >= 4 && !encryptMetadata ? Buffer.from([255, 255, 255, 255]) : Buffer.alloc(0))
      .digest();
    if (r >= 3) for (let i = 0; i < 50; i++) hash = crypto.createHash("md5").update(hash.subarray(0, length)).digest();
    fileKey = hash.subarray(0, length);
    // Algorithms 4 and 5: is the empty string the user password?
    let expected: Uint8Array;
    if (r === 2) expected = rc4(fileKey, PADDING);
    else {
      expected = crypto.createHash("md5").update(PADDING).update(id).digest();
      for (let i = 0; i < 20; i++)
        expected = rc4(
          fileKey.map((byte) => byte ^ i),
          expected,
        );
    }
    const compare = r === 2 ? 32 : 16;
    if (!Buffer.from(expected.subarray(0, compare)).equals(u.subarray(0, compare))) throw passwordRequired();
    description = streamFilter.method === "aes128" ? "AES-128" : `RC4 ${length * 8}-bit`;
  } else {
    throw new UnreadablePdfError("encrypted", `unsupported standard security handler revision R ${r}`);
  }

  const objectKey = (num: number, gen: number, method: Method): Uint8Array => {
    if (method === "aes256") return fileKey;
    const salt = method === "aes128" ? Buffer.from("sAlT", "latin1") : Buffer.alloc(0);
    const extra = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
    const digest = crypto.createHash("md5").update(fileKey).update(extra).update(salt).digest();
    return digest.subarray(0, Math.min(fileKey.length + 5, 16));
  };
  const run = (filterToUse: CryptFilter, data: Uint8Array, num: number, gen: number): Uint8Array => {
    switch (filterToUse.method) {
      case "none":
        return data;
      case "rc4":
        return rc4(objectKey(num, gen, "rc4"), data);
      default:
        return aesDecrypt(objectKey(num, gen, filterToUse.method), data);
    }
  };

  return {
    description,
    string: (bytes, num, gen) => run(stringFilter, bytes, num, gen),
    stream: (bytes, num, gen, dict) => {
      const type = nameOf(dict.get("Type"));
      if (type === "XRef") return bytes;
      if (type === "Metadata" && !encryptMetadata) return bytes;
      // A stream may name its own crypt filter (/Filter [/Crypt …] /DecodeParms <</Name …>>).
      const filterValue = dict.get("Filter");
      const first = filterValue instanceof PdfArray ? filterValue.items[0] : filterValue;
      if (nameOf(first) === "Crypt") {
        const parms = dict.get("DecodeParms");
        const parmsDict = parms instanceof PdfArray ? parms.items[0] : parms;
        const name = parmsDict instanceof PdfDict ? (nameOf(parmsDict.get("Name")) ?? "Identity") : "Identity";
        const chosen = filters.get(name);
        if (!chosen) throw new UnreadablePdfError("encrypted", `a stream names an unknown crypt filter /${name}`);
        return run(chosen, bytes, num, gen);
      }
      return run(streamFilter, bytes, num, gen);
    },
    encryptString: (bytes, num, gen) => {
      if (stringFilter.method === "none") return bytes;
      if (stringFilter.method === "rc4") return rc4(objectKey(num, gen, "rc4"), bytes);
      return aesEncrypt(objectKey(num, gen, stringFilter.method), bytes);
    },
  };
}

function passwordRequired(): UnreadablePdfError {
  return new UnreadablePdfError(
    "password-required",
    "the file is encrypted with a password: open it with the password and save an unencrypted copy to check it",
  );
}

function intOr(value: PdfObject | undefined, fallback: number): number {
  return isInteger(value) ? value : fallback;
}

/** Is this dictionary a signature (or document time-stamp) dictionary, whose /Contents is stored in clear? */
export function isSignatureDictionary(dict: PdfDict): boolean {
  const type = nameOf(dict.get("Type"));
  return (
    type === "Sig" ||
    type === "DocTimeStamp" ||
    (dict.get("ByteRange") instanceof PdfArray && dict.get("Contents") instanceof PdfString)
  );
}
