// Demo data for `npm run demo`: one company with an admin, a supervisor and two employees in
// two teams, clients, contacts and deals with line items. Runs once per DATA_DIR.
import { eq } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { createCompanyWithAdmin } from "~/auth/accounts.server";
import { hashPassword } from "~/auth/password.server";
import { newId } from "~/auth/tokens.server";
import { config } from "~/config.server";
import { seedDemoDocuments } from "~/board/demo.server";

export const DEMO_PASSWORD = "signet-demo-2026";
export const DEMO_LOGINS = [
  { email: "admin@demo.signet.test", name: "Anna Nowak", role: "admin" as const, team: null },
  {
    email: "supervisor@demo.signet.test",
    name: "Piotr Wiśniewski",
    role: "supervisor" as const,
    team: "Sprzedaż Warszawa",
  },
  { email: "ewa@demo.signet.test", name: "Ewa Kowalczyk", role: "employee" as const, team: "Sprzedaż Warszawa" },
  { email: "jan@demo.signet.test", name: "Jan Zieliński", role: "employee" as const, team: "Sprzedaż Kraków" },
];

const CLIENTS = [
  {
    name: "Łódzkie Zakłady Mięsne „Smak” S.A.",
    taxId: "7251801126",
    address: "ul. Piotrkowska 120, 90-006 Łódź",
    contact: {
      name: "Grzegorz Brzęczyszczykiewicz",
      email: "g.brzeczyszczykiewicz@smak.example",
      phone: "+48 601 234 567",
      position: "Prezes Zarządu",
    },
  },
  {
    name: "Gdańska Stocznia Jachtowa Sp. z o.o.",
    taxId: "5842739582",
    address: "ul. Marynarki Polskiej 15, 80-557 Gdańsk",
    contact: {
      name: "Małgorzata Wójcik",
      email: "m.wojcik@jachty.example",
      phone: "+48 502 345 678",
      position: "Dyrektor Finansowy",
    },
  },
  {
    name: "Nordic Timber AB",
    taxId: "SE556677889901",
    address: "Storgatan 5, 111 22 Stockholm, Sweden",
    contact: {
      name: "Lars Andersson",
      email: "lars@nordictimber.example",
      phone: "+46 70 123 45 67",
      position: "Purchasing Manager",
    },
  },
  {
    name: "Kraków Software House Sp. z o.o.",
    taxId: "6762460045",
    address: "ul. Lea 114, 30-133 Kraków",
    contact: { name: "Łukasz Dąbrowski", email: "lukasz@ksh.example", phone: "+48 600 700 800", position: "CTO" },
  },
];

const DEALS = [
  {
    client: 0,
    owner: 2,
    title: "Wdrożenie systemu e-Podpis",
    stage: "negotiation" as const,
    items: [
      { name: "Licencja roczna e-Podpis", unit: "szt.", quantityMilli: 1000, unitNetMinor: 1_200_000, vatRateBp: 2300 },
      { name: "Szkolenie pracowników", unit: "godz.", quantityMilli: 8000, unitNetMinor: 25_000, vatRateBp: 2300 },
      { name: "Podręcznik drukowany", unit: "szt.", quantityMilli: 5000, unitNetMinor: 4_999, vatRateBp: 500 },
    ],
  },
  {
    client: 1,
    owner: 2,
    title: "Serwis jachtów — sezon 2026",
    stage: "won" as const,
    items: [
      { name: "Przegląd techniczny jachtu", unit: "usł.", quantityMilli: 3000, unitNetMinor: 180_000, vatRateBp: 2300 },
      { name: "Części zamienne", unit: "kpl.", quantityMilli: 2500, unitNetMinor: 33_333, vatRateBp: 800 },
    ],
  },
  {
    client: 2,
    owner: 3,
    title: "Timber supply Q1",
    stage: "new" as const,
    items: [{ name: "Sawn pine timber", unit: "m3", quantityMilli: 42_500, unitNetMinor: 95_000, vatRateBp: 0 }],
  },
  {
    client: 3,
    owner: 3,
    title: "Audyt bezpieczeństwa aplikacji",
    stage: "negotiation" as const,
    items: [
      { name: "Audyt bezpieczeństwa", unit: "dzień", quantityMilli: 5000, unitNetMinor: 320_000, vatRateBp: 2300 },
      { name: "Raport i rekomendacje", unit: "szt.", quantityMilli: 1000, unitNetMinor: 150_000, vatRateBp: 2300 },
      {
        name: "Szkolenie z bezpiecznego kodowania (zw.)",
        unit: "godz.",
        quantityMilli: 4000,
        unitNetMinor: 40_000,
        vatRateBp: -1,
      },
    ],
  },
  {
    client: 0,
    owner: 1,
    title: "Rozszerzenie licencji o oddział w Łodzi",
    stage: "new" as const,
    items: [{ name: "Licencja dodatkowa", unit: "szt.", quantityMilli: 2000, unitNetMinor: 450_000, vatRateBp: 2300 }],
  },
];

/** Seeds once; returns the lines to print at start. */
export async function seedDemoData(): Promise<string[]> {
  const db = getDb();
  const exists = db.select().from(schema.users).where(eq(schema.users.email, DEMO_LOGINS[0].email)).get();
  if (!exists) {
    const { companyId, userId: adminId } = await createCompanyWithAdmin(
      {
        legalName: "Signet Demo Sp. z o.o.",
        taxId: "5213870271",
        address: "ul. Świętokrzyska 11, 00-049 Warszawa",
        bankAccount: "PL27 1140 2004 0000 3002 0135 5387",
        directorName: "Zofia Żółkiewska",
        directorEmail: "director@demo.signet.test",
        directorPhone: "+48 600 100 200",
      },
      { name: DEMO_LOGINS[0].name, email: DEMO_LOGINS[0].email, password: DEMO_PASSWORD, language: "pl" },
    );
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const teams = new Map<string, string>();
    const userIds = [adminId];
    db.transaction((tx) => {
      for (const login of DEMO_LOGINS.slice(1)) {
        if (login.team && !teams.has(login.team)) {
          const teamId = newId();
          tx.insert(schema.teams).values({ id: teamId, companyId, name: login.team }).run();
          teams.set(login.team, teamId);
        }
        const id = newId();
        userIds.push(id);
        tx.insert(schema.users)
          .values({
            id,
            companyId,
            email: login.email,
            name: login.name,
            role: login.role,
            passwordHash,
            teamId: login.team ? teams.get(login.team)! : null,
            language: "pl",
          })
          .run();
      }
      const clientIds = CLIENTS.map((client) => {
        const id = newId();
        tx.insert(schema.clients)
          .values({ id, companyId, name: client.name, taxId: client.taxId, address: client.address })
          .run();
        const contactId = newId();
        tx.insert(schema.contacts)
          .values({ id: contactId, companyId, clientId: id, ...client.contact })
          .run();
        return { id, contactId };
      });
      for (const deal of DEALS) {
        const dealId = newId();
        const client = clientIds[deal.client];
        tx.insert(schema.deals)
          .values({
            id: dealId,
            companyId,
            ownerId: userIds[deal.owner],
            title: deal.title,
            clientId: client.id,
            contactId: client.contactId,
            stage: deal.stage,
            currency: "PLN",
          })
          .run();
        tx.insert(schema.dealItems)
          .values(deal.items.map((item, position) => ({ id: newId(), dealId, position, ...item })))
          .run();
      }
    });
    await seedDemoDocuments(companyId);
  }
  return [
    "",
    "Demo data is ready. Log in with any of these (password: " + DEMO_PASSWORD + "):",
    ...DEMO_LOGINS.map((l) => `  ${l.role.padEnd(10)} ${l.email}  (${l.name}${l.team ? `, ${l.team}` : ""})`),
    `App:                 ${config.publicUrl}/login`,
    `Development mailbox: ${config.publicUrl}/dev/mailbox`,
    `Verification portal: ${config.verifyPublicUrl}`,
    "",
  ];
}
