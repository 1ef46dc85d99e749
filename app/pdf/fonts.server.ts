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

// pdf-lib parses the font file for every document it is embedded in; parsing Noto Sans
// takes longer than laying out a whole invoice, so parsed fonts are shared. pdf-lib only
// reads from them (layout and subsetting create their own objects).
type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
const parsedFonts = new Map<Uint8Array, ReturnType<Fontkit["create"]>>();
const cachingFontkit: Fontkit = {
  create(buffer, postscriptName) {
    if (postscriptName !== undefined) return fontkit.create(buffer, postscriptName);
    const known = [...loadedBytes.values()].find((bytes) => bytes === buffer);
    if (!known) return fontkit.create(buffer);
    let font = parsedFonts.get(known);
    if (!font) {
      font = fontkit.create(buffer);
      parsedFonts.set(known, font);
    }
    return font;
  },
};

/**
 * Embeds one of our fonts. Always subset: a full Noto Sans adds ~450 KB per font to
 * every file, and with full embedding pdf-lib writes a ToUnicode map that garbles
 * Caveat's contextual glyphs on text extraction; the subset keeps text extractable.
 */
export async function embedFont(doc: PDFDocument, name: FontName): Promise<PDFFont> {
  doc.registerFontkit(cachingFontkit);
  return doc.embedFont(fontBytes(name), { subset: true });
}

/** The regular and bold text faces that document templates use. */
export async function embedTextFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  const [regular, bold] = await Promise.all([embedFont(doc, "sans"), embedFont(doc, "sansBold")]);
  return { regular, bold };
}
