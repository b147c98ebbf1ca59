import { beforeAll, describe, expect, it } from "vitest";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { exportAuditCsv, listAuditLog, parseAuditRequest } from "@/lib/audit/queries";
import { exportLedgerCsv } from "@/lib/credits/ledger-csv";
import { listLedger, parseLedgerRequest } from "@/lib/credits/ledger-list";
import { exportHistoryCsv } from "@/lib/executions/history-csv";
import { listExecutions } from "@/lib/executions/list";
import { encodeCursor, parseListRequest } from "@/lib/executions/list-filter";
import { listItemIssues } from "@/lib/executions/log";
import { parseItemIssuesRequest } from "@/lib/executions/log-request";
import { encodeTimeIdCursor } from "@/lib/pagination/newest-first";
import { listArchivedExecutions, parseArchivedRequest } from "@/lib/retention/archived";
import { parseRecommendationApiQuery } from "@/lib/results/recommendation-filter";
import { listRecommendations } from "@/lib/results/recommendations";

// Input that passes a zod schema but that PostgreSQL refuses used to answer 500 (and, for a
// streamed export, a connection closed with no answer). Each is now refused before any query,
// with a sentence, or read as a person would mean it.

let admin: Ctx;
beforeAll(async () => ({ admin } = await seededPeople()));

const someId = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
const sentence = /^[A-Z].*[.?]$/;

async function firstRunId(): Promise<string> {
  const parsed = parseListRequest(new URLSearchParams());
  if (!parsed.ok) throw new Error(parsed.message);
  return (await listExecutions(admin, parsed)).rows[0]!.id;
}

describe("requests the database would refuse", () => {
  it.each(["0000-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])("refuses the date %s on every list and export with a sentence", async (day) => {
    const query = new URLSearchParams({ from: day });
    const expected = { ok: false, code: "invalid_input", message: "From date: Use a date between 2000 and 2100." };
    expect(parseListRequest(query)).toEqual(expected);
    expect(parseLedgerRequest(query)).toEqual(expected);
    expect(parseAuditRequest(query)).toEqual(expected);
    expect(parseArchivedRequest(query)).toEqual(expected);
    // The streamed exports answer before their first byte.
    expect(await exportHistoryCsv(admin, query)).toEqual(expected);
    expect(await exportLedgerCsv(admin, query)).toEqual(expected);
    expect(await exportAuditCsv(admin, query)).toEqual(expected);
  });

  it("still reads the first and last sane days", async () => {
    for (const day of ["2000-01-01", "2100-12-31"]) {
      const parsed = parseArchivedRequest(new URLSearchParams({ from: day }));
      if (!parsed.ok) throw new Error(parsed.message);
      expect((await listArchivedExecutions(admin, parsed.filter)).ok).toBe(true);
    }
  });

  it.each([
    ["started", "0000-01-01T00:00:00.000000Z"],
    ["started", "1970-01-01T00:00:00.000000Z"],
    ["credits", "9999999999"],
    ["credits", "-9999999999"],
  ])("refuses a history cursor sorted by %s at %s as a stale page link", async (sort, key) => {
    const parsed = parseListRequest(new URLSearchParams({ sort, after: encodeCursor({ key, id: someId }) }));
    expect(parsed).toMatchObject({ ok: false, code: "invalid_input" });
    expect(!parsed.ok && parsed.message).toMatch(sentence);
  });

  it.each(["1", "March 7", "0000-01-01", "2020-02-30", "2020-01-01 25:00:00+00", "10000-01-01 00:00:00+00", "2026-01-01T00:00:00+99:99", "2026-01-01 00:00:00-16", "2026-01-01 00:00:00+05:60"])(
    "refuses a ledger or audit cursor at %j before any query",
    async (at) => {
      const query = new URLSearchParams({ after: encodeTimeIdCursor({ at, id: 5 }) });
      for (const parsed of [parseLedgerRequest(query), parseAuditRequest(query)]) {
        expect(parsed).toEqual({ ok: false, code: "invalid_input", message: "The page link is not valid any more; start again from the first page." });
      }
    },
  );

  it("reads the ledger and audit cursors the lists themselves write", async () => {
    // And every offset PostgreSQL accepts, to its ends.
    for (const at of ["2026-03-31 12:00:00.123456+00", "2026-03-31T12:00:00+15:59", "2026-03-31T12:00:00-1559", "2026-03-31T12:00:00Z"]) {
      const query = new URLSearchParams({ after: encodeTimeIdCursor({ at, id: 5 }) });
      const ledger = parseLedgerRequest(query);
      const audit = parseAuditRequest(query);
      if (!ledger.ok || !audit.ok) throw new Error(`a cursor at ${at} was refused`);
      expect(Array.isArray((await listLedger(admin, ledger)).rows)).toBe(true);
      expect((await listAuditLog(admin, audit)).ok).toBe(true);
    }
  });

  it("drops NUL and other control characters from search text instead of failing on them", async () => {
    const executionId = await firstRunId();
    const parsed = parseItemIssuesRequest(new URLSearchParams({ text: "ti\u0000tle\u0007" }));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.text).toBe("title");
    expect((await listItemIssues(admin, executionId, parsed)).ok).toBe(true);
    expect(parseItemIssuesRequest(new URLSearchParams({ after: "99999999999" }))).toMatchObject({ ok: false, code: "invalid_input" });
    // The recommendations' search through the JSON API, as on the page.
    const recommendationQuery = parseRecommendationApiQuery(new URLSearchParams({ q: "ti\u0000tle" }));
    if (!recommendationQuery.ok) throw new Error(recommendationQuery.message);
    expect(recommendationQuery.filter.q).toBe("title");
    expect(Array.isArray((await listRecommendations({ id: executionId }, recommendationQuery.filter)).rows)).toBe(true);
  });
});
