import { describe, expect, it } from "vitest";
import { parseAuditRequest } from "@/lib/audit/queries";
import { parseLedgerRequest } from "@/lib/credits/ledger-list";
import { parseListRequest } from "@/lib/executions/list-filter";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/newest-first";
import { parseArchivedRequest } from "@/lib/retention/archived";
import { decodePageToken, encodePageToken, queryList, queryString, queryValue, queryValues, withQuery } from "./params";

describe("reading a query string", () => {
  it("reads a page's searchParams and a route's URLSearchParams alike, trimmed, blanks left out", () => {
    for (const params of [new URLSearchParams("agent=a&agent=%20b%20&agent=&from="), { agent: ["a", " b ", ""], from: "" }]) {
      expect(queryValues(params, "agent")).toEqual(["a", "b"]);
      expect(queryValue(params, "agent")).toBe("a");
      expect(queryValue(params, "from")).toBeUndefined();
      expect(queryValue(params, "missing")).toBeUndefined();
    }
    expect(queryList(new URLSearchParams("status=failed,partial&status=queued,"), "status")).toEqual(["failed", "partial", "queued"]);
  });

  it("writes links: lists repeat their key, empty values are left out, other keys are kept", () => {
    expect(queryString({ agent: ["a", "b"], from: null, to: "", limit: 20 })).toBe("?agent=a&agent=b&limit=20");
    expect(queryString({ from: null })).toBe("");
    expect(withQuery({ period: "90", after: "x", kind: ["grant", "refund"] }, { after: null, period: 30 })).toBe("?kind=grant&kind=refund&period=30");
    expect(withQuery(new URLSearchParams("a=1&b=2"), { b: "3" })).toBe("?a=1&b=3");
  });

  it("keeps page tokens opaque and exact, any text included", () => {
    for (const text of ["2026-03-31T12:00:00.123456Z|3f2a9c1b-0000-4000-8000-000000000000", "Ünïcode – “quotes” 漢字", ""]) {
      const token = encodePageToken(text);
      expect(token).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodePageToken(token)).toBe(text);
    }
    expect(decodePageToken("%%%")).toBeNull();
    const cursor = { at: "2026-03-31 12:00:00.123456+00", id: 42 };
    expect(decodeTimeIdCursor(encodeTimeIdCursor(cursor))).toEqual(cursor);
    expect(decodeTimeIdCursor(encodePageToken(JSON.stringify(["not a time", 1])))).toBeNull();
  });
});

describe("every list's query string", () => {
  const lists = { history: parseListRequest, ledger: parseLedgerRequest, audit: parseAuditRequest, archived: parseArchivedRequest };

  it.each(Object.keys(lists) as (keyof typeof lists)[])("%s: reads dates as UTC days and refuses the same mistakes with the same sentences", (list) => {
    const parse = lists[list];
    const range = list === "history" ? "range=custom&" : "";
    expect(parse(new URLSearchParams(`${range}from=2026-05-01&to=2026-05-31`))).toMatchObject({ ok: true, filter: { from: "2026-05-01", to: "2026-05-31" } });
    expect(parse(new URLSearchParams(""))).toMatchObject({ ok: true, filter: { from: null, to: null } });
    for (const [query, message] of [
      ["from=yesterday", "From date: Use a date like 2026-03-31."],
      ["to=2026-02-30", "To date: That date does not exist."],
      ["from=2026-05-02&to=2026-05-01", "The start date is after the end date."],
    ]) expect(parse(new URLSearchParams(`${range}${query}`))).toEqual({ ok: false, code: "invalid_input", message });
  });

  it.each(["history", "ledger", "audit"] as const)("%s: answers a page link that is not one of its positions with the same sentence", (list) => {
    for (const token of ["garbage", encodePageToken("[]"), "x".repeat(300)]) {
      expect(lists[list](new URLSearchParams({ after: token }))).toEqual({ ok: false, code: "invalid_input", message: "The page link is not valid any more; start again from the first page." });
    }
  });
});
