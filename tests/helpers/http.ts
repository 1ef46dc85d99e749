// A tiny browser-like HTTP client: cookie jar, same-origin POSTs, manual redirects.
export class Client {
  cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  private cookieHeader() {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    if (init.method && init.method !== "GET" && !headers.has("Origin")) headers.set("Origin", this.baseUrl);
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    this.remember(response);
    return response;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request(path, { headers });
  }

  /** Posts a urlencoded form (or multipart when given FormData). */
  post(path: string, form: Record<string, string> | FormData | URLSearchParams, headers?: Record<string, string>) {
    const body = form instanceof FormData || form instanceof URLSearchParams ? form : new URLSearchParams(form);
    return this.request(path, { method: "POST", body, headers });
  }

  /** GET, following redirects; returns the final response and its text. */
  async page(path: string) {
    let response = await this.get(path);
    for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400; hops++) {
      response = await this.get(response.headers.get("location")!);
    }
    return { response, html: await response.text() };
  }
}

export const DEMO_PASSWORD = "correct-horse-battery";

export async function onboard(client: Client, overrides: Record<string, string> = {}) {
  const response = await client.post("/onboarding", {
    legalName: "Przykład Sp. z o.o.",
    taxId: "5260250274",
    address: "ul. Długa 1, 00-001 Warszawa",
    bankAccount: "PL61 1090 1014 0000 0712 1981 2874",
    directorName: "Zofia Żółć",
    directorEmail: "director@example.com",
    directorPhone: "+48 600 100 200",
    adminName: "Anna Admin",
    adminEmail: "admin@example.com",
    password: DEMO_PASSWORD,
    passwordConfirm: DEMO_PASSWORD,
    ...overrides,
  });
  if (response.status !== 302) throw new Error(`onboarding failed: ${response.status} ${await response.text()}`);
  return response;
}

export async function login(client: Client, email: string, password = DEMO_PASSWORD) {
  const response = await client.post("/login", { email, password });
  if (response.status !== 302) throw new Error(`login failed for ${email}: ${response.status}`);
  return response;
}
