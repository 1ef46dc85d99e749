// PDF fixtures made in code, for tests anywhere in the project: valid documents of any
// page count, and the bad uploads we must refuse (truncated, broken cross-reference
// table, encrypted, not a PDF at all).
import crypto from "node:crypto";
import zlib from "node:zlib";
import pdfLib from "pdf-lib";

const { PDFDocument, StandardFonts, rgb } = pdfLib;

export interface MakePdfOptions {
  /** [width, height] in points; default A4. */
  size?: [number, number];
  /** Write a compressed cross-reference stream (PDF 1.5) instead of a classic table. */
  objectStreams?: boolean;
}

/** A valid PDF with `pages` pages, each saying "Page n of m" and carrying a few shapes. */
export async function makePdf(pages: number, options: MakePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date("2026-01-01T00:00:00Z"));
  doc.setModificationDate(new Date("2026-01-01T00:00:00Z"));
  const font = doc.embedStandardFont(StandardFonts.Helvetica);
  const [width, height] = options.size ?? [595.28, 841.89];
  for (let number = 1; number <= pages; number++) {
    const page = doc.addPage([width, height]);
    page.drawRectangle({ x: 40, y: height - 120, width: width - 80, height: 60, color: rgb(0.85, 0.9, 1) });
    page.drawText(`Page ${number} of ${pages}`, { x: 50, y: height - 100, size: 24, font });
    for (let line = 0; line < 20; line++) {
      page.drawText(`Line ${line + 1}: the quick brown fox jumps over the lazy dog.`, {
        x: 50,
        y: height - 160 - line * 16,
        size: 11,
        font,
      });
    }
    page.drawCircle({ x: width / 2, y: 150, size: 60, borderColor: rgb(0.2, 0.3, 0.6), borderWidth: 3 });
  }
  return doc.save({ useObjectStreams: options.objectStreams ?? false });
}

/** The first half of a file: what an interrupted upload leaves. */
export function truncatePdf(bytes: Uint8Array, keep = 0.5): Uint8Array {
  return bytes.slice(0, Math.floor(bytes.length * keep));
}

/**
 * The same file with every in-use cross-reference entry pointing 7 bytes off its object
 * (as after a careless edit or a line-ending conversion). Same length, still ends in %%EOF;
 * pdf-lib would load it anyway, since it does not follow the table.
 */
export function breakXrefEntries(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString("latin1");
  const xref = text.lastIndexOf("\nxref");
  if (xref < 0) throw new Error("breakXrefEntries needs a classic cross-reference table");
  const head = text.slice(0, xref);
  const table = text
    .slice(xref)
    .replace(
      /(\d{10}) (\d{5}) n/g,
      (_, offset: string, generation: string) => `${String(Number(offset) + 7).padStart(10, "0")} ${generation} n`,
    );
  return new Uint8Array(Buffer.from(head + table, "latin1"));
}

/** The same file with `startxref` pointing into the middle of some object. */
export function breakStartxref(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString("latin1");
  const broken = text.replace(
    /startxref\s+(\d+)\s+%%EOF\s*$/,
    (_, offset: string) => `startxref\n${String(Math.floor(Number(offset) / 2))}\n%%EOF\n`,
  );
  return new Uint8Array(Buffer.from(broken, "latin1"));
}

/** A small valid PNG (8×8, red), to upload where a PDF is expected. */
export function makePng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.concat(
    Array.from({ length: 8 }, () => Buffer.from([0, ...Array.from({ length: 8 }, () => [255, 0, 0]).flat()])),
  );
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", zlib.deflateSync(rows)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

// ---------------------------------------------------------------- encryption

/** Objects as raw bytes, numbered from 1, assembled with a correct xref table and trailer. */
function assemblePdf(objects: Buffer[], trailer: string): Uint8Array {
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let length = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(length);
    const object = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`, "latin1"),
      body,
      Buffer.from("\nendobj\n", "latin1"),
    ]);
    parts.push(object);
    length += object.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    "0000000000 65535 f \n",
    ...offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`),
  ].join("");
  parts.push(
    Buffer.from(
      `${xref}trailer\n<< /Size ${objects.length + 1} ${trailer} >>\nstartxref\n${length}\n%%EOF\n`,
      "latin1",
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const state = Array.from({ length: 256 }, (_, index) => index);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i] + key[i % key.length]) & 0xff;
    [state[i], state[j]] = [state[j], state[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + state[i]) & 0xff;
    [state[i], state[j]] = [state[j], state[i]];
    out[n] = data[n] ^ state[(state[i] + state[j]) & 0xff];
  }
  return out;
}

const PASSWORD_PADDING = Buffer.from("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a", "hex");
const md5 = (...parts: Buffer[]) => crypto.createHash("md5").update(Buffer.concat(parts)).digest();
const padPassword = (password: string) =>
  Buffer.concat([Buffer.from(password, "latin1"), PASSWORD_PADDING]).subarray(0, 32);

/**
 * A one-page PDF encrypted with the standard security handler (revision 2, RC4 40-bit),
 * built by hand as the PDF spec's algorithms 2–4 describe, so no external tool is needed.
 * With a non-empty user password nobody opens it without the password; with "" viewers
 * open it silently (permissions-only protection).
 */
export function makeEncryptedPdf(userPassword = "secret", ownerPassword = "owner"): Uint8Array {
  const id = crypto.createHash("md5").update("signet-test-encrypted").digest();
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-44); // print allowed, modify and copy not
  const owner = rc4(md5(padPassword(ownerPassword)).subarray(0, 5), padPassword(userPassword));
  const fileKey = md5(padPassword(userPassword), owner, permissions, id).subarray(0, 5);
  const user = rc4(fileKey, PASSWORD_PADDING);
  const objectKey = (number: number) =>
    md5(fileKey, Buffer.from([number & 0xff, (number >> 8) & 0xff, (number >> 16) & 0xff, 0, 0])).subarray(0, 10);

  const content = rc4(objectKey(4), Buffer.from("BT /F1 24 Tf 72 720 Td (Top secret) Tj ET", "latin1"));
  const hex = (bytes: Buffer) => `<${bytes.toString("hex")}>`;
  const objects = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>", "latin1"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "latin1"),
    Buffer.from(
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "latin1",
    ),
    Buffer.concat([
      Buffer.from(`<< /Length ${content.length} >>\nstream\n`, "latin1"),
      content,
      Buffer.from("\nendstream", "latin1"),
    ]),
    Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", "latin1"),
    Buffer.from(`<< /Filter /Standard /V 1 /R 2 /O ${hex(owner)} /U ${hex(user)} /P -44 >>`, "latin1"),
  ];
  return assemblePdf(objects, `/Root 1 0 R /Encrypt 6 0 R /ID [${hex(id)} ${hex(id)}]`);
}

/**
 * A tiny file with a stream that inflates to `inflatedMiB` MiB of spaces: a decompression
 * bomb that would take the process down if a parser decoded it whole. "objectStream"
 * hides it in an object stream (decoded on loading), "content" in the page's contents
 * (decoded when rendering), "nestedFilters" as Flate inside Flate.
 */
export function makeCompressionBomb(kind: "objectStream" | "content" | "nestedFilters", inflatedMiB = 96): Uint8Array {
  const payload = zlib.deflateSync(Buffer.alloc(inflatedMiB * 1024 * 1024, 0x20), { level: 9 });
  const stream = (dictionary: string, data: Buffer) =>
    Buffer.concat([
      Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, "latin1"),
      data,
      Buffer.from("\nendstream", "latin1"),
    ]);
  const objects = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>", "latin1"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "latin1"),
    Buffer.from("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", "latin1"),
  ];
  if (kind === "objectStream") {
    objects.push(
      Buffer.from("<< /Length 0 >>\nstream\n\nendstream", "latin1"),
      stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", payload),
    );
  } else if (kind === "content") {
    objects.push(stream("/Filter /FlateDecode", payload));
  } else {
    objects.push(stream("/Filter [/FlateDecode /FlateDecode]", zlib.deflateSync(payload)));
  }
  return assemblePdf(objects, "/Root 1 0 R");
}
