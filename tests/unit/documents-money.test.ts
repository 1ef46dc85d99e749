import { describe, expect, it } from "vitest";
import {
  VAT_EXEMPT,
  amountInWords,
  formatMoney,
  formatQuantity,
  formatVatRate,
  lineAmounts,
  lineNetMinor,
  polishNumberInWords,
  totalsByVatRate,
  vatOnNetMinor,
} from "~/documents/money";

const NBSP = "\u00a0";

describe("line net value", () => {
  it("multiplies quantity in thousandths by the unit price", () => {
    expect(lineNetMinor(1000, 12345)).toBe(12345);
    expect(lineNetMinor(3000, 999)).toBe(2997);
  });

  it("handles half a unit and rounds half away from zero", () => {
    expect(lineNetMinor(500, 12345)).toBe(6173); // 6172.5 → 6173
    expect(lineNetMinor(500, -12345)).toBe(-6173); // a correction line rounds symmetrically
    expect(lineNetMinor(333, 100)).toBe(33); // 33.3
    expect(lineNetMinor(1, 499)).toBe(0); // 0.499
    expect(lineNetMinor(1, 500)).toBe(1); // 0.5
  });

  it("stays exact beyond 2^53 in the intermediate product", () => {
    // 9 000 000 units × 9 000 000 000.00: product 8.1e19 would lose precision as a double.
    expect(lineNetMinor(9_000_000_000, 1_000_000)).toBe(9_000_000_000_000);
    expect(() => lineNetMinor(1.5, 100)).toThrow(RangeError);
  });
});

describe("VAT", () => {
  it("rounds VAT half away from zero and treats exempt as zero", () => {
    expect(vatOnNetMinor(1050, 2300)).toBe(242); // 241.5 → 242
    expect(vatOnNetMinor(-1050, 2300)).toBe(-242);
    expect(vatOnNetMinor(1000, VAT_EXEMPT)).toBe(0);
    expect(vatOnNetMinor(1000, 0)).toBe(0);
    expect(() => vatOnNetMinor(1000, -5)).toThrow(RangeError);
  });

  it("computes VAT per rate on the sum of nets, not per line", () => {
    // Three lines of 0.10 at 23 %: per line 0.023 → 0.02 each (0.06), on the sum 0.069 → 0.07.
    const items = [1, 2, 3].map(() => ({ quantityMilli: 1000, unitNetMinor: 10, vatRateBp: 2300 }));
    expect(items.reduce((sum, item) => sum + lineAmounts(item).vatMinor, 0)).toBe(6);
    const totals = totalsByVatRate(items);
    expect(totals.byRate).toEqual([{ vatRateBp: 2300, netMinor: 30, vatMinor: 7, grossMinor: 37 }]);
  });

  it("summarises three rates including exempt, highest first and exempt last", () => {
    const totals = totalsByVatRate([
      { quantityMilli: 1000, unitNetMinor: 50000, vatRateBp: VAT_EXEMPT }, // training, exempt
      { quantityMilli: 2500, unitNetMinor: 12000, vatRateBp: 2300 }, // 2.5 h × 120.00 = 300.00
      { quantityMilli: 3000, unitNetMinor: 1999, vatRateBp: 800 }, // 59.97, VAT 4.7976 → 4.80
      { quantityMilli: 500, unitNetMinor: 10001, vatRateBp: 2300 }, // 50.005 → 50.01
    ]);
    expect(totals.byRate).toEqual([
      { vatRateBp: 2300, netMinor: 35001, vatMinor: 8050, grossMinor: 43051 }, // 80.5023 → 80.50
      { vatRateBp: 800, netMinor: 5997, vatMinor: 480, grossMinor: 6477 },
      { vatRateBp: VAT_EXEMPT, netMinor: 50000, vatMinor: 0, grossMinor: 50000 },
    ]);
    expect(totals.netMinor).toBe(90998);
    expect(totals.vatMinor).toBe(8530);
    expect(totals.grossMinor).toBe(99528);
  });

  it("gives zero totals for no items", () => {
    expect(totalsByVatRate([])).toEqual({ byRate: [], netMinor: 0, vatMinor: 0, grossMinor: 0 });
  });
});

describe("formatting", () => {
  it("formats money the Polish and the English way", () => {
    expect(formatMoney(123456, "PLN", "pl")).toBe(`1${NBSP}234,56${NBSP}zł`);
    expect(formatMoney(123456, "PLN", "en")).toBe(`PLN${NBSP}1,234.56`);
    expect(formatMoney(100000001, "PLN", "pl")).toBe(`1${NBSP}000${NBSP}000,01${NBSP}zł`);
    expect(formatMoney(5, "EUR", "en")).toBe("€0.05");
    expect(formatMoney(-5, "EUR", "pl")).toBe(`-0,05${NBSP}€`);
    expect(formatMoney(-123456, "USD", "en")).toBe("-$1,234.56");
    expect(formatMoney(1234, "JPY", "en")).toBe("JPY\u00a01,234");
  });

  it("formats quantities and VAT rates", () => {
    expect(formatQuantity(500, "pl")).toBe("0,5");
    expect(formatQuantity(1000, "en")).toBe("1");
    expect(formatQuantity(1234567, "en")).toBe("1,234.567");
    expect(formatVatRate(2300, "pl")).toBe("23%");
    expect(formatVatRate(550, "pl")).toBe("5,5%");
    expect(formatVatRate(VAT_EXEMPT, "pl")).toBe("zw.");
    expect(formatVatRate(VAT_EXEMPT, "en")).toBe("exempt");
  });
});

describe("amount in words", () => {
  it("writes the invoice example in both languages", () => {
    expect(amountInWords(123456, "PLN", "pl")).toBe("jeden tysiąc dwieście trzydzieści cztery złote 56/100");
    expect(amountInWords(123456, "PLN", "en")).toBe("one thousand two hundred thirty-four PLN 56/100");
  });

  it("uses the Polish plural forms of złoty", () => {
    const words = (zloty: number) => amountInWords(zloty * 100, "PLN", "pl");
    expect(words(0)).toBe("zero złotych 00/100");
    expect(words(1)).toBe("jeden złoty 00/100");
    expect(words(2)).toBe("dwa złote 00/100");
    expect(words(3)).toBe("trzy złote 00/100");
    expect(words(5)).toBe("pięć złotych 00/100");
    expect(words(12)).toBe("dwanaście złotych 00/100");
    expect(words(14)).toBe("czternaście złotych 00/100");
    expect(words(21)).toBe("dwadzieścia jeden złotych 00/100");
    expect(words(22)).toBe("dwadzieścia dwa złote 00/100");
    expect(words(112)).toBe("sto dwanaście złotych 00/100");
    expect(words(124)).toBe("sto dwadzieścia cztery złote 00/100");
  });

  it("uses the Polish plural forms of thousands and millions", () => {
    expect(polishNumberInWords(2000)).toBe("dwa tysiące");
    expect(polishNumberInWords(5000)).toBe("pięć tysięcy");
    expect(polishNumberInWords(12000)).toBe("dwanaście tysięcy");
    expect(polishNumberInWords(22000)).toBe("dwadzieścia dwa tysiące");
    expect(polishNumberInWords(101000)).toBe("sto jeden tysięcy");
    expect(polishNumberInWords(3_000_000)).toBe("trzy miliony");
    expect(polishNumberInWords(15_000_000)).toBe("piętnaście milionów");
    expect(polishNumberInWords(2_000_000_000)).toBe("dwa miliardy");
    expect(amountInWords(100000001, "PLN", "pl")).toBe("jeden milion złotych 01/100");
    expect(amountInWords(100000001, "PLN", "en")).toBe("one million PLN 01/100");
    expect(amountInWords(2_212_345_67, "PLN", "pl")).toBe(
      "dwa miliony dwieście dwanaście tysięcy trzysta czterdzieści pięć złotych 67/100",
    );
  });

  it("agrees the number with the currency's gender", () => {
    expect(amountInWords(100, "CZK", "pl")).toBe("jedna korona czeska 00/100");
    expect(amountInWords(2200, "CZK", "pl")).toBe("dwadzieścia dwie korony czeskie 00/100");
    expect(amountInWords(200000, "CZK", "pl")).toBe("dwa tysiące koron czeskich 00/100");
    expect(amountInWords(100, "EUR", "pl")).toBe("jedno euro 00/100");
    expect(amountInWords(550, "USD", "pl")).toBe("pięć dolarów amerykańskich 50/100");
  });

  it("writes English without 'and', with hyphenated tens", () => {
    expect(amountInWords(9999999, "EUR", "en")).toBe("ninety-nine thousand nine hundred ninety-nine EUR 99/100");
    expect(amountInWords(-1050, "PLN", "en")).toBe("minus ten PLN 50/100");
    expect(amountInWords(1200, "JPY", "en")).toBe("one thousand two hundred JPY");
  });
});
