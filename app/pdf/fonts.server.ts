// TrueType fonts for the PDFs we make. The 14 standard PDF fonts use WinAnsi and
// cannot encode ąćęłńóśźż, so every text we draw goes through an embedded TTF.
// - Noto Sans Regular/Bold (SIL OFL): a neutral sans with full Latin Extended-A.
// - Caveat Regular (SIL OFL): a handwriting face for signatures typed as a name.
// Both come from npm packages (@expo-google-fonts/*), which ship plain .ttf files.
import fs from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

const fontFiles = {
  sans: "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
  sansBold: "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
  handwriting: "@expo-google-fonts/caveat/400Regular/Caveat_400Regular.ttf",
} as const;

export type FontName = keyof typeof fontFiles;

const loadedBytes = new Map<FontName, Uint8Array>();

/** The font file's bytes, read from disk once per process. */
export function fontBytes(name: FontName): Uint8Array {
  let bytes = loadedBytes.get(name);
  if (!bytes) {
    // Resolved from this module, so it works from app/ under tsx and from build/ after `remix build`.
    const require = createRequire(import.meta.url);
    bytes = new Uint8Array(fs.readFileSync(require.resolve(fontFiles[name])));
    loadedBytes.set(name, bytes);
  }
  return bytes;
}

// @pdf-lib/fontkit 1.1 writes subset fonts with a short-format 'loca' table (offsets/2)
// without padding glyph data to even lengths. Fonts whose glyph records have odd lengths
// (Google's Noto Sans and Caveat builds do) then come out with glyphs pointing mid-record:
// text still extracts, but viewers draw blanks. Padding every glyph record to an even
// length, as the TrueType spec asks, makes the subsets render correctly.
interface TrueTypeSubsetInternals {
  glyf?: Uint8Array[];
  offset?: number;
  _addGlyph?: (glyphId: number) => number;
}

type FontkitFont = ReturnType<Fontkit["create"]>;

function padSubsetGlyphs(font: FontkitFont): FontkitFont {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset() as ReturnType<FontkitFont["createSubset"]> & TrueTypeSubsetInternals;
    const addGlyph = subset._addGlyph;
    if (typeof addGlyph !== "function") return subset; // CFF fonts have no 'loca'
    subset._addGlyph = function (this: TrueTypeSubsetInternals, glyphId: number) {
      const index = addGlyph.call(this, glyphId);
      const record = this.glyf?.[index];
      if (record && record.length % 2 === 1 && this.glyf && typeof this.offset === "number") {
        // fontkit's stream accepts only its own bundled Buffer class, so pad with that.
        const BundledBuffer = record.constructor as unknown as {
          concat(parts: Uint8Array[]): Uint8Array;
          alloc(size: number): Uint8Array;
        };
        this.glyf[index] = BundledBuffer.concat([record, BundledBuffer.alloc(1)]);
        this.offset += 1;
      }
      return index;
    };
    return subset;
  };
  return font;
}

// Each document parses its own copy of the font (a few milliseconds). Sharing one parsed
// font between documents is not safe: fontkit caches glyph objects with the characters
// they were first reached from, and a glyph first reached as a component of another
// (the "C" inside "Ć") carries none; the next document's ToUnicode map then lacks it and
// its text no longer extracts.
type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
const fixedFontkit: Fontkit = {
  create(buffer, postscriptName) {
    return padSubsetGlyphs(fontkit.create(buffer, postscriptName));
  },
};

// OpenType layout features off for the text faces: fontkit's kerning lookups take about
// three quarters of the rendering time of a document, for widths that differ by ~0.1 %
// at our sizes. The handwriting face keeps its contextual forms: it draws only a name.
const plainFeatures = {
  kern: false,
  liga: false,
  clig: false,
  calt: false,
  ccmp: false,
  locl: false,
  mark: false,
  mkmk: false,
  rlig: false,
};

/**
 * Embeds one of our fonts, always as a subset: a full Noto Sans adds ~450 KB per face to
 * every file, and with full embedding pdf-lib writes a ToUnicode map that garbles Caveat's
 * contextual glyphs on text extraction; the subset keeps all text extractable.
 */
export async function embedFont(doc: PDFDocument, name: FontName): Promise<PDFFont> {
  doc.registerFontkit(fixedFontkit);
  return doc.embedFont(fontBytes(name), { subset: true, features: name === "handwriting" ? undefined : plainFeatures });
}

/** The regular and bold text faces that document templates use. */
export async function embedTextFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  const [regular, bold] = await Promise.all([embedFont(doc, "sans"), embedFont(doc, "sansBold")]);
  return { regular, bold };
}
