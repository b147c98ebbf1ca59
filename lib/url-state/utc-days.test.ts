import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, creditLedger, executionArchives } from "@/db/schema";
import { readAll } from "@/db/testing/finished-execution";
import { createFreshWorkspace, insertExecution, type FreshPerson } from "@/db/testing/fresh-workspace";
import { useSessionTimeZone } from "@/db/testing/session-time-zone";
import { exportAuditCsv, listAuditLog, parseAuditRequest } from "@/lib/audit/queries";
import { exportLedgerCsv } from "@/lib/credits/ledger-csv";
import { listLedger, parseLedgerRequest } from "@/lib/credits/ledger-list";
import { exportHistoryCsv } from "@/lib/executions/history-csv";
import { listExecutions } from "@/lib/executions/list";
import { parseListRequest } from "@/lib/executions/list-filter";
import { listArchivedExecutions, parseArchivedRequest } from "@/lib/retention/archived";

// Three moments around the UTC day 2030-03-10: just after it starts, just before it ends, and
// just after it. With the database session 14 hours ahead of UTC, a day taken in the
// session's zone (`::date`) would keep the first and drop the second.
const moments = { start: "2030-03-10T00:10:00Z", end: "2030-03-10T23:50:00Z", nextDay: "2030-03-11T00:10:00Z" } as const;
type Moment = keyof typeof moments;
const oneDay = "from=2030-03-10&to=2030-03-10";

let admin: FreshPerson;
/** What each list holds at each moment, by the id it lists it under. */
const made = { history: new Map<string, Moment>(), ledger: new Map<string, Moment>(), audit: new Map<string, Moment>(), archived: new Map<string, Moment>() };

beforeAll(async () => {
  await useSessionTimeZone("Pacific/Kiritimati");
  admin = (await createFreshWorkspace([{ key: "admin", role: "admin" }])).people.admin!;
  const db = await getDb();
  for (const [moment, iso] of Object.entries(moments) as [Moment, string][]) {
    const at = new Date(iso);
    const run = await insertExecution(admin, { createdAt: at });
    made.history.set(run.id, moment);
    const [movement] = await db
      .insert(creditLedger)
      .values({ workspaceId: admin.workspaceId, kind: "adjustment", amount: 1, balanceAfter: 1, userId: admin.userId, idempotencyKey: `utc-day:${moment}`, at })
      .returning({ id: creditLedger.id });
    made.ledger.set(String(movement!.id), moment);
    const [entry] = await db
      .insert(auditLog)
      .values({ workspaceId: admin.workspaceId, actorUserId: admin.userId, action: "settings.links_changed", targetType: "workspace", at })
      .returning({ id: auditLog.id });
    made.audit.set(String(entry!.id), moment);
    const archivedId = crypto.randomUUID();
    await db.insert(executionArchives).values({ executionId: archivedId, workspaceId: admin.workspaceId, agentId: "seo-audit", status: "completed", creditsCharged: 1, createdAt: at, document: {} });
    made.archived.set(archivedId, moment);
  }
});

/** The moments of the rows a list shows, ignoring rows the test did not make. */
const momentsOf = (list: keyof typeof made, ids: (string | number)[]) => ids.flatMap((id) => made[list].get(String(id)) ?? []).sort();

/** The moments of the rows a CSV export holds (its first column is the id). */
async function exportedMoments(list: keyof typeof made, stream: ReadableStream<Uint8Array>) {
  const lines = (await readAll(stream)).toString("utf8").split("\r\n").slice(1);
  return momentsOf(list, lines.map((line) => line.split(",")[0]!.replace(/"/g, "")));
}

describe("a day in every list's filter", () => {
  it("is the UTC day, whatever the database session's time zone", async () => {
    const db = await getDb();
    const [session] = await db.select({ zone: sql<string>`current_setting('TimeZone')` }).from(auditLog).limit(1);
    expect(session!.zone).toBe("Pacific/Kiritimati");
    const expected = ["end", "start"];

    const history = parseListRequest(new URLSearchParams(`range=custom&${oneDay}`));
    if (!history.ok) throw new Error(history.message);
    expect(momentsOf("history", (await listExecutions(admin, history)).rows.map((r) => r.id))).toEqual(expected);

    const ledger = parseLedgerRequest(new URLSearchParams(oneDay));
    if (!ledger.ok) throw new Error(ledger.message);
    expect(momentsOf("ledger", (await listLedger(admin, ledger)).rows.map((r) => r.id))).toEqual(expected);

    const audit = parseAuditRequest(new URLSearchParams(oneDay));
    if (!audit.ok) throw new Error(audit.message);
    const auditPage = await listAuditLog(admin, audit);
    if (!auditPage.ok) throw new Error(auditPage.message);
    expect(momentsOf("audit", auditPage.rows.map((r) => r.id))).toEqual(expected);

    const archived = parseArchivedRequest(new URLSearchParams(oneDay));
    if (!archived.ok) throw new Error(archived.message);
    const archivedPage = await listArchivedExecutions(admin, archived.filter);
    if (!archivedPage.ok) throw new Error(archivedPage.message);
    expect(momentsOf("archived", archivedPage.rows.map((r) => r.executionId))).toEqual(expected);

    // The next day starts at UTC midnight too, and an open end reaches the newest row.
    const from = parseLedgerRequest(new URLSearchParams("from=2030-03-11"));
    if (!from.ok) throw new Error(from.message);
    expect(momentsOf("ledger", (await listLedger(admin, from)).rows.map((r) => r.id))).toEqual(["nextDay"]);
  });

  it("is the UTC day in the history, ledger and audit CSV exports", async () => {
    const expected = ["end", "start"];
    for (const [list, exported] of [
      ["history", await exportHistoryCsv(admin, new URLSearchParams(`range=custom&${oneDay}`))],
      ["ledger", await exportLedgerCsv(admin, new URLSearchParams(oneDay))],
      ["audit", await exportAuditCsv(admin, new URLSearchParams(oneDay))],
    ] as const) {
      if (!exported.ok) throw new Error(exported.message);
      expect(await exportedMoments(list, exported.stream), list).toEqual(expected);
    }
  });
});
