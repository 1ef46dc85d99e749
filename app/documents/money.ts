// Money for documents: integer minor units (grosze, cents) with a currency code,
// quantities in integer thousandths, VAT rates in basis points. Pure: no Node APIs,
// so forms in the browser can show the same totals the PDF will carry.
import type { Language } from "~/i18n";

/** VAT rate value for "zw." (zwolnione, exempt from VAT). */
export const VAT_EXEMPT = -1;

export interface MoneyLine {
  /** Quantity in thousandths: 1 piece = 1000, half an hour = 500. */
  quantityMilli: number;
  unitNetMinor: number;
  /** 2300 = 23 %, 800 = 8 %, 0 = 0 %, VAT_EXEMPT = exempt. */
  vatRateBp: number;
}

export interface LineAmounts {
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
}

export interface VatRateTotal extends LineAmounts {
  vatRateBp: number;
}

export interface DocumentTotals extends LineAmounts {
  /** One row per rate used, highest rate first, exempt last. */
  byRate: VatRateTotal[];
}

function toSafeNumber(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError("Amount out of range");
  return result;
}

function checkInteger(name: string, value: number) {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
}

/** numerator / divisor rounded half away from zero, exact for any size (BigInt). */
function divideRoundingHalfAwayFromZero(numerator: bigint, divisor: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + divisor) / (divisor * 2n);
  return negative ? -rounded : rounded;
}

/** Net value of a line: quantity × unit price, rounded to the minor unit half away from zero. */
export function lineNetMinor(quantityMilli: number, unitNetMinor: number): number {
  checkInteger("quantityMilli", quantityMilli);
  checkInteger("unitNetMinor", unitNetMinor);
  return toSafeNumber(divideRoundingHalfAwayFromZero(BigInt(quantityMilli) * BigInt(unitNetMinor), 1000n));
}

/** VAT on a net amount at a rate in basis points; exempt and 0 % give 0. */
export function vatOnNetMinor(netMinor: number, vatRateBp: number): number {
  checkInteger("netMinor", netMinor);
  checkInteger("vatRateBp", vatRateBp);
  if (vatRateBp === VAT_EXEMPT) return 0;
  if (vatRateBp < 0) throw new RangeError(`Unknown VAT rate ${vatRateBp}`);
  return toSafeNumber(divideRoundingHalfAwayFromZero(BigInt(netMinor) * BigInt(vatRateBp), 10000n));
}

/**
 * Amounts of one line as shown in an item table. The line's VAT is informative: the
 * invoice's VAT is computed per rate on the sum of net values (totalsByVatRate), and the
 * two may differ by a grosz, as on every Polish invoice computed "from net".
 */
export function lineAmounts(line: MoneyLine): LineAmounts {
  const netMinor = lineNetMinor(line.quantityMilli, line.unitNetMinor);
  const vatMinor = vatOnNetMinor(netMinor, line.vatRateBp);
  return { netMinor, vatMinor, grossMinor: netMinor + vatMinor };
}

/** Polish practice (art. 106e ust. 1 pkt 14 of the VAT act): net summed per rate, VAT computed once per rate. */
export function totalsByVatRate(items: readonly MoneyLine[]): DocumentTotals {
  const netByRate = new Map<number, number>();
  for (const item of items) {
    const net = lineNetMinor(item.quantityMilli, item.unitNetMinor);
    netByRate.set(item.vatRateBp, (netByRate.get(item.vatRateBp) ?? 0) + net);
  }
  const byRate = [...netByRate.entries()]
    .sort(([a], [b]) => b - a) // highest rate first; VAT_EXEMPT (-1) sorts last
    .map(([vatRateBp, netMinor]) => {
      checkInteger("netMinor", netMinor);
      const vatMinor = vatOnNetMinor(netMinor, vatRateBp);
      return { vatRateBp, netMinor, vatMinor, grossMinor: netMinor + vatMinor };
    });
  const sum = (pick: (row: VatRateTotal) => number) => byRate.reduce((total, row) => total + pick(row), 0);
  const totals = {
    netMinor: sum((r) => r.netMinor),
    vatMinor: sum((r) => r.vatMinor),
    grossMinor: sum((r) => r.grossMinor),
  };
  checkInteger("grossMinor", totals.grossMinor);
  return { byRate, ...totals };
}

// ---------------------------------------------------------------------------
// Formatting. Done by hand rather than with Intl so the server and every browser
// print exactly the same characters (ICU versions differ, e.g. on Polish grouping).

/** Digits after the decimal point of a currency's minor unit (ISO 4217). */
export function currencyMinorDigits(currency: string): number {
  switch (currency.toUpperCase()) {
    case "JPY":
    case "KRW":
    case "ISK":
    case "CLP":
    case "VND":
      return 0;
    case "BHD":
    case "JOD":
    case "KWD":
    case "OMR":
    case "TND":
      return 3;
    default:
      return 2;
  }
}

/** No-break space: keeps "1 234,56 zł" on one line. */
const NBSP = "\u00a0";

function groupThousands(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** A decimal number from an integer with `scale` implied decimals, grouped the language's way. */
function formatScaled(value: number, scale: number, language: Language, minimumFractionDigits: number): string {
  checkInteger("value", value);
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  let fraction = digits.slice(digits.length - scale);
  while (fraction.length > minimumFractionDigits && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  const [groupSeparator, decimalSeparator] = language === "pl" ? [NBSP, ","] : [",", "."];
  const text = groupThousands(whole, groupSeparator) + (fraction ? decimalSeparator + fraction : "");
  return negative ? `-${text}` : text;
}

/** An amount without currency: "1 234,56" (pl), "1,234.56" (en). */
export function formatAmount(minor: number, currency: string, language: Language): string {
  const scale = currencyMinorDigits(currency);
  return formatScaled(minor, scale, language, scale);
}

const polishCurrencySymbols: Record<string, string> = { PLN: "zł", EUR: "€", USD: "USD", GBP: "GBP" };
const englishCurrencyPrefixes: Record<string, string> = { EUR: "€", USD: "$", GBP: "£" };

/** "1 234,56 zł" (pl), "PLN 1,234.56" or "€1,234.56" (en). */
export function formatMoney(minor: number, currency: string, language: Language): string {
  const code = currency.toUpperCase();
  const amount = formatAmount(minor, code, language);
  if (language === "pl") return `${amount}${NBSP}${polishCurrencySymbols[code] ?? code}`;
  const sign = amount.startsWith("-") ? "-" : "";
  const unsigned = sign ? amount.slice(1) : amount;
  const prefix = englishCurrencyPrefixes[code];
  return prefix ? `${sign}${prefix}${unsigned}` : `${sign}${code}${NBSP}${unsigned}`;
}

/** Quantity from thousandths, without trailing zeros: 500 → "0,5" (pl) / "0.5" (en). */
export function formatQuantity(quantityMilli: number, language: Language): string {
  return formatScaled(quantityMilli, 3, language, 0);
}

/** "23%", "5,5%" (pl) / "5.5%" (en); exempt is "zw." (pl) / "exempt" (en). */
export function formatVatRate(vatRateBp: number, language: Language): string {
  if (vatRateBp === VAT_EXEMPT) return language === "pl" ? "zw." : "exempt";
  return `${formatScaled(vatRateBp, 2, language, 0)}%`;
}

// ---------------------------------------------------------------------------
// Amounts in words, as written on invoices: the whole units in words, then the
// minor units as a fraction: "sto dwadzieścia trzy złote 45/100".

/** Polish plural category for a count: 1 → one, 2–4 (not 12–14) → few, else many. */
export function polishPluralForm(count: bigint | number): 0 | 1 | 2 {
  const n = typeof count === "bigint" ? count : BigInt(count);
  if (n === 1n) return 0;
  const lastDigit = n % 10n;
  const lastTwo = n % 100n;
  if (lastDigit >= 2n && lastDigit <= 4n && !(lastTwo >= 12n && lastTwo <= 14n)) return 1;
  return 2;
}

type PolishGender = "masculine" | "feminine" | "neuter";

const polishUnits = ["", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"];
const polishTeens = [
  "dziesięć",
  "jedenaście",
  "dwanaście",
  "trzynaście",
  "czternaście",
  "piętnaście",
  "szesnaście",
  "siedemnaście",
  "osiemnaście",
  "dziewiętnaście",
];
const polishTens = [
  "",
  "",
  "dwadzieścia",
  "trzydzieści",
  "czterdzieści",
  "pięćdziesiąt",
  "sześćdziesiąt",
  "siedemdziesiąt",
  "osiemdziesiąt",
  "dziewięćdziesiąt",
];
const polishHundreds = [
  "",
  "sto",
  "dwieście",
  "trzysta",
  "czterysta",
  "pięćset",
  "sześćset",
  "siedemset",
  "osiemset",
  "dziewięćset",
];
/** [one, few, many] for 10^3, 10^6, 10^9, 10^12, 10^15. */
const polishScales: Array<[string, string, string]> = [
  ["tysiąc", "tysiące", "tysięcy"],
  ["milion", "miliony", "milionów"],
  ["miliard", "miliardy", "miliardów"],
  ["bilion", "biliony", "bilionów"],
  ["biliard", "biliardy", "biliardów"],
];

/** 1..999 in Polish words; the gender changes only a trailing "jeden"/"dwa". */
function polishBelowThousand(n: number, gender: PolishGender): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds) words.push(polishHundreds[hundreds]);
  if (rest >= 10 && rest < 20) {
    words.push(polishTeens[rest - 10]);
  } else {
    const tens = Math.floor(rest / 10);
    const units = rest % 10;
    if (tens) words.push(polishTens[tens]);
    if (units) {
      let word = polishUnits[units];
      // "jeden" only stands alone for 1 itself ("dwadzieścia jeden" does not inflect).
      if (units === 1 && n === 1 && gender === "feminine") word = "jedna";
      if (units === 1 && n === 1 && gender === "neuter") word = "jedno";
      if (units === 2 && gender === "feminine") word = "dwie";
      words.push(word);
    }
  }
  return words;
}

/** Whole number in Polish words; "jeden tysiąc" is written out, as on invoices (harder to alter). */
export function polishNumberInWords(value: bigint | number, gender: PolishGender = "masculine"): string {
  let n = typeof value === "bigint" ? value : BigInt(value);
  if (n < 0n) return `minus ${polishNumberInWords(-n, gender)}`;
  if (n === 0n) return "zero";
  const groups: number[] = [];
  while (n > 0n) {
    groups.push(Number(n % 1000n));
    n /= 1000n;
  }
  if (groups.length > polishScales.length + 1) throw new RangeError("Number too large to write in words");
  const words: string[] = [];
  for (let index = groups.length - 1; index >= 0; index--) {
    const group = groups[index];
    if (!group) continue;
    if (index === 0) {
      words.push(...polishBelowThousand(group, gender));
    } else {
      words.push(...polishBelowThousand(group, "masculine"), polishScales[index - 1][polishPluralForm(group)]);
    }
  }
  return words.join(" ");
}

interface PolishCurrencyName {
  forms: [string, string, string];
  gender: PolishGender;
}

const polishCurrencyNames: Record<string, PolishCurrencyName> = {
  PLN: { forms: ["złoty", "złote", "złotych"], gender: "masculine" },
  EUR: { forms: ["euro", "euro", "euro"], gender: "neuter" },
  USD: { forms: ["dolar amerykański", "dolary amerykańskie", "dolarów amerykańskich"], gender: "masculine" },
  GBP: { forms: ["funt szterling", "funty szterlingi", "funtów szterlingów"], gender: "masculine" },
  CHF: { forms: ["frank szwajcarski", "franki szwajcarskie", "franków szwajcarskich"], gender: "masculine" },
  CZK: { forms: ["korona czeska", "korony czeskie", "koron czeskich"], gender: "feminine" },
};

const englishOnes = [
  "",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const englishTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const englishScales = ["thousand", "million", "billion", "trillion", "quadrillion"];

function englishBelowThousand(n: number): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds) words.push(englishOnes[hundreds], "hundred");
  if (rest >= 20) {
    const units = rest % 10;
    words.push(
      units ? `${englishTens[Math.floor(rest / 10)]}-${englishOnes[units]}` : englishTens[Math.floor(rest / 10)],
    );
  } else if (rest) {
    words.push(englishOnes[rest]);
  }
  return words;
}

/** Whole number in English words, no "and": "one thousand two hundred thirty-four". */
export function englishNumberInWords(value: bigint | number): string {
  let n = typeof value === "bigint" ? value : BigInt(value);
  if (n < 0n) return `minus ${englishNumberInWords(-n)}`;
  if (n === 0n) return "zero";
  const groups: number[] = [];
  while (n > 0n) {
    groups.push(Number(n % 1000n));
    n /= 1000n;
  }
  if (groups.length > englishScales.length + 1) throw new RangeError("Number too large to write in words");
  const words: string[] = [];
  for (let index = groups.length - 1; index >= 0; index--) {
    const group = groups[index];
    if (!group) continue;
    words.push(...englishBelowThousand(group));
    if (index > 0) words.push(englishScales[index - 1]);
  }
  return words.join(" ");
}

/**
 * The amount in words as written under "Słownie": whole units in words with the currency
 * in the right grammatical form, then the minor units as a fraction.
 * pl: "jeden tysiąc dwieście trzydzieści cztery złote 56/100"
 * en: "one thousand two hundred thirty-four PLN 56/100"
 */
export function amountInWords(minor: number, currency: string, language: Language): string {
  checkInteger("minor", minor);
  const code = currency.toUpperCase();
  const digits = currencyMinorDigits(code);
  const divisor = 10n ** BigInt(digits);
  const magnitude = BigInt(Math.abs(minor));
  const whole = magnitude / divisor;
  const fraction = digits ? ` ${String(magnitude % divisor).padStart(digits, "0")}/${divisor}` : "";
  const sign = minor < 0 ? "minus " : "";
  if (language === "pl") {
    const name = polishCurrencyNames[code];
    const words = polishNumberInWords(whole, name?.gender ?? "masculine");
    const currencyWord = name ? name.forms[polishPluralForm(whole)] : code;
    return `${sign}${words} ${currencyWord}${fraction}`;
  }
  return `${sign}${englishNumberInWords(whole)} ${code}${fraction}`;
}
