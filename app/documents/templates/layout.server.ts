// A small flow layout on top of pdf-lib for our A4 templates: a cursor that moves
// down the page, wrapped paragraphs, tables that continue on the next page with their
// header repeated, and the signature area with its predefined boxes.
import pdfLib from "pdf-lib";
import type { PDFDocument, PDFFont, PDFPage, RGB } from "pdf-lib";
import type { PartyRole, SignatureBox } from "./types";

const { rgb } = pdfLib;

export const A4: [number, number] = [595.28, 841.89];

export const colors = {
  ink: rgb(0.11, 0.12, 0.15),
  muted: rgb(0.4, 0.43, 0.48),
  rule: rgb(0.78, 0.8, 0.84),
  fill: rgb(0.94, 0.95, 0.97),
  accent: rgb(0.1, 0.24, 0.45),
  box: rgb(0.6, 0.63, 0.68),
};

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface TextStyle {
  font?: PDFFont;
  size?: number;
  color?: RGB;
}

export type Align = "left" | "right" | "center";

export interface TableColumn {
  header: string;
  width: number;
  align?: Align;
  /** Numbers never wrap: the cell's text shrinks to fit instead. */
  noWrap?: boolean;
}

export interface TableRow {
  cells: string[];
  bold?: boolean;
  /** Draw no rule under this row (rows of a group). */
  noRule?: boolean;
}

const supportedCodePoints = new WeakMap<PDFFont, Set<number>>();

/**
 * Text the font can draw: tabs and line breaks become spaces, characters the font lacks
 * become "?" (pdf-lib would otherwise draw an empty box and extraction would lose them).
 */
export function textForFont(text: string, font: PDFFont): string {
  let supported = supportedCodePoints.get(font);
  if (!supported) {
    supported = new Set(font.getCharacterSet());
    supportedCodePoints.set(font, supported);
  }
  let result = "";
  for (const character of text.normalize("NFC").replace(/[\t\r\n\v\f]/g, " ")) {
    const codePoint = character.codePointAt(0)!;
    result += supported.has(codePoint) ? character : "?";
  }
  return result;
}

// Measuring runs fontkit's OpenType layout (kerning, marks), which dominates rendering
// time; words repeat a lot within a document, so widths are kept per font and word.
const unitWidths = new WeakMap<PDFFont, Map<string, number>>();

/** Width of `text` at `size`, measured once per font and text. */
export function measure(text: string, font: PDFFont, size: number): number {
  let widths = unitWidths.get(font);
  if (!widths) {
    widths = new Map();
    unitWidths.set(font, widths);
  }
  let width = widths.get(text);
  if (width === undefined) {
    width = font.widthOfTextAtSize(text, 1);
    widths.set(text, width);
  }
  return width * size;
}

/**
 * Greedy line breaking at spaces; a word longer than the line is cut between characters.
 * Lines are measured word by word (kerning across a space is nil in practice).
 */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  const spaceWidth = measure(" ", font, size);
  for (const paragraph of text.split(/\r?\n/)) {
    const words = textForFont(paragraph, font)
      .split(" ")
      .filter((word) => word.length > 0);
    let line = "";
    let lineWidth = 0;
    for (const word of words) {
      const wordWidth = measure(word, font, size);
      if (line && lineWidth + spaceWidth + wordWidth <= maxWidth) {
        line += ` ${word}`;
        lineWidth += spaceWidth + wordWidth;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      let restWidth = wordWidth;
      while (restWidth > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && measure(rest.slice(0, cut), font, size) > maxWidth) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
        restWidth = measure(rest, font, size);
      }
      line = rest;
      lineWidth = restWidth;
    }
    lines.push(line);
  }
  return lines;
}

export const lineHeightFactor = 1.32;

export class PageFlow {
  readonly pages: PDFPage[] = [];
  readonly left = 48;
  readonly right = A4[0] - 48;
  readonly top = A4[1] - 52;
  /** Content stops here; the band below stays free (page numbers, the seal's stripe). */
  readonly bottom = 56;
  page!: PDFPage;
  /** Top of the free space on the current page. */
  y = 0;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
    /** Draws what each continuation page starts with (e.g. "Invoice no. … (continued)"). */
    private readonly startContinuationPage: (flow: PageFlow) => void = () => {},
  ) {
    this.addPage();
  }

  get width() {
    return this.right - this.left;
  }

  addPage() {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = this.top;
    if (this.pages.length > 1) this.startContinuationPage(this);
  }

  /** Starts a new page unless `height` points fit above the bottom margin. */
  ensureSpace(height: number) {
    if (this.y - height < this.bottom) this.addPage();
  }

  moveDown(points: number) {
    this.y -= points;
  }

  textWidth(text: string, style: TextStyle = {}) {
    const font = style.font ?? this.fonts.regular;
    return measure(textForFont(text, font), font, style.size ?? 9);
  }

  /** Draws one line with its baseline at `baseline`; `x` is the left, right or centre edge per `align`. */
  drawText(text: string, x: number, baseline: number, style: TextStyle = {}, align: Align = "left") {
    const font = style.font ?? this.fonts.regular;
    const size = style.size ?? 9;
    const clean = textForFont(text, font);
    const width = align === "left" ? 0 : measure(clean, font, size);
    const left = align === "right" ? x - width : align === "center" ? x - width / 2 : x;
    this.page.drawText(clean, { x: left, y: baseline, font, size, color: style.color ?? colors.ink });
  }

  /** A wrapped paragraph at the cursor, breaking to a new page between lines when needed. */
  paragraph(text: string, options: TextStyle & { x?: number; width?: number; align?: Align; gapAfter?: number } = {}) {
    const font = options.font ?? this.fonts.regular;
    const size = options.size ?? 9;
    const x = options.x ?? this.left;
    const width = options.width ?? this.right - x;
    const lineHeight = size * lineHeightFactor;
    for (const line of wrapText(text, font, size, width)) {
      this.ensureSpace(lineHeight);
      const anchor = options.align === "right" ? x + width : options.align === "center" ? x + width / 2 : x;
      this.drawText(line, anchor, this.y - size, { ...options, font, size }, options.align);
      this.y -= lineHeight;
    }
    this.y -= options.gapAfter ?? 0;
  }

  /** Height that `paragraph` would take, without drawing. */
  paragraphHeight(text: string, style: TextStyle & { width: number }) {
    const font = style.font ?? this.fonts.regular;
    const size = style.size ?? 9;
    return wrapText(text, font, size, style.width).length * size * lineHeightFactor;
  }

  rule(color: RGB = colors.rule, thickness = 0.6, from = this.left, to = this.right) {
    this.page.drawLine({ start: { x: from, y: this.y }, end: { x: to, y: this.y }, thickness, color });
  }

  /**
   * A table at the cursor. Rows that do not fit go to the next page, where the header
   * is drawn again. Columns are placed from `x` (default: the left margin).
   */
  table(
    columns: TableColumn[],
    rows: TableRow[],
    options: { x?: number; size?: number; headerSize?: number; showHeader?: boolean } = {},
  ) {
    const x0 = options.x ?? this.left;
    const size = options.size ?? 8;
    const headerSize = options.headerSize ?? 7;
    const padX = 3;
    const padY = 3.2;
    const totalWidth = columns.reduce((sum, column) => sum + column.width, 0);
    const lineHeight = size * lineHeightFactor;
    const headerLineHeight = headerSize * 1.2;

    const cellLines = (text: string, column: TableColumn, font: PDFFont, fontSize: number) =>
      column.noWrap ? [textForFont(text, font)] : wrapText(text, font, fontSize, column.width - 2 * padX);

    // Headers always wrap ("Wartość brutto" over two lines), whatever their column's cells do.
    const headerLines = columns.map((column) =>
      cellLines(column.header, { ...column, noWrap: false }, this.fonts.bold, headerSize),
    );
    const showHeader = options.showHeader !== false;
    const headerHeight = showHeader
      ? Math.max(...headerLines.map((lines) => lines.length)) * headerLineHeight + 2 * padY
      : 0;

    const drawHeader = () => {
      if (!showHeader) return;
      this.page.drawRectangle({
        x: x0,
        y: this.y - headerHeight,
        width: totalWidth,
        height: headerHeight,
        color: colors.fill,
      });
      let x = x0;
      columns.forEach((column, index) => {
        headerLines[index].forEach((line, lineIndex) => {
          const baseline = this.y - padY - headerSize - lineIndex * headerLineHeight + 1;
          this.drawCell(line, { ...column, noWrap: false }, x, padX, baseline, {
            font: this.fonts.bold,
            size: headerSize,
            color: colors.muted,
          });
        });
        x += column.width;
      });
      this.y -= headerHeight;
      this.page.drawLine({
        start: { x: x0, y: this.y },
        end: { x: x0 + totalWidth, y: this.y },
        thickness: 0.8,
        color: colors.muted,
      });
    };

    this.ensureSpace(headerHeight + lineHeight + 2 * padY);
    drawHeader();
    for (const row of rows) {
      const font = row.bold ? this.fonts.bold : this.fonts.regular;
      const lines = row.cells.map((text, index) => cellLines(text, columns[index], font, size));
      const rowHeight = Math.max(1, ...lines.map((cell) => cell.length)) * lineHeight + 2 * padY;
      if (this.y - rowHeight < this.bottom) {
        this.addPage();
        drawHeader();
      }
      let x = x0;
      columns.forEach((column, index) => {
        lines[index].forEach((line, lineIndex) => {
          const baseline = this.y - padY - size - lineIndex * lineHeight + 1;
          this.drawCell(line, column, x, padX, baseline, { font, size });
        });
        x += column.width;
      });
      this.y -= rowHeight;
      if (!row.noRule) {
        this.page.drawLine({
          start: { x: x0, y: this.y },
          end: { x: x0 + totalWidth, y: this.y },
          thickness: 0.4,
          color: colors.rule,
        });
      }
    }
  }

  private drawCell(
    text: string,
    column: TableColumn,
    x: number,
    padX: number,
    baseline: number,
    style: Required<Pick<TextStyle, "font" | "size">> & TextStyle,
  ) {
    const available = column.width - 2 * padX;
    let size = style.size;
    // A number wider than its column shrinks rather than overflowing into the next one.
    while (column.noWrap && size > 5 && measure(text, style.font, size) > available) size -= 0.25;
    const align = column.align ?? "left";
    const anchor = align === "right" ? x + column.width - padX : align === "center" ? x + column.width / 2 : x + padX;
    this.drawText(text, anchor, baseline, { ...style, size }, align);
  }

  /**
   * The signature area: one column per party (company on the left, client on the right),
   * each with a heading, lines of text (name, function) and two dashed boxes, stamp and
   * signature, that signers fill. Kept together on one page. Returns the boxes.
   */
  signatureArea(
    parties: Array<{
      role: PartyRole;
      heading: string;
      lines: string[];
      stampLabel: string;
      signatureLabel: string;
      caption?: string;
    }>,
  ): SignatureBox[] {
    const gap = 24;
    const columnWidth = (this.width - gap * (parties.length - 1)) / parties.length;
    const boxHeight = 72;
    const stampWidth = 96;
    const boxGap = 8;
    const textHeight = (party: (typeof parties)[number]) =>
      12 + party.lines.reduce((sum, line) => sum + this.paragraphHeight(line, { size: 8.5, width: columnWidth }), 0);
    const captionHeight = (party: (typeof parties)[number]) =>
      party.caption ? this.paragraphHeight(party.caption, { size: 7, width: columnWidth }) : 0;
    const textBlock = Math.max(...parties.map(textHeight));
    const height = 10 + textBlock + boxHeight + 14 + Math.max(...parties.map(captionHeight));
    this.ensureSpace(height);
    this.moveDown(10);
    const top = this.y;
    const boxes: SignatureBox[] = [];
    const pageNumber = this.pages.length;

    parties.forEach((party, index) => {
      const x = this.left + index * (columnWidth + gap);
      this.y = top;
      this.drawText(party.heading, x, this.y - 9, { font: this.fonts.bold, size: 9 });
      this.y -= 12;
      for (const line of party.lines) this.paragraph(line, { x, width: columnWidth, size: 8.5 });
      this.y = top - textBlock;

      // Integer coordinates: boxes are stored as integers, and the outline must match them.
      const boxTop = Math.floor(this.y - 2);
      const y = boxTop - boxHeight;
      const stamp = { x: Math.round(x), y, width: stampWidth, height: boxHeight };
      const signatureX = Math.round(x) + stampWidth + boxGap;
      const signature = { x: signatureX, y, width: Math.floor(x + columnWidth) - signatureX, height: boxHeight };
      for (const [kind, box, label] of [
        ["stamp", stamp, party.stampLabel],
        ["signature", signature, party.signatureLabel],
      ] as const) {
        this.page.drawRectangle({ ...box, borderColor: colors.box, borderWidth: 0.6, borderDashArray: [3, 2] });
        this.drawText(label, box.x + box.width / 2, box.y - 9, { size: 7, color: colors.muted }, "center");
        boxes.push({ partyRole: party.role, kind, page: pageNumber, ...box });
      }
      this.y = y - 14;
      if (party.caption) this.paragraph(party.caption, { x, width: columnWidth, size: 7, color: colors.muted });
    });
    this.y = top - height + 10;
    return boxes;
  }

  /** Page numbers in the top margin of every page, once the page count is known. */
  numberPages(label: (page: number, count: number) => string) {
    this.pages.forEach((page, index) => {
      const text = textForFont(label(index + 1, this.pages.length), this.fonts.regular);
      const width = measure(text, this.fonts.regular, 7);
      page.drawText(text, {
        x: this.right - width,
        y: A4[1] - 30,
        size: 7,
        font: this.fonts.regular,
        color: colors.muted,
      });
    });
  }
}
