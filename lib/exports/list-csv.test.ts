import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { insertJsonRows } from "@/db/json-rows";
import { auditLog, creditLedger } from "@/db/schema";
import { readAll } from "@/db/testing/finished-execution";
import { createFreshWorkspace, type FreshPerson } from "@/db/testing/fresh-workspace";
import { exportAuditCsv } from "@/lib/audit/queries";
import { exportLedgerCsv } from "@/lib/credits/ledger-csv";
import { listLedger, noLedgerFilter } from "@/lib/credits/ledger-list";

let owner: FreshPerson;
let member: FreshPerson;
/** More movements than one page of an export reads, so the file spans pages. */
const movements = 2_345;

beforeAll(async () => {
  const { people } = await createFreshWorkspace([{ key: "owner", role: "admin" }, { key: "member", role: "member" }]);
  ({ owner, member } = { owner: people.owner!, member: people.member! });
  const db = await getDb();
  const start = Date.parse("2030-01-01T00:00:00Z");
  await insertJsonRows(db, creditLedger, Array.from({ length: movements }, (_, n) => ({
    workspaceId: owner.workspaceId, kind: "adjustment" as const, amount: n % 2 ? -1 : 1, balanceAfter: 1_000, agentId: "seo-audit",
    userId: n % 3 ? owner.userId : member.userId, idempotencyKey: `export:${n}`, note: n === 7 ? "=HYPERLINK(\"http://evil.example\")" : `movement ${n}`,
    // Every tenth shares its moment with the one before, so pages must break ties by id.
    at: new Date(start + (n - (n % 10 === 9 ? 1 : 0)) * 60_000),
  })));
  await db.insert(auditLog).values([
    { workspaceId: owner.workspaceId, actorUserId: owner.userId, action: "settings.links_changed", targetType: "workspace", targetId: owner.workspaceId, data: { allowExternalLinks: false }, at: new Date("2030-02-01T10:00:00Z") },
    { workspaceId: owner.workspaceId, actorUserId: null, action: "execution.started", targetType: "execution", targetId: null, at: new Date("2030-02-02T10:00:00Z") },
  ]);
});

async function csvOf(exported: Awaited<ReturnType<typeof exportLedgerCsv>>): Promise<{ fileName: string; rows: string[][] }> {
  if (!exported.ok) throw new Error(exported.message);
  const text = (await readAll(exported.stream)).toString("utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  return { fileName: exported.fileName, rows: Papa.parse<string[]>(text.slice(1).trimEnd(), { newline: "\r\n" }).data };
}

describe("a list's CSV export", () => {
  it("holds every row the list shows, across its pages, in the list's order, and nothing else", async () => {
    const { fileName, rows } = await csvOf(await exportLedgerCsv(owner, new URLSearchParams("from=2030-01-01")));
    expect(fileName).toMatch(/^runlog-credits-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...records] = rows;
    expect(header).toEqual(["id", "at", "kind", "amount", "balance_after", "agent_id", "agent", "member", "execution_id", "note"]);
    expect(records).toHaveLength(movements);
    const listed = await listLedger(owner, { filter: { ...noLedgerFilter, from: "2030-01-01" }, after: null }, movements + 1);
    expect(records.map((r) => Number(r[0]))).toEqual(listed.rows.map((row) => row.id));
    const first = listed.rows[0]!;
    expect(records[0]).toEqual([String(first.id), first.at.toISOString(), "adjustment", String(first.amount), "1000", "seo-audit", "SEO audit", first.userName, "", first.note]);
    // A text a spreadsheet would run as a formula is neutralized; numbers stay numbers.
    expect(records.find((r) => r[9]!.includes("HYPERLINK"))![9]).toBe("'=HYPERLINK(\"http://evil.example\")");
    expect(records.some((r) => r[3] === "-1")).toBe(true);
  });

  it("follows the list's rules for who sees what: a member exports their own movements only", async () => {
    const { rows } = await csvOf(await exportLedgerCsv(member, new URLSearchParams(`member=${owner.userId}`)));
    expect(rows.length).toBeGreaterThan(700);
    expect(rows.slice(1).every((r) => r[7]!.startsWith("member "))).toBe(true);
  });

  it("writes the audit log with its own columns, an entry nobody made as System", async () => {
    const { fileName, rows } = await csvOf(await exportAuditCsv(owner, new URLSearchParams("from=2030-02-01&to=2030-02-02")));
    expect(fileName).toMatch(/^runlog-audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ["at", "actor", "action", "target_type", "target_id", "ip_address", "details"],
      ["2030-02-02T10:00:00.000Z", "System", "execution.started", "execution", "", "", ""],
      ["2030-02-01T10:00:00.000Z", rows[2]![2]!, "settings.links_changed", "workspace", owner.workspaceId, "", "{\"allowExternalLinks\":false}"],
    ]);
    expect(rows[2]![2]).toMatch(/^owner /);
    expect(await exportAuditCsv(member, new URLSearchParams())).toMatchObject({ ok: false, code: "forbidden" });
  });
});
