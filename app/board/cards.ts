// A card on the wire: the board's loader data is printed into the page once more for
// hydration, so 120 cards travel as arrays (no repeated keys) with the amount already formatted.
import type { Stage } from "./filters";

export interface CardData {
  id: string;
  number: string;
  title: string;
  clientName: string;
  /** formatted in the viewer's language, or null */
  amount: string | null;
  ownerName: string;
  stage: Stage;
  days: number;
  next: string | null;
  overdue: "passed" | "soon" | null;
}

export type PackedCard = [
  string,
  string,
  string,
  string,
  string | null,
  string,
  Stage,
  number,
  string | null,
  "passed" | "soon" | null,
];

export function packCard(c: CardData): PackedCard {
  return [c.id, c.number, c.title, c.clientName, c.amount, c.ownerName, c.stage, c.days, c.next, c.overdue];
}

export function unpackCard(p: PackedCard): CardData {
  const [id, number, title, clientName, amount, ownerName, stage, days, next, overdue] = p;
  return { id, number, title, clientName, amount, ownerName, stage, days, next, overdue };
}
