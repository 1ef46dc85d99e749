import { describe, expect, it } from "vitest";
import zlib from "node:zlib";
import fontkit from "@pdf-lib/fontkit";
import pdfLib from "pdf-lib";
import { PDFParse } from "pdf-parse";
import { embedFont, embedTextFonts, fontBytes, type FontName } from "~/pdf/fonts.server";

const { PDFDocument, PDFDict, PDFName, PDFRawStream } = pdfLib;
const polishLetters = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";

async function extractText(pdf: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: pdf.slice() });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** The embedded TrueType programs (FontFile2 streams) of a PDF, inflated. */
async function embeddedFontPrograms(pdf: Uint8Array): Promise<Uint8Array[]> {
  const doc = await PDFDocument.load(pdf);
  const programs: Uint8Array[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Type")) !== PDFName.of("FontDescriptor")) continue;
    const stream = doc.context.lookup(object.get(PDFName.of("FontFile2")));
    if (stream instanceof PDFRawStream) programs.push(zlib.inflateSync(stream.contents));
  }
  return programs;
}

describe("fonts", () => {
  it.each(["sans", "sansBold", "handwriting"] as FontName[])("%s covers every Polish letter", (name) => {
    const font = fontkit.create(fontBytes(name));
    for (const letter of polishLetters) expect(font.hasGlyphForCodePoint(letter.codePointAt(0)!), letter).toBe(true);
    // Read once per process.
    expect(fontBytes(name)).toBe(fontBytes(name));
  });

  it("embeds subsets whose glyphs all decode (no blank letters in viewers)", async () => {
    const doc = await PDFDocument.create();
    const { regular, bold } = await embedTextFonts(doc);
    const page = doc.addPage();
    const sample = `Zażółć gęślą jaźń — ${polishLetters} 1 234,56 zł`;
    page.drawText(sample, { x: 40, y: 700, size: 12, font: regular });
    page.drawText(sample, { x: 40, y: 680, size: 12, font: bold });
    const pdf = await doc.save();
    expect(pdf.length).toBeLessThan(40_000); // two subsets, not two 600 KB fonts

    const programs = await embeddedFontPrograms(pdf);
    expect(programs).toHaveLength(2);
    for (const program of programs) {
      const subset = fontkit.create(program);
      expect(subset.numGlyphs).toBeGreaterThan(20);
      // @pdf-lib/fontkit's short 'loca' with odd-length glyph records made these throw or come out empty.
      for (let id = 1; id < subset.numGlyphs; id++) expect(() => subset.getGlyph(id).path).not.toThrow();
      const drawn = Array.from(
        { length: subset.numGlyphs - 1 },
        (_, index) => subset.getGlyph(index + 1).path.toSVG().length,
      );
      expect(drawn.filter((svgLength) => svgLength > 0).length).toBeGreaterThan(subset.numGlyphs - 4); // only the space is empty
    }
    const text = await extractText(pdf);
    expect(text).toContain(sample);
  });

  it("keeps text extractable across documents that share glyph components (C inside Ć)", async () => {
    const render = async (text: string) => {
      const doc = await PDFDocument.create();
      const font = await embedFont(doc, "sans");
      doc.addPage().drawText(text, { x: 40, y: 700, size: 12, font });
      return extractText(await doc.save());
    };
    expect(await render("Ćwik Ścisły")).toContain("Ćwik Ścisły");
    expect(await render("Civil Code, Contractor, Sejm")).toContain("Civil Code, Contractor, Sejm");
  });

  it("draws typed signatures in the handwriting font with Polish letters intact", async () => {
    const doc = await PDFDocument.create();
    const font = await embedFont(doc, "handwriting");
    doc.addPage().drawText("Łukasz Żółć-Kowalski", { x: 40, y: 700, size: 28, font });
    expect(await extractText(await doc.save())).toContain("Łukasz Żółć-Kowalski");
  });
});
