// Phone numbers to E.164 for SMS. Numbers without a country code are taken as Polish.

/** "+48 600 100 200", "600-100-200", "0048600100200" → "+48600100200"; null if not plausible. */
export function normalizePhone(raw: string, defaultCountryCode = "48"): string | null {
  const trimmed = raw.trim();
  if (!/^[+0-9 ()./-]{6,32}$/.test(trimmed)) return null;
  let digits = trimmed.replace(/[^0-9]/g, "");
  if (trimmed.startsWith("+")) {
    // already international
  } else if (digits.startsWith("00")) {
    digits = digits.slice(2);
  } else {
    digits = defaultCountryCode + digits.replace(/^0+/, "");
  }
  if (!/^[1-9][0-9]{7,14}$/.test(digits)) return null;
  // Polish numbers have exactly 9 national digits
  if (digits.startsWith("48") && digits.length !== 11) return null;
  return `+${digits}`;
}
