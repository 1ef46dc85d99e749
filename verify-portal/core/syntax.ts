// PDF object syntax (ISO 32000-1 §7.2-7.3): a lexer and a depth-limited parser that keep
// the byte position of every value, because the verifier must know exactly where the
// signature's /Contents string sits in the file.
import { Budget, UnreadablePdfError } from "./limits";

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfArray | PdfDict | PdfRef | PdfStream;

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    /** Span of the token in its buffer, delimiters included. */
    readonly start: number,
    readonly end: number,
  ) {}
}

export class PdfArray {
  constructor(
    readonly items: PdfObject[],
    readonly start: number,
    readonly end: number,
  ) {}
}

export class PdfDict {
  /** Keys given more than once: a signature dictionary with any is refused. */
  readonly duplicateKeys: string[] = [];
  constructor(
    readonly entries: Map<string, PdfObject>,
    readonly start: number,
    readonly end: number,
  ) {}

  get(key: string): PdfObject | undefined {
    return this.entries.get(key);
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** Raw (still encoded) data, a view into the file or an object stream. */
    readonly data: Uint8Array,
    readonly dataStart: number,
    /** The indirect object it is (an encrypted file's stream key depends on it). */
    readonly objectNum?: number,
    readonly objectGen?: number,
  ) {}
}

export function nameOf(value: PdfObject | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}

export function isInteger(value: PdfObject | undefined): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

// ---------------------------------------------------------------- lexer

type Token =
  | { type: "number"; value: number; integer: boolean; start: number; end: number }
  | { type: "name"; value: string; start: number; end: number }
  | { type: "string"; value: PdfString; start: number; end: number }
  | { type: "keyword"; value: string; start: number; end: number }
  | { type: "punct"; value: "[" | "]" | "<<" | ">>" | "{" | "}"; start: number; end: number }
  | { type: "eof"; start: number; end: number };

const WHITESPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of "()<>[]{}/%") DELIMITER[c.charCodeAt(0)] = 1;

export function isWhitespace(byte: number): boolean {
  return WHITESPACE[byte] === 1;
}

function isRegular(byte: number): boolean {
  return WHITESPACE[byte] === 0 && DELIMITER[byte] === 0;
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 65 && byte <= 70) return byte - 55;
  if (byte >= 97 && byte <= 102) return byte - 87;
  return -1;
}

export class Lexer {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly budget: Budget,
    readonly end: number = bytes.length,
  ) {
    this.pos = start;
  }

  fail(message: string, offset = this.pos): never {
    throw new UnreadablePdfError("syntax", `${message} at byte ${offset}`, offset);
  }

  /** Skips whitespace and comments. */
  skipSpace(): void {
    const { bytes, end } = this;
    let pos = this.pos;
    while (pos < end) {
      const byte = bytes[pos];
      if (WHITESPACE[byte]) pos++;
      else if (byte === 37 /* % */) {
        while (pos < end && bytes[pos] !== 10 && bytes[pos] !== 13) pos++;
      } else break;
    }
    this.pos = pos;
  }

  peek(): Token {
    const saved = this.pos;
    const token = this.next();
    this.pos = saved;
    return token;
  }

  next(): Token {
    this.budget.tick();
    this.skipSpace();
    const { bytes, end } = this;
    const start = this.pos;
    if (start >= end) return { type: "eof", start, end: start };
    const byte = bytes[start];
    switch (byte) {
      case 91 /* [ */:
        this.pos++;
        return { type: "punct", value: "[", start, end: this.pos };
      case 93 /* ] */:
        this.pos++;
        return { type: "punct", value: "]", start, end: this.pos };
      case 123 /* { */:
        this.pos++;
        return { type: "punct", value: "{", start, end: this.pos };
      case 125 /* } */:
        this.pos++;
        return { type: "punct", value: "}", start, end: this.pos };
      case 60 /* < */:
        if (bytes[start + 1] === 60) {
          this.pos += 2;
          return { type: "punct", value: "<<", start, end: this.pos };
        }
        return this.hexString();
      case 62 /* > */:
        if (bytes[start + 1] === 62) {
          this.pos += 2;
          return { type: "punct", value: ">>", start, end: this.pos };
        }
        this.fail("unexpected '>'");
      // falls through (fail never returns)
      case 40 /* ( */:
        return this.literalString();
      case 47 /* / */:
        return this.name();
      case 41 /* ) */:
        this.fail("unexpected ')'");
      // falls through
      default:
        return this.regular();
    }
  }

  private regular(): Token {
    const { bytes, end } = this;
    const start = this.pos;
    let pos = start;
    while (pos < end && isRegular(bytes[pos])) pos++;
    if (pos === start) this.fail("unexpected byte");
    this.pos = pos;
    const first = bytes[start];
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46) {
      const text = latin1(bytes, start, pos);
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) {
        const value = Number(text);
        return { type: "number", value, integer: !text.includes(".") && Number.isSafeInteger(value), start, end: pos };
      }
      this.fail(`malformed number "${text.slice(0, 20)}"`, start);
    }
    if (pos - start > 64) this.fail("overlong keyword", start);
    return { type: "keyword", value: latin1(bytes, start, pos), start, end: pos };
  }

  private name(): Token {
    const { bytes, end } = this;
    const start = this.pos;
    let pos = start + 1;
    let value = "";
    while (pos < end && isRegular(bytes[pos])) {
      const byte = bytes[pos];
      if (byte === 35 /* # */ && pos + 2 < end + 1) {
        const high = hexValue(bytes[pos + 1]);
        const low = hexValue(bytes[pos + 2]);
        if (high >= 0 && low >= 0) {
          value += String.fromCharCode(high * 16 + low);
          pos += 3;
          continue;
        }
      }
      value += String.fromCharCode(byte);
      pos++;
      if (value.length > 256) this.fail("overlong name", start);
    }
    this.pos = pos;
    return { type: "name", value, start, end: pos };
  }

  private hexString(): Token {
    const { bytes, end } = this;
    const start = this.pos;
    let pos = start + 1;
    // First pass finds the end and validates, so the output can be sized exactly.
    let digits = 0;
    while (pos < end && bytes[pos] !== 62 /* > */) {
      const byte = bytes[pos];
      if (hexValue(byte) >= 0) digits++;
      else if (!WHITESPACE[byte]) this.fail("bad character in hex string", pos);
      pos++;
    }
    if (pos >= end) throw new UnreadablePdfError("truncated", `hex string starting at byte ${start} never ends`, start);
    if (digits === pos - start - 1 && (digits & 1) === 0) {
      // The common case (a signature's /Contents): no whitespace, even length.
      const out = new Uint8Array(Buffer.from(latin1Slice(bytes, start + 1, pos), "hex"));
      this.pos = pos + 1;
      return { type: "string", value: new PdfString(out, true, start, this.pos), start, end: this.pos };
    }
    const out = new Uint8Array((digits + 1) >> 1);
    let index = 0;
    for (let i = start + 1; i < pos; i++) {
      const value = hexValue(bytes[i]);
      if (value < 0) continue;
      if ((index & 1) === 0) out[index >> 1] = value << 4;
      else out[index >> 1] |= value;
      index++;
    }
    this.pos = pos + 1;
    return { type: "string", value: new PdfString(out, true, start, this.pos), start, end: this.pos };
  }

  private literalString(): Token {
    const { bytes, end } = this;
    const start = this.pos;
    let pos = start + 1;
    let depth = 1;
    const out: number[] = [];
    while (pos < end) {
      const byte = bytes[pos++];
      if (byte === 92 /* \ */) {
        if (pos >= end) break;
        const escaped = bytes[pos++];
        switch (escaped) {
          case 110:
            out.push(10);
            break; // n
          case 114:
            out.push(13);
            break; // r
          case 116:
            out.push(9);
            break; // t
          case 98:
            out.push(8);
            break; // b
          case 102:
            out.push(12);
            break; // f
          case 13:
            if (bytes[pos] === 10) pos++;
            break; // line continuation
          case 10:
            break;
          default:
            if (escaped >= 48 && escaped <= 55) {
              let value = escaped - 48;
              for (let k = 0; k < 2 && pos < end && bytes[pos] >= 48 && bytes[pos] <= 55; k++)
                value = value * 8 + bytes[pos++] - 48;
              out.push(value & 0xff);
            } else out.push(escaped);
        }
        continue;
      }
      if (byte === 40) depth++;
      else if (byte === 41 && --depth === 0) {
        this.pos = pos;
        return { type: "string", value: new PdfString(Uint8Array.from(out), false, start, pos), start, end: pos };
      }
      out.push(byte);
    }
    throw new UnreadablePdfError("truncated", `string starting at byte ${start} never ends`, start);
  }
}

function latin1Slice(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

// ---------------------------------------------------------------- parser

/**
 * Parses one object at the lexer's position. Iterative over containers with an explicit
 * stack, so a hostile file cannot exhaust the call stack; depth is capped as well.
 */
export function parseObject(lexer: Lexer, maxDepth: number): PdfObject {
  type Frame =
    | { kind: "array"; items: PdfObject[]; start: number }
    | { kind: "dict"; entries: Map<string, PdfObject>; duplicates: string[]; key: string | null; start: number };
  const stack: Frame[] = [];

  for (;;) {
    const token = lexer.next();
    let value: PdfObject;
    switch (token.type) {
      case "eof":
        throw new UnreadablePdfError("truncated", `the file ends inside an object at byte ${token.start}`, token.start);
      case "number": {
        value = token.value;
        if (token.integer && token.value >= 0) {
          // "num gen R" is a reference; look ahead without consuming on a mismatch.
          const saved = lexer.pos;
          const second = lexer.next();
          if (second.type === "number" && second.integer && second.value >= 0) {
            const third = lexer.next();
            if (third.type === "keyword" && third.value === "R") {
              value = new PdfRef(token.value, second.value);
              break;
            }
          }
          lexer.pos = saved;
        }
        break;
      }
      case "name":
        value = new PdfName(token.value);
        break;
      case "string":
        value = token.value;
        break;
      case "keyword":
        if (token.value === "true") value = true;
        else if (token.value === "false") value = false;
        else if (token.value === "null") value = null;
        else lexer.fail(`unexpected keyword "${token.value}"`, token.start);
        break;
      case "punct": {
        if (token.value === "[" || token.value === "<<") {
          if (stack.length >= maxDepth) {
            throw new UnreadablePdfError(
              "nesting-too-deep",
              `arrays or dictionaries nested deeper than ${maxDepth} at byte ${token.start}`,
              token.start,
            );
          }
          stack.push(
            token.value === "["
              ? { kind: "array", items: [], start: token.start }
              : { kind: "dict", entries: new Map(), duplicates: [], key: null, start: token.start },
          );
          continue;
        }
        const frame = stack.pop();
        if (token.value === "]" && frame?.kind === "array") {
          value = new PdfArray(frame.items, frame.start, token.end);
        } else if (token.value === ">>" && frame?.kind === "dict") {
          if (frame.key !== null) lexer.fail("dictionary key without a value", token.start);
          const dict = new PdfDict(frame.entries, frame.start, token.end);
          dict.duplicateKeys.push(...frame.duplicates);
          value = dict;
        } else {
          lexer.fail(`unexpected "${token.value}"`, token.start);
        }
        break;
      }
    }

    // Attach the finished value to its container, or return it.
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) return value;
      if (top.kind === "array") {
        top.items.push(value);
        break;
      }
      if (top.key === null) {
        if (!(value instanceof PdfName)) lexer.fail("dictionary key is not a name");
        top.key = value.name;
        break;
      }
      if (top.entries.has(top.key)) top.duplicates.push(top.key);
      top.entries.set(top.key, value);
      top.key = null;
      break;
    }
  }
}
