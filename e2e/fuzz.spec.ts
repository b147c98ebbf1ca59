/**
 * Property-style fuzzing of every list, export, log, compare and password form against the real
 * production server: generated query values and bodies (absurd dates, over-long and control-
 * character text, forged cursors and IDs, huge numbers, NUL bytes) must never answer 5xx or drop
 * the connection, every refusal carries a sentence, and nothing changes. Seeded, so a failure
 * replays; a few hundred requests in all.
 */
import fc from "fast-check";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newPage, signIn } from "./browser";

const seed = 20261206;
const base = () => inject("baseURL");

/** A session cookie as the sign-in form gets one: next-auth's CSRF token, then the credentials callback. */
async function sessionCookie(email: string): Promise<string> {
  const csrf = await fetch(new URL("/api/auth/csrf", base()));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const signedIn = await fetch(new URL("/api/auth/callback/credentials", base()), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password: "runlog-demo", json: "true" }),
  });
  const session = signedIn.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`Signing in as ${email} gave no session cookie (${signedIn.status}).`);
  return session;
}

/** A two-digit part, mostly within its range (`min`–`max`), now and then past it (up to 99). */
const part = (min: number, max: number) =>
  fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 99 }), weight: 1 }).map((n) => String(n).padStart(2, "0"));
/** Times shaped as the lists write them, with every part pushed past its range now and then (offsets most of all). */
const timestampish = fc
  .tuple(
    fc.oneof({ arbitrary: fc.integer({ min: 2000, max: 2100 }), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 9999 }), weight: 1 }),
    part(1, 12), part(1, 28), part(0, 23), part(0, 59), part(0, 59),
    fc.option(fc.integer({ min: 0, max: 999999 }).map((n) => `.${n}`), { nil: "" }),
    fc.oneof(fc.constant("Z"), fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0")), fc.option(part(0, 59).map((m) => `:${m}`), { nil: "" })).map((parts) => parts.join(""))),
    fc.constantFrom("T", " "),
  )
  .map(([y, mo, d, h, mi, se, fraction, offset, separator]) => `${String(y).padStart(4, "0")}-${mo}-${d}${separator}${h}:${mi}:${se}${fraction}${offset}`);
const base64url = (text: string) => Buffer.from(text).toString("base64url");
/** Page cursors of the right shape with odd contents: the history's (`key|id`) and the ledger's and audit log's (`[time, id]`). */
const wellFormedCursor = fc.oneof(
  fc.tuple(fc.oneof(timestampish, fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String)), fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }))).map(([key, id]) => base64url(`${key}|${id}`)),
  fc.tuple(timestampish, fc.oneof({ arbitrary: fc.integer({ min: 0 }), weight: 4 }, { arbitrary: fc.oneof(fc.constant(Number.MAX_SAFE_INTEGER), fc.double()), weight: 1 })).map((cursor) => base64url(JSON.stringify(cursor))),
);

/** Values a URL or form might carry that PostgreSQL would refuse or a parser trip on. */
const oddText = fc.oneof(
  timestampish,
  wellFormedCursor,
  wellFormedCursor,
  fc.constantFrom(
    "", " ", "\u0000", "a\u0000b", "0000-01-01", "10000-01-01", "2026-02-30", "2026-13-01", "1999-12-31", "2101-01-01", "-1", "0", "1e309", "NaN", "Infinity",
    "99999999999999999999999", "2147483648", "-2147483649", "1.5", "0x10", "%", "%00", "'; select 1; --", "\\", "\ud800", "🙂", "null", "undefined", "[]", "{}",
    "00000000-0000-0000-0000-000000000000", "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", "6f1c2d3e4b5a4c7d8e9f0a1b2c3d4e5f", "6f1c2d3e", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
    "24h", "7d", "30d", "custom", "completed", "failed", "seo-audit", "started", "duration", "credits", "asc", "desc", "all", "warn", "error", "grant", "reserve",
    "a".repeat(201), "x".repeat(5000), "\u0001\u0002\u001f\u007f",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: -1, max: 99999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
  // Forged page cursors: base64url of text or JSON that looks like one.
  fc.oneof(fc.string({ maxLength: 60 }), fc.json({ maxDepth: 2 }), fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 40 })).map(([k, id]) => `${k}|${id}`))
    .map(base64url),
);

/** A query string over `keys`: each present or not, some repeated. */
function queryOver(keys: readonly string[]): fc.Arbitrary<URLSearchParams> {
  return fc.array(fc.tuple(fc.constantFrom(...keys), oddText), { minLength: 1, maxLength: 5 }).map((pairs) => new URLSearchParams(pairs));
}

const listKeys = ["agent", "status", "outcome", "range", "from", "to", "id", "q", "sort", "dir", "after", "before", "limit", "view"] as const;
const ledgerKeys = ["from", "to", "agent", "member", "kind", "after", "period"] as const;
const auditKeys = ["category", "actor", "from", "to", "after"] as const;
const logKeys = ["after", "before", "level", "limit"] as const;
const pageLogKeys = ["tab", "logAfter", "logBefore", "logLevel", "issues", "issuesAfter", "recs", "share"] as const;
const archivedKeys = ["id", "agent", "from", "to"] as const;
const rerunKeys = ["from", "scope"] as const;

/** What an answer must be: never 5xx, and a refusal names the problem in a sentence. */
async function expectSoundAnswer(label: string, response: Response): Promise<void> {
  const body = await response.text();
  expect(response.status, `${label} → ${response.status}: ${body.slice(0, 300)}`).toBeLessThan(500);
  if (response.status < 400) return;
  const type = response.headers.get("content-type") ?? "";
  const message = type.includes("json") ? String((JSON.parse(body) as { error?: { message?: unknown } }).error?.message ?? "") : visibleText(body);
  expect(message, `${label} → ${response.status}`).toMatch(/[A-Z][^.!?]{3,}[.!?]/);
}

/**
 * The text a person sees: the HTML's own text, and the text of elements React renders from the
 * streamed payload (a 404 or 403 thrown while rendering arrives that way), without the site's
 * description in the head, which every page carries.
 */
function visibleText(html: string): string {
  const streamed = [...html.matchAll(/\\"children\\":\\"((?:[^"\\]|\\\\[^"])*)\\"/g)].map((match) => match[1]);
  const text = html.replace(/<head[\s\S]*?<\/head>/, "").replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ");
  return [text, ...streamed].join(" ").replace(/\s+/g, " ");
}

let admin: string;
let member: string;
let runIds: string[];
let sharePath: string;
let browser: Browser | undefined;

async function get(path: string, cookie: string): Promise<Response> {
  // A dropped connection rejects here and fails the property.
  return fetch(new URL(path, base()), { headers: { Cookie: cookie }, redirect: "manual" });
}

type Snapshot = Map<string, string>;
const finished = new Set(["completed", "failed", "canceled", "partial"]);

/** The newest 100 runs the admin sees, with their statuses: what a request here must not change. */
async function snapshot(): Promise<Snapshot> {
  const runs = (await (await get("/api/executions?limit=100", admin)).json()) as { executions: { id: string; status: string }[] };
  return new Map(runs.executions.map((run) => [run.id, run.status]));
}

/**
 * Nothing was deleted, canceled or otherwise changed: every run seen before is there with the
 * same status once it had finished (a run an earlier test started may finish meanwhile), and any
 * run that left the window of 100 made way for a newer one (a scheduled workflow's).
 */
function expectUnchanged(before: Snapshot, after: Snapshot): void {
  const added = [...after.keys()].filter((id) => !before.has(id));
  const gone = [...before.keys()].filter((id) => !after.has(id));
  expect(gone.length).toBeLessThanOrEqual(added.length);
  for (const [id, status] of before) if (after.has(id) && finished.has(status)) expect(after.get(id), id).toBe(status);
}

beforeAll(async () => {
  [admin, member] = await Promise.all([sessionCookie("admin@acme.test"), sessionCookie("maya@acme.test")]);
  const listed = (await (await get("/api/executions?status=completed&agent=seo-audit&limit=3", admin)).json()) as { executions: { id: string }[] };
  runIds = listed.executions.map((e) => e.id);
  // A link with a password, made in the share dialog as a person would (the one step that needs a browser).
  browser = await launchBrowser();
  const { page } = await newPage(browser);
  await signIn(page, "admin@acme.test");
  await page.goto(`/executions/${runIds[0]}`);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /^Share / });
  await dialog.getByRole("tab", { name: "Link" }).click();
  await dialog.getByLabel("Link password").fill("fuzz-password-nobody-guesses");
  await dialog.getByRole("button", { name: "Create link" }).click();
  sharePath = new URL(await dialog.getByLabel("New link").inputValue()).pathname;
  await browser.close();
  browser = undefined;
});
afterAll(async () => {
  await browser?.close();
});

const runs = (numRuns: number) => ({ seed, numRuns, endOnFailure: true });

describe("no input answers 5xx", () => {
  let before: Snapshot;
  beforeAll(async () => {
    before = await snapshot();
  });
  afterAll(async () => {
    // Nothing a request here did changed a run or a credit.
    expectUnchanged(before, await snapshot());
  });

  it("Past executions, GET /api/executions and the history CSV, as an admin and a member", async () => {
    await fc.assert(
      fc.asyncProperty(queryOver(listKeys), fc.constantFrom("/executions", "/api/executions", "/api/executions/export"), fc.boolean(), async (query, path, isAdmin) => {
        await expectSoundAnswer(`${path}?${query}`, await get(`${path}?${query}`, isAdmin ? admin : member));
      }),
      runs(90),
    );
  });

  it("page cursors of the right shape with odd contents, on every list that pages", async () => {
    const lists = fc.constantFrom("/executions", "/executions?sort=duration", "/executions?sort=credits&dir=asc", "/api/executions", "/credits", "/audit", "/archived", "/api/credits/ledger", "/api/audit");
    await fc.assert(
      fc.asyncProperty(lists, fc.constantFrom("after", "before"), wellFormedCursor, async (list, key, cursor) => {
        const path = `${list}${list.includes("?") ? "&" : "?"}${key}=${cursor}`;
        await expectSoundAnswer(path, await get(path, admin));
      }),
      runs(60),
    );
  });

  it("the credits page and ledger CSV, the audit page and its CSV", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constantFrom("/credits", "/api/credits/ledger"), queryOver(ledgerKeys)),
          fc.tuple(fc.constantFrom("/audit", "/api/audit"), queryOver(auditKeys)),
        ),
        fc.boolean(),
        async ([path, query], isAdmin) => {
          await expectSoundAnswer(`${path}?${query}`, await get(`${path}?${query}`, isAdmin ? admin : member));
        },
      ),
      runs(70),
    );
  });

  it("the archived list and an agent's run form (re-run from a run)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.tuple(fc.constant("/archived"), queryOver(archivedKeys)), fc.tuple(fc.constant("/agents/seo-audit"), queryOver(rerunKeys))), fc.boolean(), async ([path, query], isAdmin) => {
        await expectSoundAnswer(`${path}?${query}`, await get(`${path}?${query}`, isAdmin ? admin : member));
      }),
      runs(30),
    );
  });

  it("a run's page and log, with log filters and forged IDs", async () => {
    const id = fc.oneof(fc.constantFrom(...runIds), oddText.map(encodeURIComponent).filter((text) => text.length > 0 && text !== "." && text !== ".."));
    await fc.assert(
      fc.asyncProperty(
        id,
        fc.oneof(queryOver(logKeys).map((q) => ["log", q] as const), queryOver(pageLogKeys).map((q) => ["page", q] as const)),
        async (runId, [where, query]) => {
          const path = where === "log" ? `/api/executions/${runId}/log?${query}` : `/executions/${runId}?${query}`;
          await expectSoundAnswer(path, await get(path, admin));
        },
      ),
      runs(60),
    );
  });

  it("compare, page and API, with odd lists of IDs", async () => {
    const ids = fc.array(fc.oneof(fc.constantFrom(...runIds), oddText), { maxLength: 7 }).map((list) => list.join(","));
    await fc.assert(
      fc.asyncProperty(ids, fc.option(oddText, { nil: undefined }), fc.constantFrom("/executions/compare", "/api/executions/compare"), async (list, period, path) => {
        const query = new URLSearchParams({ ids: list, ...(period === undefined ? {} : { period }) });
        await expectSoundAnswer(`${path}?${query}`, await get(`${path}?${query}`, admin));
      }),
      runs(40),
    );
  });

  it("the share link's password form, posted without JavaScript with odd passwords and tokens", async () => {
    // The form's own fields (the action's reference) from the page as a browser gets it.
    const html = await (await fetch(new URL(sharePath, base()))).text();
    const hidden = [...html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map((match) => match[0]).map((input) => [/name="([^"]*)"/.exec(input)?.[1] ?? "", /value="([^"]*)"/.exec(input)?.[1] ?? ""] as const);
    expect(hidden.some(([name]) => name.startsWith("$ACTION"))).toBe(true);
    const token = sharePath.slice("/s/".length);
    await fc.assert(
      fc.asyncProperty(oddText, fc.oneof(fc.constant(token), oddText), fc.constantFrom(sharePath, "/s/" + "A".repeat(43)), async (password, formToken, path) => {
        const form = new FormData();
        for (const [name, value] of hidden) if (name !== "token") form.append(name, value.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
        form.append("token", formToken);
        form.append("password", password);
        const response = await fetch(new URL(path, base()), { method: "POST", body: form, redirect: "manual" });
        await expectSoundAnswer(`POST ${path} password=${JSON.stringify(password)} token=${JSON.stringify(formToken)}`, response);
      }),
      runs(40),
    );
  });
});
